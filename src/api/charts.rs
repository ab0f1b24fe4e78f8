//! Data behind the charts. The SVG itself is drawn on the server (`server::charts`) on plain
//! routes; pages load the same data to show the one-sentence summary and the data table that
//! every chart needs as its text equivalent.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::forecast::Trend;
use crate::domain::{Lang, fmt_date, fmt_int};
use crate::error::AppError;

/// One milestone's line in the milestone trend analysis: its forecast at each Stichtag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MtaLine {
    /// 1-based; the chart labels each line with it, the table repeats it.
    pub number: usize,
    pub title: String,
    pub is_key: bool,
    pub baseline: NaiveDate,
    /// (Stichtag, forecast given at it), in date order.
    pub points: Vec<(NaiveDate, NaiveDate)>,
    pub reached: Option<NaiveDate>,
    pub trend: Trend,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MtaData {
    pub project_id: i64,
    pub key: String,
    pub title: String,
    pub stichtage: Vec<NaiveDate>,
    pub lines: Vec<MtaLine>,
}

impl MtaData {
    /// The chart in one sentence: how many milestones, how many slip, which moved most.
    pub fn summary(&self, lang: Lang) -> String {
        let count = |t: Trend| self.lines.iter().filter(|l| l.trend == t).count() as i64;
        let worst = self
            .lines
            .iter()
            .filter_map(|l| Some((l, (l.points.last()?.1 - l.points.first()?.1).num_days())))
            .filter(|(_, days)| *days > 0)
            .max_by_key(|(_, days)| *days);
        let (Some(first), Some(last)) = (self.stichtage.first(), self.stichtage.last()) else {
            return lang
                .t(
                    "Für dieses Projekt liegen noch keine Prognosen zu Stichtagen vor.",
                    "No forecasts at reporting dates yet for this project.",
                )
                .into();
        };
        let mut text = lang.pick(
            format!(
                "Meilensteintrendanalyse {} vom {} bis {}: {} Meilensteine, davon {} erreicht, {} stabil, {} verschieben sich, {} schwanken.",
                self.key, fmt_date(*first, lang), fmt_date(*last, lang), fmt_int(self.lines.len() as i64, lang),
                fmt_int(count(Trend::Reached), lang), fmt_int(count(Trend::Flat), lang), fmt_int(count(Trend::Slipping), lang), fmt_int(count(Trend::ZigZag), lang),
            ),
            format!(
                "Milestone trend analysis {} from {} to {}: {} milestones, {} reached, {} flat, {} slipping, {} zig-zag.",
                self.key, fmt_date(*first, lang), fmt_date(*last, lang), fmt_int(self.lines.len() as i64, lang),
                fmt_int(count(Trend::Reached), lang), fmt_int(count(Trend::Flat), lang), fmt_int(count(Trend::Slipping), lang), fmt_int(count(Trend::ZigZag), lang),
            ),
        );
        if let Some((line, days)) = worst {
            text.push(' ');
            text.push_str(&lang.pick(
                format!("Am stärksten verschoben: {} ({}) um {} Tage.", line.number, line.title, fmt_int(days, lang)),
                format!("Slipped most: {} ({}) by {} days.", line.number, line.title, fmt_int(days, lang)),
            ));
        }
        text
    }
}

#[server(endpoint = "mta")]
pub async fn load_mta(project_id: i64) -> Result<MtaData, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::charts::mta(&db, project_id).await
}

/// Running projects per Ampel for a list of categories (Stichtage or departments).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmpelRow {
    pub label: String,
    pub gruen: i64,
    pub gelb: i64,
    pub rot: i64,
}

impl AmpelRow {
    pub fn total(&self) -> i64 {
        self.gruen + self.gelb + self.rot
    }
}

/// The Ampel distribution charts: over the closed Stichtage, and per department at the
/// latest closed one (frozen states, so a chart never changes after the fact).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmpelCharts {
    pub over_time: Vec<AmpelRow>,
    pub by_department: Vec<AmpelRow>,
    pub latest: Option<NaiveDate>,
}

impl AmpelCharts {
    pub fn summary_over_time(&self, lang: Lang) -> String {
        match (self.over_time.first(), self.over_time.last()) {
            (Some(first), Some(last)) => lang.pick(
                format!(
                    "Ampel der laufenden Projekte über {} Stichtage: Rot von {} auf {}, Gelb von {} auf {}, Grün von {} auf {} (vom {} bis {}).",
                    self.over_time.len(), first.rot, last.rot, first.gelb, last.gelb, first.gruen, last.gruen, first.label, last.label
                ),
                format!(
                    "Status of running projects over {} reporting dates: red from {} to {}, yellow from {} to {}, green from {} to {} ({} to {}).",
                    self.over_time.len(), first.rot, last.rot, first.gelb, last.gelb, first.gruen, last.gruen, first.label, last.label
                ),
            ),
            _ => lang.t("Noch kein Stichtag geschlossen.", "No reporting date closed yet.").into(),
        }
    }

    pub fn summary_by_department(&self, lang: Lang) -> String {
        let worst = self
            .by_department
            .iter()
            .filter(|r| r.total() > 0)
            .max_by(|a, b| (a.rot * b.total()).cmp(&(b.rot * a.total())).then_with(|| b.label.cmp(&a.label)));
        match (worst, self.latest) {
            (Some(w), Some(date)) => lang.pick(
                format!(
                    "Ampel je Fachbereich zum Stichtag {}: {} Fachbereiche; den höchsten Anteil Rot hat {} mit {} von {} Projekten.",
                    fmt_date(date, lang), self.by_department.len(), w.label, w.rot, w.total()
                ),
                format!(
                    "Status per department at {}: {} departments; {} has the highest red share with {} of {} projects.",
                    fmt_date(date, lang), self.by_department.len(), w.label, w.rot, w.total()
                ),
            ),
            _ => lang.t("Noch kein Stichtag geschlossen.", "No reporting date closed yet.").into(),
        }
    }
}

/// `lang` formats the Stichtag labels, as the chart's SVG does.
#[server(endpoint = "ampel-diagramme")]
pub async fn load_ampel_charts(lang: Lang) -> Result<AmpelCharts, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::charts::ampel(&db, lang, None).await
}

/// One service's monthly usage rate (percent, `None` for months without figures).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageSeries {
    /// 1-based; the chart labels the line with it, the table repeats it.
    pub number: usize,
    pub name: String,
    pub ozg_id: String,
    pub rates: Vec<Option<f64>>,
    /// Applications over the ranking period: online and all.
    pub online: i64,
    pub total: i64,
}

impl UsageSeries {
    pub fn period_rate(&self) -> Option<f64> {
        (self.total > 0).then(|| self.online as f64 * 100.0 / self.total as f64)
    }
}

/// The usage-rate chart: overall (weighted by volume) per month, and the best and the worst
/// services of the last twelve months, against the target rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UsageData {
    /// `YYYY-MM`, oldest first.
    pub months: Vec<String>,
    pub overall: Vec<Option<f64>>,
    pub services: Vec<UsageSeries>,
    pub target: f64,
}

/// The target line of the usage chart: "mostly above 60 %" (Siegburg) is the benchmark.
pub const USAGE_TARGET: f64 = 60.0;

impl UsageData {
    pub fn summary(&self, lang: Lang) -> String {
        let latest = self.months.iter().zip(&self.overall).rev().find_map(|(m, r)| r.map(|r| (m, r)));
        let Some((month, rate)) = latest else {
            return lang.t("Noch keine Nutzungszahlen.", "No usage figures yet.").into();
        };
        let pct = |v: f64| crate::domain::fmt_decimal(v, 1, lang);
        let above = rate >= self.target;
        lang.pick(
            format!(
                "Nutzungsquote insgesamt im Monat {month}: {} % ({} des Ziels von {} %); gezeigt sind außerdem die drei besten und die drei schwächsten Leistungen der letzten zwölf Monate.",
                pct(rate), if above { "oberhalb" } else { "unterhalb" }, pct(self.target)
            ),
            format!(
                "Overall usage rate in {month}: {} % ({} the target of {} %); also shown are the three best and the three weakest services of the last twelve months.",
                pct(rate), if above { "above" } else { "below" }, pct(self.target)
            ),
        )
    }
}

#[server(endpoint = "nutzung")]
pub async fn load_usage() -> Result<UsageData, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::charts::usage(&db).await
}

/// Services per Reifegrad for one category (a Stichtag, or a Themenfeld).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub label: String,
    /// One count per level of [`Coverage::levels`].
    pub counts: Vec<i64>,
}

/// OZG coverage: services per Reifegrad at each closed Stichtag and now, per Themenfeld now,
/// and the share at the online Reifegrad against its programme target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// (level, label) of the city's Reifegrad scale.
    pub levels: Vec<(i64, String)>,
    pub over_time: Vec<CoverageRow>,
    pub by_themenfeld: Vec<CoverageRow>,
    /// Target share in percent and its deadline, if the programme has such a target.
    pub target: Option<(f64, NaiveDate)>,
}

impl Coverage {
    /// Share of services at Reifegrad ≥ 3, in percent.
    pub fn online_share(&self, row: &CoverageRow) -> Option<f64> {
        let total: i64 = row.counts.iter().sum();
        let online: i64 = self
            .levels
            .iter()
            .zip(&row.counts)
            .filter(|((level, _), _)| *level >= crate::domain::ONLINE_REIFEGRAD)
            .map(|(_, n)| n)
            .sum();
        (total > 0).then(|| online as f64 * 100.0 / total as f64)
    }

    pub fn summary(&self, lang: Lang) -> String {
        let pct = |v: f64| crate::domain::fmt_decimal(v, 1, lang);
        let (Some(first), Some(last)) = (self.over_time.first(), self.over_time.last()) else {
            return lang.t("Noch keine OZG-Leistungen erfasst.", "No OZG services yet.").into();
        };
        let (a, b) = (self.online_share(first).unwrap_or(0.0), self.online_share(last).unwrap_or(0.0));
        let target = match self.target {
            Some((value, deadline)) => lang.pick(
                format!(" Ziel: {} % bis {}.", pct(value), fmt_date(deadline, lang)),
                format!(" Target: {} % by {}.", pct(value), fmt_date(deadline, lang)),
            ),
            None => String::new(),
        };
        lang.pick(
            format!(
                "Anteil der Leistungen ab Reifegrad 3: {} % am {}, {} % am {}.{target}",
                pct(a),
                first.label,
                pct(b),
                last.label
            ),
            format!(
                "Share of services at maturity ≥ 3: {} % on {}, {} % on {}.{target}",
                pct(a),
                first.label,
                pct(b),
                last.label
            ),
        )
    }
}

#[server(endpoint = "abdeckung")]
pub async fn load_coverage(lang: Lang) -> Result<Coverage, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::charts::coverage(&db, lang, crate::server::web::today()).await
}

/// Completed projects and reached milestones at one closed Stichtag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BurnPoint {
    pub date: NaiveDate,
    pub projects_done: i64,
    pub projects_total: i64,
    pub milestones_done: i64,
    pub milestones_total: i64,
}

/// The burn-up: shares of completed projects and reached milestones over the closed
/// Stichtage, against the programme's target date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BurnUp {
    pub points: Vec<BurnPoint>,
    /// The deadline of the "projects completed" target, else the programme's end (2030).
    pub deadline: NaiveDate,
}

fn share(done: i64, total: i64) -> f64 {
    if total > 0 { done as f64 * 100.0 / total as f64 } else { 0.0 }
}

impl BurnUp {
    pub fn projects(&self) -> Vec<crate::domain::forecast::Observation> {
        self.points
            .iter()
            .map(|p| crate::domain::forecast::Observation {
                date: p.date,
                value: share(p.projects_done, p.projects_total),
            })
            .collect()
    }
    pub fn milestones(&self) -> Vec<crate::domain::forecast::Observation> {
        self.points
            .iter()
            .map(|p| crate::domain::forecast::Observation {
                date: p.date,
                value: share(p.milestones_done, p.milestones_total),
            })
            .collect()
    }
    /// When all projects are completed at the current pace, with its range.
    pub fn forecast(&self) -> crate::domain::forecast::Forecast {
        crate::domain::forecast::forecast(&self.projects(), 100.0)
    }
    pub fn summary(&self, lang: Lang) -> String {
        let Some(last) = self.points.last() else {
            return lang.t("Noch kein Stichtag geschlossen.", "No reporting date closed yet.").into();
        };
        let pct = |v: f64| crate::domain::fmt_decimal(v, 1, lang);
        let head = lang.pick(
            format!(
                "Zum {}: {} % der Projekte abgeschlossen, {} % der Meilensteine erreicht.",
                fmt_date(last.date, lang),
                pct(share(last.projects_done, last.projects_total)),
                pct(share(last.milestones_done, last.milestones_total))
            ),
            format!(
                "At {}: {} % of projects completed, {} % of milestones reached.",
                fmt_date(last.date, lang),
                pct(share(last.projects_done, last.projects_total)),
                pct(share(last.milestones_done, last.milestones_total))
            ),
        );
        format!("{head} {}", crate::domain::forecast::explain(&self.forecast(), self.deadline, lang))
    }
}

#[server(endpoint = "burn-up")]
pub async fn load_burn_up() -> Result<BurnUp, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::charts::burn_up(&db).await
}

/// Schedule adherence at one Stichtag: of the milestones whose baseline date had passed, how
/// many were reached by it (within the tolerance).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdherenceCell {
    pub on_time: i64,
    pub due: i64,
}

impl AdherenceCell {
    pub fn share(&self) -> Option<f64> {
        (self.due > 0).then(|| self.on_time as f64 * 100.0 / self.due as f64)
    }
}

/// Termintreue per department and closed Stichtag, and for the whole portfolio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Adherence {
    pub stichtage: Vec<NaiveDate>,
    /// (department code, one cell per Stichtag)
    pub departments: Vec<(String, Vec<AdherenceCell>)>,
    pub overall: Vec<AdherenceCell>,
    pub tolerance_days: i64,
}

impl Adherence {
    pub fn summary(&self, lang: Lang) -> String {
        let pct = |v: f64| crate::domain::fmt_decimal(v, 1, lang);
        match (self.stichtage.last(), self.overall.last().and_then(AdherenceCell::share)) {
            (Some(date), Some(share)) => lang.pick(
                format!(
                    "Termintreue zum {}: {} % der fälligen Meilensteine wurden bis zum Basistermin erreicht (Toleranz {} Tage).",
                    fmt_date(*date, lang), pct(share), self.tolerance_days
                ),
                format!(
                    "Schedule adherence at {}: {} % of the milestones due were reached by their baseline (tolerance {} days).",
                    fmt_date(*date, lang), pct(share), self.tolerance_days
                ),
            ),
            _ => lang.t("Noch kein Stichtag geschlossen.", "No reporting date closed yet.").into(),
        }
    }
}

#[server(endpoint = "termintreue")]
pub async fn load_adherence() -> Result<Adherence, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::charts::adherence(&db).await
}

/// An open key milestone the portfolio MTA can show; `slip` in days past its baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct KeyMilestone {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub baseline_date: NaiveDate,
    pub forecast_date: NaiveDate,
    pub slip: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioMta {
    pub choices: Vec<KeyMilestone>,
    pub chosen: Vec<i64>,
    pub mta: MtaData,
}

/// The MTA of chosen key milestones across the portfolio (`ids` empty: the most slipped).
#[server(endpoint = "mta-portfolio")]
pub async fn load_portfolio_mta(ids: Vec<i64>) -> Result<PortfolioMta, AppError> {
    let db = crate::server::web::db()?;
    let choices = crate::server::db::charts::key_milestones(&db).await?;
    let mta = crate::server::db::charts::mta_portfolio(&db, &ids).await?;
    let chosen = if ids.is_empty() {
        choices.iter().take(crate::server::db::charts::PORTFOLIO_MTA_LINES).map(|m| m.id).collect()
    } else {
        ids
    };
    Ok(PortfolioMta { choices, chosen, mta })
}
