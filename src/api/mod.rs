//! The client/server boundary: data shapes the pages receive and the `#[server]` functions
//! that produce or change them. Functions stay thin: parse → call `server::db` → map errors.
//! Endpoints are fixed (`/api/...`) so that curl, tests and plain HTML forms can rely on them.

pub mod charts;
pub mod form;
pub mod imports;
pub mod leadership;
pub mod overview;
pub mod people;
pub mod portfolio;
pub mod projects;
pub mod quality;
pub mod reporting;
pub mod services;
pub mod targets;

/// The page number from `?seite=` on the paged lists (portfolio, services, import history):
/// 1 for anything missing or malformed.
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|v| v.trim().parse().ok()).filter(|p: &i64| (1..=100_000).contains(p)).unwrap_or(1)
}

/// A choice in a select list: id and display text.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // rows read straight from SQL on the server
pub struct Choice {
    pub id: i64,
    pub label: String,
}
