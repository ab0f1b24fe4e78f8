//! Figures for the start page: the portfolio at a glance.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct DepartmentFigure {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub projects: i64,
    pub gruen: i64,
    pub gelb: i64,
    pub rot: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct OverdueMilestone {
    pub project_id: i64,
    pub project_key: String,
    pub project_title: String,
    pub title: String,
    pub forecast_date: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub today: NaiveDate,
    pub projects_total: i64,
    /// Active projects (not completed, not stopped) per Ampel code.
    pub active_gruen: i64,
    pub active_gelb: i64,
    pub active_rot: i64,
    pub completed: i64,
    pub milestones_total: i64,
    pub milestones_reached: i64,
    pub milestones_overdue: i64,
    pub overdue: Vec<OverdueMilestone>,
    pub departments: Vec<DepartmentFigure>,
    pub services_total: i64,
    pub services_online: i64,
    pub open_stichtag: Option<NaiveDate>,
}

#[server(endpoint = "uebersicht")]
pub async fn load_overview() -> Result<Overview, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::portfolio::overview(&db, crate::server::web::today()).await
}
