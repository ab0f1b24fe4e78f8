//! SQL of the data-quality worklist: one counting and one listing query per check, both
//! from the same condition so that the count and the list never disagree.

use chrono::NaiveDate;

use super::{Db, on_db};
use crate::api::quality::{Check, QualityCheck, QualityItem, WORKLIST_ITEMS, Worklist};
use crate::error::AppError;

const OPEN_STICHTAG: &str =
    "SELECT id, report_date FROM stichtage WHERE state = 'offen' ORDER BY report_date DESC LIMIT 1";

const RUNNING: &str = "p.phase NOT IN ('abgeschlossen', 'gestoppt')";

/// Each check as (SELECT list, FROM … WHERE …, ORDER BY); `$1` is the open Stichtag's id
/// (Sachstand) or today (overdue milestones); the other checks take no parameter.
fn parts(check: Check) -> (&'static str, String, &'static str) {
    match check {
        Check::OhneSachstand => (
            "p.id AS project_id, p.key, p.title, d.code AS detail, CAST(NULL AS DATE) AS date",
            format!(
                "FROM projects p JOIN departments d ON d.id = p.department_id
                 WHERE {RUNNING} AND NOT EXISTS (
                   SELECT 1 FROM status_reports r
                    WHERE r.project_id = p.id AND r.stichtag_id = $1 AND r.state IN ('eingereicht', 'freigegeben'))"
            ),
            "d.code, p.key",
        ),
        Check::MeilensteinUeberfaellig => (
            "p.id AS project_id, p.key, p.title, m.title AS detail, m.forecast_date AS date",
            "FROM milestones m JOIN projects p ON p.id = m.project_id
             WHERE p.phase <> 'gestoppt' AND m.actual_date IS NULL AND m.forecast_date < $1"
                .to_string(),
            "m.forecast_date, p.key",
        ),
        Check::PrognoseOhneGrund => (
            "p.id AS project_id, p.key, p.title, m.title AS detail, m.forecast_date AS date",
            format!(
                "FROM milestones m JOIN projects p ON p.id = m.project_id
                 WHERE {RUNNING} AND m.actual_date IS NULL AND m.forecast_date > m.baseline_date
                   AND NOT EXISTS (SELECT 1 FROM milestone_forecasts f
                                    WHERE f.milestone_id = m.id AND length(trim(f.reason)) > 0)"
            ),
            "p.key, m.position",
        ),
        Check::OhneLotse => (
            "p.id AS project_id, p.key, p.title, d.code AS detail, CAST(NULL AS DATE) AS date",
            format!(
                "FROM projects p JOIN departments d ON d.id = p.department_id WHERE {RUNNING} AND p.lotse_id IS NULL"
            ),
            "d.code, p.key",
        ),
        Check::OhneLeika => (
            "CAST(NULL AS BIGINT) AS project_id, s.ozg_id AS key, s.name AS title, t.name AS detail, CAST(NULL AS DATE) AS date",
            "FROM ozg_services s JOIN themenfelder t ON t.id = s.themenfeld_id WHERE s.leika_key IS NULL".to_string(),
            "s.ozg_id, s.name",
        ),
    }
}

pub async fn worklist(db: &Db, today: NaiveDate) -> Result<Worklist, AppError> {
    on_db!(db, pool => {
        let open: Option<(i64, NaiveDate)> = sqlx::query_as(OPEN_STICHTAG).fetch_optional(pool).await?;
        let mut checks = Vec::new();
        for check in Check::ALL {
            if check == Check::OhneSachstand && open.is_none() {
                continue;
            }
            let (select, from_where, order) = parts(check);
            let count_sql = format!("SELECT count(*) {from_where}");
            let list_sql = format!("SELECT {select} {from_where} ORDER BY {order} LIMIT {WORKLIST_ITEMS}");
            let (count, items): (i64, Vec<QualityItem>) = match check {
                Check::OhneSachstand => {
                    let id = open.map(|(id, _)| id);
                    (
                        sqlx::query_scalar(&count_sql).bind(id).fetch_one(pool).await?,
                        sqlx::query_as(&list_sql).bind(id).fetch_all(pool).await?,
                    )
                }
                Check::MeilensteinUeberfaellig => (
                    sqlx::query_scalar(&count_sql).bind(today).fetch_one(pool).await?,
                    sqlx::query_as(&list_sql).bind(today).fetch_all(pool).await?,
                ),
                _ => (
                    sqlx::query_scalar(&count_sql).fetch_one(pool).await?,
                    sqlx::query_as(&list_sql).fetch_all(pool).await?,
                ),
            };
            checks.push(QualityCheck { check, count, items });
        }
        Ok(Worklist { today, open_stichtag: open.map(|(_, date)| date), checks })
    })
}
