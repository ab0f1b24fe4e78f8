//! Reads and writes of one project and its milestones. Writes use optimistic locking: the
//! form carries the version it was loaded with, and a stale save is refused as a conflict.

use chrono::{NaiveDate, Utc};

use super::{Begin, Db, conflict, on_db, sort_key};
use crate::api::projects::{DeletedMilestone, ForecastEntry, MilestoneRow, ProjectDetail, ProjectInfo, ServiceRef};
use crate::domain::{ErrorCode, FieldError, MilestoneChange, ProjectStatusChange};
use crate::error::AppError;

const PROJECT: &str = "
    SELECT p.id, p.key, p.title, p.description, p.benefit, p.department_id,
           d.code AS department_code, d.name AS department_name,
           p.lotse_id, l.title AS lotse_title, lp.name AS lotse_person, s.title AS sponsor_title,
           g.title AS goal_title, h.title AS handlungsfeld_title,
           p.category, p.phase, p.start_date, p.planned_end, p.percent_done, p.budget_cents,
           p.ampel, p.ampel_reason, p.version, p.updated_by
      FROM projects p
      JOIN departments d ON d.id = p.department_id
      LEFT JOIN functions l ON l.id = p.lotse_id
      LEFT JOIN people lp ON lp.id = l.person_id
      LEFT JOIN functions s ON s.id = p.sponsor_id
      LEFT JOIN handlungsfelder h ON h.id = p.handlungsfeld_id
      LEFT JOIN goals g ON g.id = h.goal_id
     WHERE p.id = $1";

const MILESTONES: &str = "
    SELECT id, position, title, is_key, baseline_date, forecast_date, actual_date, version
      FROM milestones WHERE project_id = $1 ORDER BY position";

const HISTORY: &str = "
    SELECT f.milestone_id, f.reported_on, f.forecast_date, f.reached, f.reason, f.recorded_by
      FROM milestone_forecasts f JOIN milestones m ON m.id = f.milestone_id
     WHERE m.project_id = $1
     ORDER BY f.milestone_id, f.reported_on, f.id";

const SERVICES: &str = concat!(
    "
    SELECT s.id, s.ozg_id, s.leika_key, s.name, s.reifegrad
      FROM project_services ps JOIN ozg_services s ON s.id = ps.service_id
     WHERE ps.project_id = $1 ORDER BY ",
    sort_key!("s.name")
);

/// The milestones of a project that belong to no closed Stichtag: no snapshot row, no forecast
/// and no approved Sachstand filed under one. Only these may be deleted; the others are part
/// of frozen reports. [`FROZEN_IN`] decides the same for one milestone (snapshot rows are only
/// written when a Stichtag closes).
const DELETABLE: &str = "
    SELECT m.id FROM milestones m
     WHERE m.project_id = $1
       AND NOT EXISTS (SELECT 1 FROM stichtag_milestones sm WHERE sm.milestone_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM milestone_forecasts f JOIN stichtage s ON s.id = f.stichtag_id
                        WHERE f.milestone_id = m.id AND s.state = 'geschlossen')
       AND NOT EXISTS (SELECT 1 FROM status_report_milestones rm
                         JOIN status_reports r ON r.id = rm.report_id JOIN stichtage s ON s.id = r.stichtag_id
                        WHERE rm.milestone_id = m.id AND s.state = 'geschlossen')
     ORDER BY m.position";

const DELETED: &str = "
    SELECT position, title, baseline_date, deleted_at, deleted_by
      FROM deleted_milestones WHERE project_id = $1 ORDER BY position";

pub async fn detail(db: &Db, id: i64, today: NaiveDate) -> Result<ProjectDetail, AppError> {
    on_db!(db, pool => {
        let project = sqlx::query_as::<_, ProjectInfo>(PROJECT)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?;
        let choices = super::portfolio::choices(db).await?;
        Ok(ProjectDetail {
            project,
            milestones: sqlx::query_as::<_, MilestoneRow>(MILESTONES).bind(id).fetch_all(pool).await?,
            deletable: sqlx::query_scalar(DELETABLE).bind(id).fetch_all(pool).await?,
            deleted: sqlx::query_as::<_, DeletedMilestone>(DELETED).bind(id).fetch_all(pool).await?,
            history: sqlx::query_as::<_, ForecastEntry>(HISTORY).bind(id).fetch_all(pool).await?,
            services: sqlx::query_as::<_, ServiceRef>(SERVICES).bind(id).fetch_all(pool).await?,
            departments: choices.departments,
            lotsen: choices.lotsen,
            today,
        })
    })
}

const DELETED_ONE: &str =
    "SELECT title, deleted_at FROM deleted_milestones WHERE milestone_id = $1 AND project_id = $2";

/// The error for a milestone that is not (or no longer) there: a form still open on one that
/// was deleted in the meantime learns when and what, rather than a bare "not found".
macro_rules! milestone_gone {
    ($tx:expr, $project_id:expr, $milestone_id:expr) => {{
        let deleted: Option<(String, chrono::DateTime<Utc>)> =
            sqlx::query_as(DELETED_ONE).bind($milestone_id).bind($project_id).fetch_optional(&mut *$tx).await?;
        match deleted {
            Some((title, at)) => AppError::Invalid(vec![
                FieldError::new("", ErrorCode::MilestoneDeleted, &title).with_detail(at.date_naive().to_string()),
            ]),
            None => AppError::NotFound,
        }
    }};
}

const DEPARTMENT_EXISTS: &str = "SELECT count(*) FROM departments WHERE id = $1";
const LOTSE_EXISTS: &str = "SELECT count(*) FROM functions WHERE id = $1 AND kind = 'lotse'";
const PROJECT_VERSION: &str = "SELECT version FROM projects WHERE id = $1";
const UPDATE_STATUS: &str = "
    UPDATE projects
       SET department_id = $1, lotse_id = $2, ampel = $3, ampel_reason = $4, percent_done = $5,
           version = version + 1, updated_at = $6, updated_by = $7
     WHERE id = $8 AND version = $9
    RETURNING version";

/// Applies a status change in one transaction: the referenced department and Lotse are checked
/// inside it, so a concurrent deletion cannot slip between check and write.
pub async fn save_status(
    db: &Db,
    project_id: i64,
    expected_version: i64,
    change: &ProjectStatusChange,
    user: &str,
) -> Result<i64, AppError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let current: Option<i64> = sqlx::query_scalar(PROJECT_VERSION).bind(project_id).fetch_optional(&mut *tx).await?;
        let Some(current) = current else { return Err(AppError::NotFound) };
        let mut errors = Vec::new();
        let departments: i64 = sqlx::query_scalar(DEPARTMENT_EXISTS).bind(change.department_id).fetch_one(&mut *tx).await?;
        if departments == 0 {
            errors.push(FieldError::new("department_id", ErrorCode::UnknownDepartment, &change.department_id.to_string()));
        }
        if let Some(lotse) = change.lotse_id {
            let lotsen: i64 = sqlx::query_scalar(LOTSE_EXISTS).bind(lotse).fetch_one(&mut *tx).await?;
            if lotsen == 0 {
                errors.push(FieldError::new("lotse_id", ErrorCode::UnknownLotse, &lotse.to_string()));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if current != expected_version {
            return Err(conflict());
        }
        let new_version: Option<i64> = sqlx::query_scalar(UPDATE_STATUS)
            .bind(change.department_id)
            .bind(change.lotse_id)
            .bind(change.ampel.code())
            .bind(&change.ampel_reason)
            .bind(i64::from(change.percent_done.value()))
            .bind(Utc::now())
            .bind(user)
            .bind(project_id)
            .bind(expected_version)
            .fetch_optional(&mut *tx)
            .await?;
        let new_version = new_version.ok_or_else(conflict)?;
        tx.commit().await?;
        Ok(new_version)
    })
}

const MILESTONE_FOR_UPDATE: &str = "
    SELECT m.version, m.forecast_date, m.actual_date, p.start_date
      FROM milestones m JOIN projects p ON p.id = m.project_id
     WHERE m.id = $1 AND m.project_id = $2";

const UPDATE_MILESTONE: &str = "
    UPDATE milestones SET forecast_date = $1, actual_date = $2, version = version + 1
     WHERE id = $3 AND version = $4
    RETURNING version";

/// The open Stichtag, if any, is the reporting date the new forecast belongs to.
const APPEND_FORECAST: &str = "
    INSERT INTO milestone_forecasts
        (milestone_id, stichtag_id, reported_on, forecast_date, reached, reason, recorded_at, recorded_by)
    VALUES ($1, (SELECT id FROM stichtage WHERE state = 'offen' ORDER BY report_date DESC LIMIT 1),
            $2, $3, $4, $5, $6, $7)";

/// Validates against the project start and `today`, refuses stale versions, updates the
/// milestone and appends to its forecast history, all in one transaction.
pub async fn save_milestone(
    db: &Db,
    project_id: i64,
    milestone_id: i64,
    expected_version: i64,
    (forecast, actual, reason): (&str, &str, &str),
    today: NaiveDate,
    user: &str,
) -> Result<i64, AppError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<(i64, NaiveDate, Option<NaiveDate>, NaiveDate)> = sqlx::query_as(MILESTONE_FOR_UPDATE)
            .bind(milestone_id)
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((current, old_forecast, old_actual, project_start)) = row else {
            return Err(milestone_gone!(tx, project_id, milestone_id));
        };
        let change = MilestoneChange::parse(forecast, actual, reason, project_start, today).map_err(AppError::Invalid)?;
        if current != expected_version {
            return Err(conflict());
        }
        let new_version: Option<i64> = sqlx::query_scalar(UPDATE_MILESTONE)
            .bind(change.forecast_date)
            .bind(change.actual_date)
            .bind(milestone_id)
            .bind(expected_version)
            .fetch_optional(&mut *tx)
            .await?;
        let new_version = new_version.ok_or_else(conflict)?;
        if change.forecast_date != old_forecast || change.actual_date != old_actual {
            // A reached milestone ends its MTA line on the diagonal: forecast = actual date.
            let point = change.actual_date.unwrap_or(change.forecast_date);
            sqlx::query(APPEND_FORECAST)
                .bind(milestone_id)
                .bind(today)
                .bind(point)
                .bind(change.actual_date.is_some())
                .bind(&change.reason)
                .bind(Utc::now())
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(new_version)
    })
}

const MILESTONE_FOR_DELETE: &str = "
    SELECT m.version, m.position, m.title, m.baseline_date
      FROM milestones m WHERE m.id = $1 AND m.project_id = $2";

/// The latest closed Stichtag whose reports show the milestone; NULL when none does, which is
/// what makes it deletable (the condition of [`DELETABLE`], here with the date for the message).
const FROZEN_IN: &str = "
    SELECT max(s.report_date) FROM stichtage s
     WHERE s.state = 'geschlossen'
       AND (EXISTS (SELECT 1 FROM stichtag_milestones sm WHERE sm.stichtag_id = s.id AND sm.milestone_id = $1)
            OR EXISTS (SELECT 1 FROM milestone_forecasts f WHERE f.stichtag_id = s.id AND f.milestone_id = $1)
            OR EXISTS (SELECT 1 FROM status_report_milestones rm JOIN status_reports r ON r.id = rm.report_id
                        WHERE r.stichtag_id = s.id AND rm.milestone_id = $1))";

const RECORD_DELETION: &str = "
    INSERT INTO deleted_milestones (milestone_id, project_id, position, title, baseline_date, deleted_at, deleted_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Its forecast history and proposals in open Sachstände go with it (ON DELETE CASCADE).
const DELETE_MILESTONE: &str = "DELETE FROM milestones WHERE id = $1 AND version = $2";

/// Deletes a milestone created by mistake, in one transaction: refused without confirmation,
/// for a milestone of a closed Stichtag (its reports show it) and for a stale version. The
/// deletion is recorded with the user, and the number stays taken (see the migration).
/// Returns the deleted milestone's title.
pub async fn delete_milestone(
    db: &Db,
    project_id: i64,
    milestone_id: i64,
    expected_version: i64,
    confirmed: bool,
    user: &str,
) -> Result<String, AppError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let row: Option<(i64, i64, String, NaiveDate)> = sqlx::query_as(MILESTONE_FOR_DELETE)
            .bind(milestone_id)
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((current, position, title, baseline)) = row else {
            return Err(milestone_gone!(tx, project_id, milestone_id));
        };
        let frozen_in: Option<NaiveDate> = sqlx::query_scalar(FROZEN_IN).bind(milestone_id).fetch_one(&mut *tx).await?;
        if let Some(closed) = frozen_in {
            let error = FieldError::new("milestone", ErrorCode::MilestoneFrozen, &title).with_detail(closed.to_string());
            return Err(AppError::Invalid(vec![error]));
        }
        if !confirmed {
            return Err(AppError::Invalid(vec![FieldError::new("confirm", ErrorCode::ConfirmationRequired, "")]));
        }
        if current != expected_version {
            return Err(conflict());
        }
        sqlx::query(RECORD_DELETION)
            .bind(milestone_id)
            .bind(project_id)
            .bind(position)
            .bind(&title)
            .bind(baseline)
            .bind(Utc::now())
            .bind(user)
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query(DELETE_MILESTONE).bind(milestone_id).bind(expected_version).execute(&mut *tx).await?;
        if deleted.rows_affected() != 1 {
            return Err(conflict());
        }
        tx.commit().await?;
        Ok(title)
    })
}
