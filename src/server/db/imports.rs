//! SQL of spreadsheet imports: the state a plan is compared with, writing a plan in one
//! transaction, and the import history (including the file kept while a preview waits).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::{BULK_ROWS, Begin, Db, conflict, insert_rows, on_db, page_of, rows_as_json};
use crate::api::imports::{
    IMPORT_PAGE_SIZE, ImportDetail, ImportEntry, ImportHistory, ImportReport, ImportState, LISTED_CHANGES,
};
use crate::domain::{Ampel, Category, FunctionKind, Phase};
use crate::error::AppError;
use crate::server::import::header::normalise;
use crate::server::import::plan::{
    CatalogueValues, DepartmentValues, FunctionValues, LeikaValues, MilestoneValues, Op, PersonValues, Planning,
    ProjectValues, ServiceValues, State, service_match_key, usage_key,
};

const DEPARTMENTS: &str = "SELECT code, name FROM departments ORDER BY id";
const FUNCTIONS: &str = "
    SELECT f.kind, f.title, d.code, p.name, p.email, p.phone
      FROM functions f LEFT JOIN departments d ON d.id = f.department_id LEFT JOIN people p ON p.id = f.person_id
     ORDER BY f.id";
const PEOPLE: &str = "SELECT id, name, email, phone FROM people ORDER BY id";
const DEPARTMENT_IDS: &str = "SELECT id, code FROM departments";
// All kinds: titles are unique across them, and a project's stored Lotse stays as it is.
const FUNCTION_IDS: &str = "SELECT id, title FROM functions";
const THEMENFELDER: &str = "SELECT id, name FROM themenfelder";
const LEVELS: &str = "SELECT level FROM maturity_levels";
/// A new milestone's number follows every number the project gave, deleted ones included.
const LAST_POSITIONS: &str = "
    SELECT project_id, max(position) FROM (
        SELECT project_id, position FROM milestones
        UNION ALL SELECT project_id, position FROM deleted_milestones
    ) AS given GROUP BY project_id";
const DELETED_MILESTONES: &str = "
    SELECT p.key, d.position, d.title, d.deleted_at
      FROM deleted_milestones d JOIN projects p ON p.id = d.project_id";
const OPEN_STICHTAG: &str = "SELECT id FROM stichtage WHERE state = 'offen' ORDER BY report_date DESC LIMIT 1";
// The larger tables come as one JSON document each (columns, then FROM; see `rows_as_json`).
// Booleans are written as 0/1, which both backends put into JSON alike.
const PROJECTS: [&str; 2] = [
    "p.id, p.version, p.key, p.title, d.code, f.title, p.category, p.phase, p.start_date, p.planned_end,
     p.percent_done, p.ampel, p.ampel_reason, p.budget_cents",
    "projects p JOIN departments d ON d.id = p.department_id LEFT JOIN functions f ON f.id = p.lotse_id",
];
const MILESTONES: [&str; 2] = [
    "m.id, m.version, p.key, m.position, m.title, CASE WHEN m.is_key THEN 1 ELSE 0 END, m.baseline_date,
     m.forecast_date, m.actual_date",
    "milestones m JOIN projects p ON p.id = m.project_id",
];
const SERVICES: [&str; 2] = [
    "s.id, s.ozg_id, s.leika_key, s.name, t.name, s.reifegrad, s.online_since, CASE WHEN s.epayment THEN 1 ELSE 0 END,
     s.url",
    "ozg_services s JOIN themenfelder t ON t.id = s.themenfeld_id",
];
const OZG_CATALOGUE: [&str; 2] = [
    "c.ozg_id, c.name, t.name, l.name",
    "ozg_catalogue c JOIN themenfelder t ON t.id = c.themenfeld_id LEFT JOIN lebenslagen l ON l.id = c.lebenslage_id",
];
const LEIKA_CATALOGUE: [&str; 2] =
    ["catalogue_key, leika_key, leika_text, name, leika_type, ozg_id, legal_basis", "leika_catalogue"];
const USAGE: [&str; 2] = [
    "s.leika_key, u.month, u.online_count, u.total_count",
    "service_usage u JOIN ozg_services s ON s.id = u.service_id WHERE s.leika_key IS NOT NULL",
];

type ProjectRow = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    NaiveDate,
    NaiveDate,
    i64,
    String,
    String,
    Option<i64>,
);
type MilestoneRow = (i64, i64, String, i64, String, u8, NaiveDate, NaiveDate, Option<NaiveDate>);
type ServiceRow = (i64, String, Option<String>, String, String, i64, Option<NaiveDate>, u8, Option<String>);
type LeikaRow = (String, Option<String>, String, String, String, Option<String>, String);

/// The rows of `[columns, from]` as one JSON document (see `rows_as_json`), decoded into `T`s.
macro_rules! fetch_json_rows {
    ($tx:expr, $db:expr, $query:expr) => {{
        let json: String = sqlx::query_scalar(&rows_as_json($db, $query[0], $query[1])).fetch_one(&mut *$tx).await?;
        decode_rows(&json)?
    }};
}

/// Reads what an import is compared with. Runs inside the import's write transaction, so the
/// preview and the commit see the same state as the writes that follow.
macro_rules! load_state {
    ($tx:expr, $db:expr) => {{
        let mut state = State::default();
        let departments: Vec<(String, String)> = sqlx::query_as(DEPARTMENTS).fetch_all(&mut *$tx).await?;
        state.departments = departments.into_iter().map(|(code, name)| DepartmentValues { code, name }).collect();
        type FunctionRow = (String, String, Option<String>, Option<String>, Option<String>, Option<String>);
        let functions: Vec<FunctionRow> = sqlx::query_as(FUNCTIONS).fetch_all(&mut *$tx).await?;
        for (kind, title, department, person, email, phone) in functions {
            let Some(kind) = FunctionKind::parse(&kind) else { continue }; // the schema's check rules it out
            state.functions.push((kind, FunctionValues { title, department, person, email, phone }));
        }
        let people: Vec<(i64, String, Option<String>, Option<String>)> =
            sqlx::query_as(PEOPLE).fetch_all(&mut *$tx).await?;
        for (_, name, email, phone) in people {
            state.people.entry(normalise(&name)).or_insert(PersonValues { name, email, phone });
        }
        let projects: Vec<ProjectRow> = fetch_json_rows!($tx, $db, PROJECTS);
        for (id, version, key, title, department, lotse, category, phase, start, end, percent, ampel, reason, budget) in
            projects
        {
            let (Some(category), Some(phase), Some(ampel)) =
                (Category::parse(&category), Phase::parse(&phase), Ampel::parse(&ampel))
            else {
                continue; // the schema's checks make this unreachable
            };
            let values = ProjectValues {
                title,
                department,
                lotse,
                category,
                phase,
                start_date: start,
                planned_end: end,
                percent_done: percent.clamp(0, 100) as u8,
                ampel,
                ampel_reason: reason,
                budget_cents: budget,
            };
            state.projects.insert(key, (id, version, values));
        }
        let milestones: Vec<MilestoneRow> = fetch_json_rows!($tx, $db, MILESTONES);
        for (id, version, key, position, title, is_key, baseline, forecast, actual) in milestones {
            let normalised = crate::server::import::header::match_key(&title);
            state.milestones.insert(
                (key, normalised),
                (id, version, position, MilestoneValues { title, is_key: is_key != 0, baseline, forecast, actual }),
            );
        }
        let deleted: Vec<(String, i64, String, chrono::DateTime<chrono::Utc>)> =
            sqlx::query_as(DELETED_MILESTONES).fetch_all(&mut *$tx).await?;
        for (key, position, title, at) in deleted {
            state.deleted_milestones.insert((key, position), (title, at.date_naive()));
        }
        let themenfelder: Vec<(i64, String)> = sqlx::query_as(THEMENFELDER).fetch_all(&mut *$tx).await?;
        state.themenfelder = themenfelder.into_iter().map(|(_, name)| name).collect();
        state.maturity_levels = sqlx::query_scalar(LEVELS).fetch_all(&mut *$tx).await?;
        let services: Vec<ServiceRow> = fetch_json_rows!($tx, $db, SERVICES);
        for (id, ozg_id, leika_key, name, themenfeld, reifegrad, online_since, epayment, url) in services {
            let key = service_match_key(&ozg_id, leika_key.as_deref(), &name);
            state.services_by_name.insert(service_match_key(&ozg_id, None, &name), key.clone());
            state.services.insert(
                key,
                (
                    id,
                    ServiceValues {
                        ozg_id,
                        leika_key,
                        name,
                        themenfeld,
                        reifegrad,
                        online_since,
                        epayment: epayment != 0,
                        url,
                    },
                ),
            );
        }
        let catalogue: Vec<(String, String, String, Option<String>)> = fetch_json_rows!($tx, $db, OZG_CATALOGUE);
        for (ozg_id, name, themenfeld, lebenslage) in catalogue {
            state.ozg_catalogue.insert(ozg_id, CatalogueValues { name, themenfeld, lebenslage });
        }
        let leika: Vec<LeikaRow> = fetch_json_rows!($tx, $db, LEIKA_CATALOGUE);
        for (catalogue_key, leika_key, leika_text, name, leika_type, ozg_id, legal_basis) in leika {
            state
                .leika_catalogue
                .insert(catalogue_key, LeikaValues { leika_key, leika_text, name, leika_type, ozg_id, legal_basis });
        }
        let usage: Vec<(String, String, i64, i64)> = fetch_json_rows!($tx, $db, USAGE);
        for (leika, month, online, total) in usage {
            state.usage.insert(usage_key(&leika, &month), (online, total));
        }
        state.open_stichtag = sqlx::query_scalar(OPEN_STICHTAG).fetch_optional(&mut *$tx).await?;
        state
    }};
}

/// Who imports what, for the history row.
pub struct ImportMeta<'a> {
    pub file_name: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub source: &'a str,
    pub user: &'a str,
}

/// What to do with a planned import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Compute the report only; the transaction is rolled back.
    Preview,
    /// Write, unless rows have errors and the user did not choose to skip them. `preview` is
    /// the history row of the web preview being committed; without one a row is added.
    Commit { skip_errors: bool, preview: Option<i64> },
}

/// What the writes of one batch leave for the next: ids of rows written earlier, which later
/// rows refer to.
struct Carry {
    /// Departments by code and functions by title: projects name them so (see
    /// `ProjectValues`), and the same file may have created them in an earlier batch.
    department_ids: HashMap<String, i64>,
    function_ids: HashMap<String, i64>,
    /// People by normalised name, the first entered of a name; read once a Lotsen row arrives.
    people: Option<HashMap<String, i64>>,
    themenfelder: HashMap<String, i64>,
    lebenslagen: HashMap<(i64, String), i64>,
    project_ids: HashMap<String, i64>,
    /// Where each project's next new milestone goes.
    next_position: HashMap<i64, i64>,
    /// Services by LeiKa key, read once the first usage figures arrive.
    service_ids: Option<HashMap<String, i64>>,
}

impl Carry {
    /// The id of a department the plan names: stored, or written by this import before. The
    /// planner names no other, so a miss is a bug.
    fn department_id(&self, code: &str) -> Result<i64, AppError> {
        self.department_ids.get(code).copied().ok_or(AppError::Internal)
    }

    fn lotse_id(&self, title: Option<&str>) -> Result<Option<i64>, AppError> {
        title.map(|title| self.function_ids.get(title).copied().ok_or(AppError::Internal)).transpose()
    }
}

/// What every row an import writes is stamped with.
struct Stamp<'a> {
    /// The open Stichtag, which new points of the forecast history belong to.
    stichtag: Option<i64>,
    today: NaiveDate,
    now: DateTime<Utc>,
    user: &'a str,
}

// The writes of one batch, one macro per group of tables, in the order of `Kind::ALL`. Each
// expands inside `on_db!` (see `run`), so one text serves both backends.

/// Departments, then the Lotse functions that belong to them, with the people holding them.
macro_rules! write_organisation {
    ($tx:expr, $ops:expr, $carry:expr) => {{
        let ops: &[Op] = $ops;
        let carry: &mut Carry = $carry;
        let departments: Vec<(&DepartmentValues, bool)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Department { values, exists } => Some((&**values, *exists)),
                _ => None,
            })
            .collect();
        let new_departments: Vec<&DepartmentValues> = departments.iter().filter(|d| !d.1).map(|d| d.0).collect();
        insert_rows!($tx, "INSERT INTO departments (code, name) ", &new_departments, "", |row, d| row
            .push_bind(d.code.as_str())
            .push_bind(d.name.as_str()));
        for (d, _) in departments.iter().filter(|d| d.1) {
            sqlx::query("UPDATE departments SET name = $1 WHERE code = $2")
                .bind(&d.name)
                .bind(&d.code)
                .execute(&mut *$tx)
                .await?;
        }
        // Read on the first batch, as the projects need them, and again after new ones.
        if carry.department_ids.is_empty() || !new_departments.is_empty() {
            let rows: Vec<(i64, String)> = sqlx::query_as(DEPARTMENT_IDS).fetch_all(&mut *$tx).await?;
            carry.department_ids = rows.into_iter().map(|(id, code)| (code, id)).collect();
        }
        let lotsen: Vec<(&FunctionValues, bool)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Lotse { values, exists } => Some((&**values, *exists)),
                _ => None,
            })
            .collect();
        if !lotsen.is_empty() {
            if carry.people.is_none() {
                let rows: Vec<(i64, String, Option<String>, Option<String>)> =
                    sqlx::query_as(PEOPLE).fetch_all(&mut *$tx).await?;
                let mut people = HashMap::new();
                for (id, name, ..) in rows {
                    people.entry(normalise(&name)).or_insert(id);
                }
                carry.people = Some(people);
            }
            for (f, exists) in &lotsen {
                let person_id = match &f.person {
                    None => None,
                    Some(name) => {
                        let known = carry.people.as_ref().and_then(|people| people.get(&normalise(name)).copied());
                        Some(match known {
                            Some(id) => {
                                sqlx::query("UPDATE people SET email = $1, phone = $2 WHERE id = $3")
                                    .bind(&f.email)
                                    .bind(&f.phone)
                                    .bind(id)
                                    .execute(&mut *$tx)
                                    .await?;
                                id
                            }
                            None => {
                                let id: i64 = sqlx::query_scalar(
                                    "INSERT INTO people (name, email, phone) VALUES ($1, $2, $3) RETURNING id",
                                )
                                .bind(name)
                                .bind(&f.email)
                                .bind(&f.phone)
                                .fetch_one(&mut *$tx)
                                .await?;
                                carry.people.get_or_insert_with(HashMap::new).insert(normalise(name), id);
                                id
                            }
                        })
                    }
                };
                let department_id = f.department.as_deref().map(|code| carry.department_id(code)).transpose()?;
                if *exists {
                    let updated = sqlx::query(
                        "UPDATE functions SET department_id = $1, person_id = $2 WHERE title = $3 AND kind = 'lotse'",
                    )
                    .bind(department_id)
                    .bind(person_id)
                    .bind(&f.title)
                    .execute(&mut *$tx)
                    .await?;
                    if updated.rows_affected() != 1 {
                        return Err(conflict());
                    }
                } else {
                    sqlx::query(
                        "INSERT INTO functions (title, kind, department_id, person_id) VALUES ($1, 'lotse', $2, $3)",
                    )
                    .bind(&f.title)
                    .bind(department_id)
                    .bind(person_id)
                    .execute(&mut *$tx)
                    .await?;
                }
            }
        }
        if carry.function_ids.is_empty() || !lotsen.is_empty() {
            let rows: Vec<(i64, String)> = sqlx::query_as(FUNCTION_IDS).fetch_all(&mut *$tx).await?;
            carry.function_ids = rows.into_iter().map(|(id, title)| (title, id)).collect();
        }
    }};
}

/// Themenfelder, then the OZG and LeiKa catalogues that refer to them.
macro_rules! write_catalogues {
    ($tx:expr, $ops:expr, $carry:expr) => {{
        let ops: &[Op] = $ops;
        let carry: &mut Carry = $carry;
        let new_themenfelder: Vec<&str> =
            ops.iter().filter_map(|op| if let Op::Themenfeld { name } = op { Some(name.as_str()) } else { None }).collect();
        insert_rows!($tx, "INSERT INTO themenfelder (name) ", &new_themenfelder, " ON CONFLICT (name) DO NOTHING",
            |row, name| row.push_bind(*name));
        if carry.themenfelder.is_empty() || !new_themenfelder.is_empty() {
            let rows: Vec<(i64, String)> = sqlx::query_as(THEMENFELDER).fetch_all(&mut *$tx).await?;
            carry.themenfelder = rows.into_iter().map(|(id, name)| (name, id)).collect();
        }
        for op in ops {
            if let Op::OzgCatalogue { values, .. } = op
                && let (Some(&tf), Some(name)) = (carry.themenfelder.get(&values.themenfeld), &values.lebenslage)
                && !carry.lebenslagen.contains_key(&(tf, name.clone()))
            {
                sqlx::query("INSERT INTO lebenslagen (themenfeld_id, name) VALUES ($1, $2) ON CONFLICT (themenfeld_id, name) DO NOTHING")
                    .bind(tf).bind(name).execute(&mut *$tx).await?;
                let id: i64 = sqlx::query_scalar("SELECT id FROM lebenslagen WHERE themenfeld_id = $1 AND name = $2")
                    .bind(tf).bind(name).fetch_one(&mut *$tx).await?;
                carry.lebenslagen.insert((tf, name.clone()), id);
            }
        }
        let catalogue: Vec<(&String, &CatalogueValues, bool)> = ops.iter().filter_map(|op| match op {
            Op::OzgCatalogue { ozg_id, values, exists } => Some((ozg_id, &**values, *exists)),
            _ => None,
        }).collect();
        let resolve = |v: &CatalogueValues| {
            let tf = carry.themenfelder.get(&v.themenfeld).copied();
            let ll = tf.and_then(|tf| v.lebenslage.as_ref().and_then(|l| carry.lebenslagen.get(&(tf, l.clone())).copied()));
            (tf, ll)
        };
        // New rows of a table are written BULK_ROWS at a time (see `insert_rows!`).
        let new_catalogue: Vec<(&str, &str, Option<i64>, Option<i64>)> = catalogue.iter().filter(|c| !c.2)
            .map(|(ozg_id, v, _)| { let (tf, ll) = resolve(v); (ozg_id.as_str(), v.name.as_str(), tf, ll) }).collect();
        insert_rows!($tx, "INSERT INTO ozg_catalogue (ozg_id, name, themenfeld_id, lebenslage_id) ", &new_catalogue, "",
            |row, (ozg_id, name, tf, ll)| row.push_bind(*ozg_id).push_bind(*name).push_bind(*tf).push_bind(*ll));
        for (ozg_id, values, _) in catalogue.iter().filter(|c| c.2) {
            let (tf, ll) = resolve(values);
            sqlx::query("UPDATE ozg_catalogue SET name = $1, themenfeld_id = $2, lebenslage_id = $3 WHERE ozg_id = $4")
                .bind(&values.name).bind(tf).bind(ll).bind(*ozg_id).execute(&mut *$tx).await?;
        }
        let leika: Vec<(&String, &LeikaValues, bool)> = ops.iter().filter_map(|op| match op {
            Op::LeikaCatalogue { catalogue_key, values, exists } => Some((catalogue_key, &**values, *exists)),
            _ => None,
        }).collect();
        let new_leika: Vec<(&str, &LeikaValues)> =
            leika.iter().filter(|c| !c.2).map(|(key, v, _)| (key.as_str(), *v)).collect();
        insert_rows!($tx,
            "INSERT INTO leika_catalogue (catalogue_key, leika_key, leika_text, name, leika_type, ozg_id, legal_basis) ",
            &new_leika, "",
            |row, (key, v)| row.push_bind(*key).push_bind(v.leika_key.as_deref()).push_bind(v.leika_text.as_str())
                .push_bind(v.name.as_str()).push_bind(v.leika_type.as_str()).push_bind(v.ozg_id.as_deref())
                .push_bind(v.legal_basis.as_str()));
        for (key, v, _) in leika.iter().filter(|c| c.2) {
            sqlx::query("UPDATE leika_catalogue SET leika_type = $1, legal_basis = $2 WHERE catalogue_key = $3")
                .bind(&v.leika_type).bind(&v.legal_basis).bind(*key).execute(&mut *$tx).await?;
        }
    }};
}

/// Projects. New ones get their id back for the milestones that follow; changed ones are
/// written only if nobody changed them since the state was read.
macro_rules! write_projects {
    ($tx:expr, $ops:expr, $carry:expr, $stamp:expr) => {{
        let ops: &[Op] = $ops;
        let carry: &mut Carry = $carry;
        let stamp: &Stamp = $stamp;
        let new_projects: Vec<(&String, &ProjectValues, i64, Option<i64>)> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Project { key, existing: None, values } => Some((key, &**values)),
                _ => None,
            })
            .map(|(key, v)| Ok((key, v, carry.department_id(&v.department)?, carry.lotse_id(v.lotse.as_deref())?)))
            .collect::<Result<_, AppError>>()?;
        for chunk in new_projects.chunks(BULK_ROWS) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO projects (key, title, department_id, lotse_id, category, phase, start_date, planned_end,
                                       percent_done, budget_cents, ampel, ampel_reason, updated_at, updated_by) ",
            );
            insert.push_values(chunk, |mut row, (key, v, department_id, lotse_id)| {
                row.push_bind(key.as_str())
                    .push_bind(v.title.as_str())
                    .push_bind(*department_id)
                    .push_bind(*lotse_id)
                    .push_bind(v.category.code())
                    .push_bind(v.phase.code())
                    .push_bind(v.start_date)
                    .push_bind(v.planned_end)
                    .push_bind(i64::from(v.percent_done))
                    .push_bind(v.budget_cents)
                    .push_bind(v.ampel.code())
                    .push_bind(v.ampel_reason.as_str())
                    .push_bind(stamp.now)
                    .push_bind(stamp.user);
            });
            insert.push(" RETURNING id, key");
            let ids: Vec<(i64, String)> = insert.build_query_as().fetch_all(&mut *$tx).await?;
            carry.project_ids.extend(ids.into_iter().map(|(id, key)| (key, id)));
        }
        for op in ops {
            let Op::Project { existing: Some((id, version)), values: v, .. } = op else { continue };
            let updated = sqlx::query(
                "UPDATE projects SET title = $1, department_id = $2, lotse_id = $3, category = $4, phase = $5,
                        start_date = $6, planned_end = $7, percent_done = $8, budget_cents = $9, ampel = $10,
                        ampel_reason = $11, updated_at = $12, updated_by = $13, version = version + 1
                  WHERE id = $14 AND version = $15",
            )
            .bind(&v.title)
            .bind(carry.department_id(&v.department)?)
            .bind(carry.lotse_id(v.lotse.as_deref())?)
            .bind(v.category.code())
            .bind(v.phase.code())
            .bind(v.start_date)
            .bind(v.planned_end)
            .bind(i64::from(v.percent_done))
            .bind(v.budget_cents)
            .bind(v.ampel.code())
            .bind(&v.ampel_reason)
            .bind(stamp.now)
            .bind(stamp.user)
            .bind(id)
            .bind(version)
            .execute(&mut *$tx)
            .await?;
            if updated.rows_affected() != 1 {
                return Err(conflict());
            }
        }
    }};
}

/// Appends points to the forecast history, `BULK_ROWS` rows per statement, from a list of
/// values `v` bound per row: `$select` picks the milestone id, forecast, reached and reason
/// from it (`$join` may look the id up). The Stichtag, date and author are bound once per
/// statement, not once per row.
macro_rules! insert_history {
    ($tx:expr, $stamp:expr, $rows:expr, $select:expr, $join:expr, |$row:ident, $item:pat_param| $bind:expr) => {
        for chunk in $rows.chunks(BULK_ROWS) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO milestone_forecasts (milestone_id, forecast_date, reached, reason, stichtag_id,
                                                  reported_on, recorded_at, recorded_by) SELECT ",
            );
            insert.push($select);
            insert.push(", ");
            insert
                .separated(", ")
                .push_bind($stamp.stichtag)
                .push_bind($stamp.today)
                .push_bind($stamp.now)
                .push_bind($stamp.user);
            insert.push(" FROM (");
            insert.push_values(chunk, |mut $row, $item| {
                $bind;
            });
            insert.push(") AS v");
            insert.push($join);
            insert.build().execute(&mut *$tx).await?;
        }
    };
}

/// Milestones. New ones are appended after the project's last position; every new forecast
/// (and reaching a milestone) becomes a point of the forecast history at the open Stichtag,
/// which is what the milestone trend analysis draws.
macro_rules! write_milestones {
    ($tx:expr, $ops:expr, $carry:expr, $stamp:expr) => {{
        let ops: &[Op] = $ops;
        let carry: &mut Carry = $carry;
        let stamp: &Stamp = $stamp;
        let mut history: Vec<(i64, &MilestoneValues, &str)> = Vec::new();
        let mut new_milestones: Vec<(i64, i64, &MilestoneValues, &str)> = Vec::new();
        for op in ops {
            let Op::Milestone { project_key, existing, values: v, history: record, reason } = op else { continue };
            let Some(&project_id) = carry.project_ids.get(project_key) else { return Err(AppError::Internal) };
            match existing {
                None => {
                    let position = carry.next_position.entry(project_id).or_insert(0);
                    new_milestones.push((project_id, *position, v, reason));
                    *position += 1;
                }
                Some((id, version)) => {
                    let updated = sqlx::query(
                        "UPDATE milestones SET is_key = $1, baseline_date = $2, forecast_date = $3, actual_date = $4,
                                title = $7, version = version + 1 WHERE id = $5 AND version = $6",
                    )
                    .bind(v.is_key)
                    .bind(v.baseline)
                    .bind(v.forecast)
                    .bind(v.actual)
                    .bind(id)
                    .bind(version)
                    .bind(v.title.as_str())
                    .execute(&mut *$tx)
                    .await?;
                    if updated.rows_affected() != 1 {
                        return Err(conflict());
                    }
                    if *record {
                        history.push((*id, v, reason));
                    }
                }
            }
        }
        insert_rows!(
            $tx,
            "INSERT INTO milestones (project_id, position, title, is_key, baseline_date, forecast_date, actual_date) ",
            &new_milestones,
            "",
            |row, (project_id, position, v, _)| row
                .push_bind(*project_id)
                .push_bind(*position)
                .push_bind(v.title.as_str())
                .push_bind(v.is_key)
                .push_bind(v.baseline)
                .push_bind(v.forecast)
                .push_bind(v.actual)
        );
        // A reached milestone ends its MTA line on the diagonal: forecast = actual date. New
        // milestones are found by (project, position), so their ids need not travel back.
        insert_history!(
            $tx,
            stamp,
            history,
            "v.column1, v.column2, v.column3, v.column4",
            "",
            |row, (id, v, reason)| row
                .push_bind(*id)
                .push_bind(v.actual.unwrap_or(v.forecast))
                .push_bind(v.actual.is_some())
                .push_bind(*reason)
        );
        insert_history!(
            $tx,
            stamp,
            new_milestones,
            "m.id, v.column3, v.column4, v.column5",
            " JOIN milestones m ON m.project_id = v.column1 AND m.position = v.column2",
            |row, (project_id, position, v, reason)| row
                .push_bind(*project_id)
                .push_bind(*position)
                .push_bind(v.actual.unwrap_or(v.forecast))
                .push_bind(v.actual.is_some())
                .push_bind(*reason)
        );
    }};
}

/// The city's services, then their monthly usage figures.
macro_rules! write_services {
    ($tx:expr, $ops:expr, $carry:expr) => {{
        let ops: &[Op] = $ops;
        let carry: &mut Carry = $carry;
        let new_services: Vec<&ServiceValues> = ops.iter().filter_map(|op| match op {
            Op::Service { existing: None, values } => Some(&**values),
            _ => None,
        }).collect();
        insert_rows!($tx,
            "INSERT INTO ozg_services (ozg_id, leika_key, name, themenfeld_id, reifegrad, online_since, epayment, url) ",
            &new_services, "",
            |row, v| row.push_bind(v.ozg_id.as_str()).push_bind(v.leika_key.as_deref()).push_bind(v.name.as_str())
                .push_bind(carry.themenfelder.get(&v.themenfeld).copied()).push_bind(v.reifegrad).push_bind(v.online_since)
                .push_bind(v.epayment).push_bind(v.url.as_deref()));
        for op in ops {
            let Op::Service { existing: Some(id), values: v } = op else { continue };
            let Some(&tf) = carry.themenfelder.get(&v.themenfeld) else { return Err(AppError::Internal) };
            sqlx::query(
                "UPDATE ozg_services SET ozg_id = $1, leika_key = $2, name = $3, themenfeld_id = $4, reifegrad = $5,
                        online_since = $6, epayment = $7, url = $8 WHERE id = $9")
                .bind(&v.ozg_id).bind(&v.leika_key).bind(&v.name).bind(tf).bind(v.reifegrad)
                .bind(v.online_since).bind(v.epayment).bind(&v.url).bind(id).execute(&mut *$tx).await?;
        }
        let usage: Vec<(&String, &str, i64, i64)> = ops.iter().filter_map(|op| match op {
            Op::Usage { leika_key, month, online, total, .. } => Some((leika_key, month.as_str(), *online, *total)),
            _ => None,
        }).collect();
        if !usage.is_empty() {
            // Services come before their figures (`Kind::ALL`), so they are all written now.
            if carry.service_ids.is_none() {
                let rows: Vec<(i64, String)> =
                    sqlx::query_as("SELECT id, leika_key FROM ozg_services WHERE leika_key IS NOT NULL").fetch_all(&mut *$tx).await?;
                carry.service_ids = Some(rows.into_iter().map(|(id, key)| (key, id)).collect());
            }
            let service_ids = carry.service_ids.as_ref().ok_or(AppError::Internal)?;
            insert_rows!($tx, "INSERT INTO service_usage (service_id, month, online_count, total_count) ", &usage,
                " ON CONFLICT (service_id, month) DO UPDATE SET online_count = excluded.online_count, total_count = excluded.total_count",
                |row, (leika, month, online, total)| row.push_bind(service_ids.get(*leika).copied()).push_bind(*month)
                    .push_bind(*online).push_bind(*total));
        }
    }};
}

/// Plans the workbook against the current state and, in `Commit` mode, writes it, all inside
/// one write transaction: the state cannot change between comparing and writing, and an
/// error anywhere leaves the database as it was. `plan_with` starts planning against the
/// state on another thread; its ops are written batch by batch while planning (and reading
/// the file) goes on, and are rolled back if the finished plan must not be committed.
pub async fn run(
    db: &Db,
    plan_with: impl FnOnce(Arc<State>) -> Planning,
    mode: Mode,
    meta: &ImportMeta<'_>,
    today: NaiveDate,
) -> Result<(ImportReport, Option<i64>), AppError> {
    on_db!(db, pool => {
        let started = std::time::Instant::now();
        // A preview only reads: it must not hold the write lock while it plans, but the tables
        // it loads one by one must agree (an import committed meanwhile).
        let mut tx = if mode == Mode::Preview { pool.begin_snapshot().await? } else { pool.begin_write().await? };
        let state = Arc::new(load_state!(tx, db));
        tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "import: state loaded");
        let Planning { mut batches, done } = plan_with(state.clone());
        let now = Utc::now();
        let (mut writing, skip_errors) = match mode {
            Mode::Preview => (false, false),
            Mode::Commit { skip_errors, .. } => (true, skip_errors),
        };
        let mut carry = Carry {
            department_ids: HashMap::new(),
            function_ids: HashMap::new(),
            people: None,
            themenfelder: HashMap::new(),
            lebenslagen: HashMap::new(),
            project_ids: state.projects.iter().map(|(k, (id, ..))| (k.clone(), *id)).collect(),
            next_position: HashMap::new(),
            service_ids: None,
        };
        let stamp = Stamp { stichtag: state.open_stichtag, today, now, user: meta.user };
        if writing {
            let positions: Vec<(i64, i64)> = sqlx::query_as(LAST_POSITIONS).fetch_all(&mut *tx).await?;
            carry.next_position = positions.into_iter().map(|(p, m)| (p, m + 1)).collect();
        }
        while let Some(batch) = batches.recv().await {
            // Once a row has an error that is not to be skipped, nothing will be committed:
            // the rest of the plan is only received, for the report.
            writing &= batch.clean || skip_errors;
            if !writing {
                continue;
            }
            write_organisation!(tx, &batch.ops, &mut carry);
            write_catalogues!(tx, &batch.ops, &mut carry);
            write_projects!(tx, &batch.ops, &mut carry, &stamp);
            write_milestones!(tx, &batch.ops, &mut carry, &stamp);
            write_services!(tx, &batch.ops, &mut carry);
        }
        let plan = match done.await {
            Ok(Some(plan)) => plan,
            Ok(None) => return Err(AppError::Internal), // logged where planning stopped
            Err(e) => {
                tracing::error!(error = %e, "import planner panicked");
                return Err(AppError::Internal);
            }
        };
        tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "import: planned and written");
        let mut report = plan.report;
        report.file_name = meta.file_name.to_string();
        report.sha256 = meta.sha256.to_string();
        report.fingerprint = plan.fingerprint.unwrap_or_default();
        let Mode::Commit { skip_errors, preview } = mode else {
            tx.rollback().await?;
            return Ok((report, None));
        };
        if let Some(id) = preview {
            // The data may have changed since the preview (another user, another import):
            // then nothing is written and the new preview is shown instead.
            let shown: Option<String> = sqlx::query_scalar("SELECT report FROM imports WHERE id = $1 AND state = 'vorschau'")
                .bind(id).fetch_optional(&mut *tx).await?;
            let Some(shown) = shown else {
                tx.rollback().await?;
                return Err(conflict());
            };
            let shown: ImportReport = serde_json::from_str(&shown).unwrap_or_default();
            if shown.fingerprint != report.fingerprint {
                tx.rollback().await?;
                report.stale = true;
                return Ok((report, None));
            }
        }
        let has_errors = plan.rows_with_errors > 0 || !report.errors.is_empty();
        if report.unreadable() || (has_errors && !skip_errors) || !report.has_readable_sheet() {
            tx.rollback().await?;
            return Ok((report, None));
        }
        report.committed = true;
        report.skipped_errors = has_errors;
        tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "import: written");
        let counts = total_counts(&report.total());
        if let Some(id) = preview {
            // Only a preview still waiting may be committed: a second click on "Übernehmen"
            // finds it decided and changes nothing.
            let updated = sqlx::query(
                "UPDATE imports SET state = 'uebernommen', content = NULL, decided_by = $1, decided_at = $2,
                        skipped_errors = $3, new_count = $4, changed_count = $5, unchanged_count = $6, error_count = $7,
                        warning_count = $8, report = $9
                  WHERE id = $10 AND state = 'vorschau'")
                .bind(meta.user).bind(now).bind(report.skipped_errors).bind(counts[0]).bind(counts[1]).bind(counts[2])
                .bind(counts[3]).bind(counts[4]).bind(stored_json(&report)).bind(id)
                .execute(&mut *tx).await?;
            if updated.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(conflict());
            }
            tx.commit().await?;
            return Ok((report, Some(id)));
        }
        let id: i64 = sqlx::query_scalar(INSERT_IMPORT)
            .bind(meta.file_name).bind(meta.sha256).bind(meta.size_bytes).bind(None::<Vec<u8>>).bind(meta.source)
            .bind(ImportState::Uebernommen.code()).bind(meta.user).bind(now).bind(Some(meta.user)).bind(Some(now))
            .bind(report.skipped_errors).bind(counts[0]).bind(counts[1]).bind(counts[2]).bind(counts[3]).bind(counts[4])
            .bind(stored_json(&report))
            .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok((report, Some(id)))
    })
}

/// Rows of a JSON document from [`rows_as_json`]. The database wrote it from columns whose
/// types the schema guarantees, so a failure here is a bug, not bad input.
fn decode_rows<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>, AppError> {
    serde_json::from_str(json).map_err(|e| {
        tracing::error!(error = %e, "import state not decodable");
        AppError::Internal
    })
}

fn total_counts(total: &crate::api::imports::KindCount) -> [i64; 5] {
    [total.new, total.changed, total.unchanged, total.errors, total.warnings].map(|v| v as i64)
}

const INSERT_IMPORT: &str = "
    INSERT INTO imports (file_name, sha256, size_bytes, content, source, state, uploaded_by, uploaded_at,
                         decided_by, decided_at, skipped_errors, new_count, changed_count, unchanged_count,
                         error_count, warning_count, report)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
    RETURNING id";

/// Stored reports keep at most this many errors and warnings each; the counts stay exact (a
/// broken file can have millions of faulty cells).
const STORED_PROBLEMS: usize = 1_000;

/// The report as stored: at most `LISTED_CHANGES` row changes, as JSON.
fn stored_json(report: &ImportReport) -> String {
    let mut stored = report.clone();
    stored.truncate_changes(LISTED_CHANGES);
    stored.truncate_problems(STORED_PROBLEMS);
    serde_json::to_string(&stored).unwrap_or_else(|_| "{}".into())
}

/// Days an undecided preview keeps its file before it is discarded.
pub const PREVIEW_RETENTION_DAYS: i64 = 30;

/// Stores an uploaded file with its preview, waiting for "Übernehmen" or "Verwerfen". A file
/// that could not be read is recorded as rejected, without its bytes.
pub async fn store_upload(
    db: &Db,
    meta: &ImportMeta<'_>,
    content: &[u8],
    report: &ImportReport,
) -> Result<i64, AppError> {
    let state = if report.unreadable() { ImportState::Abgelehnt } else { ImportState::Vorschau };
    let content = (state == ImportState::Vorschau).then_some(content);
    insert_record(db, meta, content, state, report).await
}

/// Records a command-line import that was not applied (errors without `--skip-errors`, or a
/// file that could not be read) as rejected, with its report and without the file: the
/// history then lists every import, as it lists every refused upload.
pub async fn record_refused(db: &Db, meta: &ImportMeta<'_>, report: &ImportReport) -> Result<i64, AppError> {
    insert_record(db, meta, None, ImportState::Abgelehnt, report).await
}

async fn insert_record(
    db: &Db,
    meta: &ImportMeta<'_>,
    content: Option<&[u8]>,
    state: ImportState,
    report: &ImportReport,
) -> Result<i64, AppError> {
    let json = stored_json(report);
    let total = report.total();
    let counts = total_counts(&total);
    let now = Utc::now();
    on_db!(db, pool => {
        // Files wait for a decision at most this long; they may hold staff names (DSGVO).
        sqlx::query("UPDATE imports SET state = 'verworfen', content = NULL, decided_by = $1, decided_at = $2
                      WHERE state = 'vorschau' AND uploaded_at < $3")
            .bind("Aufbewahrungsfrist").bind(now).bind(now - chrono::Duration::days(PREVIEW_RETENTION_DAYS))
            .execute(pool).await?;
        let id: i64 = sqlx::query_scalar(INSERT_IMPORT)
            .bind(meta.file_name).bind(meta.sha256).bind(meta.size_bytes).bind(content).bind(meta.source)
            .bind(state.code()).bind(meta.user).bind(now).bind(None::<String>).bind(None::<DateTime<Utc>>)
            .bind(false).bind(counts[0]).bind(counts[1]).bind(counts[2]).bind(counts[3]).bind(counts[4]).bind(json)
            .fetch_one(pool).await?;
        Ok(id)
    })
}

/// The bytes of a preview that still waits for a decision.
pub async fn pending_file(db: &Db, id: i64) -> Result<(String, Vec<u8>), AppError> {
    let row: Option<(String, String, Option<Vec<u8>>)> = on_db!(db, pool =>
        sqlx::query_as("SELECT file_name, state, content FROM imports WHERE id = $1").bind(id).fetch_optional(pool).await?);
    match row {
        Some((name, state, Some(content))) if state == ImportState::Vorschau.code() => Ok((name, content)),
        Some(_) => Err(conflict()),
        None => Err(AppError::NotFound),
    }
}

/// Closes a waiting preview without applying it (discarded); its stored bytes are dropped.
/// Committing closes the preview inside the import's own transaction (see `run`).
pub async fn close_preview(db: &Db, id: i64, state: ImportState, user: &str) -> Result<bool, AppError> {
    let now = Utc::now();
    let done = on_db!(db, pool => sqlx::query(
        "UPDATE imports SET state = $1, content = NULL, decided_by = $2, decided_at = $3 WHERE id = $4 AND state = 'vorschau'")
        .bind(state.code()).bind(user).bind(now).bind(id).execute(pool).await?.rows_affected());
    Ok(done == 1)
}

/// Replaces a preview's stored report by the report of what was written.
pub async fn set_report(db: &Db, id: i64, report: &ImportReport) -> Result<(), AppError> {
    let json = stored_json(report);
    let counts = total_counts(&report.total());
    on_db!(db, pool => sqlx::query(
        "UPDATE imports SET report = $1, skipped_errors = $2, new_count = $3, changed_count = $4, unchanged_count = $5,
                error_count = $6, warning_count = $7 WHERE id = $8 AND state = 'vorschau'")
        .bind(json).bind(report.skipped_errors).bind(counts[0]).bind(counts[1]).bind(counts[2]).bind(counts[3])
        .bind(counts[4]).bind(id).execute(pool).await.map(|_| ())?);
    Ok(())
}

const ENTRY_COLUMNS: &str = "id, file_name, sha256, size_bytes, source, state, uploaded_by, uploaded_at, decided_by,
    decided_at, new_count, changed_count, unchanged_count, error_count, warning_count";

type EntryRow = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<String>,
    Option<DateTime<Utc>>,
    i64,
    i64,
    i64,
    i64,
    i64,
);

fn entry(row: EntryRow) -> ImportEntry {
    let (
        id,
        file_name,
        sha256,
        size_bytes,
        source,
        state,
        uploaded_by,
        uploaded_at,
        decided_by,
        decided_at,
        n,
        c,
        u,
        e,
        w,
    ) = row;
    ImportEntry {
        id,
        file_name,
        sha256,
        size_bytes,
        source,
        state: ImportState::parse(&state).unwrap_or(ImportState::Abgelehnt),
        uploaded_by,
        uploaded_at,
        decided_by,
        decided_at,
        new_count: n,
        changed_count: c,
        unchanged_count: u,
        error_count: e,
        warning_count: w,
    }
}

/// One page of the import history, newest first; a page past the last shows the last.
pub async fn history(db: &Db, page: i64) -> Result<ImportHistory, AppError> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM imports ORDER BY id DESC LIMIT $1 OFFSET $2");
    let (rows, total, page, pages) = on_db!(db, pool => {
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM imports").fetch_one(pool).await?;
        let (page, pages) = page_of(total, IMPORT_PAGE_SIZE, page);
        let rows: Vec<EntryRow> =
            sqlx::query_as(&sql).bind(IMPORT_PAGE_SIZE).bind((page - 1) * IMPORT_PAGE_SIZE).fetch_all(pool).await?;
        (rows, total, page, pages)
    });
    Ok(ImportHistory { entries: rows.into_iter().map(entry).collect(), total, page, pages })
}

pub async fn detail(db: &Db, id: i64) -> Result<ImportDetail, AppError> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM imports WHERE id = $1");
    let found: Option<(EntryRow, String)> = on_db!(db, pool => {
        let row: Option<EntryRow> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
        match row {
            Some(row) => {
                let report: String =
                    sqlx::query_scalar("SELECT report FROM imports WHERE id = $1").bind(id).fetch_one(pool).await?;
                Some((row, report))
            }
            None => None,
        }
    });
    let (row, report) = found.ok_or(AppError::NotFound)?;
    let report: ImportReport = serde_json::from_str(&report).map_err(|e| {
        tracing::error!(error = %e, id, "stored import report unreadable");
        AppError::Internal
    })?;
    Ok(ImportDetail { entry: entry(row), report })
}
