//! The Stichtag reporting cycle: Stichtage and their state, the Sachstand per project, the
//! "my projects needing a report" list of a Lotse, and the comparison of two Stichtage.
//! Reading goes through the server functions below; the forms post to plain routes
//! (`server::reporting`), since a Sachstand carries one field pair per open milestone.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Choice;
use crate::error::AppError;

/// A Stichtag with how far its reports have come. For a closed one, `due` counts the running
/// projects of its frozen state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct StichtagInfo {
    pub id: i64,
    pub report_date: NaiveDate,
    pub state: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub due: i64,
    pub draft: i64,
    pub submitted: i64,
    pub approved: i64,
    pub returned: i64,
}

impl StichtagInfo {
    pub fn is_open(&self) -> bool {
        self.state == crate::domain::StichtagState::Offen.code()
    }
    /// Running projects without a submitted or approved Sachstand.
    pub fn missing(&self) -> i64 {
        (self.due - self.submitted - self.approved).max(0)
    }

    /// How final a Statusbericht on this Stichtag is: provisional while open, else frozen.
    pub fn report_state(&self, lang: crate::domain::Lang) -> String {
        if self.is_open() {
            lang.t(
                "Vorläufig: Der Stichtag ist noch offen; der Bericht zeigt den aktuellen Stand.",
                "Provisional: the reporting date is still open; the report shows the current state.",
            )
            .to_string()
        } else {
            let closed = self.closed_at.map(|t| crate::domain::fmt_time(t, lang)).unwrap_or_default();
            lang.pick(
                format!("Freigegebener, eingefrorener Stand (geschlossen am {closed})."),
                format!("Approved, frozen state (closed on {closed})."),
            )
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StichtagList {
    pub stichtage: Vec<StichtagInfo>,
    pub today: NaiveDate,
}

/// One project's line in a Stichtag's overview and in a Lotse's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ReportLine {
    pub project_id: i64,
    pub key: String,
    pub title: String,
    pub department_code: String,
    pub lotse_title: Option<String>,
    /// `None`: no Sachstand started yet.
    pub state: Option<String>,
    /// The Ampel of the Sachstand, else the project's (at closing time, for a closed Stichtag).
    pub ampel: String,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl ReportLine {
    /// Still owed: nothing submitted or approved yet.
    pub fn is_missing(&self) -> bool {
        !matches!(self.state.as_deref(), Some("eingereicht" | "freigegeben"))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StichtagDetail {
    pub stichtag: StichtagInfo,
    pub lines: Vec<ReportLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ReportRow {
    pub id: i64,
    pub state: String,
    pub ampel: String,
    pub ampel_reason: String,
    pub percent_done: i64,
    pub summary: String,
    pub next_steps: String,
    pub decisions_needed: String,
    pub risks: String,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_comment: String,
}

/// An open milestone in the Sachstand form: its current forecast and, once the Lotse saved
/// one, the proposed forecast with its reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ReportMilestone {
    pub id: i64,
    pub title: String,
    pub is_key: bool,
    pub baseline_date: NaiveDate,
    pub forecast_date: NaiveDate,
    pub proposed_date: Option<NaiveDate>,
    pub proposed_reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ReportProject {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub department_code: String,
    pub lotse_title: Option<String>,
    pub start_date: NaiveDate,
    pub ampel: String,
    pub ampel_reason: String,
    pub percent_done: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SachstandDetail {
    pub stichtag: StichtagInfo,
    pub project: ReportProject,
    pub report: Option<ReportRow>,
    pub milestones: Vec<ReportMilestone>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyReports {
    pub lotsen: Vec<Choice>,
    pub lotse: Option<i64>,
    pub stichtag: Option<StichtagInfo>,
    pub lines: Vec<ReportLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct AmpelChange {
    pub project_id: i64,
    pub key: String,
    pub title: String,
    /// `None`: the project was not yet in the portfolio at the earlier Stichtag.
    pub before: Option<String>,
    pub after: String,
    pub reason: String,
}

/// A milestone that moved or was reached between two Stichtage; `days` is the shift of the
/// forecast (positive = later).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneMove {
    pub project_id: i64,
    pub key: String,
    pub title: String,
    pub is_key: bool,
    pub before: NaiveDate,
    pub after: NaiveDate,
    pub days: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ServiceChange {
    pub id: i64,
    pub ozg_id: String,
    pub name: String,
    pub before: i64,
    pub after: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub from: StichtagInfo,
    pub to: StichtagInfo,
    pub ampel_changes: Vec<AmpelChange>,
    pub slipped: Vec<MilestoneMove>,
    pub earlier: Vec<MilestoneMove>,
    pub reached: Vec<MilestoneMove>,
    pub newly_online: Vec<ServiceChange>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparePage {
    pub stichtage: Vec<StichtagInfo>,
    /// `None` until two Stichtage are chosen (or when fewer than two exist).
    pub comparison: Option<Comparison>,
}

#[server(endpoint = "stichtage")]
pub async fn load_stichtage() -> Result<StichtagList, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::reporting::list(&db, crate::server::web::today()).await
}

#[server(endpoint = "stichtag")]
pub async fn load_stichtag(id: i64) -> Result<StichtagDetail, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::reporting::detail(&db, id).await
}

#[server(endpoint = "sachstand")]
pub async fn load_sachstand(stichtag_id: i64, project_id: i64) -> Result<SachstandDetail, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::reporting::sachstand(&db, stichtag_id, project_id).await
}

#[server(endpoint = "meine-berichte")]
pub async fn load_my_reports(lotse: Option<i64>) -> Result<MyReports, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::reporting::my_reports(&db, lotse).await
}

/// Without both ids, the page offers the choice, preset to the latest two Stichtage.
#[server(endpoint = "vergleich")]
pub async fn load_comparison(from: Option<i64>, to: Option<i64>) -> Result<ComparePage, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::reporting::compare_page(&db, from, to).await
}
