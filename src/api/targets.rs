//! Programme targets: the figure each one measures, its history at the closed Stichtage (or
//! per month, for the usage rate) and today, so that pages can forecast when it is reached
//! (`domain::forecast`) and say whether that is in time.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::forecast::{Forecast, Observation, Verdict, explain, forecast, verdict};
use crate::domain::{Lang, TargetMetric};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetView {
    pub id: i64,
    pub name: String,
    pub metric: TargetMetric,
    pub metric_param: Option<i64>,
    pub target_value: f64,
    pub deadline: NaiveDate,
    /// Oldest first; the last one is the current value.
    pub history: Vec<Observation>,
}

impl TargetView {
    pub fn current(&self) -> Option<f64> {
        self.history.last().map(|o| o.value)
    }
    pub fn forecast(&self) -> Forecast {
        forecast(&self.history, self.target_value)
    }
    pub fn verdict(&self) -> Verdict {
        verdict(&self.forecast(), self.deadline)
    }
    /// The verdict in one sentence.
    pub fn explain(&self, lang: Lang) -> String {
        explain(&self.forecast(), self.deadline, lang)
    }
    /// What the target measures, e.g. "Anteil Leistungen ab Reifegrad 3".
    pub fn metric_label(&self, lang: Lang) -> String {
        match (self.metric, self.metric_param) {
            (TargetMetric::ReifegradShare, Some(n)) => {
                lang.pick(format!("Anteil Leistungen ab Reifegrad {n}"), format!("Share of services at maturity ≥ {n}"))
            }
            (metric, _) => metric.label(lang).to_string(),
        }
    }
}

pub fn verdict_label(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Reached => lang.t("erreicht", "reached"),
        Verdict::OnTrack => lang.t("im Plan", "on track"),
        Verdict::AtRisk => lang.t("gefährdet", "at risk"),
        Verdict::OffTrack => lang.t("nicht im Plan", "off track"),
        Verdict::Unknown => lang.t("noch offen", "unknown"),
    }
}

/// A shape for each verdict, so that it never rests on colour alone.
pub fn verdict_symbol(v: Verdict) -> &'static str {
    match v {
        Verdict::Reached => "✔",
        Verdict::OnTrack => "●",
        Verdict::AtRisk => "▲",
        Verdict::OffTrack => "■",
        Verdict::Unknown => "?",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetList {
    pub targets: Vec<TargetView>,
    pub today: NaiveDate,
}

#[server(endpoint = "ziele")]
pub async fn load_targets() -> Result<TargetList, AppError> {
    let db = crate::server::web::db()?;
    let today = crate::server::web::today();
    Ok(TargetList { targets: crate::server::db::targets::all(&db, today).await?, today })
}

#[server(endpoint = "ziel")]
pub async fn load_target(id: i64) -> Result<TargetView, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::targets::one(&db, id, crate::server::web::today()).await
}
