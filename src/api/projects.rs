//! One project: its profile (Projektsteckbrief) with milestones and linked services, the
//! two changes a Lotse makes most: status (Ampel, reason, percent done, department, Lotse)
//! and a milestone's forecast and actual date, and deleting a milestone created by mistake.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Choice;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ProjectInfo {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub description: String,
    pub benefit: String,
    pub department_id: i64,
    pub department_code: String,
    pub department_name: String,
    pub lotse_id: Option<i64>,
    pub lotse_title: Option<String>,
    pub lotse_person: Option<String>,
    pub sponsor_title: Option<String>,
    pub goal_title: Option<String>,
    pub handlungsfeld_title: Option<String>,
    pub category: String,
    pub phase: String,
    pub start_date: NaiveDate,
    pub planned_end: NaiveDate,
    pub percent_done: i64,
    pub budget_cents: Option<i64>,
    pub ampel: String,
    pub ampel_reason: String,
    pub version: i64,
    pub updated_by: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct MilestoneRow {
    pub id: i64,
    pub position: i64,
    pub title: String,
    pub is_key: bool,
    pub baseline_date: NaiveDate,
    pub forecast_date: NaiveDate,
    pub actual_date: Option<NaiveDate>,
    pub version: i64,
}

impl MilestoneRow {
    /// Days between the baseline and the actual date, or the forecast while open; positive
    /// means late.
    pub fn deviation_days(&self) -> i64 {
        (self.actual_date.unwrap_or(self.forecast_date) - self.baseline_date).num_days()
    }

    /// "erreicht", "überfällig" (forecast in the past, not reached) or "offen".
    pub fn state_label(&self, today: NaiveDate, lang: crate::domain::Lang) -> &'static str {
        if self.actual_date.is_some() {
            lang.t("erreicht", "reached")
        } else if self.forecast_date < today {
            lang.t("überfällig", "overdue")
        } else {
            lang.t("offen", "open")
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ForecastEntry {
    pub milestone_id: i64,
    pub reported_on: NaiveDate,
    pub forecast_date: NaiveDate,
    pub reached: bool,
    pub reason: String,
    pub recorded_by: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ServiceRef {
    pub id: i64,
    pub ozg_id: String,
    pub leika_key: Option<String>,
    pub name: String,
    pub reifegrad: i64,
}

/// A milestone deleted because it was created by mistake; its number is never given again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct DeletedMilestone {
    pub position: i64,
    pub title: String,
    pub baseline_date: NaiveDate,
    pub deleted_at: chrono::DateTime<chrono::Utc>,
    pub deleted_by: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub project: ProjectInfo,
    pub milestones: Vec<MilestoneRow>,
    /// The ids of the milestones that may be deleted: those in no closed Stichtag.
    pub deletable: Vec<i64>,
    pub deleted: Vec<DeletedMilestone>,
    pub history: Vec<ForecastEntry>,
    pub services: Vec<ServiceRef>,
    pub departments: Vec<Choice>,
    pub lotsen: Vec<Choice>,
    pub today: NaiveDate,
}

#[server(endpoint = "projekt")]
pub async fn load_project(id: i64) -> Result<ProjectDetail, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::projects::detail(&db, id, crate::server::web::today()).await
}

/// Saves status and assignment; all fields arrive as text so that every mistake becomes a
/// field error rather than a decoding failure. Returns the new version.
#[server(endpoint = "projekt/status")]
pub async fn save_project_status(
    project_id: i64,
    version: String,
    department_id: String,
    lotse_id: String,
    ampel: String,
    ampel_reason: String,
    percent_done: String,
) -> Result<i64, AppError> {
    use crate::domain::ProjectStatusChange;
    use crate::server::web;

    let values = vec![
        ("department_id".to_string(), department_id.clone()),
        ("lotse_id".to_string(), lotse_id.clone()),
        ("ampel".to_string(), ampel.clone()),
        ("ampel_reason".to_string(), ampel_reason.clone()),
        ("percent_done".to_string(), percent_done.clone()),
    ];
    let result = async {
        let db = web::db()?;
        let expected_version = version.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        let change = ProjectStatusChange::parse(&department_id, &lotse_id, &ampel, &ampel_reason, &percent_done)
            .map_err(AppError::Invalid)?;
        crate::server::db::projects::save_status(&db, project_id, expected_version, &change, &web::current_user()).await
    }
    .await;
    web::answer_plain_form(&format!("/projekte/{project_id}"), "status", values, result)
}

/// Saves a milestone's forecast and actual date; a changed forecast is appended to the
/// forecast history at today's date (and the open Stichtag, if any). Returns the new version.
#[server(endpoint = "meilenstein/termine")]
pub async fn save_milestone(
    project_id: i64,
    milestone_id: i64,
    version: String,
    forecast_date: String,
    actual_date: String,
    reason: String,
) -> Result<i64, AppError> {
    use crate::server::web;

    let values = vec![
        ("forecast_date".to_string(), forecast_date.clone()),
        ("actual_date".to_string(), actual_date.clone()),
        ("reason".to_string(), reason.clone()),
    ];
    let result = async {
        let db = web::db()?;
        let expected_version = version.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        crate::server::db::projects::save_milestone(
            &db,
            project_id,
            milestone_id,
            expected_version,
            (&forecast_date, &actual_date, &reason),
            web::today(),
            &web::current_user(),
        )
        .await
    }
    .await;
    web::answer_plain_form(&format!("/projekte/{project_id}"), &format!("m-{milestone_id}"), values, result)
}

/// Deletes a milestone created by mistake, with its forecast history, and records who deleted
/// it. `milestone` is `ID:VERSION` from the form's list, so a milestone changed since the page
/// was loaded is not deleted unseen; `confirm` is the ticked box. Returns the deleted title.
#[server(endpoint = "meilenstein/loeschen")]
pub async fn delete_milestone(project_id: i64, milestone: String, confirm: Option<String>) -> Result<String, AppError> {
    use crate::server::web;

    let values = vec![("milestone".to_string(), milestone.clone())];
    let result = async {
        let db = web::db()?;
        let (id, version) = milestone
            .split_once(':')
            .and_then(|(id, version)| Some((id.trim().parse::<i64>().ok()?, version.trim().parse::<i64>().ok()?)))
            .ok_or(AppError::NotFound)?;
        let confirmed = confirm.is_some_and(|value| !value.trim().is_empty());
        crate::server::db::projects::delete_milestone(&db, project_id, id, version, confirmed, &web::current_user())
            .await
    }
    .await;
    web::answer_plain_form(&format!("/projekte/{project_id}"), "loeschen", values, result)
}
