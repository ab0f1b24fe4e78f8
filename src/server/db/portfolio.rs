//! Portfolio-wide reads: the filtered project list and the start page's figures. Every figure
//! is an SQL aggregate; no query loads all rows to count them in Rust.

use chrono::NaiveDate;

use super::{Db, folded, like_pattern, on_db, page_of, sort_key};
use crate::api::Choice;
use crate::api::overview::{OverdueMilestone, Overview};
use crate::api::portfolio::{FilterChoices, PAGE_SIZE, PortfolioFilter, PortfolioPage, ProjectRow, SortKey};
use crate::error::AppError;

/// Filters are optional: `($n IS NULL OR column = $n)` keeps one SQL text for all combinations.
pub(crate) const PORTFOLIO_WHERE: &str = concat!(
    "
    WHERE ($1 IS NULL OR p.department_id = $1)
      AND ($2 IS NULL OR p.lotse_id = $2)
      AND ($3 IS NULL OR p.handlungsfeld_id = $3)
      AND ($4 IS NULL OR p.ampel = $4)
      AND ($5 IS NULL OR p.phase = $5)
      AND ($6 IS NULL OR ",
    folded!("p.title"),
    " LIKE $6 ESCAPE '\\' OR lower(p.key) LIKE $6 ESCAPE '\\' OR ",
    folded!("p.description"),
    " LIKE $6 ESCAPE '\\')"
);

const PORTFOLIO_SELECT: &str = "
    SELECT p.id, p.key, p.title, p.department_id, d.code AS department_code, f.title AS lotse_title,
           p.ampel, p.phase, p.percent_done, p.planned_end,
           (SELECT min(m.forecast_date) FROM milestones m
             WHERE m.project_id = p.id AND m.actual_date IS NULL) AS next_milestone
      FROM projects p
      JOIN departments d ON d.id = p.department_id
      LEFT JOIN functions f ON f.id = p.lotse_id";

const PORTFOLIO_COUNT: &str = "SELECT count(*) FROM projects p";

/// Sort expressions come from this whitelist only, never from the URL.
fn order_by(sort: SortKey, descending: bool) -> String {
    let column = match sort {
        SortKey::Key => "p.key",
        SortKey::Title => sort_key!("p.title"),
        SortKey::Department => "d.code",
        SortKey::Ampel => "CASE p.ampel WHEN 'rot' THEN 0 WHEN 'gelb' THEN 1 ELSE 2 END",
        SortKey::Phase => {
            "CASE p.phase WHEN 'idee' THEN 0 WHEN 'planung' THEN 1 WHEN 'umsetzung' THEN 2 \
             WHEN 'einfuehrung' THEN 3 WHEN 'betrieb' THEN 4 WHEN 'abgeschlossen' THEN 5 ELSE 6 END"
        }
        SortKey::Percent => "p.percent_done",
        SortKey::PlannedEnd => "p.planned_end",
    };
    let dir = if descending { "DESC" } else { "ASC" };
    // The key breaks ties so that pages never overlap or skip rows.
    format!(" ORDER BY {column} {dir}, p.key ASC LIMIT $7 OFFSET $8")
}

const DEPARTMENT_CHOICES: &str = "SELECT id, code || ' ' || name AS label FROM departments ORDER BY code";
const LOTSE_CHOICES: &str = "SELECT id, title AS label FROM functions WHERE kind = 'lotse' ORDER BY title";
const HANDLUNGSFELD_CHOICES: &str = "SELECT id, code || ' ' || title AS label FROM handlungsfelder ORDER BY code";

pub async fn choices(db: &Db) -> Result<FilterChoices, AppError> {
    on_db!(db, pool => {
        Ok(FilterChoices {
            departments: sqlx::query_as::<_, Choice>(DEPARTMENT_CHOICES).fetch_all(pool).await?,
            lotsen: sqlx::query_as::<_, Choice>(LOTSE_CHOICES).fetch_all(pool).await?,
            handlungsfelder: sqlx::query_as::<_, Choice>(HANDLUNGSFELD_CHOICES).fetch_all(pool).await?,
        })
    })
}

pub async fn page(db: &Db, filter: &PortfolioFilter) -> Result<PortfolioPage, AppError> {
    let text = (!filter.text.is_empty()).then(|| like_pattern(&filter.text));
    let ampel = filter.ampel.map(|a| a.code());
    let phase = filter.phase.map(|p| p.code());
    let list_sql = format!("{PORTFOLIO_SELECT} {PORTFOLIO_WHERE} {}", order_by(filter.sort, filter.descending));
    let count_sql = format!("{PORTFOLIO_COUNT} {PORTFOLIO_WHERE}");
    let (total, rows, page, pages) = on_db!(db, pool => {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(filter.department)
            .bind(filter.lotse)
            .bind(filter.handlungsfeld)
            .bind(ampel)
            .bind(phase)
            .bind(text.as_deref())
            .fetch_one(pool)
            .await?;
        let (page, pages) = page_of(total, PAGE_SIZE, filter.page);
        let rows = sqlx::query_as::<_, ProjectRow>(&list_sql)
            .bind(filter.department)
            .bind(filter.lotse)
            .bind(filter.handlungsfeld)
            .bind(ampel)
            .bind(phase)
            .bind(text.as_deref())
            .bind(PAGE_SIZE)
            .bind((page - 1) * PAGE_SIZE)
            .fetch_all(pool)
            .await?;
        (total, rows, page, pages)
    });
    Ok(PortfolioPage { rows, total, page, pages, choices: choices(db).await? })
}

const ACTIVE_BY_AMPEL: &str = "
    SELECT
      CAST(COALESCE(sum(CASE WHEN ampel = 'gruen' THEN 1 ELSE 0 END), 0) AS BIGINT),
      CAST(COALESCE(sum(CASE WHEN ampel = 'gelb' THEN 1 ELSE 0 END), 0) AS BIGINT),
      CAST(COALESCE(sum(CASE WHEN ampel = 'rot' THEN 1 ELSE 0 END), 0) AS BIGINT),
      count(*)
    FROM projects WHERE phase NOT IN ('abgeschlossen', 'gestoppt')";

const PROJECT_TOTALS: &str = "
    SELECT count(*), CAST(COALESCE(sum(CASE WHEN phase = 'abgeschlossen' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM projects";

/// Milestones of stopped projects are neither counted nor reported as overdue.
const MILESTONE_TOTALS: &str = "
    SELECT count(*),
           CAST(COALESCE(sum(CASE WHEN m.actual_date IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT),
           CAST(COALESCE(sum(CASE WHEN m.actual_date IS NULL AND m.forecast_date < $1 THEN 1 ELSE 0 END), 0) AS BIGINT)
      FROM milestones m JOIN projects p ON p.id = m.project_id
     WHERE p.phase <> 'gestoppt'";

const OVERDUE_LIST: &str = "
    SELECT p.id AS project_id, p.key AS project_key, p.title AS project_title, m.title, m.forecast_date
      FROM milestones m JOIN projects p ON p.id = m.project_id
     WHERE p.phase <> 'gestoppt' AND m.actual_date IS NULL AND m.forecast_date < $1
     ORDER BY m.forecast_date, p.key, m.position
     LIMIT 10";

const SERVICE_TOTALS: &str = "
    SELECT count(*), CAST(COALESCE(sum(CASE WHEN reifegrad >= 3 THEN 1 ELSE 0 END), 0) AS BIGINT) FROM ozg_services";

const OPEN_STICHTAG: &str = "SELECT report_date FROM stichtage WHERE state = 'offen' ORDER BY report_date DESC LIMIT 1";

pub async fn overview(db: &Db, today: NaiveDate) -> Result<Overview, AppError> {
    on_db!(db, pool => {
        let (gruen, gelb, rot, _active): (i64, i64, i64, i64) =
            sqlx::query_as(ACTIVE_BY_AMPEL).fetch_one(pool).await?;
        let (projects_total, completed): (i64, i64) = sqlx::query_as(PROJECT_TOTALS).fetch_one(pool).await?;
        let (milestones_total, milestones_reached, milestones_overdue): (i64, i64, i64) =
            sqlx::query_as(MILESTONE_TOTALS).bind(today).fetch_one(pool).await?;
        let overdue = sqlx::query_as::<_, OverdueMilestone>(OVERDUE_LIST).bind(today).fetch_all(pool).await?;
        let (services_total, services_online): (i64, i64) =
            sqlx::query_as(SERVICE_TOTALS).fetch_one(pool).await?;
        let open_stichtag: Option<NaiveDate> = sqlx::query_scalar(OPEN_STICHTAG).fetch_optional(pool).await?;
        Ok(Overview {
            today,
            projects_total,
            active_gruen: gruen,
            active_gelb: gelb,
            active_rot: rot,
            completed,
            milestones_total,
            milestones_reached,
            milestones_overdue,
            overdue,
            departments: super::people::departments(db).await?,
            services_total,
            services_online,
            open_stichtag,
        })
    })
}
