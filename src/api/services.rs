//! The city's OZG services with maturity and latest usage figures.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::Choice;
use crate::error::AppError;

pub const SERVICE_PAGE_SIZE: i64 = 30;

/// Filter from the URL (`/leistungen?tf=3&rg=2&q=park`); malformed values are dropped.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceFilter {
    pub themenfeld: Option<i64>,
    pub reifegrad: Option<i64>,
    pub text: String,
    pub page: i64,
}

impl ServiceFilter {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> ServiceFilter {
        ServiceFilter {
            themenfeld: get("tf").and_then(|v| v.trim().parse().ok()).filter(|v: &i64| *v > 0),
            reifegrad: get("rg").and_then(|v| v.trim().parse().ok()).filter(|v: &i64| (0..=9).contains(v)),
            text: get("q").map(|q| q.trim().chars().take(200).collect()).unwrap_or_default(),
            page: super::page_number(get("seite").as_deref()),
        }
    }

    pub fn to_query(&self, page: i64) -> String {
        let mut parts = Vec::new();
        if let Some(v) = self.themenfeld {
            parts.push(format!("tf={v}"));
        }
        if let Some(v) = self.reifegrad {
            parts.push(format!("rg={v}"));
        }
        if !self.text.is_empty() {
            parts.push(format!("q={}", super::form::percent_encode(&self.text)));
        }
        if page > 1 {
            parts.push(format!("seite={page}"));
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct ServiceRow {
    pub id: i64,
    pub ozg_id: String,
    pub leika_key: Option<String>,
    pub name: String,
    pub themenfeld: String,
    pub lebenslage: Option<String>,
    pub reifegrad: i64,
    pub online_since: Option<NaiveDate>,
    pub epayment: bool,
    pub url: Option<String>,
    pub last_month: Option<String>,
    pub last_online: Option<i64>,
    pub last_total: Option<i64>,
    pub projects: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicePage {
    pub rows: Vec<ServiceRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub themenfelder: Vec<Choice>,
    /// The configured Reifegrad scale (id = level).
    pub levels: Vec<Choice>,
}

#[server(endpoint = "leistungen")]
pub async fn load_services(filter: ServiceFilter) -> Result<ServicePage, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::services::page(&db, &filter).await
}
