//! Spreadsheet import: departments' workbooks (.xlsx, .xlsm, .ods, .csv) in, a preview of what
//! would change, then one transaction that applies all of it or nothing.
//!
//! The path of a file: `read` (bytes -> sheets of cells, against `Limits`) -> `header`
//! (which sheet holds what, where its header row is) -> `plan` (cells -> typed rows -> diff
//! against the database state) -> `db::imports::run` (state, plan and writes in one
//! transaction). `cell` holds the tolerant parsers for dates, numbers and percentages.

pub mod cell;
pub mod header;
pub mod plan;
pub mod read;
pub mod web;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::db::Db;
use super::db::imports::{ImportMeta, Mode, run};
use crate::api::imports::{ImportReport, Problem};
use crate::error::AppError;

/// Limits that keep a hostile or broken file from costing unbounded time or memory. The
/// defaults suit a city's workbooks (the real OZG catalogue has about 6,000 rows); operators
/// change them with the `LEITSTAND_IMPORT_*` variables named in each error message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_unpacked_bytes: u64,
    pub max_zip_entries: usize,
    pub max_rows: usize,
    pub max_columns: usize,
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_unpacked_bytes: 200 * 1024 * 1024,
            max_zip_entries: 1_000,
            max_rows: 100_000,
            max_columns: 500,
            max_cells: 2_000_000,
        }
    }
}

impl Limits {
    /// Defaults, overridden by `LEITSTAND_IMPORT_MAX_BYTES`, `..._MAX_UNPACKED_BYTES`,
    /// `..._MAX_ZIP_ENTRIES`, `..._MAX_ROWS`, `..._MAX_COLUMNS` and `..._MAX_CELLS`.
    pub fn from_env() -> Limits {
        fn var<T: std::str::FromStr>(name: &str, default: T) -> T {
            std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
        }
        let d = Limits::default();
        Limits {
            max_file_bytes: var("LEITSTAND_IMPORT_MAX_BYTES", d.max_file_bytes),
            max_unpacked_bytes: var("LEITSTAND_IMPORT_MAX_UNPACKED_BYTES", d.max_unpacked_bytes),
            max_zip_entries: var("LEITSTAND_IMPORT_MAX_ZIP_ENTRIES", d.max_zip_entries),
            max_rows: var("LEITSTAND_IMPORT_MAX_ROWS", d.max_rows),
            max_columns: var("LEITSTAND_IMPORT_MAX_COLUMNS", d.max_columns),
            max_cells: var("LEITSTAND_IMPORT_MAX_CELLS", d.max_cells),
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Where an import comes from and who runs it.
pub struct Source<'a> {
    pub file_name: &'a str,
    /// `web` or `cli`.
    pub channel: &'a str,
    pub user: &'a str,
}

/// Reads `bytes` and previews or applies them. A file that cannot be read gives a report with
/// one file-level error and no sheets; nothing is written then (the state was read meanwhile,
/// in a transaction that is rolled back).
pub async fn import_bytes(
    db: &Db,
    source: &Source<'_>,
    bytes: &[u8],
    mode: Mode,
    limits: &Limits,
    today: NaiveDate,
) -> Result<(ImportReport, Option<i64>), AppError> {
    let sha256 = sha256_hex(bytes);
    let meta = ImportMeta {
        file_name: source.file_name,
        sha256: &sha256,
        size_bytes: bytes.len() as i64,
        source: source.channel,
        user: source.user,
    };
    // Parsing is CPU work on a possibly large file: it runs on a blocking thread, and the
    // database state loads meanwhile (two cores read a large workbook a third faster).
    let name = source.file_name.to_string();
    let owned = bytes.to_vec();
    let limits = limits.clone();
    let size = bytes.len();
    let reading = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let book = read::read(&name, &owned, &limits);
        tracing::debug!(
            file = name,
            bytes = size,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "import: file read"
        );
        book
    });
    let plan_with = async |state: &plan::State| {
        let book = reading.await.map_err(|e| {
            tracing::error!(error = %e, "import reader panicked");
            AppError::Internal
        })?;
        Ok(match book {
            Ok(book) => plan::Planner::new(state, today).plan(&book),
            // An unreadable file plans nothing; `run` then writes nothing (see `unreadable`).
            Err(error) => plan::Plan {
                report: ImportReport {
                    errors: vec![Problem {
                        sheet: String::new(),
                        row: None,
                        column: None,
                        value: source.file_name.to_string(),
                        message: error.to_string(),
                    }],
                    ..ImportReport::default()
                },
                ..plan::Plan::default()
            },
        })
    };
    run(db, plan_with, mode, &meta, today).await
}

/// The report as German text for the command line.
pub fn summary(report: &ImportReport, dry_run: bool) -> String {
    use crate::domain::Lang;
    let mut out = format!("Datei: {} (SHA-256 {})\n", report.file_name, report.sha256);
    for sheet in &report.sheets {
        let kind = sheet.kind.map(|k| k.label(Lang::De)).unwrap_or("nicht erkannt");
        out.push_str(&format!("  Blatt »{}«: {kind}, {} Datenzeilen\n", sheet.name, sheet.data_rows));
    }
    for k in &report.kinds {
        let kind = k.kind.map(|k| k.label(Lang::De)).unwrap_or("");
        out.push_str(&format!(
            "  {kind}: {} neu, {} geändert, {} unverändert, {} mit Fehlern, {} Hinweise\n",
            k.new, k.changed, k.unchanged, k.errors, k.warnings
        ));
    }
    for p in &report.errors {
        out.push_str(&format!("FEHLER  {}: {}{}\n", p.location(), p.message, shown_value(&p.value)));
    }
    for p in report.warnings.iter().take(50) {
        out.push_str(&format!("Hinweis {}: {}{}\n", p.location(), p.message, shown_value(&p.value)));
    }
    if report.warnings.len() > 50 {
        out.push_str(&format!("… und {} weitere Hinweise (vollständig mit --json)\n", report.warnings.len() - 50));
    }
    out.push_str(if report.committed {
        "Ergebnis: übernommen.\n"
    } else if dry_run {
        "Ergebnis: Probelauf, nichts geändert.\n"
    } else if report.unreadable() {
        "Ergebnis: Datei nicht lesbar, nichts geändert.\n"
    } else {
        "Ergebnis: wegen Fehlern nichts übernommen. Korrigieren Sie die Datei oder lassen Sie fehlerhafte Zeilen mit --skip-errors aus.\n"
    });
    out
}

fn shown_value(value: &str) -> String {
    if value.is_empty() { String::new() } else { format!(" (Wert: »{value}«)") }
}
