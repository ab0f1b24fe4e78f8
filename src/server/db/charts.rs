//! SQL behind the charts: aggregates per Stichtag, never every row into memory.

use chrono::NaiveDate;

use super::{Db, on_db};
use crate::api::charts::{AmpelCharts, AmpelRow, MtaData, MtaLine};
use crate::domain::forecast::milestone_trend;
use crate::error::AppError;

const PROJECT: &str = "SELECT key, title FROM projects WHERE id = $1";
// The number is the Meilenstein-Nr the project page and the export show: the position, which
// keeps its gap where a milestone was deleted.
const MILESTONES: &str = "SELECT position + 1, id, title, is_key, baseline_date, actual_date
      FROM milestones WHERE project_id = $1 ORDER BY position";

/// The forecast each milestone had at each Stichtag: the last one recorded under it.
const POINTS: &str = "
    SELECT f.milestone_id, s.report_date, f.forecast_date
      FROM milestone_forecasts f
      JOIN stichtage s ON s.id = f.stichtag_id
     WHERE f.id IN (SELECT max(f2.id)
                      FROM milestone_forecasts f2 JOIN milestones m2 ON m2.id = f2.milestone_id
                     WHERE m2.project_id = $1 AND f2.stichtag_id IS NOT NULL
                     GROUP BY f2.milestone_id, f2.stichtag_id)
     ORDER BY f.milestone_id, s.report_date";

pub async fn mta(db: &Db, project_id: i64) -> Result<MtaData, AppError> {
    let (project, milestones, points) = on_db!(db, pool => {
        let project: Option<(String, String)> = sqlx::query_as(PROJECT).bind(project_id).fetch_optional(pool).await?;
        let milestones: Vec<Milestone> = sqlx::query_as(MILESTONES).bind(project_id).fetch_all(pool).await?;
        let points: Vec<(i64, NaiveDate, NaiveDate)> = sqlx::query_as(POINTS).bind(project_id).fetch_all(pool).await?;
        (project, milestones, points)
    });
    let (key, title) = project.ok_or(AppError::NotFound)?;
    Ok(assemble(project_id, key, title, milestones, points))
}

/// A line of the MTA as read: (number, id, title, is_key, baseline, actual date).
type Milestone = (i64, i64, String, bool, NaiveDate, Option<NaiveDate>);

/// Builds the MTA from milestones and their forecast per Stichtag (milestone id, Stichtag,
/// forecast).
fn assemble(
    project_id: i64,
    key: String,
    title: String,
    milestones: Vec<Milestone>,
    points: Vec<(i64, NaiveDate, NaiveDate)>,
) -> MtaData {
    let mut stichtage: Vec<NaiveDate> = points.iter().map(|p| p.1).collect();
    stichtage.sort();
    stichtage.dedup();
    let lines = milestones
        .into_iter()
        .map(|(number, id, title, is_key, baseline, reached)| {
            let points: Vec<(NaiveDate, NaiveDate)> = points.iter().filter(|p| p.0 == id).map(|p| (p.1, p.2)).collect();
            let forecasts: Vec<NaiveDate> = points.iter().map(|p| p.1).collect();
            MtaLine {
                number: usize::try_from(number).unwrap_or_default(),
                title,
                is_key,
                baseline,
                trend: milestone_trend(&forecasts, reached.is_some()),
                points,
                reached,
            }
        })
        .collect();
    MtaData { project_id, key, title, stichtage, lines }
}

const AMPEL_OVER_TIME: &str = "
    SELECT s.report_date, sp.ampel, count(*)
      FROM stichtag_projects sp JOIN stichtage s ON s.id = sp.stichtag_id
     WHERE sp.phase NOT IN ('abgeschlossen', 'gestoppt')
     GROUP BY s.report_date, sp.ampel
     ORDER BY s.report_date";

/// The latest closed Stichtag, or the one asked for if it is closed.
const CLOSED: &str = "SELECT id, report_date FROM stichtage
     WHERE state = 'geschlossen' AND ($1 IS NULL OR id = $1) ORDER BY report_date DESC LIMIT 1";

const AMPEL_BY_DEPARTMENT: &str = "
    SELECT d.code, sp.ampel, count(*)
      FROM stichtag_projects sp JOIN departments d ON d.id = sp.department_id
     WHERE sp.stichtag_id = $1 AND sp.phase NOT IN ('abgeschlossen', 'gestoppt')
     GROUP BY d.code, sp.ampel
     ORDER BY d.code";

/// Folds (label, ampel, count) rows, ordered by label, into one row per label.
pub(crate) fn fold_ampel(rows: Vec<(String, String, i64)>) -> Vec<AmpelRow> {
    let mut out: Vec<AmpelRow> = Vec::new();
    for (label, ampel, count) in rows {
        if out.last().is_none_or(|r| r.label != label) {
            out.push(AmpelRow { label: label.clone(), gruen: 0, gelb: 0, rot: 0 });
        }
        if let Some(row) = out.last_mut() {
            match ampel.as_str() {
                "gruen" => row.gruen += count,
                "gelb" => row.gelb += count,
                _ => row.rot += count,
            }
        }
    }
    out
}

/// `stichtag`: the Stichtag of the per-department chart; `None` for the latest closed one.
pub async fn ampel(db: &Db, lang: crate::domain::Lang, stichtag: Option<i64>) -> Result<AmpelCharts, AppError> {
    let (over_time, latest, by_department) = on_db!(db, pool => {
        let over_time: Vec<(NaiveDate, String, i64)> = sqlx::query_as(AMPEL_OVER_TIME).fetch_all(pool).await?;
        let latest: Option<(i64, NaiveDate)> = sqlx::query_as(CLOSED).bind(stichtag).fetch_optional(pool).await?;
        let by_department: Vec<(String, String, i64)> = match latest {
            Some((id, _)) => sqlx::query_as(AMPEL_BY_DEPARTMENT).bind(id).fetch_all(pool).await?,
            None => Vec::new(),
        };
        (over_time, latest, by_department)
    });
    let over_time = over_time.into_iter().map(|(d, a, n)| (crate::domain::fmt_date(d, lang), a, n)).collect();
    Ok(AmpelCharts {
        over_time: fold_ampel(over_time),
        by_department: fold_ampel(by_department),
        latest: latest.map(|(_, date)| date),
    })
}

const USAGE_OVERALL: &str = "
    SELECT month, CAST(sum(online_count) AS BIGINT), CAST(sum(total_count) AS BIGINT)
      FROM service_usage GROUP BY month ORDER BY month";

/// Services ranked by their usage rate over the period from `$1`; only services with at
/// least `$2` applications, so that a handful of cases cannot top the list. `{order}` is
/// DESC for the best and ASC for the weakest.
fn ranking(order: &str) -> String {
    format!(
        "SELECT u.service_id, s.name, s.ozg_id, CAST(sum(u.online_count) AS BIGINT), CAST(sum(u.total_count) AS BIGINT)
           FROM service_usage u JOIN ozg_services s ON s.id = u.service_id
          WHERE u.month >= $1
          GROUP BY u.service_id, s.name, s.ozg_id
         HAVING sum(u.total_count) >= $2
          ORDER BY CAST(sum(u.online_count) AS DOUBLE PRECISION) / CAST(sum(u.total_count) AS DOUBLE PRECISION) {order}, s.name
          LIMIT 3"
    )
}

/// Applications a service needs in the ranking period to be ranked at all.
const RANKING_MIN_VOLUME: i64 = 100;

pub async fn usage(db: &Db) -> Result<crate::api::charts::UsageData, AppError> {
    use crate::api::charts::{USAGE_TARGET, UsageData, UsageSeries};
    let rate = |online: i64, total: i64| (total > 0).then(|| online as f64 * 100.0 / total as f64);
    let overall: Vec<(String, i64, i64)> = on_db!(db, pool => sqlx::query_as(USAGE_OVERALL).fetch_all(pool).await?);
    let months: Vec<String> = overall.iter().map(|r| r.0.clone()).collect();
    let since = months.len().checked_sub(12).and_then(|i| months.get(i)).cloned().unwrap_or_default();
    type Ranked = (i64, String, String, i64, i64);
    let (best, worst) = on_db!(db, pool => {
        let best: Vec<Ranked> = sqlx::query_as(&ranking("DESC")).bind(&since).bind(RANKING_MIN_VOLUME).fetch_all(pool).await?;
        let worst: Vec<Ranked> = sqlx::query_as(&ranking("ASC")).bind(&since).bind(RANKING_MIN_VOLUME).fetch_all(pool).await?;
        (best, worst)
    });
    let mut chosen: Vec<Ranked> = best;
    chosen.extend(worst.into_iter().rev());
    let mut seen = std::collections::HashSet::new();
    chosen.retain(|r| seen.insert(r.0));
    let ids = chosen.iter().map(|r| r.0.to_string()).collect::<Vec<_>>().join(",");
    let monthly: Vec<(i64, String, i64, i64)> = if ids.is_empty() {
        Vec::new()
    } else {
        // Integer ids from the query above, so formatting them in is safe.
        let sql = format!(
            "SELECT service_id, month, online_count, total_count FROM service_usage WHERE service_id IN ({ids}) ORDER BY month"
        );
        on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await?)
    };
    let services = chosen
        .into_iter()
        .enumerate()
        .map(|(i, (id, name, ozg_id, online, total))| UsageSeries {
            number: i + 1,
            name,
            ozg_id,
            rates: months
                .iter()
                .map(|m| monthly.iter().find(|r| r.0 == id && &r.1 == m).and_then(|r| rate(r.2, r.3)))
                .collect(),
            online,
            total,
        })
        .collect();
    Ok(UsageData {
        overall: overall.iter().map(|(_, online, total)| rate(*online, *total)).collect(),
        months,
        services,
        target: USAGE_TARGET,
    })
}

const LEVELS: &str = "SELECT level, label FROM maturity_levels ORDER BY level";
const COVERAGE_OVER_TIME: &str = "
    SELECT s.report_date, ss.reifegrad, count(*)
      FROM stichtag_services ss JOIN stichtage s ON s.id = ss.stichtag_id
     GROUP BY s.report_date, ss.reifegrad ORDER BY s.report_date";
const COVERAGE_NOW: &str = "SELECT reifegrad, count(*) FROM ozg_services GROUP BY reifegrad";
const COVERAGE_BY_THEMENFELD: &str = "
    SELECT t.name, s.reifegrad, count(*)
      FROM ozg_services s JOIN themenfelder t ON t.id = s.themenfeld_id
     GROUP BY t.name, s.reifegrad ORDER BY t.name";
const COVERAGE_TARGET: &str = "
    SELECT target_value, deadline FROM programme_targets
     WHERE metric = 'reifegrad_share' AND metric_param = $1 ORDER BY deadline LIMIT 1";

/// Folds (label, level, count) rows, ordered by label, into one row per label.
fn fold_levels(rows: Vec<(String, i64, i64)>, levels: &[(i64, String)]) -> Vec<crate::api::charts::CoverageRow> {
    use crate::api::charts::CoverageRow;
    let mut out: Vec<CoverageRow> = Vec::new();
    for (label, level, count) in rows {
        if out.last().is_none_or(|r| r.label != label) {
            out.push(CoverageRow { label: label.clone(), counts: vec![0; levels.len()] });
        }
        if let (Some(row), Some(i)) = (out.last_mut(), levels.iter().position(|(l, _)| *l == level)) {
            row.counts[i] += count;
        }
    }
    out
}

pub async fn coverage(
    db: &Db,
    lang: crate::domain::Lang,
    today: NaiveDate,
) -> Result<crate::api::charts::Coverage, AppError> {
    use crate::domain::{ONLINE_REIFEGRAD, fmt_date};
    let (levels, over_time, now, by_themenfeld, target) = on_db!(db, pool => {
        let levels: Vec<(i64, String)> = sqlx::query_as(LEVELS).fetch_all(pool).await?;
        let over_time: Vec<(NaiveDate, i64, i64)> = sqlx::query_as(COVERAGE_OVER_TIME).fetch_all(pool).await?;
        let now: Vec<(i64, i64)> = sqlx::query_as(COVERAGE_NOW).fetch_all(pool).await?;
        let by_themenfeld: Vec<(String, i64, i64)> = sqlx::query_as(COVERAGE_BY_THEMENFELD).fetch_all(pool).await?;
        let target: Option<(f64, NaiveDate)> = sqlx::query_as(COVERAGE_TARGET).bind(ONLINE_REIFEGRAD).fetch_optional(pool).await?;
        (levels, over_time, now, by_themenfeld, target)
    });
    let mut rows: Vec<(String, i64, i64)> = over_time.into_iter().map(|(d, l, n)| (fmt_date(d, lang), l, n)).collect();
    // Today's state closes the series, after the frozen Stichtage.
    let today_label = fmt_date(today, lang);
    rows.extend(now.into_iter().map(|(l, n)| (today_label.clone(), l, n)));
    Ok(crate::api::charts::Coverage {
        over_time: fold_levels(rows, &levels),
        by_themenfeld: fold_levels(by_themenfeld, &levels),
        levels,
        target,
    })
}

const BURN_UP: &str = "
    SELECT s.report_date,
           (SELECT count(*) FROM stichtag_projects sp WHERE sp.stichtag_id = s.id AND sp.phase = 'abgeschlossen'),
           (SELECT count(*) FROM stichtag_projects sp WHERE sp.stichtag_id = s.id AND sp.phase <> 'gestoppt'),
           (SELECT count(*) FROM stichtag_milestones sm WHERE sm.stichtag_id = s.id AND sm.actual_date IS NOT NULL),
           (SELECT count(*) FROM stichtag_milestones sm WHERE sm.stichtag_id = s.id)
      FROM stichtage s WHERE s.state = 'geschlossen' ORDER BY s.report_date";
const COMPLETION_TARGET: &str =
    "SELECT deadline FROM programme_targets WHERE metric = 'projects_completed' ORDER BY deadline LIMIT 1";

/// The programme's end when no "projects completed" target names one: "antragsarm" by 2030.
const PROGRAMME_END: (i32, u32, u32) = (2030, 12, 31);

pub async fn burn_up(db: &Db) -> Result<crate::api::charts::BurnUp, AppError> {
    use crate::api::charts::{BurnPoint, BurnUp};
    let (rows, deadline) = on_db!(db, pool => {
        let rows: Vec<(NaiveDate, i64, i64, i64, i64)> = sqlx::query_as(BURN_UP).fetch_all(pool).await?;
        let deadline: Option<NaiveDate> = sqlx::query_scalar(COMPLETION_TARGET).fetch_optional(pool).await?;
        (rows, deadline)
    });
    let end = NaiveDate::from_ymd_opt(PROGRAMME_END.0, PROGRAMME_END.1, PROGRAMME_END.2).unwrap_or_default();
    Ok(BurnUp {
        points: rows
            .into_iter()
            .map(|(date, projects_done, projects_total, milestones_done, milestones_total)| BurnPoint {
                date,
                projects_done,
                projects_total,
                milestones_done,
                milestones_total,
            })
            .collect(),
        deadline: deadline.unwrap_or(end),
    })
}

/// A milestone counts as on time when reached at most this many days after its baseline.
pub const TERMINTREUE_TOLERANCE_DAYS: i64 = 14;

/// Termintreue per department and closed Stichtag, from the frozen milestone dates.
pub async fn adherence(db: &Db) -> Result<crate::api::charts::Adherence, AppError> {
    use crate::api::charts::{Adherence, AdherenceCell};
    let deadline = super::date_plus_days(db, "sm.baseline_date", TERMINTREUE_TOLERANCE_DAYS);
    let sql = format!(
        "SELECT d.code, s.report_date,
                CAST(sum(CASE WHEN sm.actual_date IS NOT NULL AND sm.actual_date <= {deadline} THEN 1 ELSE 0 END) AS BIGINT),
                count(*)
           FROM stichtag_milestones sm
           JOIN stichtage s ON s.id = sm.stichtag_id
           JOIN stichtag_projects sp ON sp.stichtag_id = sm.stichtag_id AND sp.project_id = sm.project_id
           JOIN departments d ON d.id = sp.department_id
          WHERE sm.baseline_date <= s.report_date
          GROUP BY d.code, s.report_date
          ORDER BY d.code, s.report_date"
    );
    let rows: Vec<(String, NaiveDate, i64, i64)> = on_db!(db, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
    let mut stichtage: Vec<NaiveDate> = rows.iter().map(|r| r.1).collect();
    stichtage.sort();
    stichtage.dedup();
    let empty = || stichtage.iter().map(|_| AdherenceCell { on_time: 0, due: 0 }).collect::<Vec<_>>();
    let mut overall = empty();
    let mut departments: Vec<(String, Vec<AdherenceCell>)> = Vec::new();
    for (code, date, on_time, due) in rows {
        if departments.last().is_none_or(|(c, _)| *c != code) {
            departments.push((code.clone(), empty()));
        }
        let Some(i) = stichtage.iter().position(|d| *d == date) else { continue };
        if let Some((_, cells)) = departments.last_mut() {
            cells[i] = AdherenceCell { on_time, due };
        }
        overall[i].on_time += on_time;
        overall[i].due += due;
    }
    Ok(Adherence { stichtage, departments, overall, tolerance_days: TERMINTREUE_TOLERANCE_DAYS })
}

/// How many key milestones the portfolio MTA shows at most (more lines are unreadable).
pub const PORTFOLIO_MTA_LINES: usize = 8;

/// Open key milestones of running projects, the most slipped first: the choices of the
/// portfolio MTA.
pub async fn key_milestones(db: &Db) -> Result<Vec<crate::api::charts::KeyMilestone>, AppError> {
    let slip = super::days_between(db, "m.baseline_date", "m.forecast_date");
    let sql = format!(
        "SELECT m.id, p.key, m.title, m.baseline_date, m.forecast_date, {slip} AS slip
           FROM milestones m JOIN projects p ON p.id = m.project_id
          WHERE m.is_key AND m.actual_date IS NULL AND p.phase NOT IN ('abgeschlossen', 'gestoppt')
          ORDER BY slip DESC, p.key, m.position
          LIMIT 40"
    );
    Ok(on_db!(db, pool => sqlx::query_as::<_, crate::api::charts::KeyMilestone>(&sql).fetch_all(pool).await?))
}

/// The MTA of chosen milestones across projects; without a choice, the most slipped key ones.
pub async fn mta_portfolio(db: &Db, chosen: &[i64]) -> Result<MtaData, AppError> {
    let ids: Vec<i64> = if chosen.is_empty() {
        key_milestones(db).await?.into_iter().take(PORTFOLIO_MTA_LINES).map(|m| m.id).collect()
    } else {
        chosen.iter().copied().take(PORTFOLIO_MTA_LINES).collect()
    };
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    if list.is_empty() {
        return Ok(MtaData {
            project_id: 0,
            key: "Portfolio".into(),
            title: String::new(),
            stichtage: Vec::new(),
            lines: Vec::new(),
        });
    }
    // Integer ids, formatted in: safe, and one query instead of one per milestone.
    let milestones_sql = format!(
        "SELECT row_number() OVER (ORDER BY p.key, m.position), m.id, p.key || ': ' || m.title, m.is_key,
                m.baseline_date, m.actual_date
           FROM milestones m JOIN projects p ON p.id = m.project_id WHERE m.id IN ({list}) ORDER BY p.key, m.position"
    );
    let points_sql = format!(
        "SELECT f.milestone_id, s.report_date, f.forecast_date
           FROM milestone_forecasts f JOIN stichtage s ON s.id = f.stichtag_id
          WHERE f.id IN (SELECT max(f2.id) FROM milestone_forecasts f2
                          WHERE f2.milestone_id IN ({list}) AND f2.stichtag_id IS NOT NULL
                          GROUP BY f2.milestone_id, f2.stichtag_id)
          ORDER BY f.milestone_id, s.report_date"
    );
    let (milestones, points) = on_db!(db, pool => {
        let milestones: Vec<Milestone> = sqlx::query_as(&milestones_sql).fetch_all(pool).await?;
        let points: Vec<(i64, NaiveDate, NaiveDate)> = sqlx::query_as(&points_sql).fetch_all(pool).await?;
        (milestones, points)
    });
    Ok(assemble(0, "Portfolio".into(), String::new(), milestones, points))
}
