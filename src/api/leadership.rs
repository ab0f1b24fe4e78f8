//! The leadership start page (`/leitung`): read-only, from the latest closed Stichtag, whose
//! frozen state is the approved basis of leadership reporting (see `server::db::reporting`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::reporting::{AmpelChange, MilestoneMove, StichtagInfo};
use crate::error::AppError;

/// Running projects per Ampel at the latest closed Stichtag and the one before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmpelCount {
    pub ampel: String,
    pub before: Option<i64>,
    pub now: i64,
}

/// A project leadership should look at: red, or with a decision asked of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct Attention {
    pub project_id: i64,
    pub key: String,
    pub title: String,
    pub department_code: String,
    pub ampel: String,
    pub decisions_needed: String,
    pub risks: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadershipView {
    /// `None` until a first Stichtag is closed.
    pub latest: Option<StichtagInfo>,
    pub previous: Option<StichtagInfo>,
    pub ampel: Vec<AmpelCount>,
    pub changes: Vec<AmpelChange>,
    pub slipped_key: Vec<MilestoneMove>,
    pub attention: Vec<Attention>,
    /// Running projects per Ampel and department at `latest`.
    pub by_department: Vec<super::charts::AmpelRow>,
}

/// How many entries the page lists per section; the comparison page has them all.
pub const LEADERSHIP_ITEMS: usize = 10;

/// The Statusbericht of one Stichtag: the same parts as the leadership page, in full.
#[server(endpoint = "statusbericht")]
pub async fn load_status_report(stichtag_id: i64) -> Result<LeadershipView, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::reporting::status_report(&db, stichtag_id).await
}

#[server(endpoint = "leitung")]
pub async fn load_leadership() -> Result<LeadershipView, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::reporting::leadership(&db).await
}
