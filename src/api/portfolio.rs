//! The portfolio list: filters that live in the URL, sorting, pagination.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Choice;
use crate::domain::{Ampel, Phase};
use crate::error::AppError;

pub const PAGE_SIZE: i64 = 25;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Key,
    Title,
    Department,
    Ampel,
    Phase,
    Percent,
    PlannedEnd,
}

impl SortKey {
    pub const ALL: &'static [SortKey] = &[
        SortKey::Key,
        SortKey::Title,
        SortKey::Department,
        SortKey::Ampel,
        SortKey::Phase,
        SortKey::Percent,
        SortKey::PlannedEnd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SortKey::Key => "key",
            SortKey::Title => "titel",
            SortKey::Department => "fb",
            SortKey::Ampel => "ampel",
            SortKey::Phase => "phase",
            SortKey::Percent => "fortschritt",
            SortKey::PlannedEnd => "ende",
        }
    }

    pub fn parse(code: &str) -> Option<SortKey> {
        SortKey::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// The portfolio filter as it appears in the URL (`/projekte?fb=3&ampel=rot&sort=ende`).
/// Unknown or malformed parameters are dropped, never an error: a bookmarked or hand-edited URL
/// always shows a page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PortfolioFilter {
    pub department: Option<i64>,
    pub lotse: Option<i64>,
    pub handlungsfeld: Option<i64>,
    pub ampel: Option<Ampel>,
    pub phase: Option<Phase>,
    pub text: String,
    pub sort: SortKey,
    pub descending: bool,
    pub page: i64,
}

impl PortfolioFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> PortfolioFilter {
        let id = |name: &str| get(name).and_then(|v| v.trim().parse::<i64>().ok()).filter(|v| *v > 0);
        PortfolioFilter {
            department: id("fb"),
            lotse: id("lotse"),
            handlungsfeld: id("hf"),
            ampel: get("ampel").and_then(|v| Ampel::parse(&v)),
            phase: get("phase").and_then(|v| Phase::parse(&v)),
            text: get("q").map(|q| q.trim().chars().take(200).collect()).unwrap_or_default(),
            sort: get("sort").and_then(|v| SortKey::parse(&v)).unwrap_or_default(),
            descending: get("dir").as_deref() == Some("ab"),
            page: super::page_number(get("seite").as_deref()),
        }
    }

    /// The query string for this filter, with overrides for sort and page links.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |k: &str, v: String| parts.push(format!("{k}={}", super::form::percent_encode(&v)));
        if let Some(v) = self.department {
            push("fb", v.to_string());
        }
        if let Some(v) = self.lotse {
            push("lotse", v.to_string());
        }
        if let Some(v) = self.handlungsfeld {
            push("hf", v.to_string());
        }
        if let Some(v) = self.ampel {
            push("ampel", v.code().into());
        }
        if let Some(v) = self.phase {
            push("phase", v.code().into());
        }
        if !self.text.is_empty() {
            push("q", self.text.clone());
        }
        if self.sort != SortKey::Key {
            push("sort", self.sort.code().into());
        }
        if self.descending {
            push("dir", "ab".into());
        }
        if self.page > 1 {
            push("seite", self.page.to_string());
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }

    pub fn with_sort(&self, sort: SortKey) -> PortfolioFilter {
        let descending = self.sort == sort && !self.descending;
        PortfolioFilter { sort, descending, page: 1, ..self.clone() }
    }

    pub fn with_page(&self, page: i64) -> PortfolioFilter {
        PortfolioFilter { page, ..self.clone() }
    }

    pub fn is_filtered(&self) -> bool {
        self.department.is_some()
            || self.lotse.is_some()
            || self.handlungsfeld.is_some()
            || self.ampel.is_some()
            || self.phase.is_some()
            || !self.text.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ProjectRow {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub department_id: i64,
    pub department_code: String,
    pub lotse_title: Option<String>,
    pub ampel: String,
    pub phase: String,
    pub percent_done: i64,
    pub planned_end: NaiveDate,
    pub next_milestone: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterChoices {
    pub departments: Vec<Choice>,
    pub lotsen: Vec<Choice>,
    pub handlungsfelder: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PortfolioPage {
    pub rows: Vec<ProjectRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub choices: FilterChoices,
}

#[server(endpoint = "portfolio")]
pub async fn load_portfolio(filter: PortfolioFilter) -> Result<PortfolioPage, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::portfolio::page(&db, &filter).await
}
