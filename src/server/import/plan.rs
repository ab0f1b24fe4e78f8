//! From recognised sheets to a plan: every data row is parsed into typed values, checked, and
//! compared with the database's current state (`State`), giving the preview (new rows,
//! changed rows with old -> new per field, unchanged count, problems per cell) and the
//! operations that `db::imports::run` writes in one transaction. Nothing here touches the
//! database, so the rules are tested without one.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::cell::{self, Cell, CellError, Epoch};
use super::header::{self, Detection, Field, Layout};
use super::read::{Chunk, SheetHead};
use crate::api::imports::{
    EnglishValues, FieldChange, ImportReport, Kind, KindCount, LISTED_CHANGES, Msg, Problem, RowChange, SheetInfo,
};
use crate::domain::{
    Ampel, Category, Email, FunctionKind, Lang, LeikaKey, MilestoneNo, Month, OzgId, Phase, Phone, ProjectKey, YEARS,
    fmt_cents, fmt_date, fmt_decimal, fmt_names,
};
use crate::msg;

// ---------------------------------------------------------------------------------------------
// The database's current state, as far as an import needs it (loaded by `db::imports`).

#[derive(Clone, Debug, PartialEq)]
pub struct DepartmentValues {
    pub code: String,
    pub name: String,
}

/// A function as a Lotsen sheet shows it: the department by its code, the holder by name,
/// and the holder's work contact (stored with the person, see README "Gespeicherte
/// Personendaten").
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionValues {
    pub title: String,
    pub department: Option<String>,
    pub person: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A person's name and work contact.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonValues {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A project refers to its department by code and to its Lotse by the function's title, as
/// the sheets do: a department or function that the same file creates has no id yet, and the
/// writer looks the ids up once they are written (as it does for Themenfelder).
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectValues {
    pub title: String,
    pub department: String,
    pub lotse: Option<String>,
    pub category: Category,
    pub phase: Phase,
    pub start_date: NaiveDate,
    pub planned_end: NaiveDate,
    pub percent_done: u8,
    pub ampel: Ampel,
    pub ampel_reason: String,
    pub budget_cents: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneValues {
    pub title: String,
    pub is_key: bool,
    pub baseline: NaiveDate,
    pub forecast: NaiveDate,
    pub actual: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceValues {
    pub ozg_id: String,
    pub leika_key: Option<String>,
    pub name: String,
    pub themenfeld: String,
    pub reifegrad: i64,
    pub online_since: Option<NaiveDate>,
    pub epayment: bool,
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CatalogueValues {
    pub name: String,
    pub themenfeld: String,
    pub lebenslage: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LeikaValues {
    pub leika_key: Option<String>,
    pub leika_text: String,
    pub name: String,
    pub leika_type: String,
    pub ozg_id: Option<String>,
    pub legal_basis: String,
}

#[derive(Debug, Default)]
pub struct State {
    /// In the order they were entered.
    pub departments: Vec<DepartmentValues>,
    /// Every function (Lotse, sponsor, ...) in the order entered: titles are unique across kinds.
    pub functions: Vec<(FunctionKind, FunctionValues)>,
    /// People by `header::normalise`d name; of two people with the same name, the first entered.
    pub people: HashMap<String, PersonValues>,
    /// project key -> (id, version, values)
    pub projects: HashMap<String, (i64, i64, ProjectValues)>,
    /// (project key, `header::match_key` of the milestone title) -> (id, version, position, values)
    pub milestones: HashMap<(String, String), (i64, i64, i64, MilestoneValues)>,
    /// (project key, position) -> (title, day) of milestones deleted on the project page
    pub deleted_milestones: HashMap<(String, i64), (String, NaiveDate)>,
    pub themenfelder: Vec<String>,
    pub maturity_levels: Vec<i64>,
    /// service match key (see `service_match_key`) -> (id, values)
    pub services: HashMap<String, (i64, ServiceValues)>,
    /// `service_match_key` without LeiKa key -> the service's match key
    pub services_by_name: HashMap<String, String>,
    pub ozg_catalogue: HashMap<String, CatalogueValues>,
    pub leika_catalogue: HashMap<String, LeikaValues>,
    /// `usage_key` (LeiKa key and 'YYYY-MM') -> (online, total)
    pub usage: HashMap<String, (i64, i64)>,
    /// The id of the open Stichtag, which new forecasts are recorded under.
    pub open_stichtag: Option<i64>,
}

/// A usage figure's key: one string, so that each row of a usage sheet builds it once for
/// finding duplicates in the file and the stored figure alike.
pub fn usage_key(leika_key: &str, month: impl std::fmt::Display) -> String {
    format!("{leika_key}|{month}")
}

/// Services are matched on their LeiKa key, or on OZG-ID and name where they have none.
pub fn service_match_key(ozg_id: &str, leika_key: Option<&str>, name: &str) -> String {
    match leika_key {
        Some(key) => key.to_string(),
        None => format!("{ozg_id}|{}", header::match_key(name)),
    }
}

// ---------------------------------------------------------------------------------------------
// The plan: operations to write, in `Kind::ALL` order.

/// The values are boxed: a large import holds tens of thousands of ops, and most of them are
/// small usage figures that would otherwise each take the room of a project.
#[derive(Debug, Clone)]
pub enum Op {
    Department {
        values: Box<DepartmentValues>,
        exists: bool,
    },
    Lotse {
        values: Box<FunctionValues>,
        exists: bool,
    },
    Themenfeld {
        name: String,
    },
    OzgCatalogue {
        ozg_id: String,
        values: Box<CatalogueValues>,
        exists: bool,
    },
    LeikaCatalogue {
        catalogue_key: String,
        values: Box<LeikaValues>,
        exists: bool,
    },
    Project {
        key: String,
        existing: Option<(i64, i64)>,
        values: Box<ProjectValues>,
    },
    Milestone {
        project_key: String,
        existing: Option<(i64, i64)>,
        values: Box<MilestoneValues>,
        history: bool,
        reason: String,
    },
    Service {
        existing: Option<i64>,
        values: Box<ServiceValues>,
    },
    Usage {
        leika_key: String,
        month: String,
        online: i64,
        total: i64,
        exists: bool,
    },
}

#[derive(Debug, Default)]
pub struct Plan {
    pub report: ImportReport,
    pub ops: Vec<Op>,
    /// Ops of rows that had errors are kept apart: they are written only when the user
    /// explicitly chooses to skip the faulty rows (then these are dropped, never written).
    pub rows_with_errors: u64,
    /// A digest of everything the plan writes and of what the preview shows (old and new
    /// values, counts, errors), when asked for (see `Planner::new`). Equal digests mean that
    /// "Übernehmen" writes what the user saw. The ops enter by their `Debug` text, so an update
    /// of Leitstand that changes their shape also makes a waiting preview's digest differ: its
    /// "Übernehmen" then shows the preview afresh, and the notice names both causes.
    pub fingerprint: Option<String>,
}

/// Ops handed on while planning goes on; `clean` says whether no row had an error so far.
#[derive(Debug)]
pub struct Batch {
    pub ops: Vec<Op>,
    pub clean: bool,
}

/// Planning under way on another thread: its ops arrive in `Kind::ALL` order, in batches,
/// and `done` gives the plan (report and counts; its ops were all in the batches).
pub struct Planning {
    pub batches: tokio::sync::mpsc::Receiver<Batch>,
    pub done: tokio::task::JoinHandle<Option<Plan>>,
}

// ---------------------------------------------------------------------------------------------
// Reading one row.

struct Row<'a> {
    sheet: &'a str,
    number: u32,
    cells: &'a [Cell],
    layout: &'a Layout,
    headers: &'a [Cell],
    epoch: Epoch,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl<'a> Row<'a> {
    fn cell(&self, column: usize) -> &'a Cell {
        static EMPTY: Cell = Cell::Empty;
        self.cells.get(column).unwrap_or(&EMPTY)
    }

    fn header(&self, column: usize) -> String {
        let shown = self.headers.get(column).map(Cell::display).unwrap_or_default();
        shown.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn problem(&self, column: Option<usize>, value: String, message: Msg) -> Problem {
        Problem::new(self.sheet.to_string(), Some(self.number), column.map(|c| self.header(c)), value, message)
    }

    fn error(&mut self, field: Field, value: String, message: Msg) {
        let problem = self.problem(self.layout.column(field), value, message);
        self.errors.push(problem);
    }

    /// Records that the row lacks a value it must have (see [`required`]).
    fn missing(&mut self, field: Field, de: &str, en: &str) {
        self.error(field, String::new(), required(de, en));
    }

    /// Records an error when `text` is longer than the database keeps (its `CHECK`s): the
    /// preview says so, instead of the commit failing on the constraint.
    fn at_most(&mut self, field: Field, text: &str, max: usize, what: Noun) {
        if text.chars().count() > max {
            self.error(field, text.to_string(), too_long(what, max));
        }
    }

    fn warn(&mut self, field: Option<Field>, value: String, message: Msg) {
        let problem = self.problem(field.and_then(|f| self.layout.column(f)), value, message);
        self.warnings.push(problem);
    }

    /// `None`: the sheet has no such column. `Some(None)`: the cell is blank or invalid (an
    /// invalid cell is recorded as an error).
    fn get<T>(&mut self, field: Field, parse: impl Fn(&Cell) -> Result<Option<T>, CellError>) -> Option<Option<T>> {
        let column = self.layout.column(field)?;
        let cell = self.cell(column);
        match parse(cell) {
            Ok(value) => Some(value),
            Err(e) => {
                let problem = self.problem(Some(column), cell.display(), invalid_value(&e));
                self.errors.push(problem);
                Some(None)
            }
        }
    }

    fn text(&mut self, field: Field) -> Option<Option<String>> {
        self.get(field, cell::text)
    }

    fn date(&mut self, field: Field) -> Option<Option<NaiveDate>> {
        let epoch = self.epoch;
        let value = self.get(field, |c| cell::date(c, epoch))?;
        if let Some(date) = value {
            use chrono::Datelike;
            if !YEARS.contains(&date.year()) {
                self.error(
                    field,
                    fmt_date(date, Lang::De),
                    Msg::new(
                        "Datum außerhalb des erwarteten Bereichs: erwartet wird ein Datum zwischen 2000 und 2100.",
                        "Date out of the expected range: expected a date between 2000 and 2100.",
                    ),
                );
                return Some(None);
            }
        }
        Some(value)
    }

    /// A month with its year, within the years Leitstand plans for (as `date`).
    fn month(&mut self, field: Field) -> Option<Option<Month>> {
        let epoch = self.epoch;
        let value = self.get(field, |c| cell::month(c, epoch))?;
        match value {
            Some((year, month)) if !YEARS.contains(&year) => {
                self.error(
                    field,
                    format!("{month:02}/{year}"),
                    Msg::new(
                        "Monat außerhalb des erwarteten Bereichs: erwartet wird ein Monat zwischen 2000 und 2100.",
                        "Month out of the expected range: expected a month between 2000 and 2100.",
                    ),
                );
                Some(None)
            }
            _ => Some(value.and_then(|(year, month)| month_of(year, month))),
        }
    }

    /// Text that must be one of a fixed list; accepts code, German and English label.
    fn choice<T: Copy>(&mut self, field: Field, all: &[T], names: impl Fn(T) -> [String; 3]) -> Option<Option<T>> {
        let raw = self.text(field)?;
        let raw = raw?;
        let wanted = header::normalise(&raw);
        let found = all.iter().copied().find(|item| names(*item).iter().any(|n| header::normalise(n) == wanted));
        if found.is_none() {
            let allowed = |language: usize| all.iter().map(|item| names(*item)[language].clone()).collect::<Vec<_>>();
            let (de, en) = (allowed(1).join(", "), allowed(2).join(", "));
            self.error(
                field,
                raw,
                msg!("Unbekannter Wert: erwartet wird einer von {de}.", "Unknown value: expected one of {en}."),
            );
        }
        Some(found)
    }

    /// A mandatory OZG-ID, validated; a missing or malformed one is recorded as an error.
    fn required_ozg_id(&mut self, text: Option<String>) -> Option<String> {
        match text.as_deref().map(OzgId::parse) {
            Some(Some(id)) => Some(id.as_str().to_string()),
            Some(None) => {
                let value = text.unwrap_or_default();
                self.error(
                    Field::OzgId,
                    value,
                    Msg::new(
                        "Ungültige OZG-ID: erwartet werden 1 bis 6 Ziffern, z. B. 10000.",
                        "Invalid OZG-ID: expected 1 to 6 digits, e.g. 10000.",
                    ),
                );
                None
            }
            None => {
                self.missing(Field::OzgId, "OZG-ID", "OZG-ID");
                None
            }
        }
    }

    fn finish(self, plan: &mut Plan, count: &mut KindCount) -> bool {
        let ok = self.errors.is_empty();
        count.warnings += self.warnings.len() as u64;
        plan.report.warnings.extend(self.warnings);
        if !ok {
            count.errors += 1;
            plan.rows_with_errors += 1;
            plan.report.errors.extend(self.errors);
        }
        ok
    }
}

fn ampel_names(a: Ampel) -> [String; 3] {
    [a.code().to_string(), a.label(Lang::De).to_string(), a.label(Lang::En).to_string()]
}
fn phase_names(p: Phase) -> [String; 3] {
    [p.code().to_string(), p.label(Lang::De).to_string(), p.label(Lang::En).to_string()]
}
fn category_names(c: Category) -> [String; 3] {
    [c.code().to_string(), c.label(Lang::De).to_string(), c.label(Lang::En).to_string()]
}

// ---------------------------------------------------------------------------------------------
// Diffs: both sides rendered as users read them.

fn date_text(d: NaiveDate) -> String {
    fmt_date(d, Lang::De)
}
fn opt_date_text(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map(|d| fmt_date(d, lang)).unwrap_or_default()
}

/// The fields of one record against another, as `Fields` lists them.
struct Diff<'a, T> {
    old: Option<&'a T>,
    new: &'a T,
    changes: Vec<FieldChange>,
}

impl<'a, T> Diff<'a, T> {
    fn new(old: Option<&'a T>, new: &'a T) -> Self {
        Diff { old, new, changes: Vec::new() }
    }

    /// The field `name`, rendered by `text` from both records; the same in both languages.
    fn field(self, name: &str, text: impl Fn(&T) -> String) -> Self {
        self.shown(name, |v, _| text(v))
    }

    /// The field `name`, rendered by `text` from both records in each language. Compared in
    /// German; the English wording is kept only where it reads differently.
    fn shown(mut self, name: &str, text: impl Fn(&T, Lang) -> String) -> Self {
        let new = text(self.new, Lang::De);
        match self.old.map(|v| text(v, Lang::De)) {
            Some(old) if old == new => {}
            // A new record lists only the values it has.
            None if new.is_empty() => {}
            old => {
                let old = old.unwrap_or_default();
                let en = EnglishValues {
                    old: self.old.map(|v| text(v, Lang::En)).unwrap_or_default(),
                    new: text(self.new, Lang::En),
                };
                let en = (en.old != old || en.new != new).then_some(en);
                self.changes.push(FieldChange { field: name.to_string(), old, new, en });
            }
        }
        self
    }
}

fn cents_text(cents: Option<i64>, lang: Lang) -> String {
    cents.map(|c| fmt_cents(c, lang)).unwrap_or_default()
}

/// A record's fields as the preview shows them: against the stored record the fields that
/// differ, for a new record (`old` is `None`) every field that has a value. Key fields are
/// left out: the preview shows the key on its own.
trait Fields {
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange>;
}

impl Fields for DepartmentValues {
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        Diff::new(old, new).field("Name", |v| v.name.clone()).changes
    }
}

impl Fields for FunctionValues {
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        Diff::new(old, new)
            .field("Fachbereich", |v| v.department.clone().unwrap_or_default())
            .field("Person", |v| v.person.clone().unwrap_or_default())
            .field("E-Mail", |v| v.email.clone().unwrap_or_default())
            .field("Telefon", |v| v.phone.clone().unwrap_or_default())
            .changes
    }
}

impl Fields for CatalogueValues {
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        Diff::new(old, new)
            .field("OZG-Leistung", |v| v.name.clone())
            .field("Themenfeld", |v| v.themenfeld.clone())
            .field("Lebenslage", |v| v.lebenslage.clone().unwrap_or_default())
            .changes
    }
}

impl Fields for LeikaValues {
    /// The preview shows a row by its LeiKa text and name. The OZG-ID matches the row too, so
    /// it never differs from a stored row's, but a new row lists it.
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        Diff::new(old, new)
            .field("OZG-ID", |v| v.ozg_id.clone().unwrap_or_default())
            .field("LeiKa-Typ", |v| v.leika_type.clone())
            .field("Rechtsgrundlage", |v| v.legal_basis.clone())
            .changes
    }
}

impl Fields for ProjectValues {
    /// Departments and Lotsen are named by code and title, so the diff needs nothing beyond
    /// the two values.
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        Diff::new(old, new)
            .field("Titel", |v| v.title.clone())
            .field("Fachbereich", |v| v.department.clone())
            .field("Lotse", |v| v.lotse.clone().unwrap_or_default())
            .shown("Kategorie", |v, lang| v.category.label(lang).into())
            .shown("Phase", |v, lang| v.phase.label(lang).into())
            .shown("Start", |v, lang| fmt_date(v.start_date, lang))
            .shown("Planende", |v, lang| fmt_date(v.planned_end, lang))
            .field("Fertigstellung", |v| format!("{} %", v.percent_done))
            .shown("Ampel", |v, lang| v.ampel.label(lang).into())
            .field("Ampel-Begründung", |v| v.ampel_reason.clone())
            .shown("Budget", |v, lang| cents_text(v.budget_cents, lang))
            .changes
    }
}

impl Fields for MilestoneValues {
    /// A new milestone's title is part of its key (project and milestone) and shown with it;
    /// a stored one's changes when a row renames it by its Meilenstein-Nr.
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        let diff = Diff::new(old, new);
        let diff = if old.is_some() { diff.field("Meilenstein", |v| v.title.clone()) } else { diff };
        diff.shown("Schlüsselmeilenstein", |v, lang| yes_no(v.is_key, lang))
            .shown("Plantermin", |v, lang| fmt_date(v.baseline, lang))
            .shown("Prognose", |v, lang| fmt_date(v.forecast, lang))
            .shown("Ist-Termin", |v, lang| opt_date_text(v.actual, lang))
            .changes
    }
}

impl Fields for ServiceValues {
    /// The LeiKa key is the key; a service without one is shown by OZG-ID and name, which
    /// are listed anyway.
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        Diff::new(old, new)
            .field("OZG-ID", |v| v.ozg_id.clone())
            .field("Leistung", |v| v.name.clone())
            .field("Themenfeld", |v| v.themenfeld.clone())
            .field("Reifegrad", |v| v.reifegrad.to_string())
            .shown("Online seit", |v, lang| opt_date_text(v.online_since, lang))
            .shown("E-Payment", |v, lang| yes_no(v.epayment, lang))
            .field("URL", |v| v.url.clone().unwrap_or_default())
            .changes
    }
}

/// A usage figure: online applications and applications in total.
impl Fields for (i64, i64) {
    fn fields(old: Option<&Self>, new: &Self) -> Vec<FieldChange> {
        Diff::new(old, new).field("Online", |v| v.0.to_string()).field("Gesamt", |v| v.1.to_string()).changes
    }
}

/// What a checked row does: add a record, or update a stored one. An update whose fields
/// all agree with the stored record leaves the row unchanged.
enum Outcome {
    New { fields: Vec<FieldChange>, op: Op },
    Existing { changed: Vec<FieldChange>, op: Op },
}

/// What the heads of a workbook's sheets say: which sheet holds what and where its header
/// row is, the order in which the sheets are planned, and the problems found on the way. It
/// needs no database, so the reader knows which sheets to read while the state still loads.
pub struct Survey {
    epoch: Epoch,
    plan: Plan,
    /// Counts per kind; `None` holds the notes on sheets that are no kind.
    counts: HashMap<Option<Kind>, KindCount>,
    /// Recognised sheets in planning order (`Kind::ALL`, then file order): index, layout and
    /// the header row's cells.
    recognised: Vec<(usize, Layout, Vec<Cell>)>,
    extents: Vec<Extent>,
}

/// Where a recognised sheet's data rows start and how many rows it claims (see
/// `SheetHead::rows_claimed`): what a check's progress is counted against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extent {
    pub index: usize,
    /// 0-based: the row below the header row.
    pub first_data_row: usize,
    pub rows_claimed: Option<usize>,
}

impl Survey {
    pub fn extents(&self) -> &[Extent] {
        &self.extents
    }

    /// The sheets to read, in the order they are planned: a project sheet is known before the
    /// milestone sheet that refers to it, whatever the order of the sheets in the file.
    pub fn order(&self) -> Vec<usize> {
        self.recognised.iter().map(|(index, ..)| *index).collect()
    }
}

pub fn survey(heads: &[SheetHead], epoch: Epoch) -> Survey {
    let mut plan = Plan::default();
    let mut counts: HashMap<Option<Kind>, KindCount> = HashMap::new();
    let mut recognised = Vec::new();
    let mut extents = Vec::new();
    for (index, sheet) in heads.iter().enumerate() {
        let mut info = SheetInfo {
            name: sheet.name.clone(),
            kind: None,
            header_row: None,
            data_rows: 0,
            ignored_columns: Vec::new(),
            missing_columns: Vec::new(),
            doubled_columns: Vec::new(),
        };
        // Leitstand's own templates carry instructions (with an example row) and the
        // drop-down lists on these sheets; they are never data.
        let sheet_key = header::normalise(&sheet.name);
        if sheet_key.starts_with("anleitung") || sheet_key == "listen" {
            plan.report.sheets.push(info);
            continue;
        }
        match header::detect(&sheet.name, &sheet.rows, epoch) {
            Detection::Found(layout) => {
                info.kind = Some(layout.kind);
                info.header_row = Some(layout.header_row as u32 + 1);
                info.ignored_columns = layout.ignored.clone();
                if !layout.ignored.is_empty() {
                    // Counted with its kind, so that the count table and the list of notes
                    // agree.
                    counts.entry(Some(layout.kind)).or_default().warnings += 1;
                    plan.report.warnings.push(Problem::new(
                        sheet.name.clone(),
                        Some(layout.header_row as u32 + 1),
                        None,
                        layout.ignored.join(", "),
                        Msg::new(
                            "Diese Spalten werden nicht gelesen und bleiben unberücksichtigt.",
                            "These columns are not read and are left out.",
                        ),
                    ));
                }
                let headers = sheet.rows[layout.header_row].clone();
                extents.push(Extent { index, first_data_row: layout.header_row + 1, rows_claimed: sheet.rows_claimed });
                recognised.push((index, layout, headers));
            }
            Detection::MissingColumns { kind, header_row, missing, found } => {
                info.kind = Some(kind);
                info.header_row = Some(header_row as u32 + 1);
                info.missing_columns = missing.iter().map(|m| m.to_string()).collect();
                let (kind_de, kind_en) = (kind.label(Lang::De), kind.label(Lang::En));
                let missing = fmt_names(&missing);
                let (found_de, found_en) = match found.is_empty() {
                    true => ("keine".to_string(), "none".to_string()),
                    false => (found.join(", "), found.join(", ")),
                };
                plan.report.errors.push(Problem::new(
                    sheet.name.clone(),
                    Some(header_row as u32 + 1),
                    None,
                    found.join(", "),
                    msg!(
                        "Das Blatt sieht nach »{kind_de}« aus, aber es fehlt die Pflichtspalte {missing}. Gefundene Spalten: {found_de}.",
                        "The sheet looks like »{kind_en}«, but the required column {missing} is missing. Columns found: {found_en}.",
                    ),
                ));
                counts.entry(Some(kind)).or_default().errors += 1;
                plan.rows_with_errors += 1;
            }
            Detection::DoubledColumns { kind, header_row, field, headers } => {
                info.kind = Some(kind);
                info.header_row = Some(header_row as u32 + 1);
                info.doubled_columns = vec![field.to_string()];
                let listed = fmt_names(&headers);
                plan.report.errors.push(Problem::new(
                    sheet.name.clone(),
                    Some(header_row as u32 + 1),
                    Some(field.to_string()),
                    headers.join(", "),
                    msg!(
                        "Die Spalten {listed} stehen alle für »{field}«; welche gilt, ist nicht eindeutig. Erwartet wird eine Spalte je Angabe: Löschen Sie die übrigen oder benennen Sie sie um (z. B. »{field} alt«, die dann nicht gelesen wird).",
                        "The columns {listed} all stand for »{field}«; which one counts is ambiguous. Expected is one column per field: delete the others or rename them (e.g. »{field} alt«, which is then not read).",
                    ),
                ));
                counts.entry(Some(kind)).or_default().errors += 1;
                plan.rows_with_errors += 1;
            }
            Detection::NotRecognised { found } => {
                if !found.is_empty() {
                    counts.entry(None).or_default().warnings += 1;
                    plan.report.warnings.push(Problem::new(
                        sheet.name.clone(),
                        None,
                        None,
                        found.iter().take(12).cloned().collect::<Vec<_>>().join(", "),
                        Msg::new(
                            "Blatt nicht erkannt (keine bekannte Kopfzeile in den ersten 20 Zeilen); es wird übersprungen.",
                            "Sheet not recognised (no known header row in the first 20 rows); it is skipped.",
                        ),
                    ));
                }
            }
        }
        plan.report.sheets.push(info);
    }
    if heads.iter().all(|s| !s.more && s.rows.iter().all(|r| is_blank_row(r))) {
        plan.report.errors.push(Problem::of_file(
            String::new(),
            Msg::new(
                "Die Datei enthält keine Daten: alle Blätter sind leer.",
                "The file holds no data: all sheets are empty.",
            ),
        ));
        plan.rows_with_errors += 1;
    } else if recognised.is_empty() && plan.report.errors.is_empty() {
        plan.report.errors.push(Problem::of_file(
            String::new(),
            Msg::new(
                "Kein Blatt wurde erkannt. Erwartet werden Kopfzeilen wie in den Vorlagen, z. B. »Projekt-Nr«, »Titel« für Projekte oder »Projekt-Nr«, »Meilenstein«, »Plantermin« für Meilensteine.",
                "No sheet was recognised. Expected are header rows as in the templates, e.g. »Projekt-Nr«, »Titel« for projects or »Projekt-Nr«, »Meilenstein«, »Plantermin« for milestones.",
            ),
        ));
        plan.rows_with_errors += 1;
    }
    recognised.sort_by_key(|(index, layout, _)| (layout.kind, *index));
    Survey { epoch, plan, counts, recognised, extents }
}

/// Shared context while planning one workbook, fed chunk by chunk (see `Planner::rows`).
pub struct Planner<'s> {
    state: &'s State,
    today: NaiveDate,
    epoch: Epoch,
    plan: Plan,
    counts: HashMap<Option<Kind>, KindCount>,
    /// Recognised sheets by index: layout and header row.
    layouts: HashMap<usize, (Layout, Vec<Cell>)>,
    /// The rows of a wide usage sheet, which is planned as a whole (pairs of rows per service).
    wide_rows: Vec<Vec<Cell>>,
    /// Digest of the ops handed on so far, when a fingerprint is wanted.
    digest: Option<Sha256>,
    /// Keys seen in this file, per kind, with the row they came from (duplicates are errors):
    /// the sheet as an index into `seen_sheets`, as a large file has tens of thousands of keys.
    seen: HashMap<(Kind, Box<str>), (u32, u32)>,
    seen_sheets: Vec<String>,
    /// Project keys and service LeiKa keys that valid rows of this file create.
    new_projects: HashSet<String>,
    new_services: HashSet<String>,
    /// Every Themenfeld known so far (database and this file), by normalised name.
    themenfelder: HashMap<String, String>,
    /// OZG-IDs of valid catalogue rows of this file, with their Themenfeld.
    new_ozg: HashMap<String, String>,
    /// Occurrences of each LeiKa catalogue row content: (count so far, first row).
    leika_occurrences: HashMap<String, (u32, u32)>,
    /// Forecasts this file records while no Stichtag is open: the first sheet and how many.
    unfiled_forecasts: Option<(String, u32)>,
    /// Cells of a »Meilenstein-Nr« column that hold no number of Leitstand's (a department's own
    /// numbering): the first one as a problem to show, and how many there were.
    foreign_numbers: Option<(Problem, u32)>,
    /// (project key, position) -> key of `State::milestones`: how a Meilenstein-Nr finds its
    /// milestone. Built for the first row with such a number, borrowing the state's strings.
    milestone_numbers: Option<HashMap<(&'s str, i64), &'s str>>,
    /// Departments known so far (database, then valid rows of this file).
    departments: Vec<DepartmentValues>,
    /// Lotse functions known so far (database, then valid rows of this file): title, holder.
    lotsen: Vec<(String, Option<String>)>,
    /// People known so far by normalised name, with the contact a Lotsen row left them with.
    people: HashMap<String, PersonValues>,
}

impl<'s> Planner<'s> {
    /// A planner for the sheets of `survey`; with `fingerprint` it also computes
    /// `Plan::fingerprint` (a preview and the commit of a preview compare it).
    pub fn new(state: &'s State, today: NaiveDate, survey: Survey, fingerprint: bool) -> Self {
        Planner {
            state,
            today,
            epoch: survey.epoch,
            plan: survey.plan,
            counts: survey.counts,
            layouts: survey.recognised.into_iter().map(|(index, layout, headers)| (index, (layout, headers))).collect(),
            wide_rows: Vec::new(),
            digest: fingerprint.then(Sha256::new),
            seen: HashMap::new(),
            seen_sheets: Vec::new(),
            new_projects: HashSet::new(),
            new_services: HashSet::new(),
            themenfelder: state.themenfelder.iter().map(|t| (header::normalise(t), t.clone())).collect(),
            new_ozg: HashMap::new(),
            leika_occurrences: HashMap::new(),
            unfiled_forecasts: None,
            foreign_numbers: None,
            milestone_numbers: None,
            departments: state.departments.clone(),
            lotsen: state
                .functions
                .iter()
                .filter(|(kind, _)| *kind == FunctionKind::Lotse)
                .map(|(_, f)| (f.title.clone(), f.person.clone()))
                .collect(),
            people: state.people.clone(),
        }
    }

    /// Plans the rows of a chunk of sheet `index`; sheets come in `Survey::order`, each
    /// followed by `sheet_done`.
    pub fn rows(&mut self, index: usize, chunk: Chunk) {
        let Some((layout, headers)) = self.layouts.remove(&index) else { return };
        let filled = chunk
            .rows
            .iter()
            .enumerate()
            .filter(|(i, cells)| chunk.first + i > layout.header_row && !is_blank_row(cells))
            .count();
        if let Some(info) = self.plan.report.sheets.get_mut(index) {
            info.data_rows += filled as u32;
        }
        if layout.kind == Kind::Nutzung && !layout.months.is_empty() {
            self.wide_rows.resize_with(chunk.first, Vec::new);
            self.wide_rows.extend(chunk.rows);
        } else {
            let name = self.plan.report.sheets.get(index).map(|s| s.name.clone()).unwrap_or_default();
            for (offset, cells) in chunk.rows.iter().enumerate() {
                let number = chunk.first + offset;
                if number <= layout.header_row || is_blank_row(cells) {
                    continue;
                }
                let row = Row {
                    sheet: &name,
                    number: number as u32 + 1,
                    cells,
                    layout: &layout,
                    headers: &headers,
                    epoch: self.epoch,
                    errors: Vec::new(),
                    warnings: Vec::new(),
                };
                match layout.kind {
                    Kind::Fachbereiche => self.department_row(row),
                    Kind::Lotsen => self.lotse_row(row),
                    Kind::Themenfelder => self.themenfeld(row),
                    Kind::OzgKatalog => self.ozg_catalogue(row),
                    Kind::LeikaKatalog => self.leika_catalogue(row),
                    Kind::Projekte => self.project(row),
                    Kind::Meilensteine => self.milestone(row),
                    Kind::Leistungen => self.service(row),
                    Kind::Nutzung => self.usage(row),
                }
            }
        }
        self.layouts.insert(index, (layout, headers));
    }

    /// Ends sheet `index`: a wide usage sheet is planned now that all its rows are there.
    pub fn sheet_done(&mut self, index: usize) {
        let Some((layout, _)) = self.layouts.remove(&index) else { return };
        if layout.kind == Kind::Nutzung && !layout.months.is_empty() {
            let mut rows = std::mem::take(&mut self.wide_rows);
            rows.resize_with(rows.len().max(layout.header_row + 1), Vec::new);
            let name = self.plan.report.sheets.get(index).map(|s| s.name.clone()).unwrap_or_default();
            self.wide_usage(&name, &rows, &layout, self.epoch);
        }
    }

    /// The ops planned since the last call, in `Kind::ALL` order.
    pub fn take_ops(&mut self) -> Vec<Op> {
        let ops = std::mem::take(&mut self.plan.ops);
        if let Some(digest) = &mut self.digest {
            for op in &ops {
                digest.update(format!("{op:?}\n").as_bytes());
            }
        }
        ops
    }

    pub fn pending_ops(&self) -> usize {
        self.plan.ops.len()
    }

    /// Whether no row and no sheet had an error so far.
    pub fn clean(&self) -> bool {
        self.plan.rows_with_errors == 0 && self.plan.report.errors.is_empty()
    }

    /// The plan, with its counts per kind; ops not yet taken stay in it.
    pub fn finish(mut self) -> Plan {
        if let Some((sheet, count)) = self.unfiled_forecasts.take() {
            // The MTA draws forecasts per Stichtag; recorded without one, they would silently
            // not appear there. Saying so lets the staff open a Stichtag first.
            self.count(Kind::Meilensteine).warnings += 1;
            let message = if count == 1 {
                Msg::new(
                    "Es ist kein Stichtag offen: 1 neue oder geänderte Prognose kommt in den Prognoseverlauf, aber zu keinem Stichtag, und erscheint deshalb nicht in der Meilensteintrendanalyse. Soll sie dort erscheinen, eröffnen Sie vor dem Übernehmen unter »Stichtage« einen Stichtag; ein späterer Import derselben Datei fügt den Punkt nicht mehr hinzu.",
                    "No reporting date is open: 1 new or changed forecast goes into the forecast history, but to no reporting date, and so does not appear in the milestone trend analysis. For it to appear there, open a reporting date under »Reporting dates« before applying; a later import of the same file does not add the point again.",
                )
            } else {
                msg!(
                    "Es ist kein Stichtag offen: {count} neue oder geänderte Prognosen kommen in den Prognoseverlauf, aber zu keinem Stichtag, und erscheinen deshalb nicht in der Meilensteintrendanalyse. Sollen sie dort erscheinen, eröffnen Sie vor dem Übernehmen unter »Stichtage« einen Stichtag; ein späterer Import derselben Datei fügt die Punkte nicht mehr hinzu.",
                    "No reporting date is open: {count} new or changed forecasts go into the forecast history, but to no reporting date, and so do not appear in the milestone trend analysis. For them to appear there, open a reporting date under »Reporting dates« before applying; a later import of the same file does not add the points again.",
                )
            };
            self.plan.report.warnings.push(Problem::new(sheet, None, None, String::new(), message));
        }
        if let Some((mut first, count)) = self.foreign_numbers.take() {
            // One note for the column, at its first such cell, rather than one per row: a
            // department's own numbering fills the whole column.
            self.count(Kind::Meilensteine).warnings += 1;
            let message = match count - 1 {
                0 => Msg::new(
                    "Keine Meilenstein-Nr aus Leitstand (erwartet wie im Export: Projekt-Nr/laufende Nummer, z. B. DIG-0042/3). Die Zeile wird über den Namen des Meilensteins zugeordnet; eine eigene Nummerierung ändert nichts.",
                    "No Meilenstein-Nr of Leitstand's (expected as in the export: project key/running number, e.g. DIG-0042/3). The row is matched by the milestone's name; a numbering of your own changes nothing.",
                ),
                more => msg!(
                    "Diese und {more} weitere Zellen der Spalte enthalten keine Meilenstein-Nr aus Leitstand (erwartet wie im Export: Projekt-Nr/laufende Nummer, z. B. DIG-0042/3). Diese Zeilen werden über den Namen des Meilensteins zugeordnet; eine eigene Nummerierung ändert nichts.",
                    "This and {more} more cells of the column hold no Meilenstein-Nr of Leitstand's (expected as in the export: project key/running number, e.g. DIG-0042/3). These rows are matched by the milestone's name; a numbering of your own changes nothing.",
                ),
            };
            (first.message, first.message_en) = (message.de, message.en);
            self.plan.report.warnings.push(first);
        }
        let ops = self.take_ops();
        let mut plan = self.plan;
        plan.ops = ops;
        // Kinds in their order, then the sheets that are no kind (only when one has a note).
        plan.report.kinds = Kind::ALL
            .into_iter()
            .map(Some)
            .chain([None])
            .filter_map(|kind| self.counts.remove(&kind).map(|c| KindCount { kind, ..c }))
            .collect();
        if let Some(mut digest) = self.digest {
            let report = &plan.report;
            digest.update(
                format!("{:?}{:?}{:?}{}", report.kinds, report.changes, report.errors, report.changes_omitted)
                    .as_bytes(),
            );
            plan.fingerprint = Some(super::hex(&digest.finalize()));
        }
        plan
    }

    fn count(&mut self, kind: Kind) -> &mut KindCount {
        self.counts.entry(Some(kind)).or_default()
    }

    /// Records a row's outcome: problems, counts, and the change for the preview.
    fn settle(&mut self, kind: Kind, row: Row<'_>, key: String, outcome: Option<Outcome>) {
        let sheet = row.sheet;
        let number = row.number;
        let mut count = std::mem::take(self.count(kind));
        let ok = row.finish(&mut self.plan, &mut count);
        if ok {
            let (is_new, fields, op) = match outcome {
                Some(Outcome::New { fields, op }) => (true, fields, op),
                Some(Outcome::Existing { changed, op }) if !changed.is_empty() => (false, changed, op),
                _ => {
                    count.unchanged += 1;
                    *self.count(kind) = count;
                    return;
                }
            };
            if is_new {
                count.new += 1;
            } else {
                count.changed += 1;
            }
            if matches!(op, Op::Milestone { history: true, .. }) && self.state.open_stichtag.is_none() {
                self.unfiled_forecasts.get_or_insert_with(|| (sheet.to_string(), 0)).1 += 1;
            }
            if self.listing() {
                let sheet = sheet.to_string();
                self.plan.report.changes.push(RowChange { kind, sheet, row: number, key, is_new, fields });
            } else {
                self.plan.report.changes_omitted += 1;
            }
            self.plan.ops.push(op);
        }
        *self.count(kind) = count;
    }

    /// The first occurrence of a key in the file wins; later ones are errors naming it. The
    /// error shows `value`, the row's own words: the key is a normalised form nobody wrote.
    fn first_occurrence(&mut self, kind: Kind, key: &str, row: &mut Row<'_>, field: Field, value: &str) -> bool {
        use std::collections::hash_map::Entry;
        match self.seen.entry((kind, key.into())) {
            Entry::Occupied(seen) => {
                let (sheet, first) = *seen.get();
                let sheet = self.seen_sheets.get(sheet as usize).map_or("", String::as_str);
                let (de, en) = duplicate_subject(kind);
                let message = msg!(
                    "Doppelter Eintrag: {de} steht schon in Blatt »{sheet}«, Zeile {first}; erwartet wird eine Zeile je Eintrag.",
                    "Duplicate entry: {en} is already in sheet »{sheet}«, row {first}; expected one row per entry.",
                );
                row.error(field, value.to_string(), message);
                false
            }
            Entry::Vacant(slot) => {
                // Sheets are planned one after another, so the last name is the one to reuse.
                if self.seen_sheets.last().is_none_or(|last| last != row.sheet) {
                    self.seen_sheets.push(row.sheet.to_string());
                }
                slot.insert((self.seen_sheets.len() as u32 - 1, row.number));
                true
            }
        }
    }

    /// The stored milestone a row's »Meilenstein-Nr« names, as its key in `State::milestones`:
    /// `Some(None)` when the row has no such number (it is matched by name), `None` after an
    /// error. A cell that holds no number of Leitstand's is a department's own numbering: noted
    /// once for the column, and the row is matched by name.
    fn milestone_by_number(&mut self, row: &mut Row<'_>, project_key: &str) -> Option<Option<String>> {
        let Some(raw) = row.text(Field::MilestoneNo).flatten() else { return Some(None) };
        let Some(number) = MilestoneNo::parse(&raw) else {
            match &mut self.foreign_numbers {
                Some((_, count)) => *count += 1,
                None => {
                    let column = row.layout.column(Field::MilestoneNo);
                    let first = row.problem(column, raw, Msg::new("", ""));
                    self.foreign_numbers = Some((first, 1));
                }
            }
            return Some(None);
        };
        let other = number.project().as_str();
        if other != project_key {
            let message = msg!(
                "Die Meilenstein-Nr gehört zu Projekt {other}, die Zeile nennt {project_key}: erwartet wird eine Nummer dieses Projekts, wie sie der Export schreibt, oder eine leere Zelle für einen neuen Meilenstein.",
                "The Meilenstein-Nr belongs to project {other}, the row names {project_key}: expected a number of this project as the export writes it, or an empty cell for a new milestone.",
            );
            row.error(Field::MilestoneNo, raw, message);
            return None;
        }
        let state = self.state;
        let numbers = self.milestone_numbers.get_or_insert_with(|| {
            state
                .milestones
                .iter()
                .map(|((project, title), (_, _, position, _))| ((project.as_str(), *position), title.as_str()))
                .collect()
        });
        if let Some(key) = numbers.get(&(project_key, number.position())) {
            return Some(Some(key.to_string()));
        }
        let n = number.number();
        // A number deleted on the project page is never given again: the row is an old one.
        let message = match state.deleted_milestones.get(&(project_key.to_string(), number.position())) {
            Some((title, day)) => {
                let (de, en) = (fmt_date(*day, Lang::De), fmt_date(*day, Lang::En));
                msg!(
                    "Meilenstein Nr. {n} von Projekt {project_key} (»{title}«) wurde am {de} gelöscht: erwartet wird die Nummer eines bestehenden Meilensteins oder eine leere Zelle für einen neuen.",
                    "Milestone no. {n} of project {project_key} (»{title}«) was deleted on {en}: expected the number of an existing milestone, or an empty cell for a new one.",
                )
            }
            None => msg!(
                "Projekt {project_key} hat keinen Meilenstein Nr. {n}: erwartet wird eine Nummer, wie sie der Export schreibt, oder eine leere Zelle für einen neuen Meilenstein.",
                "Project {project_key} has no milestone no. {n}: expected a number as the export writes it, or an empty cell for a new milestone.",
            ),
        };
        row.error(Field::MilestoneNo, raw, message);
        None
    }

    /// Whether the next change is listed in the report (see `LISTED_CHANGES`). The key a
    /// listed change shows is only worth formatting then: most rows of a large file are counted.
    fn listing(&self) -> bool {
        self.plan.report.changes.len() < LISTED_CHANGES
    }

    /// A new record's values for the preview, worth formatting only when the change is listed.
    fn new_fields<T: Fields>(&self, values: &T) -> Vec<FieldChange> {
        if self.listing() { T::fields(None, values) } else { Vec::new() }
    }

    fn themenfeld_known(&self, name: &str) -> Option<String> {
        self.themenfelder.get(&header::normalise(name)).cloned()
    }

    fn themenfeld(&mut self, mut row: Row<'_>) {
        let name = row.text(Field::Themenfeld).flatten();
        let Some(name) = name else {
            row.missing(Field::Themenfeld, "Name des Themenfelds", "name of the subject area");
            return self.settle(Kind::Themenfelder, row, String::new(), None);
        };
        if !self.first_occurrence(Kind::Themenfelder, &header::normalise(&name), &mut row, Field::Themenfeld, &name) {
            return self.settle(Kind::Themenfelder, row, name, None);
        }
        let outcome = match self.themenfeld_known(&name) {
            Some(_) => Some(Outcome::Existing { changed: Vec::new(), op: Op::Themenfeld { name: name.clone() } }),
            None => {
                self.themenfelder.insert(header::normalise(&name), name.clone());
                Some(Outcome::New { fields: Vec::new(), op: Op::Themenfeld { name: name.clone() } })
            }
        };
        self.settle(Kind::Themenfelder, row, name, outcome);
    }

    /// A Themenfeld named by a catalogue row that no sheet lists is created with it.
    fn ensure_themenfeld(&mut self, name: &str) -> String {
        if let Some(known) = self.themenfeld_known(name) {
            return known;
        }
        self.themenfelder.insert(header::normalise(name), name.to_string());
        self.count(Kind::Themenfelder).new += 1;
        self.plan.ops.push(Op::Themenfeld { name: name.to_string() });
        name.to_string()
    }

    fn ozg_catalogue(&mut self, mut row: Row<'_>) {
        let id = row.text(Field::OzgId).flatten();
        let name = row.text(Field::ServiceName).flatten();
        let lebenslage = row.text(Field::Lebenslage).flatten();
        let themenfeld = row.text(Field::Themenfeld).flatten();
        let ozg_id = row.required_ozg_id(id);
        if name.is_none() {
            row.missing(Field::ServiceName, "Name der OZG-Leistung", "name of the OZG service");
        }
        if let Some(name) = &name {
            row.at_most(Field::ServiceName, name, 500, TEXT);
        }
        if themenfeld.is_none() {
            row.missing(Field::Themenfeld, "Themenfeld", "subject area (Themenfeld)");
        }
        let key = ozg_id.clone().unwrap_or_default();
        if !row.errors.is_empty() || !self.first_occurrence(Kind::OzgKatalog, &key, &mut row, Field::OzgId, &key) {
            return self.settle(Kind::OzgKatalog, row, key, None);
        }
        let (Some(name), Some(themenfeld)) = (name, themenfeld) else { return };
        let themenfeld = self.ensure_themenfeld(&themenfeld);
        let values = CatalogueValues { name, themenfeld, lebenslage };
        self.new_ozg.insert(key.clone(), values.themenfeld.clone());
        let outcome = match self.state.ozg_catalogue.get(&key) {
            Some(old) => Some(Outcome::Existing {
                changed: Fields::fields(Some(old), &values),
                op: Op::OzgCatalogue { ozg_id: key.clone(), values: Box::new(values), exists: true },
            }),
            None => Some(Outcome::New {
                fields: self.new_fields(&values),
                op: Op::OzgCatalogue { ozg_id: key.clone(), values: Box::new(values), exists: false },
            }),
        };
        self.settle(Kind::OzgKatalog, row, key, outcome);
    }

    fn leika_catalogue(&mut self, mut row: Row<'_>) {
        let text = row.text(Field::LeikaKey).flatten().unwrap_or_default();
        let name = row.text(Field::ServiceName).flatten();
        let leika_type = row.text(Field::LeikaType).flatten().unwrap_or_default();
        let ozg_text = row.text(Field::OzgId).flatten();
        let legal_basis = row.text(Field::LegalBasis).flatten().unwrap_or_default();
        let Some(name) = name else {
            row.missing(Field::ServiceName, "Name der LeiKa-Leistung", "name of the LeiKa service");
            return self.settle(Kind::LeikaKatalog, row, text, None);
        };
        row.at_most(Field::ServiceName, &name, 500, TEXT);
        let leika_key = LeikaKey::parse(&text).map(|k| k.as_str().to_string());
        if leika_key.is_none() {
            if header::normalise(&text) == "nichtimleika" {
                row.warn(
                    Some(Field::LeikaKey),
                    text.clone(),
                    Msg::new(
                        "Leistung ohne LeiKa-Schlüssel (»nicht im LeiKa«): wird ohne Schlüssel übernommen.",
                        "Service without a LeiKa key (»nicht im LeiKa«): applied without a key.",
                    ),
                );
            } else if shortened_by_excel(&text) {
                // Unlike an odd key, the row's own key is lost: applied without it, the row
                // would no longer match its stored self on the next import.
                row.error(Field::LeikaKey, text.clone(), invalid_leika_key(&text));
            } else {
                row.warn(
                    Some(Field::LeikaKey),
                    text.clone(),
                    Msg::new(
                        "Ungewöhnlicher LeiKa-Schlüssel (erwartet werden 14 Ziffern, beginnend mit 99): wird ohne gültigen Schlüssel übernommen.",
                        "Unusual LeiKa key (expected are 14 digits starting with 99): applied without a valid key.",
                    ),
                );
            }
        }
        let usual_types = ["1", "2", "2a", "2b", "2/3", "3", "3a", "3b", "4", "5", "6", "7", "8", "9", "10"];
        if !usual_types.contains(&leika_type.trim()) {
            row.warn(
                Some(Field::LeikaType),
                leika_type.clone(),
                Msg::new(
                    "Ungewöhnlicher LeiKa-Typ (erwartet wird ein Typ wie 1, 2/3, 4 oder 5): wird so übernommen.",
                    "Unusual LeiKa type (expected a type such as 1, 2/3, 4 or 5): applied as it is.",
                ),
            );
        }
        let ozg_id = match ozg_text.as_deref().map(OzgId::parse) {
            Some(Some(id)) => {
                let id = id.as_str().to_string();
                if !self.state.ozg_catalogue.contains_key(&id) && !self.new_ozg.contains_key(&id) {
                    let message =
                        Msg::new("OZG-ID ist nicht im OZG-Katalog.", "The OZG-ID is not in the OZG catalogue.");
                    row.warn(Some(Field::OzgId), id.clone(), message);
                }
                Some(id)
            }
            Some(None) => {
                row.warn(
                    Some(Field::OzgId),
                    ozg_text.clone().unwrap_or_default(),
                    Msg::new(
                        "Ungültige OZG-ID: wird ohne Zuordnung übernommen.",
                        "Invalid OZG-ID: applied without the link to the OZG catalogue.",
                    ),
                );
                None
            }
            None => {
                if row.layout.column(Field::OzgId).is_some() {
                    row.warn(
                        Some(Field::OzgId),
                        String::new(),
                        Msg::new(
                            "LeiKa-Leistung ohne OZG-ID: wird ohne Zuordnung übernommen.",
                            "LeiKa service without an OZG-ID: applied without the link to the OZG catalogue.",
                        ),
                    );
                }
                None
            }
        };
        // Real catalogues repeat rows; the occurrence number keeps each one distinct and
        // stable, so a re-import matches every row again.
        let base = format!("{}|{}|{}", text.trim(), ozg_id.as_deref().unwrap_or(""), header::normalise(&name));
        let seen = self.leika_occurrences.entry(base.clone()).or_insert((0, row.number));
        let (occurrence, first) = *seen;
        seen.0 += 1;
        if occurrence > 0 {
            row.warn(
                None,
                name.clone(),
                msg!(
                    "Doppelte Zeile: gleicher Inhalt wie Zeile {first}; wird als eigene Zeile übernommen.",
                    "Duplicate row: same content as row {first}; applied as a row of its own.",
                ),
            );
        }
        let catalogue_key = format!("{base}|{occurrence}");
        let values =
            LeikaValues { leika_key, leika_text: text.trim().to_string(), name, leika_type, ozg_id, legal_basis };
        let shown_key = if values.leika_text.is_empty() {
            values.name.clone()
        } else {
            format!("{} · {}", values.leika_text, values.name)
        };
        let outcome = match self.state.leika_catalogue.get(&catalogue_key) {
            Some(old) => Some(Outcome::Existing {
                changed: Fields::fields(Some(old), &values),
                op: Op::LeikaCatalogue { catalogue_key, values: Box::new(values), exists: true },
            }),
            None => Some(Outcome::New {
                fields: self.new_fields(&values),
                op: Op::LeikaCatalogue { catalogue_key, values: Box::new(values), exists: false },
            }),
        };
        self.settle(Kind::LeikaKatalog, row, shown_key, outcome);
    }

    /// The code of the department named by its code or its name.
    fn department(&self, raw: &str) -> Option<String> {
        let wanted = header::normalise(raw);
        self.departments
            .iter()
            .find(|d| header::normalise(&d.code) == wanted || header::normalise(&d.name) == wanted)
            .map(|d| d.code.clone())
    }

    /// The Lotse function named by its title, or by the person holding it. A person holding
    /// several Lotse functions does not say which one: `Err` with the candidates.
    fn lotse(&self, raw: &str) -> Result<Option<String>, Vec<String>> {
        let wanted = header::normalise(raw);
        if let Some((title, _)) = self.lotsen.iter().find(|(title, _)| header::normalise(title) == wanted) {
            return Ok(Some(title.clone()));
        }
        let by_person: Vec<&String> = self
            .lotsen
            .iter()
            .filter(|(_, person)| person.as_deref().is_some_and(|p| header::normalise(p) == wanted))
            .map(|(title, _)| title)
            .collect();
        match by_person.as_slice() {
            [] => Ok(None),
            [title] => Ok(Some((*title).clone())),
            many => Err(many.iter().map(|title| (*title).clone()).collect()),
        }
    }

    /// A department of a Fachbereiche sheet, matched on its code. Codes and names both name a
    /// department in the other sheets, so a name must not be another department's code or name.
    fn department_row(&mut self, mut row: Row<'_>) {
        let code = row.text(Field::DepartmentCode).flatten();
        let name = row.text(Field::DepartmentName).flatten();
        let Some(code) = code else {
            row.missing(
                Field::DepartmentCode,
                "Kürzel des Fachbereichs, z. B. FB 61",
                "the department's code, e.g. FB 61",
            );
            return self.settle(Kind::Fachbereiche, row, name.unwrap_or_default(), None);
        };
        row.at_most(Field::DepartmentCode, &code, 20, ("Das Kürzel", "The code"));
        let key = header::normalise(&code);
        if key.is_empty() {
            // Nothing to match on: "-" or "/" would equal every other such code.
            let message = Msg::new(
                "Ungültiges Kürzel: erwartet werden Buchstaben oder Ziffern, z. B. FB 61.",
                "Invalid code: expected letters or digits, e.g. FB 61.",
            );
            row.error(Field::DepartmentCode, code.clone(), message);
            return self.settle(Kind::Fachbereiche, row, code, None);
        }
        if !self.first_occurrence(Kind::Fachbereiche, &key, &mut row, Field::DepartmentCode, &code) {
            return self.settle(Kind::Fachbereiche, row, code, None);
        }
        let existing = self.state.departments.iter().find(|d| header::normalise(&d.code) == key);
        let Some(name) = name.or(existing.map(|d| d.name.clone())) else {
            let message = Msg::new(
                "Pflichtangabe für einen neuen Fachbereich fehlt: Name.",
                "Required value for a new department missing: name.",
            );
            row.error(Field::DepartmentName, String::new(), message);
            return self.settle(Kind::Fachbereiche, row, code, None);
        };
        row.at_most(Field::DepartmentName, &name, 200, NAME);
        let wanted = header::normalise(&name);
        let clash = self.departments.iter().find(|d| {
            header::normalise(&d.code) != key
                && [&d.code, &d.name].iter().any(|n| {
                    let other = header::normalise(n);
                    other == wanted || other == key
                })
        });
        if let Some(other) = clash {
            let (other_code, other_name) = (&other.code, &other.name);
            row.error(
                Field::DepartmentName,
                name.clone(),
                msg!(
                    "Kürzel oder Name sind schon für den Fachbereich »{other_code} – {other_name}« eingetragen: beide müssen eindeutig sein, weil die anderen Blätter einen Fachbereich über Kürzel oder Namen nennen.",
                    "The code or name is already entered for department »{other_code} – {other_name}«: both must be unique, because the other sheets name a department by its code or name.",
                ),
            );
        }
        // A code is kept as first entered: "fb 61" in a later sheet is the same department.
        let values = DepartmentValues { code: existing.map_or_else(|| code.clone(), |d| d.code.clone()), name };
        let outcome = match existing {
            Some(old) => Some(Outcome::Existing {
                changed: Fields::fields(Some(old), &values),
                op: Op::Department { values: Box::new(values.clone()), exists: true },
            }),
            None => Some(Outcome::New {
                fields: self.new_fields(&values),
                op: Op::Department { values: Box::new(values.clone()), exists: false },
            }),
        };
        if row.errors.is_empty() {
            match self.departments.iter_mut().find(|d| d.code == values.code) {
                Some(known) => *known = values,
                None => self.departments.push(values),
            }
        }
        self.settle(Kind::Fachbereiche, row, code, outcome);
    }

    /// A Lotse function of a Lotsen sheet, matched on its title, with the department it belongs
    /// to and the person holding it. A blank cell keeps what is stored, so that an empty cell
    /// never takes a holder off by accident: "unbesetzt" or "vakant" in the person column records
    /// a vacancy (README, "Leere Zellen"). The person is found by
    /// name, so one person can hold several functions; e-mail and telephone are the person's.
    fn lotse_row(&mut self, mut row: Row<'_>) {
        let Some(title) = row.text(Field::Function).flatten() else {
            let example = self.lotsen.first().map_or("Lotse FB 61", |(title, _)| title.as_str());
            row.missing(
                Field::Function,
                &format!("Funktion, z. B. »{example}«"),
                &format!("function, e.g. »{example}«"),
            );
            return self.settle(Kind::Lotsen, row, String::new(), None);
        };
        row.at_most(Field::Function, &title, 200, ("Die Funktion", "The function"));
        let key = header::normalise(&title);
        if key.is_empty() {
            let message = Msg::new(
                "Ungültige Funktion: erwartet wird eine Bezeichnung aus Buchstaben oder Ziffern, z. B. Lotse FB 61.",
                "Invalid function: expected a title of letters or digits, e.g. Lotse FB 61.",
            );
            row.error(Field::Function, title.clone(), message);
            return self.settle(Kind::Lotsen, row, title, None);
        }
        if !self.first_occurrence(Kind::Lotsen, &key, &mut row, Field::Function, &title) {
            return self.settle(Kind::Lotsen, row, title, None);
        }
        let existing = self.state.functions.iter().find(|(_, f)| header::normalise(&f.title) == key);
        if let Some((kind, other)) = existing
            && *kind != FunctionKind::Lotse
        {
            let (other_title, kind_de, kind_en) = (&other.title, kind.label(Lang::De), kind.label(Lang::En));
            let message = msg!(
                "Die Funktion »{other_title}« ist in Leitstand als {kind_de} eingetragen, nicht als Lotsenfunktion: bitte wählen Sie eine andere Bezeichnung.",
                "The function »{other_title}« is entered in Leitstand as {kind_en}, not as a pilot function: please choose another title.",
            );
            row.error(Field::Function, title.clone(), message);
            return self.settle(Kind::Lotsen, row, title, None);
        }
        let old = existing.map(|(_, f)| f);
        let department = match row.text(Field::Department).flatten() {
            Some(raw) => match self.department(&raw) {
                Some(code) => Some(code),
                None => {
                    row.error(Field::Department, raw, unknown_department(&self.departments));
                    None
                }
            },
            None => old.and_then(|f| f.department.clone()),
        };
        let person = match row.text(Field::Person).flatten() {
            Some(raw) if is_vacancy(&raw) => None,
            Some(raw) if raw.chars().count() > 200 => {
                row.error(Field::Person, raw, too_long(NAME, 200));
                None
            }
            // A person already entered keeps the spelling stored.
            Some(raw) => Some(self.people.get(&header::normalise(&raw)).map_or(raw, |p| p.name.clone())),
            None => old.and_then(|f| f.person.clone()),
        };
        let email = row.get(Field::Email, |cell| {
            cell::text(cell)?
                .map(|raw| Email::parse(&raw).map(|e| e.as_str().to_string()))
                .map(|parsed| {
                    let expected = Msg::new(
                        "eine E-Mail-Adresse wie vorname.nachname@stadt.de",
                        "an e-mail address such as first.last@city.de",
                    );
                    parsed.ok_or(CellError { expected })
                })
                .transpose()
        });
        let phone = row.get(Field::Phone, |cell| {
            cell::text(cell)?
                .map(|raw| Phone::parse(&raw).map(|p| p.as_str().to_string()))
                .map(|parsed| {
                    let expected = Msg::new(
                        "eine Telefonnummer aus Ziffern, Leerzeichen und + / - ( ), z. B. 0221 221-12345",
                        "a telephone number of digits, spaces and + / - ( ), e.g. 0221 221-12345",
                    );
                    parsed.ok_or(CellError { expected })
                })
                .transpose()
        });
        let (email, phone) = (email.flatten(), phone.flatten());
        let known = person.as_deref().and_then(|name| self.people.get(&header::normalise(name)));
        if person.is_none() && (email.is_some() || phone.is_some()) {
            let (field, value) = match &email {
                Some(e) => (Field::Email, e.clone()),
                None => (Field::Phone, phone.clone().unwrap_or_default()),
            };
            row.error(
                field,
                value,
                Msg::new(
                    "E-Mail und Telefon gehören zu der Person, die die Funktion innehat; die Funktion ist aber unbesetzt: bitte tragen Sie die Person ein oder leeren Sie die Zelle.",
                    "E-mail and telephone belong to the person holding the function, but the function is vacant: please enter the person or clear the cell.",
                ),
            );
        }
        let values = FunctionValues {
            title: old.map_or_else(|| title.clone(), |f| f.title.clone()),
            department,
            email: person.as_ref().and(email.or(known.and_then(|p| p.email.clone()))),
            phone: person.as_ref().and(phone.or(known.and_then(|p| p.phone.clone()))),
            person,
        };
        let outcome = match old {
            Some(old) => Some(Outcome::Existing {
                changed: Fields::fields(Some(old), &values),
                op: Op::Lotse { values: Box::new(values.clone()), exists: true },
            }),
            None => Some(Outcome::New {
                fields: self.new_fields(&values),
                op: Op::Lotse { values: Box::new(values.clone()), exists: false },
            }),
        };
        if row.errors.is_empty() {
            if let Some(name) = &values.person {
                let contact =
                    PersonValues { name: name.clone(), email: values.email.clone(), phone: values.phone.clone() };
                self.people.insert(header::normalise(name), contact);
            }
            match self.lotsen.iter_mut().find(|(t, _)| *t == values.title) {
                Some(known) => known.1 = values.person,
                None => self.lotsen.push((values.title, values.person)),
            }
        }
        self.settle(Kind::Lotsen, row, title, outcome);
    }

    fn project(&mut self, mut row: Row<'_>) {
        let raw_key = row.text(Field::ProjectKey).flatten().unwrap_or_default();
        let Some(key) = ProjectKey::parse(&raw_key).map(|k| k.as_str().to_string()) else {
            let message = if raw_key.is_empty() {
                project_key_missing()
            } else {
                Msg::new(
                    "Ungültige Projekt-Nr: erwartet werden 3 bis 20 Zeichen aus A–Z, 0–9 und Bindestrich, z. B. DIG-0042.",
                    "Invalid project number: expected 3 to 20 characters of A–Z, 0–9 and hyphen, e.g. DIG-0042.",
                )
            };
            row.error(Field::ProjectKey, raw_key.clone(), message);
            return self.settle(Kind::Projekte, row, raw_key, None);
        };
        if !self.first_occurrence(Kind::Projekte, &key, &mut row, Field::ProjectKey, &key) {
            return self.settle(Kind::Projekte, row, key, None);
        }
        let existing = self.state.projects.get(&key);
        let title = row.text(Field::Title);
        let department = match row.text(Field::Department) {
            Some(Some(raw)) => match self.department(&raw) {
                Some(code) => Some(Some(code)),
                None => {
                    row.error(Field::Department, raw, unknown_department(&self.departments));
                    Some(None)
                }
            },
            other => other.map(|_| None),
        };
        let lotse = match row.text(Field::Lotse) {
            Some(Some(raw)) => match self.lotse(&raw) {
                Ok(Some(title)) => Some(Some(title)),
                Err(candidates) => {
                    let candidates = candidates.join(", ");
                    let message = msg!(
                        "Mehrdeutig: diese Person ist Lotsin bzw. Lotse in mehreren Funktionen ({candidates}); bitte die Funktion angeben.",
                        "Ambiguous: this person is the pilot in several functions ({candidates}); please give the function.",
                    );
                    row.error(Field::Lotse, raw, message);
                    None
                }
                Ok(None) => {
                    row.error(Field::Lotse, raw, unknown_lotse(self.lotsen.first().map(|(title, _)| title.as_str())));
                    None
                }
            },
            Some(None) => Some(None),
            None => None,
        };
        let category = row.choice(Field::Category, Category::ALL, category_names);
        let phase = row.choice(Field::Phase, Phase::ALL, phase_names);
        let start = row.date(Field::Start);
        let end = row.date(Field::PlannedEnd);
        let percent = row.get(Field::Percent, cell::whole_percent);
        let ampel = row.choice(Field::Ampel, Ampel::ALL, ampel_names);
        let reason = row.text(Field::AmpelReason);
        let budget = row.get(Field::Budget, cell::decimal);
        if let Some(Some(euros)) = budget
            && euros < 0.0
        {
            let message = Msg::new("Das Budget darf nicht negativ sein.", "The budget must not be negative.");
            row.error(Field::Budget, fmt_decimal(euros, 2, Lang::De), message);
        }
        // Far above any city's project, and far below where cents stop fitting the column.
        if let Some(Some(euros)) = budget
            && euros > MAX_BUDGET_EUROS
        {
            let message = Msg::new(
                "Das Budget ist zu hoch: erlaubt sind höchstens 1.000.000.000.000 € (eine Billion).",
                "The budget is too high: at most 1,000,000,000,000 € (one trillion) is allowed.",
            );
            // As the cell shows it: formatted, so large a number would not read back.
            let shown = row.layout.column(Field::Budget).map(|c| row.cell(c).display()).unwrap_or_default();
            row.error(Field::Budget, shown, message);
        }
        // Start from the current values (or defaults for a new project) and overlay what the
        // sheet says; a blank cell in a column that a new project needs keeps the old value.
        let base = existing.map(|(_, _, v)| v.clone());
        let required = |row: &mut Row<'_>, field: Field, label: &str| {
            if existing.is_none() {
                let message = msg!(
                    "Pflichtangabe für ein neues Projekt fehlt: {label}.",
                    "Required value for a new project missing: {label}.",
                );
                row.error(field, String::new(), message);
            }
        };
        let title = title.flatten().or(base.as_ref().map(|b| b.title.clone()));
        let department = department.flatten().or(base.as_ref().map(|b| b.department.clone()));
        let category = category.flatten().or(base.as_ref().map(|b| b.category));
        let start_date = start.flatten().or(base.as_ref().map(|b| b.start_date));
        let planned_end = end.flatten().or(base.as_ref().map(|b| b.planned_end));
        if title.is_none() {
            required(&mut row, Field::Title, "Titel");
        }
        if department.is_none()
            && row.errors.iter().all(|e| e.column != row.layout.column(Field::Department).map(|c| row.header(c)))
        {
            required(&mut row, Field::Department, "Fachbereich");
        }
        if category.is_none() && row.layout.column(Field::Category).is_none_or(|c| row.cell(c).is_blank()) {
            required(&mut row, Field::Category, "Kategorie");
        }
        if start_date.is_none() && row.layout.column(Field::Start).is_none_or(|c| row.cell(c).is_blank()) {
            required(&mut row, Field::Start, "Start");
        }
        if planned_end.is_none() && row.layout.column(Field::PlannedEnd).is_none_or(|c| row.cell(c).is_blank()) {
            required(&mut row, Field::PlannedEnd, "Planende");
        }
        let (Some(title), Some(department), Some(category), Some(start_date), Some(planned_end)) =
            (title, department, category, start_date, planned_end)
        else {
            return self.settle(Kind::Projekte, row, key, None);
        };
        row.at_most(Field::Title, &title, 300, ("Der Titel", "The title"));
        if planned_end < start_date {
            let (start_de, start_en) = (date_text(start_date), fmt_date(start_date, Lang::En));
            row.error(
                Field::PlannedEnd,
                date_text(planned_end),
                msg!(
                    "Das Planende liegt vor dem Start ({start_de}): erwartet wird ein Datum ab dem Start.",
                    "The planned end is before the start ({start_en}): expected a date on or after the start.",
                ),
            );
        }
        let values = ProjectValues {
            title,
            department,
            lotse: match lotse {
                Some(l) => l,
                None => base.as_ref().and_then(|b| b.lotse.clone()),
            },
            category,
            phase: phase.flatten().or(base.as_ref().map(|b| b.phase)).unwrap_or(Phase::Planung),
            start_date,
            planned_end,
            percent_done: percent.flatten().or(base.as_ref().map(|b| b.percent_done)).unwrap_or(0),
            ampel: ampel.flatten().or(base.as_ref().map(|b| b.ampel)).unwrap_or(Ampel::Gruen),
            ampel_reason: match reason {
                Some(r) => r.unwrap_or_default(),
                None => base.as_ref().map(|b| b.ampel_reason.clone()).unwrap_or_default(),
            },
            budget_cents: match budget {
                Some(b) => b.map(|euros| (euros * 100.0).round() as i64),
                None => base.as_ref().and_then(|b| b.budget_cents),
            },
        };
        if values.ampel.needs_reason() && values.ampel_reason.trim().is_empty() {
            let (ampel_de, ampel_en) = (values.ampel.label(Lang::De), values.ampel.label(Lang::En));
            // A blank cell clears the reason (README, "Leere Zellen"): say so when it would
            // clear a stored one, which is what happens to someone who fills in only a few
            // columns of a template.
            let clears_stored = base.as_ref().is_some_and(|b| !b.ampel_reason.trim().is_empty());
            let message = if clears_stored {
                msg!(
                    "Bei Ampel »{ampel_de}« ist eine Begründung Pflicht; die leere Zelle würde die gespeicherte Begründung löschen. Tragen Sie die Begründung ein oder löschen Sie die Spalte, um die gespeicherte zu behalten.",
                    "A status of »{ampel_en}« needs a reason; the blank cell would clear the stored reason. Enter the reason, or delete the column to keep the stored one.",
                )
            } else {
                msg!("Bei Ampel »{ampel_de}« ist eine Begründung Pflicht.", "A status of »{ampel_en}« needs a reason.")
            };
            row.error(Field::AmpelReason, String::new(), message);
        }
        let outcome = match existing {
            Some((id, version, old)) => Some(Outcome::Existing {
                changed: Fields::fields(Some(old), &values),
                op: Op::Project { key: key.clone(), existing: Some((*id, *version)), values: Box::new(values) },
            }),
            None => {
                if row.errors.is_empty() {
                    self.new_projects.insert(key.clone());
                }
                Some(Outcome::New {
                    fields: self.new_fields(&values),
                    op: Op::Project { key: key.clone(), existing: None, values: Box::new(values) },
                })
            }
        };
        self.settle(Kind::Projekte, row, key, outcome);
    }

    fn milestone(&mut self, mut row: Row<'_>) {
        let raw_key = row.text(Field::ProjectKey).flatten().unwrap_or_default();
        let title = row.text(Field::Milestone).flatten();
        let project_key = ProjectKey::parse(&raw_key).map(|k| k.as_str().to_string());
        let shown = format!("{raw_key} · {}", title.clone().unwrap_or_default());
        let project_known =
            project_key.as_ref().is_some_and(|k| self.state.projects.contains_key(k) || self.new_projects.contains(k));
        if !project_known {
            let message = if raw_key.is_empty() {
                project_key_missing()
            } else {
                Msg::new(
                    "Unbekanntes Projekt: erwartet wird die Projekt-Nr eines vorhandenen Projekts oder eines Projekts auf dem Blatt »Projekte« dieser Datei.",
                    "Unknown project: expected the number of an existing project or of a project on the sheet »Projekte« of this file.",
                )
            };
            row.error(Field::ProjectKey, raw_key.clone(), message);
        }
        let Some(title) = title else {
            row.missing(Field::Milestone, "Name des Meilensteins", "name of the milestone");
            return self.settle(Kind::Meilensteine, row, shown, None);
        };
        row.at_most(Field::Milestone, &title, 300, TEXT);
        let Some(project_key) = project_key.filter(|_| project_known) else {
            return self.settle(Kind::Meilensteine, row, shown, None);
        };
        let title_key = header::match_key(&title);
        // A Meilenstein-Nr names the stored milestone, whatever the row calls it: the name may
        // differ, which renames it. Without one, the name finds it.
        let Some(stored_key) = self.milestone_by_number(&mut row, &project_key) else {
            return self.settle(Kind::Meilensteine, row, shown, None);
        };
        let renamed = stored_key.as_ref().is_some_and(|stored| *stored != title_key);
        if renamed && self.state.milestones.contains_key(&(project_key.clone(), title_key.clone())) {
            row.error(
                Field::Milestone,
                title.clone(),
                Msg::new(
                    "Ein anderer Meilenstein dieses Projekts heißt schon so: erwartet wird ein Name, den das Projekt noch nicht hat (Meilensteine lassen sich nicht in einem Import die Namen tauschen).",
                    "Another milestone of this project already has this name: expected a name the project does not have yet (milestones cannot swap names in one import).",
                ),
            );
            return self.settle(Kind::Meilensteine, row, shown, None);
        }
        let match_key = (project_key.clone(), stored_key.unwrap_or_else(|| title_key.clone()));
        // Two rows about one milestone, or a new name that another row also gives, are duplicates.
        let mut keys = vec![format!("{}|{}", match_key.0, match_key.1)];
        if renamed {
            keys.push(format!("{}|{title_key}", match_key.0));
        }
        for key in keys {
            if !self.first_occurrence(Kind::Meilensteine, &key, &mut row, Field::Milestone, &title) {
                return self.settle(Kind::Meilensteine, row, shown, None);
            }
        }
        let is_key = row.get(Field::IsKey, cell::boolean);
        let baseline = row.date(Field::Baseline);
        let forecast = row.date(Field::Forecast);
        let actual = row.date(Field::Actual);
        let reason = row.text(Field::Reason).flatten().unwrap_or_default();
        let existing = self.state.milestones.get(&match_key);
        let base = existing.map(|(_, _, _, v)| v.clone());
        let Some(baseline_date) = baseline.flatten().or(base.as_ref().map(|b| b.baseline)) else {
            if row.layout.column(Field::Baseline).is_none_or(|c| row.cell(c).is_blank()) {
                row.error(
                    Field::Baseline,
                    String::new(),
                    Msg::new(
                        "Pflichtangabe für einen neuen Meilenstein fehlt: Plantermin.",
                        "Required value for a new milestone missing: Plantermin (planned date).",
                    ),
                );
            }
            return self.settle(Kind::Meilensteine, row, shown, None);
        };
        let values = MilestoneValues {
            // Matched by name, a stored milestone keeps its spelling (»Go-Live« for »Go Live«).
            title: base.as_ref().filter(|_| !renamed).map(|b| b.title.clone()).unwrap_or(title),
            is_key: is_key.flatten().or(base.as_ref().map(|b| b.is_key)).unwrap_or(false),
            baseline: baseline_date,
            forecast: forecast.flatten().or(base.as_ref().map(|b| b.forecast)).unwrap_or(baseline_date),
            actual: match actual {
                Some(a) => a,
                None => base.as_ref().and_then(|b| b.actual),
            },
        };
        if let Some(actual) = values.actual
            && actual > self.today
        {
            let (today_de, today_en) = (date_text(self.today), fmt_date(self.today, Lang::En));
            row.error(
                Field::Actual,
                date_text(actual),
                msg!(
                    "Der Ist-Termin liegt in der Zukunft: erwartet wird ein Datum bis heute ({today_de}).",
                    "The actual date is in the future: expected a date up to today ({today_en}).",
                ),
            );
        }
        let outcome = match existing {
            Some((id, version, _, old)) => {
                let history = old.forecast != values.forecast || old.actual != values.actual;
                Some(Outcome::Existing {
                    changed: Fields::fields(Some(old), &values),
                    op: Op::Milestone {
                        project_key,
                        existing: Some((*id, *version)),
                        values: Box::new(values),
                        history,
                        reason,
                    },
                })
            }
            None => Some(Outcome::New {
                fields: self.new_fields(&values),
                op: Op::Milestone { project_key, existing: None, values: Box::new(values), history: true, reason },
            }),
        };
        self.settle(Kind::Meilensteine, row, shown, outcome);
    }

    fn service(&mut self, mut row: Row<'_>) {
        let id_text = row.text(Field::OzgId).flatten();
        let leika_text = row.text(Field::LeikaKey).flatten();
        let name = row.text(Field::ServiceName).flatten();
        let ozg_id = row.required_ozg_id(id_text);
        let leika_key = leika_text.as_deref().and_then(|raw| match LeikaKey::parse(raw) {
            Some(key) => Some(key.as_str().to_string()),
            None => {
                row.error(Field::LeikaKey, raw.to_string(), invalid_leika_key(raw));
                None
            }
        });
        if name.is_none() {
            row.missing(Field::ServiceName, "Name der Leistung", "name of the service");
        }
        let (Some(ozg_id), Some(name)) = (ozg_id, name) else {
            return self.settle(Kind::Leistungen, row, leika_text.unwrap_or_default(), None);
        };
        row.at_most(Field::ServiceName, &name, 500, TEXT);
        // A row without LeiKa key still finds a stored service of the same OZG-ID and name,
        // even if that one has a key.
        let match_key = match leika_key.as_deref() {
            Some(key) => key.to_string(),
            None => {
                let by_name = service_match_key(&ozg_id, None, &name);
                self.state.services_by_name.get(&by_name).cloned().unwrap_or(by_name)
            }
        };
        let shown = leika_key.clone().map(|k| format!("{k} · {name}")).unwrap_or_else(|| format!("{ozg_id} · {name}"));
        if !self.first_occurrence(Kind::Leistungen, &match_key, &mut row, Field::LeikaKey, &shown) {
            return self.settle(Kind::Leistungen, row, shown, None);
        }
        let existing = self.state.services.get(&match_key);
        let base = existing.map(|(_, v)| v.clone());
        let themenfeld = match row.text(Field::Themenfeld).flatten() {
            Some(raw) => match self.themenfeld_known(&raw) {
                Some(t) => Some(t),
                None => {
                    let example = self
                        .state
                        .themenfelder
                        .first()
                        .or_else(|| self.themenfelder.values().min())
                        .map(String::as_str);
                    row.error(Field::Themenfeld, raw, unknown_themenfeld(self.themenfelder.len(), example));
                    None
                }
            },
            None => base
                .as_ref()
                .map(|b| b.themenfeld.clone())
                .or_else(|| self.state.ozg_catalogue.get(&ozg_id).map(|c| c.themenfeld.clone()))
                .or_else(|| self.new_ozg.get(&ozg_id).cloned()),
        };
        let reifegrad = row.get(Field::Reifegrad, cell::count).map(|r| r.map(|v| v as i64));
        if let Some(Some(level)) = reifegrad
            && !self.state.maturity_levels.contains(&level)
        {
            let max = self.state.maturity_levels.iter().max().copied().unwrap_or(4);
            row.error(
                Field::Reifegrad,
                level.to_string(),
                msg!(
                    "Unbekannter Reifegrad: erwartet wird eine Stufe von 0 bis {max}.",
                    "Unknown maturity level: expected a level from 0 to {max}.",
                ),
            );
        }
        let online_since = row.date(Field::OnlineSince);
        let epayment = row.get(Field::Epayment, cell::boolean);
        let url = row.text(Field::Url);
        let Some(themenfeld) = themenfeld else {
            if row.errors.is_empty() {
                row.error(
                    Field::Themenfeld,
                    String::new(),
                    msg!(
                        "Themenfeld fehlt und die OZG-ID {ozg_id} steht nicht im OZG-Katalog: bitte die Spalte »Themenfeld« füllen oder zuerst den OZG-Katalog importieren.",
                        "The subject area (Themenfeld) is missing and OZG-ID {ozg_id} is not in the OZG catalogue: please fill in the column »Themenfeld« or import the OZG catalogue first.",
                    ),
                );
            }
            return self.settle(Kind::Leistungen, row, shown, None);
        };
        let values = ServiceValues {
            ozg_id,
            // Without a key in the row a stored key is kept, never cleared.
            leika_key: leika_key.clone().or_else(|| base.as_ref().and_then(|b| b.leika_key.clone())),
            name,
            themenfeld,
            reifegrad: reifegrad.flatten().or(base.as_ref().map(|b| b.reifegrad)).unwrap_or(0),
            online_since: match online_since {
                Some(d) => d,
                None => base.as_ref().and_then(|b| b.online_since),
            },
            epayment: epayment.flatten().or(base.as_ref().map(|b| b.epayment)).unwrap_or(false),
            url: match url {
                Some(u) => u,
                None => base.as_ref().and_then(|b| b.url.clone()),
            },
        };
        let outcome = match existing {
            Some((id, old)) => Some(Outcome::Existing {
                changed: Fields::fields(Some(old), &values),
                op: Op::Service { existing: Some(*id), values: Box::new(values) },
            }),
            None => {
                if let Some(key) = &leika_key
                    && row.errors.is_empty()
                {
                    self.new_services.insert(key.clone());
                }
                Some(Outcome::New {
                    fields: self.new_fields(&values),
                    op: Op::Service { existing: None, values: Box::new(values) },
                })
            }
        };
        self.settle(Kind::Leistungen, row, shown, outcome);
    }

    fn service_known(&self, leika_key: &str) -> bool {
        self.state.services.contains_key(leika_key) || self.new_services.contains(leika_key)
    }

    fn usage_outcome(
        &mut self,
        row: Row<'_>,
        (key, leika, month): (&str, String, Month),
        online: Option<i64>,
        total: Option<i64>,
    ) {
        let mut row = row;
        let month_text = month.to_string();
        let shown = if self.listing() { format!("{leika} · {}", month_label(month)) } else { String::new() };
        let old = self.state.usage.get(key).copied();
        let online = online.or(old.map(|o| o.0));
        let total = total.or(old.map(|o| o.1));
        let (month_de, month_en) = (month_label(month), month.to_string());
        let (Some(online), Some(total)) = (online, total) else {
            row.error(
                Field::Total,
                String::new(),
                msg!(
                    "Für {month_de} fehlt die Zahl der Online-Anträge oder die Gesamtzahl.",
                    "For {month_en} the number of online applications or the total is missing.",
                ),
            );
            return self.settle(Kind::Nutzung, row, shown, None);
        };
        if online > total {
            row.error(
                Field::Online,
                online.to_string(),
                msg!(
                    "Mehr Online-Anträge als Anträge insgesamt ({total}) für {month_de}: erwartet wird Online ≤ Gesamt.",
                    "More online applications than applications in total ({total}) for {month_en}: expected online ≤ total.",
                ),
            );
        }
        let outcome = match old {
            Some(old) => Some(Outcome::Existing {
                changed: Fields::fields(Some(&old), &(online, total)),
                op: Op::Usage { leika_key: leika, month: month_text, online, total, exists: true },
            }),
            None => Some(Outcome::New {
                fields: self.new_fields(&(online, total)),
                op: Op::Usage { leika_key: leika, month: month_text, online, total, exists: false },
            }),
        };
        self.settle(Kind::Nutzung, row, shown, outcome);
    }

    fn usage_service(&mut self, row: &mut Row<'_>) -> Option<String> {
        let raw = row.text(Field::LeikaKey).flatten().unwrap_or_default();
        match LeikaKey::parse(&raw) {
            Some(key) if self.service_known(key.as_str()) => Some(key.as_str().to_string()),
            Some(_) => {
                let message = Msg::new(
                    "Unbekannte Leistung: zu diesem LeiKa-Schlüssel gibt es keine OZG-Leistung der Stadt (Blatt »Leistungen« oder Bestand).",
                    "Unknown service: the city has no OZG service with this LeiKa key (sheet »Leistungen« or stored data).",
                );
                row.error(Field::LeikaKey, raw, message);
                None
            }
            None => {
                let message =
                    if raw.is_empty() { required("LeiKa-Schlüssel", "LeiKa key") } else { invalid_leika_key(&raw) };
                row.error(Field::LeikaKey, raw, message);
                None
            }
        }
    }

    fn usage(&mut self, mut row: Row<'_>) {
        let service = self.usage_service(&mut row);
        let month = row.month(Field::Month).flatten();
        let online = row.get(Field::Online, cell::count).flatten();
        let total = row.get(Field::Total, cell::count).flatten();
        if month.is_none()
            && row.errors.iter().all(|e| e.column != row.layout.column(Field::Month).map(|c| row.header(c)))
        {
            row.missing(Field::Month, "Monat (z. B. 01/2026)", "month (e.g. 01/2026)");
        }
        let (Some(leika), Some(month)) = (service, month) else {
            return self.settle(Kind::Nutzung, row, String::new(), None);
        };
        let key = usage_key(&leika, month);
        if !self.first_occurrence(Kind::Nutzung, &key, &mut row, Field::Month, &month_label(month)) {
            // A row with an error is never listed as a change: no key to show.
            return self.settle(Kind::Nutzung, row, String::new(), None);
        }
        self.usage_outcome(row, (&key, leika, month), online.map(|v| v as i64), total.map(|v| v as i64));
    }

    /// Wide layout: rows come in pairs per service (Art = Online / Gesamt); each month column
    /// of the pair becomes one figure. A month with only one of the two keeps the stored other.
    fn wide_usage(&mut self, sheet: &str, rows: &[Vec<Cell>], layout: &Layout, epoch: Epoch) {
        let headers = &rows[layout.header_row];
        // (leika, month) -> (row number, online, total)
        let mut figures: Vec<WideFigure> = Vec::new();
        let mut index_of: HashMap<(String, Month), usize> = HashMap::new();
        // (service, online?) -> first row: a second "Online" row for a service is an error.
        let mut pair_rows: HashMap<(String, bool), u32> = HashMap::new();
        // Services with a faulty row: their other row is not applied alone either.
        let mut failed: HashSet<String> = HashSet::new();
        let mut months_seen = HashSet::new();
        if let Some((column, _)) = layout.months.iter().find(|(_, m)| !months_seen.insert(*m)) {
            self.plan.report.errors.push(Problem::new(
                sheet.to_string(),
                Some(layout.header_row as u32 + 1),
                Some(headers.get(*column).map(Cell::display).unwrap_or_default()),
                headers.get(*column).map(Cell::display).unwrap_or_default(),
                Msg::new(
                    "Derselbe Monat steht in zwei Spalten: erwartet wird eine Spalte je Monat.",
                    "The same month is in two columns: expected one column per month.",
                ),
            ));
            self.count(Kind::Nutzung).errors += 1;
            self.plan.rows_with_errors += 1;
            return;
        }
        for (offset, cells) in rows.iter().enumerate().skip(layout.header_row + 1) {
            if is_blank_row(cells) {
                continue;
            }
            let mut row = Row {
                sheet,
                number: offset as u32 + 1,
                cells,
                layout,
                headers,
                epoch,
                errors: Vec::new(),
                warnings: Vec::new(),
            };
            let service = self.usage_service(&mut row);
            let art = row.text(Field::Art).flatten().unwrap_or_default();
            let is_online = match art_is_online(&art) {
                Some(online) => Some(online),
                None => {
                    let message = Msg::new(
                        "Unbekannte Art: erwartet wird »Online« oder »Gesamt«.",
                        "Unknown kind (Art): expected »Online« or »Gesamt« (total).",
                    );
                    row.error(Field::Art, art.clone(), message);
                    None
                }
            };
            let mut values = Vec::new();
            for (column, (y, m)) in &layout.months {
                let cell = row.cell(*column);
                match cell::count(cell) {
                    Ok(Some(v)) => values.push((month_of(*y, *m), v as i64)),
                    Ok(None) => {}
                    Err(e) => {
                        let problem = row.problem(Some(*column), cell.display(), invalid_value(&e));
                        row.errors.push(problem);
                    }
                }
            }
            if let (Some(leika), Some(is_online)) = (&service, is_online) {
                let number = row.number;
                match pair_rows.get(&(leika.clone(), is_online)) {
                    Some(first) => {
                        let message = msg!(
                            "Doppelte Zeile: dieselbe Leistung und Art stehen schon in Zeile {first}.",
                            "Duplicate row: the same service and kind are already in row {first}.",
                        );
                        row.error(Field::Art, art.clone(), message);
                    }
                    None => {
                        pair_rows.insert((leika.clone(), is_online), number);
                    }
                }
            }
            if !row.errors.is_empty()
                && let Some(leika) = &service
            {
                failed.insert(leika.clone());
            }
            let (Some(leika), Some(is_online), true) = (service, is_online, row.errors.is_empty()) else {
                let mut count = std::mem::take(self.count(Kind::Nutzung));
                row.finish(&mut self.plan, &mut count);
                *self.count(Kind::Nutzung) = count;
                continue;
            };
            let mut count = std::mem::take(self.count(Kind::Nutzung));
            row.finish(&mut self.plan, &mut count);
            *self.count(Kind::Nutzung) = count;
            for (month, value) in values {
                let Some(month) = month else { continue };
                let key = (leika.clone(), month);
                let index = *index_of.entry(key.clone()).or_insert_with(|| {
                    figures.push((key, offset as u32 + 1, None, None));
                    figures.len() - 1
                });
                if is_online {
                    figures[index].2 = Some(value);
                } else {
                    figures[index].3 = Some(value);
                }
            }
        }
        for ((leika, month), number, online, total) in figures {
            if failed.contains(&leika) {
                continue; // its faulty row is reported and counted already
            }
            let mut row =
                Row { sheet, number, cells: &[], layout, headers, epoch, errors: Vec::new(), warnings: Vec::new() };
            // The same figure in another sheet (long or wide) of this file is an error.
            let key = usage_key(&leika, month);
            if !self.first_occurrence(Kind::Nutzung, &key, &mut row, Field::LeikaKey, &leika) {
                let shown = format!("{leika} · {}", month_label(month));
                self.settle(Kind::Nutzung, row, shown, None);
                continue;
            }
            self.usage_outcome(row, (&key, leika, month), online, total);
        }
    }
}

/// One (service, month) of the wide layout: first row, online and total figure.
type WideFigure = ((String, Month), u32, Option<i64>, Option<i64>);

/// What an unknown department cell is told: how many codes there are, with a few examples,
/// or, in a database that has none yet, that no department is entered (an empty list would
/// read as a sentence cut off).
fn unknown_department(departments: &[DepartmentValues]) -> Msg {
    let examples = departments.iter().take(5).map(|d| d.code.as_str()).collect::<Vec<_>>().join(", ");
    let count = departments.len();
    let known = match count {
        0 => Msg::new(
            "In Leitstand ist noch kein Fachbereich eingetragen.",
            "No department is entered in Leitstand yet.",
        ),
        1 => msg!("erwartet wird das Kürzel {examples}.", "expected the code {examples}."),
        _ => msg!(
            "erwartet wird eines der {count} eingetragenen Kürzel, z. B. {examples}.",
            "expected one of the {count} codes entered, e.g. {examples}.",
        ),
    };
    let (known_de, known_en) = (known.de, known.en);
    let (new_de, new_en) = NEW_DEPARTMENT;
    msg!("Unbekannter Fachbereich: {known_de} {new_de}", "Unknown department: {known_en} {new_en}")
}

/// How a department is entered, named wherever one is unknown.
const NEW_DEPARTMENT: (&str, &str) = (
    "Einen neuen Fachbereich legen Sie mit einem Blatt »Fachbereiche« (Spalten »Kürzel« und »Name«) an, auch in derselben Datei.",
    "A new department is entered with a sheet »Fachbereiche« (columns »Kürzel« and »Name«), also in the same file.",
);

/// What an unknown Lotse cell is told: an entered function to copy, or, where none is entered
/// yet, that the column may stay empty (a project needs no Lotse).
fn unknown_lotse(example: Option<&str>) -> Msg {
    match example {
        Some(title) => msg!(
            "Unbekannte Lotsin bzw. unbekannter Lotse: erwartet wird die Funktion (z. B. »{title}«) oder der Name einer eingetragenen Person. Eine neue Funktion legen Sie mit einem Blatt »Lotsen« (Spalten »Funktion«, »Fachbereich«, »Person«) an.",
            "Unknown pilot: expected the function (e.g. »{title}«) or the name of a person entered. A new function is entered with a sheet »Lotsen« (columns »Funktion«, »Fachbereich«, »Person«).",
        ),
        None => Msg::new(
            "Unbekannte Lotsin bzw. unbekannter Lotse: In Leitstand ist noch keine Lotsenfunktion eingetragen. Lassen Sie die Spalte leer, oder legen Sie die Funktionen mit einem Blatt »Lotsen« (Spalten »Funktion«, »Fachbereich«, »Person«) an, auch in derselben Datei.",
            "Unknown pilot: no pilot function is entered in Leitstand yet. Leave the column empty, or enter the functions with a sheet »Lotsen« (columns »Funktion«, »Fachbereich«, »Person«), also in the same file.",
        ),
    }
}

/// A cell that the parser for its column refused, with what the column expects.
fn invalid_value(error: &CellError) -> Msg {
    let (de, en) = (&error.expected.de, &error.expected.en);
    msg!("Ungültiger Wert: erwartet wird {de}.", "Invalid value: expected {en}.")
}

const MAX_BUDGET_EUROS: f64 = 1e12;

/// A value that a row must have is missing: `what`, in German and in English.
fn required(de: &str, en: &str) -> Msg {
    msg!("Pflichtangabe fehlt: {de}.", "Required value missing: {en}.")
}

fn project_key_missing() -> Msg {
    required("Projekt-Nr", "project number (Projekt-Nr)")
}

fn invalid_leika_key(raw: &str) -> Msg {
    if shortened_by_excel(raw) {
        return Msg::new(
            "Ungültiger LeiKa-Schlüssel: Die Zahl wurde in Exponentialschreibweise gekürzt, die hinteren Ziffern fehlen. So speichert Excel lange Ziffernfolgen im Zellformat »Standard« als CSV. Bitte öffnen Sie die ursprüngliche Datei (z. B. den Export aus Leitstand) erneut und speichern Sie sie in Excel als .xlsx, oder formatieren Sie die Spalte als Text und tragen Sie die 14 Ziffern erneut ein.",
            "Invalid LeiKa key: the number was shortened to scientific notation and its last digits are lost. This is how Excel saves long numbers in the cell format \"General\" as CSV. Please open the original file (e.g. the export from Leitstand) again and save it in Excel as .xlsx, or format the column as text and enter the 14 digits again.",
        );
    }
    Msg::new(
        "Ungültiger LeiKa-Schlüssel: erwartet werden 14 Ziffern, beginnend mit 99, z. B. 99012001000000.",
        "Invalid LeiKa key: expected 14 digits starting with 99, e.g. 99012001000000.",
    )
}

/// "9,9012E+13": a LeiKa key as Excel saves it into a CSV file that it opened (its
/// "Standard" format shows at most 11 characters). Unlike a typo, the digits cannot be
/// recovered from the file, so the message says where they went. Only the shape a 14-digit
/// key takes counts (9 before the separator, exponent 13): the catalogue refuses such a row,
/// so any other odd key must stay a mere warning.
fn shortened_by_excel(raw: &str) -> bool {
    let Some((mantissa, exponent)) = raw.trim().split_once(['e', 'E']) else { return false };
    let fraction = match mantissa.split_once([',', '.']) {
        Some(("9", fraction)) => fraction,
        None if mantissa == "9" => "0",
        _ => return false,
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(fraction) && exponent.strip_prefix('+').unwrap_or(exponent) == "13"
}

/// What a message is about, in German (with its article) and in English.
type Noun = (&'static str, &'static str);

const NAME: Noun = ("Der Name", "The name");
const TEXT: Noun = ("Der Text", "The text");

/// `what` is longer than the `max` characters the database keeps.
fn too_long((de, en): Noun, max: usize) -> Msg {
    msg!(
        "{de} ist zu lang: erlaubt sind höchstens {max} Zeichen.",
        "{en} is too long: at most {max} characters are allowed.",
    )
}

/// What an unknown Themenfeld cell is told: how many there are with an example, or, before
/// any is entered, where they come from.
fn unknown_themenfeld(count: usize, example: Option<&str>) -> Msg {
    match (count, example) {
        (0, _) | (_, None) => Msg::new(
            "Unbekanntes Themenfeld: In Leitstand ist noch kein Themenfeld eingetragen. Bitte importieren Sie zuerst den OZG-Katalog (Blatt »Themenfelder«).",
            "Unknown subject area: no subject area (Themenfeld) is entered in Leitstand yet. Please import the OZG catalogue first (sheet »Themenfelder«).",
        ),
        (1, Some(only)) => {
            msg!("Unbekanntes Themenfeld: erwartet wird »{only}«.", "Unknown subject area: expected »{only}«.")
        }
        (n, Some(example)) => msg!(
            "Unbekanntes Themenfeld: erwartet wird eines der {n} eingetragenen Themenfelder, z. B. »{example}«.",
            "Unknown subject area: expected one of the {n} subject areas entered, e.g. »{example}«.",
        ),
    }
}

/// Which row of a service's pair in the wide usage layout: `Some(true)` for the online
/// applications ("Online", "davon online", "Online-Anträge"), `Some(false)` for all of them
/// ("Gesamt", "Anträge insgesamt", "Summe"); `None` for anything else, or for both at once.
fn art_is_online(art: &str) -> Option<bool> {
    let art = header::normalise(art);
    let online = art.contains("online");
    let total = ["gesamt", "total", "summe"].iter().any(|word| art.contains(word)) || art == "alle";
    match (online, total) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

fn month_of(year: i32, month: u32) -> Option<Month> {
    Month::parse(&format!("{year:04}-{month:02}"))
}

/// What a duplicate row repeats, for the error's sentence.
fn duplicate_subject(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Fachbereiche => ("dieser Fachbereich", "this department"),
        Kind::Lotsen => ("diese Funktion", "this function"),
        Kind::Themenfelder => ("dieses Themenfeld", "this subject area"),
        Kind::OzgKatalog => ("diese OZG-Leistung", "this OZG service"),
        Kind::LeikaKatalog => ("dieser LeiKa-Schlüssel", "this LeiKa key"),
        Kind::Projekte => ("dieses Projekt", "this project"),
        Kind::Meilensteine => {
            ("ein Meilenstein dieses Namens oder dieser Nummer", "a milestone of this name or number")
        }
        Kind::Leistungen => ("diese Leistung", "this service"),
        Kind::Nutzung => ("die Zahl dieser Leistung für diesen Monat", "the figure of this service for this month"),
    }
}

fn month_label(month: Month) -> String {
    let text = month.to_string();
    format!("{}/{}", &text[5..7], &text[..4])
}

fn yes_no(value: bool, lang: Lang) -> String {
    let word = if value { lang.t("ja", "yes") } else { lang.t("nein", "no") };
    word.to_string()
}

/// Whether a person cell records that nobody holds the function.
fn is_vacancy(raw: &str) -> bool {
    matches!(header::normalise(raw).as_str(), "unbesetzt" | "vakant" | "nichtbesetzt" | "")
}

fn is_blank_row(cells: &[Cell]) -> bool {
    cells.iter().all(Cell::is_blank)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Cell {
        if value.is_empty() { Cell::Empty } else { Cell::Text(value.to_string()) }
    }

    /// Milestones first, projects second in the file; a title row, a blank row, duplicates
    /// and unknown references among them.
    fn sheets() -> Vec<(String, Vec<Vec<Cell>>)> {
        let mut milestones = vec![vec![text("Meilensteine FB 10")], vec![]];
        milestones.push(["Projekt-Nr", "Meilenstein", "Plantermin", "Prognose"].map(text).to_vec());
        for i in 0..60 {
            let project = if i % 17 == 0 { "XYZ-9999".to_string() } else { format!("TST-{:04}", i % 30) };
            let title = format!("Meilenstein {}", i / 30);
            milestones.push(vec![text(&project), text(&title), text("31.12.2026"), text("2027-01-31")]);
        }
        let mut projects =
            vec![["Projekt-Nr", "Titel", "Fachbereich", "Kategorie", "Start", "Planende"].map(text).to_vec()];
        for i in 0..32 {
            if i == 12 {
                projects.push(Vec::new());
                continue;
            }
            let key = format!("TST-{:04}", i.min(30));
            projects.push([&key, "Probe", "FB10", "Prozess", "01.01.2026", "31.12.2026"].map(text).to_vec());
        }
        vec![("Meilensteine".into(), milestones), ("Projekte".into(), projects)]
    }

    fn plan_in_chunks(size: usize) -> (Plan, Vec<Op>) {
        let departments = vec![DepartmentValues { code: "FB10".into(), name: "Bürgerservice".into() }];
        let state = State { departments, ..State::default() };
        plan_sheets(&state, &sheets(), size)
    }

    /// Plans `sheets` against `state`, fed in chunks of `size` rows as the reader does.
    fn plan_sheets(state: &State, sheets: &[(String, Vec<Vec<Cell>>)], size: usize) -> (Plan, Vec<Op>) {
        let heads: Vec<SheetHead> = sheets
            .iter()
            .map(|(name, rows)| SheetHead {
                name: name.clone(),
                rows: rows.iter().take(header::HEADER_SEARCH_ROWS).cloned().collect(),
                more: rows.len() > header::HEADER_SEARCH_ROWS,
                rows_claimed: Some(rows.len()),
            })
            .collect();
        let survey = survey(&heads, Epoch::Excel1900);
        let order = survey.order();
        let mut planner = Planner::new(state, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), survey, true);
        let mut ops = Vec::new();
        for index in order {
            for (n, rows) in sheets[index].1.chunks(size).enumerate() {
                planner.rows(index, Chunk { first: n * size, rows: rows.to_vec() });
                ops.extend(planner.take_ops());
            }
            planner.sheet_done(index);
        }
        (planner.finish(), ops)
    }

    #[test]
    fn keys_that_excel_shortened_are_told_apart_from_typos() {
        for raw in ["9,9012E+13", "9.9012e+13", "9,90120010E+13", "9E13", " 9,9E+13 "] {
            assert!(shortened_by_excel(raw), "{raw:?}");
        }
        let others = ["99012001000000", "9,9012E", "E+13", "9,E+13", "9,9012E+", "9,9012E-x", "LeiKa 9E+13"];
        for raw in others.into_iter().chain(["1E13", "5E3", "9,9012E+12", "1,2E+13", "9,9012E-13"]) {
            assert!(!shortened_by_excel(raw), "{raw:?}");
        }
    }

    #[test]
    fn chunks_plan_like_whole_sheets_in_kind_order() {
        let (whole, whole_ops) = plan_in_chunks(1_000);
        assert_eq!(whole.report.sheets.iter().map(|s| s.data_rows).collect::<Vec<_>>(), [60, 31]);
        let count = |kind| whole.report.kinds.iter().find(|k| k.kind == Some(kind)).cloned().unwrap_or_default();
        // Projects are planned first although their sheet comes second: 30 new, 1 duplicate.
        assert_eq!((count(Kind::Projekte).new, count(Kind::Projekte).errors), (30, 1));
        // The duplicate names the sheet and row of the first occurrence: row 32 of »Projekte«.
        let duplicate = whole.report.errors.iter().find(|p| p.message.starts_with("Doppelter Eintrag")).unwrap();
        assert_eq!(
            (duplicate.sheet.as_str(), duplicate.row, duplicate.value.as_str()),
            ("Projekte", Some(33), "TST-0030")
        );
        assert_eq!(
            duplicate.message,
            "Doppelter Eintrag: dieses Projekt steht schon in Blatt »Projekte«, Zeile 32; erwartet wird eine Zeile je Eintrag."
        );
        // Milestones 0, 17, 34 and 51 name an unknown project, 12 and 42 the blank row's.
        assert_eq!((count(Kind::Meilensteine).new, count(Kind::Meilensteine).errors), (54, 6));
        assert_eq!(whole_ops.len(), 30 + 54);
        for size in [1, 3, 7, 40] {
            let (chunked, ops) = plan_in_chunks(size);
            assert_eq!(format!("{:?}", chunked.report), format!("{:?}", whole.report), "chunks of {size}");
            assert_eq!(format!("{ops:?}"), format!("{whole_ops:?}"), "chunks of {size}");
            assert_eq!(chunked.fingerprint, whole.fingerprint);
        }
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
        rows.iter().map(|row| row.iter().map(|c| text(c)).collect()).collect()
    }

    fn kind_count(plan: &Plan, kind: Kind) -> (u64, u64, u64, u64) {
        let count = plan.report.kinds.iter().find(|k| k.kind == Some(kind)).cloned().unwrap_or_default();
        (count.new, count.changed, count.unchanged, count.errors)
    }

    fn function(title: &str, department: Option<&str>, person: Option<&str>, email: Option<&str>) -> FunctionValues {
        FunctionValues {
            title: title.into(),
            department: department.map(Into::into),
            person: person.map(Into::into),
            email: email.map(Into::into),
            phone: None,
        }
    }

    /// A city that starts without data: its departments and Lotsen come in the same file as
    /// the projects naming them, in any sheet order, and are planned (and written) first.
    #[test]
    fn organisation_sheets_come_before_the_projects_that_name_them() {
        let mut state = State::default();
        state.functions.push((FunctionKind::Sponsor, function("Auftraggeber OB", None, None, None)));
        let sheets = vec![
            (
                "Projekte".to_string(),
                table(&[
                    &["Projekt-Nr", "Titel", "Fachbereich", "Lotse", "Kategorie", "Start", "Planende"],
                    &[
                        "NEU-0001",
                        "Anwohnerparken",
                        "Bürgerservice",
                        "Lotse FB 32",
                        "Prozess",
                        "01.01.2026",
                        "31.12.2026",
                    ],
                    &["NEU-0002", "eAkte", "fb 32", "Anna Schmidt", "Prozess", "01.01.2026", "31.12.2026"],
                    &["NEU-0003", "Schulportal", "FB 40", "", "Prozess", "01.01.2026", "31.12.2026"],
                ]),
            ),
            (
                "Lotsen".to_string(),
                table(&[
                    &["Funktion", "Fachbereich", "Lotsin", "E-Mail", "Telefon"],
                    &["Lotse FB 32", "FB 32", "Anna Schmidt", "anna.schmidt@stadt.example", ""],
                    &["Lotsin FB 32 Ordnung", "Bürgerservice", "anna schmidt", "", "0221 221-1"],
                    &["Lotse FB 40", "FB 40", "Bernd Beispiel", "", ""],
                    &["Lotse FB 50", "FB 32", "unbesetzt", "stelle@stadt.example", ""],
                    &["Auftraggeber OB", "FB 32", "", "", ""],
                    &["Lotse FB 60", "", "Carla Test", "carla at stadt", ""],
                ]),
            ),
            (
                "Fachbereiche".to_string(),
                table(&[
                    &["Kürzel", "Name"],
                    &["FB 32", "Bürgerservice"],
                    &["FB 33", "bürgerservice"],
                    &["FB 40", ""],
                    &["–", "Ohne Kürzel"],
                ]),
            ),
        ];
        let (plan, ops) = plan_sheets(&state, &sheets, 2);
        assert_eq!(kind_count(&plan, Kind::Fachbereiche), (1, 0, 0, 3));
        assert_eq!(kind_count(&plan, Kind::Lotsen), (2, 0, 0, 4));
        assert_eq!(kind_count(&plan, Kind::Projekte), (1, 0, 0, 2));
        let message = |sheet: &str, row: u32| {
            let found = plan.report.errors.iter().find(|e| e.sheet == sheet && e.row == Some(row));
            found.map_or_else(|| panic!("no error in {sheet} {row}: {:?}", plan.report.errors), |e| e.message.clone())
        };
        assert!(message("Fachbereiche", 3).contains("schon für den Fachbereich »FB 32 – Bürgerservice« eingetragen"));
        assert_eq!(message("Fachbereiche", 4), "Pflichtangabe für einen neuen Fachbereich fehlt: Name.");
        assert!(message("Fachbereiche", 5).starts_with("Ungültiges Kürzel"));
        assert!(message("Lotsen", 4).starts_with("Unbekannter Fachbereich: erwartet wird das Kürzel FB 32."));
        assert!(message("Lotsen", 5).contains("die Funktion ist aber unbesetzt"));
        assert!(message("Lotsen", 6).contains("als Auftraggeber/in eingetragen, nicht als Lotsenfunktion"));
        assert_eq!(
            message("Lotsen", 7),
            "Ungültiger Wert: erwartet wird eine E-Mail-Adresse wie vorname.nachname@stadt.de."
        );
        // Anna Schmidt now holds two Lotse functions: naming her does not say which.
        assert!(message("Projekte", 3).starts_with("Mehrdeutig"));
        assert!(message("Projekte", 4).starts_with("Unbekannter Fachbereich"));
        // Each message has its English counterpart, with the same values in it.
        for problem in &plan.report.errors {
            let english = problem.text(Lang::En);
            assert!(!english.is_empty() && english != problem.message, "{problem:?}");
        }
        let english = plan.report.errors.iter().find(|e| e.sheet == "Lotsen" && e.row == Some(6)).unwrap();
        assert_eq!(
            english.text(Lang::En),
            "The function »Auftraggeber OB« is entered in Leitstand as Sponsor, not as a pilot function: please choose another title."
        );
        // Departments, then Lotsen, then projects; the second function finds the person of the
        // first under her stored spelling, with the e-mail address given there.
        let summary: Vec<String> = ops
            .iter()
            .map(|op| match op {
                Op::Department { values, exists } => format!("D {} {} {exists}", values.code, values.name),
                Op::Lotse { values, exists } => format!("L {values:?} {exists}"),
                Op::Project { key, values, .. } => format!("P {key} {} {:?}", values.department, values.lotse),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "D FB 32 Bürgerservice false".to_string(),
                format!(
                    "L {:?} false",
                    function("Lotse FB 32", Some("FB 32"), Some("Anna Schmidt"), Some("anna.schmidt@stadt.example"))
                ),
                format!(
                    "L {:?} false",
                    FunctionValues {
                        phone: Some("0221 221-1".into()),
                        ..function(
                            "Lotsin FB 32 Ordnung",
                            Some("FB 32"),
                            Some("Anna Schmidt"),
                            Some("anna.schmidt@stadt.example")
                        )
                    }
                ),
                "P NEU-0001 FB 32 Some(\"Lotse FB 32\")".to_string(),
            ]
        );
    }

    /// Changes to what is stored: a department's name, a Lotse function's new holder (who
    /// brings no e-mail address of the previous one) and a vacancy; blank cells keep values.
    #[test]
    fn organisation_changes_show_old_and_new() {
        let mut state = State::default();
        state.departments.push(DepartmentValues { code: "FB 32".into(), name: "Bürgerservice".into() });
        let anna = function("Lotse FB 32", Some("FB 32"), Some("Anna Schmidt"), Some("anna@stadt.example"));
        state.functions.push((FunctionKind::Lotse, anna.clone()));
        state.functions.push((FunctionKind::Lotse, FunctionValues { title: "Lotse FB 33".into(), ..anna.clone() }));
        state.functions.push((FunctionKind::Lotse, FunctionValues { title: "Lotse FB 34".into(), ..anna.clone() }));
        let contact = PersonValues { name: "Anna Schmidt".into(), email: anna.email.clone(), phone: None };
        state.people.insert(header::normalise("Anna Schmidt"), contact);
        let sheets = vec![
            ("Fachbereiche".to_string(), table(&[&["Kürzel", "Bezeichnung"], &["fb 32", "Bürgerservice und Ordnung"]])),
            (
                "Lotsen".to_string(),
                table(&[
                    &["Funktion", "Person"],
                    &["lotse fb 32", "Bernd Beispiel"],
                    &["Lotse FB 33", "vakant"],
                    &["Lotse FB 34", ""],
                ]),
            ),
        ];
        let (plan, ops) = plan_sheets(&state, &sheets, 100);
        assert_eq!(kind_count(&plan, Kind::Fachbereiche), (0, 1, 0, 0));
        assert_eq!(kind_count(&plan, Kind::Lotsen), (0, 2, 1, 0));
        let changes: Vec<String> = plan
            .report
            .changes
            .iter()
            .flat_map(|c| c.fields.iter().map(move |f| format!("{}: {}: {} -> {}", c.key, f.field, f.old, f.new)))
            .collect();
        assert_eq!(
            changes,
            [
                "fb 32: Name: Bürgerservice -> Bürgerservice und Ordnung",
                "lotse fb 32: Person: Anna Schmidt -> Bernd Beispiel",
                "lotse fb 32: E-Mail: anna@stadt.example -> ",
                "Lotse FB 33: Person: Anna Schmidt -> ",
                "Lotse FB 33: E-Mail: anna@stadt.example -> ",
            ]
        );
        // The stored spelling of code and title is what gets written.
        assert!(matches!(&ops[0], Op::Department { values, exists: true } if values.code == "FB 32"));
        assert!(matches!(&ops[1], Op::Lotse { values, exists: true } if values.title == "Lotse FB 32"));
    }

    #[test]
    fn the_rows_of_a_wide_usage_pair_are_told_apart_by_their_words() {
        for online in ["Online", "davon online", "Online-Anträge", "Anträge online"] {
            assert_eq!(art_is_online(online), Some(true), "{online}");
        }
        for total in ["Gesamt", "Anträge gesamt", "insgesamt", "Summe", "Total", "alle"] {
            assert_eq!(art_is_online(total), Some(false), "{total}");
        }
        for unclear in ["Online gesamt", "Papier", "", "Fälle"] {
            assert_eq!(art_is_online(unclear), None, "{unclear}");
        }
    }

    #[test]
    fn unknown_names_are_told_what_is_there() {
        let departments = |n: i64| {
            (1..=n).map(|i| DepartmentValues { code: format!("FB {i}"), name: format!("Amt {i}") }).collect::<Vec<_>>()
        };
        let (new_de, new_en) = NEW_DEPARTMENT;
        assert_eq!(
            unknown_department(&departments(0)).de,
            format!("Unbekannter Fachbereich: In Leitstand ist noch kein Fachbereich eingetragen. {new_de}")
        );
        assert_eq!(
            unknown_department(&departments(1)).de,
            format!("Unbekannter Fachbereich: erwartet wird das Kürzel FB 1. {new_de}")
        );
        let many = unknown_department(&departments(13));
        assert_eq!(
            many.de,
            format!(
                "Unbekannter Fachbereich: erwartet wird eines der 13 eingetragenen Kürzel, z. B. FB 1, FB 2, FB 3, FB 4, FB 5. {new_de}"
            )
        );
        assert_eq!(
            many.en,
            format!(
                "Unknown department: expected one of the 13 codes entered, e.g. FB 1, FB 2, FB 3, FB 4, FB 5. {new_en}"
            )
        );
        assert!(unknown_lotse(None).de.contains("noch keine Lotsenfunktion eingetragen"));
        assert!(unknown_lotse(Some("Lotse FB 12")).de.contains("(z. B. »Lotse FB 12«)"));
        assert!(unknown_lotse(Some("Lotse FB 12")).en.contains("(e.g. »Lotse FB 12«)"));
        assert!(unknown_themenfeld(0, None).de.contains("zuerst den OZG-Katalog"));
        assert_eq!(unknown_themenfeld(1, Some("Bildung")).de, "Unbekanntes Themenfeld: erwartet wird »Bildung«.");
        assert_eq!(
            unknown_themenfeld(14, Some("Bildung")).de,
            "Unbekanntes Themenfeld: erwartet wird eines der 14 eingetragenen Themenfelder, z. B. »Bildung«."
        );
    }
}
