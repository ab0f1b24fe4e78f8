//! SQL of the Stichtag reporting cycle: opening and closing (freezing) a Stichtag, the
//! Sachstand per project with its review, and the comparison of two Stichtage.
//!
//! Closing copies the programme's state into the `stichtag_*` tables; the database's triggers
//! (migration 0003) then refuse every change to them and to the Stichtag's reports. An open
//! Stichtag is compared by the same SELECTs the freeze uses, so "now" and "frozen" agree.

use chrono::{NaiveDate, Utc};

use super::{Begin, Db, on_db, sort_key};
use crate::api::reporting::{
    AmpelChange, ComparePage, Comparison, MilestoneMove, MyReports, ReportLine, ReportMilestone, ReportProject,
    ReportRow, SachstandDetail, ServiceChange, StichtagDetail, StichtagInfo, StichtagList,
};
use crate::domain::{
    ErrorCode, FieldError, ONLINE_REIFEGRAD, OpenMilestone, ReportState, Review, Sachstand, StichtagState, parse_date,
};
use crate::error::AppError;

/// Projects that owe a Sachstand: everything not finished or stopped.
const RUNNING: &str = "phase NOT IN ('abgeschlossen', 'gestoppt')";

fn info_select() -> String {
    let count = |state: &str, alias: &str| {
        format!("(SELECT count(*) FROM status_reports r WHERE r.stichtag_id = s.id AND r.state = '{state}') AS {alias}")
    };
    format!(
        "SELECT s.id, s.report_date, s.state, s.closed_at,
                CASE WHEN s.state = 'offen' THEN (SELECT count(*) FROM projects p WHERE p.{RUNNING})
                     ELSE (SELECT count(*) FROM stichtag_projects sp WHERE sp.stichtag_id = s.id AND sp.{RUNNING}) END AS due,
                {}, {}, {}, {}
           FROM stichtage s",
        count("entwurf", "draft"),
        count("eingereicht", "submitted"),
        count("freigegeben", "approved"),
        count("zurueckgegeben", "returned"),
    )
}

/// The state of the programme as a Stichtag would freeze it now: a project's values come from
/// its approved Sachstand for `{stichtag}`, else from its own record.
fn projects_now(stichtag: i64) -> String {
    format!(
        "SELECT p.id AS project_id, p.department_id, p.phase,
                coalesce(r.ampel, p.ampel) AS ampel, coalesce(r.ampel_reason, p.ampel_reason) AS ampel_reason,
                coalesce(r.percent_done, p.percent_done) AS percent_done, (r.id IS NOT NULL) AS reported
           FROM projects p
           LEFT JOIN status_reports r ON r.project_id = p.id AND r.stichtag_id = {stichtag} AND r.state = 'freigegeben'"
    )
}
const MILESTONES_NOW: &str = "
    SELECT m.id AS milestone_id, m.project_id, m.is_key, m.baseline_date, m.forecast_date, m.actual_date
      FROM milestones m";
const SERVICES_NOW: &str = "SELECT s.id AS service_id, s.reifegrad FROM ozg_services s";

/// The three row sources of one Stichtag: its frozen tables once closed, the live state while
/// open. Ids are integers from the database, so formatting them into SQL is safe.
struct Sources {
    projects: String,
    milestones: String,
    services: String,
}

fn sources(stichtag: &StichtagInfo) -> Sources {
    let id = stichtag.id;
    if stichtag.is_open() {
        Sources { projects: projects_now(id), milestones: MILESTONES_NOW.into(), services: SERVICES_NOW.into() }
    } else {
        Sources {
            projects: format!(
                "SELECT project_id, department_id, phase, ampel, ampel_reason, percent_done, reported
                   FROM stichtag_projects WHERE stichtag_id = {id}"
            ),
            milestones: format!(
                "SELECT milestone_id, project_id, is_key, baseline_date, forecast_date, actual_date
                   FROM stichtag_milestones WHERE stichtag_id = {id}"
            ),
            services: format!("SELECT service_id, reifegrad FROM stichtag_services WHERE stichtag_id = {id}"),
        }
    }
}

fn closed_error() -> AppError {
    AppError::Invalid(vec![FieldError::new("", ErrorCode::StichtagClosed, "")])
}

fn state_error(state: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new("", ErrorCode::ReportState, "").with_detail(state)])
}

/// All Stichtage, latest first.
async fn all(db: &Db) -> Result<Vec<StichtagInfo>, AppError> {
    let sql = format!("{} ORDER BY s.report_date DESC", info_select());
    Ok(on_db!(db, pool => sqlx::query_as::<_, StichtagInfo>(&sql).fetch_all(pool).await?))
}

pub async fn list(db: &Db, today: NaiveDate) -> Result<StichtagList, AppError> {
    Ok(StichtagList { stichtage: all(db).await?, today })
}

async fn info(db: &Db, id: i64) -> Result<StichtagInfo, AppError> {
    let sql = format!("{} WHERE s.id = $1", info_select());
    on_db!(db, pool => sqlx::query_as::<_, StichtagInfo>(&sql).bind(id).fetch_optional(pool).await?)
        .ok_or(AppError::NotFound)
}

/// The latest open Stichtag; the cycle keeps at most one open.
async fn open_one(db: &Db) -> Result<Option<StichtagInfo>, AppError> {
    let sql = format!("{} WHERE s.state = 'offen' ORDER BY s.report_date DESC LIMIT 1", info_select());
    Ok(on_db!(db, pool => sqlx::query_as::<_, StichtagInfo>(&sql).fetch_optional(pool).await?))
}

/// The report lines of a Stichtag, optionally of one Lotse's projects: for an open Stichtag
/// the running projects now, for a closed one those running when it was frozen.
fn lines_sql(stichtag: &StichtagInfo, lotse_filter: bool) -> String {
    let id = stichtag.id;
    let lotse = if lotse_filter { "AND p.lotse_id = $1" } else { "" };
    let (from, ampel, department) = if stichtag.is_open() {
        (format!("projects p WHERE p.{RUNNING}"), "coalesce(r.ampel, p.ampel)", "p.department_id")
    } else {
        (
            format!(
                "stichtag_projects sp JOIN projects p ON p.id = sp.project_id WHERE sp.stichtag_id = {id} AND sp.{RUNNING}"
            ),
            "sp.ampel",
            "sp.department_id",
        )
    };
    // The joins sit in front of WHERE: `from` ends with its own WHERE clause.
    let (table, filter) = from.split_once(" WHERE ").unwrap_or((&from, "1 = 1"));
    format!(
        "SELECT p.id AS project_id, p.key, p.title, d.code AS department_code, l.title AS lotse_title,
                r.state, {ampel} AS ampel, r.submitted_at
           FROM {table}
           JOIN departments d ON d.id = {department}
           LEFT JOIN functions l ON l.id = p.lotse_id
           LEFT JOIN status_reports r ON r.project_id = p.id AND r.stichtag_id = {id}
          WHERE {filter} {lotse}
          ORDER BY d.code, p.key"
    )
}

pub async fn detail(db: &Db, id: i64) -> Result<StichtagDetail, AppError> {
    let stichtag = info(db, id).await?;
    let sql = lines_sql(&stichtag, false);
    let lines = on_db!(db, pool => sqlx::query_as::<_, ReportLine>(&sql).fetch_all(pool).await?);
    Ok(StichtagDetail { stichtag, lines })
}

pub async fn my_reports(db: &Db, lotse: Option<i64>) -> Result<MyReports, AppError> {
    let lotsen = super::portfolio::choices(db).await?.lotsen;
    let lotse = lotse.filter(|id| lotsen.iter().any(|c| c.id == *id));
    let stichtag = open_one(db).await?;
    let lines = match (&stichtag, lotse) {
        (Some(s), Some(lotse)) => {
            let sql = lines_sql(s, true);
            on_db!(db, pool => sqlx::query_as::<_, ReportLine>(&sql).bind(lotse).fetch_all(pool).await?)
        }
        _ => Vec::new(),
    };
    Ok(MyReports { lotsen, lotse, stichtag, lines })
}

const REPORT_PROJECT: &str = "
    SELECT p.id, p.key, p.title, d.code AS department_code, l.title AS lotse_title, p.start_date,
           p.ampel, p.ampel_reason, p.percent_done
      FROM projects p JOIN departments d ON d.id = p.department_id LEFT JOIN functions l ON l.id = p.lotse_id
     WHERE p.id = $1";

const REPORT: &str = "
    SELECT id, state, ampel, ampel_reason, percent_done, summary, next_steps, decisions_needed, risks,
           submitted_by, submitted_at, reviewed_by, reviewed_at, review_comment
      FROM status_reports WHERE project_id = $1 AND stichtag_id = $2";

/// Open milestones, plus those the report gave a forecast for (so a frozen report still
/// shows what it said about a milestone reached later).
const REPORT_MILESTONES: &str = "
    SELECT m.id, m.title, m.is_key, m.baseline_date, m.forecast_date,
           rm.forecast_date AS proposed_date, rm.reason AS proposed_reason
      FROM milestones m
      LEFT JOIN status_reports r ON r.project_id = m.project_id AND r.stichtag_id = $2
      LEFT JOIN status_report_milestones rm ON rm.report_id = r.id AND rm.milestone_id = m.id
     WHERE m.project_id = $1 AND (m.actual_date IS NULL OR rm.milestone_id IS NOT NULL)
     ORDER BY m.position";

const FROZEN_MILESTONES: &str = "
    SELECT m.id, m.title, sm.is_key, sm.baseline_date, sm.forecast_date,
           rm.forecast_date AS proposed_date, rm.reason AS proposed_reason
      FROM stichtag_milestones sm
      JOIN milestones m ON m.id = sm.milestone_id
      LEFT JOIN status_reports r ON r.project_id = sm.project_id AND r.stichtag_id = sm.stichtag_id
      LEFT JOIN status_report_milestones rm ON rm.report_id = r.id AND rm.milestone_id = m.id
     WHERE sm.project_id = $1 AND sm.stichtag_id = $2 AND sm.actual_date IS NULL
     ORDER BY m.position";

pub async fn sachstand(db: &Db, stichtag_id: i64, project_id: i64) -> Result<SachstandDetail, AppError> {
    let stichtag = info(db, stichtag_id).await?;
    on_db!(db, pool => {
        let project = sqlx::query_as::<_, ReportProject>(REPORT_PROJECT)
            .bind(project_id)
            .fetch_optional(pool)
            .await?
            .ok_or(AppError::NotFound)?;
        let report = sqlx::query_as::<_, ReportRow>(REPORT).bind(project_id).bind(stichtag_id).fetch_optional(pool).await?;
        // A closed Stichtag shows its milestones as frozen, an open one as they are now.
        let milestone_sql = if stichtag.is_open() { REPORT_MILESTONES } else { FROZEN_MILESTONES };
        let milestones = sqlx::query_as::<_, ReportMilestone>(milestone_sql)
            .bind(project_id)
            .bind(stichtag_id)
            .fetch_all(pool)
            .await?;
        Ok(SachstandDetail { stichtag, project, report, milestones })
    })
}

const STICHTAG_STATE: &str = "SELECT state, report_date FROM stichtage WHERE id = $1";
const PROJECT_START: &str = "SELECT start_date FROM projects WHERE id = $1";
const REPORT_STATE: &str = "SELECT id, state FROM status_reports WHERE project_id = $1 AND stichtag_id = $2";
const OPEN_MILESTONES: &str =
    "SELECT id, forecast_date FROM milestones WHERE project_id = $1 AND actual_date IS NULL ORDER BY position";
const INSERT_REPORT: &str = "
    INSERT INTO status_reports (project_id, stichtag_id, state, ampel, ampel_reason, percent_done, summary,
                                next_steps, decisions_needed, risks, submitted_by, submitted_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    RETURNING id";
const UPDATE_REPORT: &str = "
    UPDATE status_reports
       SET state = $1, ampel = $2, ampel_reason = $3, percent_done = $4, summary = $5, next_steps = $6,
           decisions_needed = $7, risks = $8, submitted_by = $9, submitted_at = $10
     WHERE id = $11 AND state IN ('entwurf', 'zurueckgegeben')";
const CLEAR_PROPOSALS: &str = "DELETE FROM status_report_milestones WHERE report_id = $1";
const INSERT_PROPOSAL: &str =
    "INSERT INTO status_report_milestones (report_id, milestone_id, forecast_date, reason) VALUES ($1, $2, $3, $4)";

/// Saves a Lotse's Sachstand as draft or hands it in (`submit`). Only a draft or a returned
/// report may change, and only while its Stichtag is open; all in one transaction.
pub async fn save_sachstand(
    db: &Db,
    stichtag_id: i64,
    project_id: i64,
    field: impl Fn(&str) -> String,
    submit: bool,
    user: &str,
) -> Result<(), AppError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let stichtag: Option<(String, NaiveDate)> =
            sqlx::query_as(STICHTAG_STATE).bind(stichtag_id).fetch_optional(&mut *tx).await?;
        let Some((state, _)) = stichtag else { return Err(AppError::NotFound) };
        if state != StichtagState::Offen.code() {
            return Err(closed_error());
        }
        let start: Option<NaiveDate> = sqlx::query_scalar(PROJECT_START).bind(project_id).fetch_optional(&mut *tx).await?;
        let Some(start) = start else { return Err(AppError::NotFound) };
        let existing: Option<(i64, String)> =
            sqlx::query_as(REPORT_STATE).bind(project_id).bind(stichtag_id).fetch_optional(&mut *tx).await?;
        if let Some((_, state)) = &existing
            && !ReportState::parse(state).is_some_and(ReportState::lotse_may_edit)
        {
            return Err(state_error(state));
        }
        let open: Vec<(i64, NaiveDate)> = sqlx::query_as(OPEN_MILESTONES).bind(project_id).fetch_all(&mut *tx).await?;
        let open: Vec<OpenMilestone> = open.into_iter().map(|(id, forecast_date)| OpenMilestone { id, forecast_date }).collect();
        let report = Sachstand::parse(field, &open, start, submit).map_err(AppError::Invalid)?;
        // A returned report stays "returned" while the Lotse reworks it, so the staff unit
        // still sees it as pending; handing it in makes it "submitted" again.
        let new_state = match (&existing, submit) {
            (_, true) => ReportState::Eingereicht,
            (Some((_, state)), false) if state == ReportState::Zurueckgegeben.code() => ReportState::Zurueckgegeben,
            _ => ReportState::Entwurf,
        };
        let (submitted_by, submitted_at) = if submit { (Some(user), Some(Utc::now())) } else { (None, None) };
        let report_id = match existing {
            None => sqlx::query_scalar::<_, i64>(INSERT_REPORT)
                .bind(project_id)
                .bind(stichtag_id)
                .bind(new_state.code())
                .bind(report.ampel.code())
                .bind(&report.ampel_reason)
                .bind(i64::from(report.percent_done.value()))
                .bind(&report.summary)
                .bind(&report.next_steps)
                .bind(&report.decisions_needed)
                .bind(&report.risks)
                .bind(submitted_by)
                .bind(submitted_at)
                .fetch_one(&mut *tx)
                .await?,
            Some((id, _)) => {
                sqlx::query(UPDATE_REPORT)
                    .bind(new_state.code())
                    .bind(report.ampel.code())
                    .bind(&report.ampel_reason)
                    .bind(i64::from(report.percent_done.value()))
                    .bind(&report.summary)
                    .bind(&report.next_steps)
                    .bind(&report.decisions_needed)
                    .bind(&report.risks)
                    .bind(submitted_by)
                    .bind(submitted_at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
        };
        sqlx::query(CLEAR_PROPOSALS).bind(report_id).execute(&mut *tx).await?;
        for f in &report.forecasts {
            sqlx::query(INSERT_PROPOSAL)
                .bind(report_id)
                .bind(f.milestone_id)
                .bind(f.forecast_date)
                .bind(&f.reason)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    })
}

const REVIEW_REPORT: &str = "
    SELECT id, state, ampel, ampel_reason, percent_done, submitted_by
      FROM status_reports WHERE project_id = $1 AND stichtag_id = $2";
const SET_REVIEW: &str = "
    UPDATE status_reports SET state = $1, reviewed_by = $2, reviewed_at = $3, review_comment = $4
     WHERE id = $5 AND state = 'eingereicht'";
const APPLY_TO_PROJECT: &str = "
    UPDATE projects SET ampel = $1, ampel_reason = $2, percent_done = $3, version = version + 1,
                        updated_at = $4, updated_by = $5
     WHERE id = $6";
const PROPOSALS: &str = "
    SELECT rm.milestone_id, rm.forecast_date, rm.reason, m.forecast_date
      FROM status_report_milestones rm JOIN milestones m ON m.id = rm.milestone_id
     WHERE rm.report_id = $1 AND m.actual_date IS NULL";
const MOVE_MILESTONE: &str =
    "UPDATE milestones SET forecast_date = $1, version = version + 1 WHERE id = $2 AND forecast_date <> $1";
const RECORD_FORECAST: &str = "
    INSERT INTO milestone_forecasts
        (milestone_id, stichtag_id, reported_on, forecast_date, reached, reason, recorded_at, recorded_by)
    VALUES ($1, $2, $3, $4, FALSE, $5, $6, $7)";

/// The staff unit approves or returns a submitted Sachstand. Approval makes it the project's
/// current state (Ampel, reason, percent done) and records every proposed forecast in the
/// milestone's history at this Stichtag, changed or not: the MTA needs a point per Stichtag.
pub async fn review(db: &Db, stichtag_id: i64, project_id: i64, review: &Review, user: &str) -> Result<(), AppError> {
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let stichtag: Option<(String, NaiveDate)> =
            sqlx::query_as(STICHTAG_STATE).bind(stichtag_id).fetch_optional(&mut *tx).await?;
        let Some((state, report_date)) = stichtag else { return Err(AppError::NotFound) };
        if state != StichtagState::Offen.code() {
            return Err(closed_error());
        }
        let report: Option<(i64, String, String, String, i64, Option<String>)> =
            sqlx::query_as(REVIEW_REPORT).bind(project_id).bind(stichtag_id).fetch_optional(&mut *tx).await?;
        let Some((report_id, state, ampel, ampel_reason, percent_done, submitted_by)) = report else {
            return Err(state_error(""));
        };
        if state != ReportState::Eingereicht.code() {
            return Err(state_error(&state));
        }
        let now = Utc::now();
        let (new_state, comment) = match review {
            Review::Approve { comment } => (ReportState::Freigegeben, comment),
            Review::Return { comment } => (ReportState::Zurueckgegeben, comment),
        };
        sqlx::query(SET_REVIEW)
            .bind(new_state.code())
            .bind(user)
            .bind(now)
            .bind(comment)
            .bind(report_id)
            .execute(&mut *tx)
            .await?;
        if new_state == ReportState::Freigegeben {
            let reporter = submitted_by.unwrap_or_else(|| user.to_string());
            sqlx::query(APPLY_TO_PROJECT)
                .bind(&ampel)
                .bind(&ampel_reason)
                .bind(percent_done)
                .bind(now)
                .bind(&reporter)
                .bind(project_id)
                .execute(&mut *tx)
                .await?;
            let proposals: Vec<(i64, NaiveDate, String, NaiveDate)> =
                sqlx::query_as(PROPOSALS).bind(report_id).fetch_all(&mut *tx).await?;
            for (milestone_id, forecast, reason, _current) in proposals {
                sqlx::query(MOVE_MILESTONE).bind(forecast).bind(milestone_id).execute(&mut *tx).await?;
                sqlx::query(RECORD_FORECAST)
                    .bind(milestone_id)
                    .bind(stichtag_id)
                    .bind(report_date)
                    .bind(forecast)
                    .bind(&reason)
                    .bind(now)
                    .bind(&reporter)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    })
}

const OPEN_STICHTAG: &str = "SELECT report_date FROM stichtage WHERE state = 'offen' ORDER BY report_date DESC LIMIT 1";
const LATEST_STICHTAG: &str = "SELECT max(report_date) FROM stichtage";
const INSERT_STICHTAG: &str =
    "INSERT INTO stichtage (report_date, state, opened_at) VALUES ($1, 'offen', $2) RETURNING id";

/// Opens a new Stichtag. At most one is open at a time, and a new one lies after all others,
/// so reporting dates move forward like the MTA's x-axis.
pub async fn open(db: &Db, report_date: &str) -> Result<i64, AppError> {
    let date = match report_date.trim() {
        "" => return Err(AppError::Invalid(vec![FieldError::new("report_date", ErrorCode::Required, "")])),
        raw => parse_date(raw)
            .ok_or_else(|| AppError::Invalid(vec![FieldError::new("report_date", ErrorCode::InvalidDate, raw)]))?,
    };
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let open: Option<NaiveDate> = sqlx::query_scalar(OPEN_STICHTAG).fetch_optional(&mut *tx).await?;
        if let Some(open) = open {
            return Err(AppError::Invalid(vec![
                FieldError::new("report_date", ErrorCode::StichtagStillOpen, report_date).with_detail(open.to_string()),
            ]));
        }
        let latest: Option<NaiveDate> = sqlx::query_scalar(LATEST_STICHTAG).fetch_one(&mut *tx).await?;
        if let Some(latest) = latest.filter(|latest| *latest >= date) {
            return Err(AppError::Invalid(vec![
                FieldError::new("report_date", ErrorCode::StichtagNotAfterLast, &date.to_string())
                    .with_detail(latest.to_string()),
            ]));
        }
        let id: i64 = sqlx::query_scalar(INSERT_STICHTAG).bind(date).bind(Utc::now()).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(id)
    })
}

const CLOSE_STICHTAG: &str =
    "UPDATE stichtage SET state = 'geschlossen', closed_at = $1 WHERE id = $2 AND state = 'offen'";

/// Closes a Stichtag and freezes its state: projects (from their approved Sachstand where
/// there is one), milestones and services are copied into the `stichtag_*` tables, then the
/// Stichtag is marked closed, after which the database refuses any change to them.
pub async fn close(db: &Db, id: i64) -> Result<(), AppError> {
    let freeze = [
        format!(
            "INSERT INTO stichtag_projects (stichtag_id, project_id, department_id, phase, ampel, ampel_reason, percent_done, reported)
             SELECT {id}, project_id, department_id, phase, ampel, ampel_reason, percent_done, reported FROM ({}) now",
            projects_now(id)
        ),
        format!(
            "INSERT INTO stichtag_milestones (stichtag_id, milestone_id, project_id, is_key, baseline_date, forecast_date, actual_date)
             SELECT {id}, milestone_id, project_id, is_key, baseline_date, forecast_date, actual_date FROM ({MILESTONES_NOW}) now"
        ),
        format!(
            "INSERT INTO stichtag_services (stichtag_id, service_id, reifegrad)
             SELECT {id}, service_id, reifegrad FROM ({SERVICES_NOW}) now"
        ),
    ];
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let stichtag: Option<(String, NaiveDate)> = sqlx::query_as(STICHTAG_STATE).bind(id).fetch_optional(&mut *tx).await?;
        let Some((state, _)) = stichtag else { return Err(AppError::NotFound) };
        if state != StichtagState::Offen.code() {
            return Err(closed_error());
        }
        for statement in &freeze {
            sqlx::query(statement).execute(&mut *tx).await?;
        }
        sqlx::query(CLOSE_STICHTAG).bind(Utc::now()).bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    })
}

pub async fn compare_page(db: &Db, from: Option<i64>, to: Option<i64>) -> Result<ComparePage, AppError> {
    let stichtage = all(db).await?;
    // Default: the latest Stichtag against the one before it.
    let pick = |id: Option<i64>, fallback: usize| match id {
        Some(id) => stichtage.iter().find(|s| s.id == id).cloned(),
        None => stichtage.get(fallback).cloned(),
    };
    let comparison = match (pick(from, 1), pick(to, 0)) {
        (Some(from), Some(to)) if from.id != to.id => Some(compare(db, from, to).await?),
        _ => None,
    };
    Ok(ComparePage { stichtage, comparison })
}

/// What changed from `from` to `to`: Ampel changes (including projects new in the portfolio),
/// milestones that moved or were reached, services that reached the online Reifegrad.
pub async fn compare(db: &Db, from: StichtagInfo, to: StichtagInfo) -> Result<Comparison, AppError> {
    let (a, b) = (sources(&from), sources(&to));
    let ampel_sql = format!(
        "SELECT p.id AS project_id, p.key, p.title, a.ampel AS before, b.ampel AS after, b.ampel_reason AS reason
           FROM ({}) b LEFT JOIN ({}) a ON a.project_id = b.project_id JOIN projects p ON p.id = b.project_id
          WHERE a.ampel IS NULL OR a.ampel <> b.ampel
          ORDER BY p.key",
        b.projects, a.projects
    );
    let milestone_sql = format!(
        "SELECT p.id, p.key, m.title, b.is_key, a.forecast_date, b.forecast_date, b.actual_date
           FROM ({}) a JOIN ({}) b ON b.milestone_id = a.milestone_id
           JOIN milestones m ON m.id = a.milestone_id JOIN projects p ON p.id = m.project_id
          WHERE a.actual_date IS NULL AND (b.actual_date IS NOT NULL OR b.forecast_date <> a.forecast_date)
          ORDER BY p.key, m.position",
        a.milestones, b.milestones
    );
    let service_sql = format!(
        "SELECT s.id, s.ozg_id, s.name, a.reifegrad AS before, b.reifegrad AS after
           FROM ({}) a JOIN ({}) b ON b.service_id = a.service_id JOIN ozg_services s ON s.id = a.service_id
          WHERE a.reifegrad < {ONLINE_REIFEGRAD} AND b.reifegrad >= {ONLINE_REIFEGRAD}
          ORDER BY {}",
        a.services,
        b.services,
        sort_key!("s.name")
    );
    type MoveRow = (i64, String, String, bool, NaiveDate, NaiveDate, Option<NaiveDate>);
    let (ampel_changes, moves, newly_online) = on_db!(db, pool => (
        sqlx::query_as::<_, AmpelChange>(&ampel_sql).fetch_all(pool).await?,
        sqlx::query_as::<_, MoveRow>(&milestone_sql).fetch_all(pool).await?,
        sqlx::query_as::<_, ServiceChange>(&service_sql).fetch_all(pool).await?,
    ));
    let (mut slipped, mut earlier, mut reached) = (Vec::new(), Vec::new(), Vec::new());
    for (project_id, key, title, is_key, before, forecast, actual) in moves {
        let after = actual.unwrap_or(forecast);
        let entry = MilestoneMove { project_id, key, title, is_key, before, after, days: (after - before).num_days() };
        match actual {
            Some(_) => reached.push(entry),
            None if after > before => slipped.push(entry),
            None => earlier.push(entry),
        }
    }
    slipped.sort_by(|x, y| y.days.cmp(&x.days).then_with(|| x.key.cmp(&y.key)));
    Ok(Comparison { from, to, ampel_changes, slipped, earlier, reached, newly_online })
}

/// Running projects per Ampel in a Stichtag's row source (frozen, or now while open).
fn ampel_counts(projects: &str) -> String {
    format!(
        "SELECT ampel, count(*) FROM ({projects}) sp
          WHERE sp.phase NOT IN ('abgeschlossen', 'gestoppt') GROUP BY ampel"
    )
}

/// Red projects first, then those asking for a decision; texts from the approved reports.
fn attention(projects: &str, stichtag: i64) -> String {
    format!(
        "SELECT p.id AS project_id, p.key, p.title, d.code AS department_code, sp.ampel,
                coalesce(r.decisions_needed, '') AS decisions_needed, coalesce(r.risks, sp.ampel_reason) AS risks
           FROM ({projects}) sp
           JOIN projects p ON p.id = sp.project_id
           JOIN departments d ON d.id = sp.department_id
           LEFT JOIN status_reports r ON r.project_id = sp.project_id AND r.stichtag_id = {stichtag} AND r.state = 'freigegeben'
          WHERE sp.phase NOT IN ('abgeschlossen', 'gestoppt')
            AND (sp.ampel = 'rot' OR length(trim(coalesce(r.decisions_needed, ''))) > 0)
          ORDER BY CASE sp.ampel WHEN 'rot' THEN 0 WHEN 'gelb' THEN 1 ELSE 2 END, p.key
          LIMIT $1"
    )
}

/// The leadership view: the latest closed Stichtag against the one before.
pub async fn leadership(db: &Db) -> Result<crate::api::leadership::LeadershipView, AppError> {
    use crate::api::leadership::LEADERSHIP_ITEMS;
    let latest = all(db).await?.into_iter().find(|s| !s.is_open());
    overview(db, latest, LEADERSHIP_ITEMS).await
}

/// The Statusbericht of any Stichtag (an open one reads the current state): everything in
/// full, against the closed Stichtag before it.
pub async fn status_report(db: &Db, id: i64) -> Result<crate::api::leadership::LeadershipView, AppError> {
    let stichtag = info(db, id).await?;
    overview(db, Some(stichtag), usize::MAX).await
}

async fn overview(
    db: &Db,
    stichtag: Option<StichtagInfo>,
    items: usize,
) -> Result<crate::api::leadership::LeadershipView, AppError> {
    use crate::api::leadership::{AmpelCount, Attention, LeadershipView};
    use crate::domain::Ampel;
    let Some(latest) = stichtag else {
        return Ok(LeadershipView {
            latest: None,
            previous: None,
            ampel: Vec::new(),
            changes: Vec::new(),
            slipped_key: Vec::new(),
            attention: Vec::new(),
            by_department: Vec::new(),
        });
    };
    let previous = all(db).await?.into_iter().find(|s| !s.is_open() && s.report_date < latest.report_date);
    let counts = |rows: &[(String, i64)], ampel: Ampel| rows.iter().find(|(a, _)| a == ampel.code()).map_or(0, |r| r.1);
    let now_sql = ampel_counts(&sources(&latest).projects);
    let before_sql = previous.as_ref().map(|p| ampel_counts(&sources(p).projects));
    let attention_sql = attention(&sources(&latest).projects, latest.id);
    let department_sql = format!(
        "SELECT d.code, sp.ampel, count(*) FROM ({}) sp JOIN departments d ON d.id = sp.department_id
          WHERE sp.phase NOT IN ('abgeschlossen', 'gestoppt') GROUP BY d.code, sp.ampel ORDER BY d.code",
        sources(&latest).projects
    );
    let limit = i64::try_from(items).unwrap_or(i64::MAX);
    let (now, before, attention, departments) = on_db!(db, pool => {
        let now: Vec<(String, i64)> = sqlx::query_as(&now_sql).fetch_all(pool).await?;
        let before: Option<Vec<(String, i64)>> = match &before_sql {
            Some(sql) => Some(sqlx::query_as(sql).fetch_all(pool).await?),
            None => None,
        };
        let attention = sqlx::query_as::<_, Attention>(&attention_sql).bind(limit).fetch_all(pool).await?;
        let departments: Vec<(String, String, i64)> = sqlx::query_as(&department_sql).fetch_all(pool).await?;
        (now, before, attention, departments)
    });
    let ampel = Ampel::ALL
        .iter()
        .map(|a| AmpelCount {
            ampel: a.code().into(),
            before: before.as_deref().map(|b| counts(b, *a)),
            now: counts(&now, *a),
        })
        .collect();
    let (changes, slipped_key) = match &previous {
        Some(p) => {
            let c = compare(db, p.clone(), latest.clone()).await?;
            (c.ampel_changes, c.slipped.into_iter().filter(|m| m.is_key).take(items).collect())
        }
        None => (Vec::new(), Vec::new()),
    };
    let by_department = super::charts::fold_ampel(departments);
    Ok(LeadershipView { latest: Some(latest), previous, ampel, changes, slipped_key, attention, by_department })
}
