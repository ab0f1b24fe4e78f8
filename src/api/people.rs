//! Departments (Fachbereiche) and the functions that own projects (Lotsen, sponsors), each
//! with the person currently holding it, if any.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::overview::DepartmentFigure;
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct FunctionRow {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub department_id: Option<i64>,
    pub department_code: Option<String>,
    pub person_name: Option<String>,
    pub person_email: Option<String>,
    pub person_phone: Option<String>,
    pub projects: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentDetail {
    pub department: DepartmentFigure,
    pub functions: Vec<FunctionRow>,
}

#[server(endpoint = "fachbereiche")]
pub async fn load_departments() -> Result<Vec<DepartmentFigure>, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::people::departments(&db).await
}

#[server(endpoint = "fachbereich")]
pub async fn load_department(id: i64) -> Result<DepartmentDetail, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::people::department(&db, id).await
}

#[server(endpoint = "personen")]
pub async fn load_functions() -> Result<Vec<FunctionRow>, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::people::functions(&db, None).await
}
