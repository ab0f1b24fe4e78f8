//! SQL of the programme targets: the targets themselves and each metric's history, one
//! aggregate per closed Stichtag (from its frozen state) plus today's value.

use chrono::{NaiveDate, Utc};

use super::{Begin, Db, folded, on_db};
use crate::api::targets::TargetView;
use crate::domain::forecast::Observation;
use crate::domain::{ErrorCode, FieldError, TargetInput, TargetMetric, parse_date, parse_number};
use crate::error::AppError;

const TARGETS: &str =
    "SELECT id, name, metric, metric_param, target_value, deadline FROM programme_targets ORDER BY deadline, name";
const TARGET: &str =
    "SELECT id, name, metric, metric_param, target_value, deadline FROM programme_targets WHERE id = $1";

type TargetRow = (i64, String, String, Option<i64>, f64, NaiveDate);

/// (history at each closed Stichtag, value now); `$1` is the metric's parameter where it has one.
fn metric_sql(metric: TargetMetric) -> (&'static str, &'static str) {
    match metric {
        TargetMetric::ReifegradShare => (
            "SELECT s.report_date,
                    (SELECT CAST(sum(CASE WHEN ss.reifegrad >= $1 THEN 1 ELSE 0 END) AS DOUBLE PRECISION) * 100.0
                            / NULLIF(CAST(count(*) AS DOUBLE PRECISION), 0)
                       FROM stichtag_services ss WHERE ss.stichtag_id = s.id)
               FROM stichtage s WHERE s.state = 'geschlossen' ORDER BY s.report_date",
            "SELECT CAST(sum(CASE WHEN reifegrad >= $1 THEN 1 ELSE 0 END) AS DOUBLE PRECISION) * 100.0
                    / NULLIF(CAST(count(*) AS DOUBLE PRECISION), 0)
               FROM ozg_services",
        ),
        TargetMetric::ProjectsCompleted => (
            "SELECT s.report_date,
                    (SELECT CAST(count(*) AS DOUBLE PRECISION) FROM stichtag_projects sp
                      WHERE sp.stichtag_id = s.id AND sp.phase = 'abgeschlossen')
               FROM stichtage s WHERE s.state = 'geschlossen' AND $1 IS NULL ORDER BY s.report_date",
            "SELECT CAST(count(*) AS DOUBLE PRECISION) FROM projects WHERE phase = 'abgeschlossen' AND $1 IS NULL",
        ),
        // A department is on the eAkte once one of its eAkte projects is in operation or done.
        TargetMetric::EAkteDepartments => (
            "SELECT s.report_date,
                    (SELECT CAST(count(DISTINCT sp.department_id) AS DOUBLE PRECISION)
                       FROM stichtag_projects sp JOIN projects p ON p.id = sp.project_id
                      WHERE sp.stichtag_id = s.id AND p.category = 'eakte' AND sp.phase IN ('betrieb', 'abgeschlossen'))
               FROM stichtage s WHERE s.state = 'geschlossen' AND $1 IS NULL ORDER BY s.report_date",
            "SELECT CAST(count(DISTINCT department_id) AS DOUBLE PRECISION) FROM projects
              WHERE category = 'eakte' AND phase IN ('betrieb', 'abgeschlossen') AND $1 IS NULL",
        ),
        // Monthly figures, dated to the first of their month; weighted by volume.
        TargetMetric::UsageRate => (
            "SELECT month, CAST(sum(online_count) AS DOUBLE PRECISION) * 100.0
                           / NULLIF(CAST(sum(total_count) AS DOUBLE PRECISION), 0)
               FROM service_usage WHERE $1 IS NULL GROUP BY month ORDER BY month",
            "",
        ),
        TargetMetric::Custom => {
            ("SELECT as_of, value FROM programme_target_values WHERE target_id = $1 ORDER BY as_of", "")
        }
    }
}

async fn view(db: &Db, row: TargetRow, today: NaiveDate) -> Result<TargetView, AppError> {
    let (id, name, metric_code, metric_param, target_value, deadline) = row;
    let Some(metric) = TargetMetric::parse(&metric_code) else {
        tracing::error!(metric = %metric_code, "unknown target metric in the database");
        return Err(AppError::Internal);
    };
    let (history_sql, now_sql) = metric_sql(metric);
    let param = if metric == TargetMetric::Custom { Some(id) } else { metric_param };
    let mut history: Vec<Observation> = Vec::new();
    on_db!(db, pool => {
        if metric == TargetMetric::UsageRate {
            let rows: Vec<(String, Option<f64>)> = sqlx::query_as(history_sql).bind(param).fetch_all(pool).await?;
            for (month, value) in rows {
                // Months from the database, not typed: no plausibility range applies.
                let first_day = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok();
                if let (Some(date), Some(value)) = (first_day, value) {
                    history.push(Observation { date, value });
                }
            }
        } else {
            let rows: Vec<(NaiveDate, Option<f64>)> = sqlx::query_as(history_sql).bind(param).fetch_all(pool).await?;
            history.extend(rows.into_iter().filter_map(|(date, value)| Some(Observation { date, value: value? })));
        }
        if !now_sql.is_empty() {
            let now: Option<f64> = sqlx::query_scalar(now_sql).bind(param).fetch_one(pool).await?;
            if let Some(value) = now {
                history.retain(|o| o.date < today);
                history.push(Observation { date: today, value });
            }
        }
    });
    Ok(TargetView { id, name, metric, metric_param, target_value, deadline, history })
}

pub async fn all(db: &Db, today: NaiveDate) -> Result<Vec<TargetView>, AppError> {
    let rows: Vec<TargetRow> = on_db!(db, pool => sqlx::query_as(TARGETS).fetch_all(pool).await?);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(view(db, row, today).await?);
    }
    Ok(out)
}

pub async fn one(db: &Db, id: i64, today: NaiveDate) -> Result<TargetView, AppError> {
    let row: Option<TargetRow> = on_db!(db, pool => sqlx::query_as(TARGET).bind(id).fetch_optional(pool).await?);
    view(db, row.ok_or(AppError::NotFound)?, today).await
}

const TARGET_METRIC: &str = "SELECT metric FROM programme_targets WHERE id = $1";
const NAME_TAKEN: &str =
    concat!("SELECT count(*) FROM programme_targets WHERE ", folded!("name"), " = ", folded!("$1"), " AND id <> $2");
const INSERT: &str = "INSERT INTO programme_targets (name, metric, metric_param, target_value, deadline) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const UPDATE: &str = "UPDATE programme_targets SET name = $1, metric = $2, metric_param = $3, target_value = $4, deadline = $5 WHERE id = $6";

/// Creates (`id` = None) or changes a target; names are unique, whatever their case.
pub async fn save(db: &Db, id: Option<i64>, input: &TargetInput) -> Result<i64, AppError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        if let Some(id) = id {
            let exists: Option<String> = sqlx::query_scalar(TARGET_METRIC).bind(id).fetch_optional(&mut *tx).await?;
            if exists.is_none() {
                return Err(AppError::NotFound);
            }
        }
        let taken: i64 = sqlx::query_scalar(NAME_TAKEN).bind(&input.name).bind(id.unwrap_or(0)).fetch_one(&mut *tx).await?;
        if taken > 0 {
            return Err(AppError::Invalid(vec![FieldError::new("name", ErrorCode::NameTaken, &input.name)]));
        }
        let saved = match id {
            None => sqlx::query_scalar::<_, i64>(INSERT)
                .bind(&input.name)
                .bind(input.metric.code())
                .bind(input.metric_param)
                .bind(input.target_value)
                .bind(input.deadline)
                .fetch_one(&mut *tx)
                .await?,
            Some(id) => {
                let done = sqlx::query(UPDATE)
                    .bind(&input.name)
                    .bind(input.metric.code())
                    .bind(input.metric_param)
                    .bind(input.target_value)
                    .bind(input.deadline)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(AppError::NotFound);
                }
                id
            }
        };
        tx.commit().await?;
        Ok(saved)
    })
}

const RECORD_VALUE: &str = "
    INSERT INTO programme_target_values (target_id, as_of, value, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (target_id, as_of) DO UPDATE SET value = excluded.value, recorded_by = excluded.recorded_by,
                                                 recorded_at = excluded.recorded_at";

/// Records the value of a custom figure on a date (one value per date; a second one replaces it).
pub async fn record_value(
    db: &Db,
    id: i64,
    as_of: &str,
    value: &str,
    today: NaiveDate,
    user: &str,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let date = parse_date(as_of).filter(|d| *d <= today);
    if date.is_none() {
        let code = if parse_date(as_of).is_some() { ErrorCode::ActualInFuture } else { ErrorCode::InvalidDate };
        errors.push(FieldError::new("as_of", code, as_of).with_detail(today.to_string()));
    }
    let number = parse_number(value).filter(|v| *v >= 0.0);
    if number.is_none() {
        errors.push(FieldError::new("value", ErrorCode::InvalidNumber, value).with_detail("≥ 0"));
    }
    let (Some(date), Some(number)) = (date, number) else { return Err(AppError::Invalid(errors)) };
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let metric: Option<String> = sqlx::query_scalar(TARGET_METRIC).bind(id).fetch_optional(&mut *tx).await?;
        match metric.as_deref() {
            None => return Err(AppError::NotFound),
            Some(code) if code != TargetMetric::Custom.code() => {
                return Err(AppError::Invalid(vec![FieldError::new("value", ErrorCode::NotCustom, value)]));
            }
            Some(_) => {}
        }
        sqlx::query(RECORD_VALUE).bind(id).bind(date).bind(number).bind(user).bind(Utc::now()).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    })
}
