//! SQL of the spreadsheet export: the filtered portfolio (the same filter as `/projekte`) with
//! its milestones, and the city's services with their usage figures, in import-ready form.

use chrono::NaiveDate;

use super::portfolio::PORTFOLIO_WHERE;
use super::{Begin, Db, like_pattern, on_db, sort_key};
use crate::api::portfolio::PortfolioFilter;
use crate::error::AppError;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectExport {
    pub key: String,
    pub title: String,
    pub department: String,
    pub lotse: Option<String>,
    pub category: String,
    pub phase: String,
    pub start_date: NaiveDate,
    pub planned_end: NaiveDate,
    pub percent_done: i64,
    pub ampel: String,
    pub ampel_reason: String,
    pub budget_cents: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MilestoneExport {
    pub project_key: String,
    /// 0-based, as stored; the export writes it as the Meilenstein-Nr (`DIG-0042/3`).
    pub position: i64,
    pub title: String,
    pub is_key: bool,
    pub baseline_date: NaiveDate,
    pub forecast_date: NaiveDate,
    pub actual_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceExport {
    pub ozg_id: String,
    pub leika_key: Option<String>,
    pub name: String,
    pub themenfeld: String,
    pub reifegrad: i64,
    pub online_since: Option<NaiveDate>,
    pub epayment: bool,
    pub url: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UsageExport {
    pub leika_key: String,
    pub month: String,
    pub online_count: i64,
    pub total_count: i64,
}

#[derive(Debug, Default)]
pub struct PortfolioExport {
    pub projects: Vec<ProjectExport>,
    pub milestones: Vec<MilestoneExport>,
    pub services: Vec<ServiceExport>,
    pub usage: Vec<UsageExport>,
}

const PROJECTS: &str = "
    SELECT p.key, p.title, d.code AS department, f.title AS lotse, p.category, p.phase, p.start_date,
           p.planned_end, p.percent_done, p.ampel, p.ampel_reason, p.budget_cents
      FROM projects p
      JOIN departments d ON d.id = p.department_id
      LEFT JOIN functions f ON f.id = p.lotse_id";

const MILESTONES: &str = "
    SELECT p.key AS project_key, m.position, m.title, m.is_key, m.baseline_date, m.forecast_date, m.actual_date
      FROM milestones m JOIN projects p ON p.id = m.project_id";

const SERVICES: &str = "
    SELECT s.ozg_id, s.leika_key, s.name, t.name AS themenfeld, s.reifegrad, s.online_since, s.epayment, s.url
      FROM ozg_services s JOIN themenfelder t ON t.id = s.themenfeld_id";

const USAGE: &str = "
    SELECT s.leika_key, u.month, u.online_count, u.total_count
      FROM service_usage u JOIN ozg_services s ON s.id = u.service_id
     WHERE s.leika_key IS NOT NULL";

/// With a filter, only the services linked to the filtered projects; without, all of them.
fn service_scope(filtered: bool) -> String {
    if filtered {
        format!(
            "s.id IN (SELECT ps.service_id FROM project_services ps JOIN projects p ON p.id = ps.project_id {PORTFOLIO_WHERE})"
        )
    } else {
        "($1 IS NULL AND $2 IS NULL AND $3 IS NULL AND $4 IS NULL AND $5 IS NULL AND $6 IS NULL)".to_string()
    }
}

pub async fn portfolio(db: &Db, filter: &PortfolioFilter) -> Result<PortfolioExport, AppError> {
    let text = (!filter.text.is_empty()).then(|| like_pattern(&filter.text));
    let ampel = filter.ampel.map(|a| a.code());
    let phase = filter.phase.map(|p| p.code());
    let filtered = filter.department.is_some()
        || filter.lotse.is_some()
        || filter.handlungsfeld.is_some()
        || ampel.is_some()
        || phase.is_some()
        || text.is_some();
    let scope = service_scope(filtered);
    let projects_sql = format!("{PROJECTS} {PORTFOLIO_WHERE} ORDER BY p.key");
    let milestones_sql = format!("{MILESTONES} {PORTFOLIO_WHERE} ORDER BY p.key, m.position");
    let services_sql = format!("{SERVICES} WHERE {scope} ORDER BY s.ozg_id, s.name");
    let usage_sql = format!("{USAGE} AND {scope} ORDER BY s.leika_key, u.month");
    macro_rules! filtered_query {
        ($tx:expr, $sql:expr, $row:ty) => {
            sqlx::query_as::<_, $row>($sql)
                .bind(filter.department)
                .bind(filter.lotse)
                .bind(filter.handlungsfeld)
                .bind(ampel)
                .bind(phase)
                .bind(text.as_deref())
                .fetch_all(&mut *$tx)
                .await?
        };
    }
    // One snapshot for the four sheets: an import committed in between would otherwise give
    // milestones whose project row is missing or outdated.
    on_db!(db, pool => {
        let mut tx = pool.begin_snapshot().await?;
        let export = PortfolioExport {
            projects: filtered_query!(tx, &projects_sql, ProjectExport),
            milestones: filtered_query!(tx, &milestones_sql, MilestoneExport),
            services: filtered_query!(tx, &services_sql, ServiceExport),
            usage: filtered_query!(tx, &usage_sql, UsageExport),
        };
        tx.rollback().await?; // it only read
        Ok(export)
    })
}

/// What the templates offer in their drop-down lists.
#[derive(Debug, Default)]
pub struct ChoiceLists {
    pub departments: Vec<String>,
    pub lotsen: Vec<String>,
    pub themenfelder: Vec<String>,
}

pub async fn choice_lists(db: &Db) -> Result<ChoiceLists, AppError> {
    on_db!(db, pool => Ok(ChoiceLists {
        departments: sqlx::query_scalar("SELECT code FROM departments ORDER BY code").fetch_all(pool).await?,
        lotsen: sqlx::query_scalar("SELECT title FROM functions WHERE kind = 'lotse' ORDER BY title").fetch_all(pool).await?,
        themenfelder: sqlx::query_scalar(concat!("SELECT name FROM themenfelder ORDER BY ", sort_key!("name")))
            .fetch_all(pool)
            .await?,
    }))
}
