//! Spreadsheet imports: the report of a preview or an applied import (what the file would
//! change, and every problem found, by sheet, row and column), and the import history.
//! Uploading and committing are plain multipart/form routes in `server::routes`, so that they
//! work without JavaScript; the pages read what those routes stored through the functions here.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{Lang, fmt_names};
use crate::error::AppError;

/// What a sheet holds, recognised from its header row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Fachbereiche,
    Lotsen,
    Themenfelder,
    OzgKatalog,
    LeikaKatalog,
    Projekte,
    Meilensteine,
    Leistungen,
    Nutzung,
}

impl Kind {
    /// The order in which kinds are applied: referenced rows come before the rows that refer
    /// to them (a department before its Lotsen and projects, a project before its milestones,
    /// a service before its usage figures). The variants are declared in the same order.
    pub const ALL: [Kind; 9] = [
        Kind::Fachbereiche,
        Kind::Lotsen,
        Kind::Themenfelder,
        Kind::OzgKatalog,
        Kind::LeikaKatalog,
        Kind::Projekte,
        Kind::Meilensteine,
        Kind::Leistungen,
        Kind::Nutzung,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Fachbereiche => "fachbereiche",
            Kind::Lotsen => "lotsen",
            Kind::Themenfelder => "themenfelder",
            Kind::OzgKatalog => "ozg_katalog",
            Kind::LeikaKatalog => "leika_katalog",
            Kind::Projekte => "projekte",
            Kind::Meilensteine => "meilensteine",
            Kind::Leistungen => "leistungen",
            Kind::Nutzung => "nutzung",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::Fachbereiche => lang.t("Fachbereiche", "Departments"),
            Kind::Lotsen => lang.t("Lotsen", "Pilots"),
            Kind::Themenfelder => lang.t("Themenfelder", "Subject areas"),
            Kind::OzgKatalog => lang.t("OZG-Katalog", "OZG catalogue"),
            Kind::LeikaKatalog => lang.t("LeiKa-Katalog", "LeiKa catalogue"),
            Kind::Projekte => lang.t("Projekte", "Projects"),
            Kind::Meilensteine => lang.t("Meilensteine", "Milestones"),
            Kind::Leistungen => lang.t("OZG-Leistungen der Stadt", "City services"),
            Kind::Nutzung => lang.t("Nutzungszahlen", "Usage figures"),
        }
    }
}

/// Counts of one kind. `kind: None` counts the notes on sheets that are no kind (not
/// recognised); it is listed last, and only when there is such a note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: Option<Kind>,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub errors: u64,
    pub warnings: u64,
}

impl KindCount {
    /// The line's label in the count tables.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self.kind {
            Some(kind) => kind.label(lang),
            None => lang.t("Nicht erkannte Blätter", "Unrecognised sheets"),
        }
    }
}

/// One field of a changed row: old value -> new value, both as shown to users. The field is
/// named by its column header, in German in both languages, as the workbooks name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
    /// `old` and `new` in English where they read differently (dates, labels, yes/no,
    /// amounts). `None`: the same in both languages, or a report stored by an earlier version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<EnglishValues>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnglishValues {
    pub old: String,
    pub new: String,
}

impl FieldChange {
    /// Old and new value in `lang`.
    pub fn values(&self, lang: Lang) -> (&str, &str) {
        match (&self.en, lang) {
            (Some(en), Lang::En) => (&en.old, &en.new),
            _ => (&self.old, &self.new),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowChange {
    pub kind: Kind,
    pub sheet: String,
    /// Row number as the spreadsheet shows it (1-based).
    pub row: u32,
    /// The stable key the row was matched on, e.g. `DIG-0042` or `99012001000000 · 2025-01`.
    pub key: String,
    pub is_new: bool,
    /// For a changed row the fields that differ (old -> new); for a new row its values (old
    /// empty). Reports stored by earlier versions list no values for new rows.
    pub fields: Vec<FieldChange>,
}

/// Row changes a report lists in full, all of them shown by the preview; beyond these they are
/// only counted (`changes_omitted`). Nobody reads 27,000 lines of a preview, and a short list
/// keeps a large import fast and small, stored and in the page.
pub const LISTED_CHANGES: usize = 300;

/// A problem with the file, a sheet, a row or a single cell. Errors block the commit unless
/// the user chooses to skip the rows; warnings (Hinweise) are reported and do not block.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: Option<String>,
    pub value: String,
    /// German, the reference: the command line prints it and tests look for it.
    pub message: String,
    /// The same in English for the English interface. Reports stored before it existed
    /// have none; they show the German text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message_en: String,
}

/// A message of the import in both languages, written side by side where it arises (as
/// `Lang::pick` does for the pages): a report is stored once and read in either language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub de: String,
    pub en: String,
}

impl Msg {
    pub fn new(de: &str, en: &str) -> Msg {
        Msg { de: de.to_string(), en: en.to_string() }
    }
}

/// `msg!("… {x} …", "… {x} …")`: a [`Msg`] from two format strings that capture the same
/// variables.
#[macro_export]
macro_rules! msg {
    ($de:literal, $en:literal $(,)?) => {
        $crate::api::imports::Msg { de: format!($de), en: format!($en) }
    };
}

impl Problem {
    pub fn new(sheet: String, row: Option<u32>, column: Option<String>, value: String, message: Msg) -> Problem {
        Problem { sheet, row, column, value, message: message.de, message_en: message.en }
    }

    /// A problem of the file as a whole: no sheet, row or column.
    pub fn of_file(value: String, message: Msg) -> Problem {
        Problem::new(String::new(), None, None, value, message)
    }

    /// The message in the reader's language.
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.message_en.is_empty() => &self.message_en,
            _ => &self.message,
        }
    }

    /// "Blatt »Projekte«, Zeile 7, Spalte »Planende«" – where to look, in German.
    pub fn location(&self) -> String {
        let mut parts = Vec::new();
        if !self.sheet.is_empty() {
            parts.push(format!("Blatt »{}«", self.sheet));
        }
        if let Some(row) = self.row {
            parts.push(format!("Zeile {row}"));
        }
        if let Some(column) = &self.column {
            parts.push(format!("Spalte »{column}«"));
        }
        if parts.is_empty() { "Datei".to_string() } else { parts.join(", ") }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetInfo {
    pub name: String,
    pub kind: Option<Kind>,
    pub header_row: Option<u32>,
    pub data_rows: u32,
    /// Columns present in the file that Leitstand does not read; listed so nothing is ignored
    /// silently.
    pub ignored_columns: Vec<String>,
    /// Required columns the sheet lacks (an error): none of its rows is read, and skipping the
    /// faulty rows leaves out the whole sheet. Empty in reports stored before it existed.
    #[serde(default)]
    pub missing_columns: Vec<String>,
    /// Columns that stand for the same field twice (»Prognose« in two columns), named by the
    /// field: an error like a missing column, as reading one would drop the other's values.
    #[serde(default)]
    pub doubled_columns: Vec<String>,
}

impl SheetInfo {
    /// Whether the sheet's rows are read: it lacks no required column and has no field twice.
    /// An unrecognised sheet counts as read (there is nothing to leave out).
    pub fn is_read(&self) -> bool {
        self.missing_columns.is_empty() && self.doubled_columns.is_empty()
    }

    /// Why a recognised sheet is not read, e.g. "es fehlt »Meilenstein«".
    pub fn unread_reason(&self, lang: Lang) -> Option<String> {
        match (self.missing_columns.is_empty(), self.doubled_columns.is_empty()) {
            (true, true) => None,
            (false, _) => Some(lang.pick(
                format!("es fehlt {}", fmt_names(&self.missing_columns)),
                format!("{} missing", fmt_names(&self.missing_columns)),
            )),
            (true, false) => Some(lang.pick(
                format!("{} steht in mehreren Spalten", fmt_names(&self.doubled_columns)),
                format!("{} in several columns", fmt_names(&self.doubled_columns)),
            )),
        }
    }
}

/// The outcome of reading a file against the database: a preview (nothing written) or the
/// record of an applied import.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    #[serde(rename = "file")]
    pub file_name: String,
    pub sha256: String,
    pub committed: bool,
    /// Rows with errors were left out on the user's explicit request.
    pub skipped_errors: bool,
    pub sheets: Vec<SheetInfo>,
    pub kinds: Vec<KindCount>,
    pub changes: Vec<RowChange>,
    /// How many changes were left out of `changes` to keep a stored report small.
    pub changes_omitted: u64,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// How many errors and warnings were left out of a stored report (the counts stay exact).
    #[serde(default)]
    pub problems_omitted: u64,
    /// Identifies what the preview showed; "Übernehmen" applies only the same plan.
    #[serde(default)]
    pub fingerprint: String,
    /// Not applied because the plan differs from the preview's: the data changed since, or
    /// Leitstand was updated (the fingerprint covers the planned operations).
    #[serde(default)]
    pub stale: bool,
}

impl ImportReport {
    pub fn total(&self) -> KindCount {
        let mut total = KindCount::default();
        for k in &self.kinds {
            total.new += k.new;
            total.changed += k.changed;
            total.unchanged += k.unchanged;
            total.errors += k.errors;
            total.warnings += k.warnings;
        }
        // Rows with errors, as in each kind's line (a row with three faulty cells is one), plus
        // the problems of the file as a whole, which belong to no kind.
        total.errors += self.errors.iter().filter(|p| p.row.is_none()).count() as u64;
        total
    }

    /// The file could not be read at all (wrong format, a limit, a broken archive).
    pub fn unreadable(&self) -> bool {
        self.sheets.is_empty() && !self.errors.is_empty()
    }

    /// Whether some sheet is read: recognised, with all its required columns, each once.
    pub fn has_readable_sheet(&self) -> bool {
        self.sheets.iter().any(|s| s.kind.is_some() && s.is_read())
    }

    /// Whether "Zeilen mit Fehlern auslassen" can apply anything: errors lie in rows (a sheet
    /// that is not read counts as its header row), and some sheet is read.
    pub fn errors_skippable(&self) -> bool {
        self.has_readable_sheet() && self.errors.iter().any(|e| e.row.is_some())
    }

    /// Keeps the first `limit` changes; the counts stay exact.
    pub fn truncate_changes(&mut self, limit: usize) {
        if self.changes.len() > limit {
            self.changes_omitted += (self.changes.len() - limit) as u64;
            self.changes.truncate(limit);
        }
    }

    /// Keeps the first `limit` errors and warnings each; `problems_omitted` counts the rest.
    pub fn truncate_problems(&mut self, limit: usize) {
        for list in [&mut self.errors, &mut self.warnings] {
            if list.len() > limit {
                self.problems_omitted += (list.len() - limit) as u64;
                list.truncate(limit);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportState {
    Vorschau,
    Uebernommen,
    Verworfen,
    Abgelehnt,
}

impl ImportState {
    pub fn code(self) -> &'static str {
        match self {
            ImportState::Vorschau => "vorschau",
            ImportState::Uebernommen => "uebernommen",
            ImportState::Verworfen => "verworfen",
            ImportState::Abgelehnt => "abgelehnt",
        }
    }

    pub fn parse(code: &str) -> Option<ImportState> {
        [ImportState::Vorschau, ImportState::Uebernommen, ImportState::Verworfen, ImportState::Abgelehnt]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ImportState::Vorschau => lang.t("Vorschau – wartet auf Übernahme", "Preview – awaiting commit"),
            ImportState::Uebernommen => lang.t("Übernommen", "Applied"),
            ImportState::Verworfen => lang.t("Verworfen", "Discarded"),
            ImportState::Abgelehnt => lang.t("Abgelehnt (Datei nicht lesbar)", "Rejected (file unreadable)"),
        }
    }
}

/// One line of the import history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportEntry {
    pub id: i64,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub source: String,
    pub state: ImportState,
    pub uploaded_by: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub new_count: i64,
    pub changed_count: i64,
    pub unchanged_count: i64,
    pub error_count: i64,
    pub warning_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportDetail {
    pub entry: ImportEntry,
    pub report: ImportReport,
}

/// Imports per page of the history: a year of monthly workbooks from every department runs
/// into hundreds, and each stays reachable.
pub const IMPORT_PAGE_SIZE: i64 = 50;

/// One page of the import history (`/import?seite=2`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportHistory {
    pub entries: Vec<ImportEntry>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

#[server(endpoint = "importe")]
pub async fn load_imports(page: i64) -> Result<ImportHistory, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::imports::history(&db, page).await
}

/// The largest file the upload takes, in bytes (`LEITSTAND_IMPORT_MAX_BYTES`): the form says
/// it before anyone uploads.
#[server(endpoint = "import-grenze")]
pub async fn load_upload_limit() -> Result<u64, AppError> {
    Ok(crate::server::import::Limits::configured().max_file_bytes)
}

#[server(endpoint = "import")]
pub async fn load_import(id: i64) -> Result<ImportDetail, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::imports::detail(&db, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_total_counts_rows_with_errors_not_messages() {
        let cell = |row, column: &str| {
            Problem::new("Projekte".into(), Some(row), Some(column.into()), String::new(), Msg::new("Fehler", "Error"))
        };
        let report = ImportReport {
            kinds: vec![KindCount { kind: Some(Kind::Projekte), errors: 2, new: 3, ..KindCount::default() }],
            // Two rows, one of them with three faulty cells.
            errors: vec![cell(2, "Start"), cell(2, "Planende"), cell(2, "Ampel"), cell(5, "Titel")],
            ..ImportReport::default()
        };
        assert_eq!((report.total().errors, report.total().new), (2, 3));
        let unreadable = ImportReport {
            errors: vec![Problem::of_file("x.xlsx".into(), Msg::new("nicht lesbar", "unreadable"))],
            ..ImportReport::default()
        };
        assert_eq!(unreadable.total().errors, 1, "a problem of the whole file counts, though it has no kind");
    }
}
