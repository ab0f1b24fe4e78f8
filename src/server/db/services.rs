//! Reads of the OZG service catalogue with maturity and each service's latest usage month.

use super::{Db, folded, like_pattern, on_db, page_of, sort_key};
use crate::api::Choice;
use crate::api::services::{SERVICE_PAGE_SIZE, ServiceFilter, ServicePage, ServiceRow};
use crate::error::AppError;

const SERVICE_WHERE: &str = concat!(
    "
    WHERE ($1 IS NULL OR s.themenfeld_id = $1)
      AND ($2 IS NULL OR s.reifegrad = $2)
      AND ($3 IS NULL OR ",
    folded!("s.name"),
    " LIKE $3 ESCAPE '\\' OR s.ozg_id LIKE $3 ESCAPE '\\' OR s.leika_key LIKE $3 ESCAPE '\\')"
);

const SERVICE_COUNT: &str = "SELECT count(*) FROM ozg_services s";

/// The latest month comes from the (service_id, month) primary key: one index probe per row.
const SERVICE_SELECT: &str = "
    SELECT s.id, s.ozg_id, s.leika_key, s.name, t.name AS themenfeld, l.name AS lebenslage,
           s.reifegrad, s.online_since, s.epayment, s.url,
           u.month AS last_month, u.online_count AS last_online, u.total_count AS last_total,
           (SELECT count(*) FROM project_services ps WHERE ps.service_id = s.id) AS projects
      FROM ozg_services s
      JOIN themenfelder t ON t.id = s.themenfeld_id
      LEFT JOIN lebenslagen l ON l.id = s.lebenslage_id
      LEFT JOIN service_usage u ON u.service_id = s.id
           AND u.month = (SELECT max(u2.month) FROM service_usage u2 WHERE u2.service_id = s.id)";

const SERVICE_ORDER: &str = concat!(" ORDER BY ", sort_key!("s.name"), ", s.id LIMIT $4 OFFSET $5");

const THEMENFELD_CHOICES: &str = concat!("SELECT id, name AS label FROM themenfelder ORDER BY ", sort_key!("name"));
const LEVEL_CHOICES: &str = "SELECT level AS id, label FROM maturity_levels ORDER BY level";

pub async fn page(db: &Db, filter: &ServiceFilter) -> Result<ServicePage, AppError> {
    let text = (!filter.text.is_empty()).then(|| like_pattern(&filter.text));
    let count_sql = format!("{SERVICE_COUNT} {SERVICE_WHERE}");
    let list_sql = format!("{SERVICE_SELECT} {SERVICE_WHERE} {SERVICE_ORDER}");
    on_db!(db, pool => {
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(filter.themenfeld)
            .bind(filter.reifegrad)
            .bind(text.as_deref())
            .fetch_one(pool)
            .await?;
        let (page, pages) = page_of(total, SERVICE_PAGE_SIZE, filter.page);
        let rows = sqlx::query_as::<_, ServiceRow>(&list_sql)
            .bind(filter.themenfeld)
            .bind(filter.reifegrad)
            .bind(text.as_deref())
            .bind(SERVICE_PAGE_SIZE)
            .bind((page - 1) * SERVICE_PAGE_SIZE)
            .fetch_all(pool)
            .await?;
        Ok(ServicePage {
            rows,
            total,
            page,
            pages,
            themenfelder: sqlx::query_as::<_, Choice>(THEMENFELD_CHOICES).fetch_all(pool).await?,
            levels: sqlx::query_as::<_, Choice>(LEVEL_CHOICES).fetch_all(pool).await?,
        })
    })
}
