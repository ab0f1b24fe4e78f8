//! Spreadsheet import: departments' workbooks (.xlsx, .xlsm, .ods, .csv) in, a preview of what
//! would change, then one transaction that applies all of it or nothing.
//!
//! The path of a file: `read` (bytes -> the sheets' first rows, then each sheet's rows in
//! chunks, against `Limits`) -> `header` (which sheet holds what, where its header row is)
//! -> `plan` (cells -> typed rows -> diff against the database state -> ops) ->
//! `db::imports::run` (state and writes in one transaction). The three run at the same time
//! (see `import_bytes`). `cell` holds the tolerant parsers for dates, numbers and percentages.

pub mod cell;
pub mod header;
pub mod plan;
pub mod read;
pub mod web;

use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::db::Db;
use super::db::imports::{ImportMeta, Mode, run};
use crate::api::imports::{ImportReport, Problem};
use crate::error::AppError;
use plan::Planning;

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
    /// Seconds that reading and checking a file may take. Nothing the other limits allow
    /// comes near it (a full-size file takes seconds); it is there for a reading library that
    /// stops making progress on a file no check foresaw: an import that waits for it would
    /// hold the database's write lock and a connection for good.
    pub max_seconds: u64,
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
            max_seconds: 120,
        }
    }
}

impl Limits {
    /// Defaults, overridden by `LEITSTAND_IMPORT_MAX_BYTES`, `..._MAX_UNPACKED_BYTES`,
    /// `..._MAX_ZIP_ENTRIES`, `..._MAX_ROWS`, `..._MAX_COLUMNS`, `..._MAX_CELLS` and
    /// `..._MAX_SECONDS`. A value that is not a whole number of at least 1 is an error naming
    /// the variable: a typo must not quietly leave a limit other than the operator meant. An
    /// empty value is unset.
    pub fn from_env() -> Result<Limits, String> {
        Limits::from_vars(|name| std::env::var(name).ok())
    }

    /// `from_env` with the variables looked up by `var`, so tests need not change the
    /// process's environment.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Limits, String> {
        fn limit<T: std::str::FromStr + PartialOrd + From<u8>>(
            var: &impl Fn(&str) -> Option<String>,
            name: &str,
            default: T,
        ) -> Result<T, String> {
            // Empty counts as unset, as `${VAR:-}` in a compose file leaves it.
            let Some(raw) = var(name).filter(|raw| !raw.trim().is_empty()) else { return Ok(default) };
            match raw.trim().parse::<T>() {
                Ok(value) if value >= T::from(1) => Ok(value),
                _ => Err(format!(
                    "Die Einstellung {name}=»{raw}« ist ungültig: erwartet wird eine ganze Zahl ab 1 ohne Tausenderpunkte."
                )),
            }
        }
        let d = Limits::default();
        Ok(Limits {
            max_file_bytes: limit(&var, "LEITSTAND_IMPORT_MAX_BYTES", d.max_file_bytes)?,
            max_unpacked_bytes: limit(&var, "LEITSTAND_IMPORT_MAX_UNPACKED_BYTES", d.max_unpacked_bytes)?,
            max_zip_entries: limit(&var, "LEITSTAND_IMPORT_MAX_ZIP_ENTRIES", d.max_zip_entries)?,
            max_rows: limit(&var, "LEITSTAND_IMPORT_MAX_ROWS", d.max_rows)?,
            max_columns: limit(&var, "LEITSTAND_IMPORT_MAX_COLUMNS", d.max_columns)?,
            max_cells: limit(&var, "LEITSTAND_IMPORT_MAX_CELLS", d.max_cells)?,
            max_seconds: limit(&var, "LEITSTAND_IMPORT_MAX_SECONDS", d.max_seconds)?,
        })
    }

    /// The limits in force for the server. `leitstand serve` checks the variables at start
    /// and refuses to run with an invalid one, so the defaults here are never a silent fallback.
    pub fn configured() -> Limits {
        Limits::from_env().unwrap_or_default()
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hexadecimal, as digests are shown and stored.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Where an import comes from and who runs it.
pub struct Source<'a> {
    pub file_name: &'a str,
    /// `web` or `cli`.
    pub channel: &'a str,
    pub user: &'a str,
}

/// How far the check of a file has come: data rows (below the header rows) of the recognised
/// sheets planned so far, and how many there are in all, known when every sheet says so (see
/// `read::SheetHead::rows_claimed`). The progress bars of the web import's check and commit
/// show it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub rows_checked: usize,
    pub rows_expected: Option<usize>,
}

/// Where an import reports its `Progress`: the latest value is all a reader needs.
pub type ProgressSender = tokio::sync::watch::Sender<Progress>;

/// Counts the progress from the chunks planned, against what the sheets claim. A sheet that
/// claimed too many rows counts what it had once it is done; one that has more rows than it
/// claimed leaves the total open until it is done, instead of showing 100 % too early.
struct Tally {
    sheets: Vec<(plan::Extent, usize, bool)>,
}

impl Tally {
    fn new(extents: &[plan::Extent]) -> Tally {
        Tally { sheets: extents.iter().map(|extent| (*extent, 0, false)).collect() }
    }

    /// Sheet `index` has been planned up to (not including) row `end`, 0-based.
    fn rows(&mut self, index: usize, end: usize) {
        if let Some((_, seen, _)) = self.sheet(index) {
            *seen = (*seen).max(end);
        }
    }

    fn done(&mut self, index: usize) {
        if let Some((.., done)) = self.sheet(index) {
            *done = true;
        }
    }

    fn sheet(&mut self, index: usize) -> Option<&mut (plan::Extent, usize, bool)> {
        self.sheets.iter_mut().find(|(extent, ..)| extent.index == index)
    }

    fn progress(&self) -> Progress {
        let mut progress = Progress { rows_checked: 0, rows_expected: Some(0) };
        for (extent, seen, done) in &self.sheets {
            let checked = seen.saturating_sub(extent.first_data_row);
            let claimed = extent.rows_claimed.map(|rows| rows.saturating_sub(extent.first_data_row));
            let expected = if *done { Some(checked) } else { claimed.filter(|claimed| *claimed >= checked) };
            progress.rows_checked += checked;
            progress.rows_expected = progress.rows_expected.zip(expected).map(|(sum, rows)| sum + rows);
        }
        progress
    }
}

/// Reads `bytes` and previews or applies them. A file that cannot be read gives a report with
/// one file-level error and no sheets; nothing is written then (what was written before the
/// reader found the fault is rolled back). `progress`, when given, follows the planning.
///
/// Three things run at once: a reader thread unpacks the file and hands on its rows in chunks
/// (`read::Book::stream`), a planner thread turns them into ops as soon as the database state
/// has loaded, and the transaction in `run` writes the ops batch by batch. A large workbook is
/// so never whole in memory, and its writes overlap its reading.
pub async fn import_bytes(
    db: &Db,
    source: &Source<'_>,
    bytes: Arc<[u8]>,
    mode: Mode,
    limits: &Limits,
    today: NaiveDate,
    progress: Option<ProgressSender>,
) -> Result<(ImportReport, Option<i64>), AppError> {
    let (chunks, read) = std::sync::mpsc::sync_channel(READ_AHEAD);
    let max_seconds = limits.max_seconds;
    // The reader thread shares the bytes: the web preview keeps them afterwards.
    let (name, shared, limits) = (source.file_name.to_string(), bytes.clone(), limits.clone());
    tokio::task::spawn_blocking(move || {
        // A reading library that panics on a malformed file (calamine overflows on a cell
        // reference far beyond any sheet) makes the file unreadable, not the import fail.
        let failed = chunks.clone();
        if let Err(panic) = contained(|| reader(&name, &shared, &limits, chunks)) {
            tracing::warn!(
                file = name,
                place = panic.place,
                detail = panic.message,
                "import: the reader panicked on the file"
            );
            let _ = failed.send(Read::Failed(read::ReadError::Unreadable(panic.message)));
        }
    });
    let sha256 = sha256_hex(&bytes);
    let meta = ImportMeta {
        file_name: source.file_name,
        sha256: &sha256,
        size_bytes: bytes.len() as i64,
        source: source.channel,
        user: source.user,
    };
    // Previews, and commits of a preview, compare what was planned by its fingerprint.
    let fingerprint = !matches!(mode, Mode::Commit { preview: None, .. });
    let file_name = source.file_name.to_string();
    let plan_with = move |state: Arc<plan::State>| {
        let (batches_out, batches) = tokio::sync::mpsc::channel(2);
        let done = tokio::task::spawn_blocking(move || {
            let planner = |survey| plan::Planner::new(&state, today, survey, fingerprint);
            planner_thread(planner, read, batches_out, &file_name, progress, max_seconds)
        });
        Planning { batches, done }
    };
    run(db, plan_with, mode, &meta, today).await
}

/// A panic that `contained` caught: its message, and where in the code it happened.
struct Caught {
    message: String,
    place: String,
}

/// Whether this thread runs inside `contained`, and what it caught there.
enum Watch {
    Outside,
    Watching,
    Caught(Caught),
}

thread_local! {
    static WATCH: std::cell::RefCell<Watch> = const { std::cell::RefCell::new(Watch::Outside) };
}

/// Runs `work`, turning a panic into `Caught`. The panic is the file's fault and is reported
/// as such (see `import_bytes`), so the standard hook's text ("thread … panicked at …, note:
/// run with RUST_BACKTRACE=1") must not reach the terminal of `leitstand import` or the
/// server's log as if Leitstand had crashed. Panics elsewhere, and those that abort the
/// process anyway, still go to the hook that was set before.
fn contained<R>(work: impl FnOnce() -> R) -> Result<R, Caught> {
    static QUIET_HOOK: std::sync::Once = std::sync::Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let watched = WATCH
                .try_with(|watch| {
                    let mut watch = watch.borrow_mut();
                    // A second panic while the first unwinds aborts the process: the
                    // previous hook tells why.
                    if !matches!(*watch, Watch::Watching) {
                        return false;
                    }
                    let payload = info.payload();
                    let message = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
                    *watch = Watch::Caught(Caught { message, place });
                    true
                })
                .unwrap_or(false);
            if !watched {
                previous(info);
            }
        }));
    });
    // A `contained` inside another leaves the outer one watching when it ends.
    let before = WATCH.replace(Watch::Watching);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    let after = WATCH.replace(before);
    outcome.map_err(|_| match after {
        Watch::Caught(caught) => caught,
        Watch::Outside | Watch::Watching => Caught { message: String::new(), place: String::new() },
    })
}

/// Chunks the reader may be ahead of the planner: enough to keep both threads busy.
const READ_AHEAD: usize = 2;
/// Ops handed on to the writes at a time: a few full statements' worth (`BULK_ROWS`), so
/// that writing starts early and few ops wait in memory.
const BATCH_OPS: usize = 3 * super::db::BULK_ROWS;

/// What the reader thread hands on to the planner.
enum Read {
    Opened(Box<plan::Survey>),
    Rows(usize, read::Chunk),
    SheetDone(usize),
    Finished,
    Failed(read::ReadError),
}

fn reader(name: &str, bytes: &[u8], limits: &Limits, out: SyncSender<Read>) {
    let started = std::time::Instant::now();
    let mut book = match read::open(name, bytes, limits) {
        Ok(book) => book,
        Err(error) => {
            let _ = out.send(Read::Failed(error));
            return;
        }
    };
    let survey = plan::survey(&book.sheets, book.epoch);
    let order = survey.order();
    if out.send(Read::Opened(Box::new(survey))).is_err() {
        return;
    }
    for index in order {
        // A failed send means the import was given up (an error while writing): stop.
        let mut gone = false;
        let streamed = book.stream(index, |chunk| gone = gone || out.send(Read::Rows(index, chunk)).is_err());
        if let Err(error) = streamed {
            let _ = out.send(Read::Failed(error));
            return;
        }
        if gone || out.send(Read::SheetDone(index)).is_err() {
            return;
        }
    }
    tracing::debug!(
        file = name,
        bytes = bytes.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "import: file read"
    );
    let _ = out.send(Read::Finished);
}

/// Plans what the reader hands on and passes the ops on in batches. `None` when the reader
/// or the writes stopped without a word (logged); the caller answers with an internal error.
///
/// The clock of `Limits::max_seconds` starts here, once the state has loaded: waiting for
/// another import's write lock is not the file's fault.
fn planner_thread<'s>(
    planner: impl FnOnce(plan::Survey) -> plan::Planner<'s>,
    read: Receiver<Read>,
    batches: tokio::sync::mpsc::Sender<plan::Batch>,
    file_name: &str,
    progress: Option<ProgressSender>,
    max_seconds: u64,
) -> Option<plan::Plan> {
    // At most a year: an operator's absurd value must not overflow the clock.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(max_seconds.min(365 * 24 * 3600));
    // What the reader hands on next (`None`: it hung up, which is an error, as it is without
    // a deadline), or `Err` once the time is up.
    let next = || -> Result<Option<Read>, RecvTimeoutError> {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(RecvTimeoutError::Timeout);
        }
        match read.recv_timeout(left) {
            Ok(message) => Ok(Some(message)),
            Err(RecvTimeoutError::Disconnected) => Ok(None),
            Err(timeout) => Err(timeout),
        }
    };
    // Out of time: the file counts as unreadable, `run` rolls back what was written, and the
    // write lock is free again. The reader ends at its next hand-on, which finds no one
    // listening; one stuck inside the reading library keeps its thread, but nothing waits
    // for it (`main` does not wait for it either).
    let late = || {
        tracing::warn!(file = file_name, max_seconds, "import: reading and checking the file ran out of time; stopped");
        Some(unreadable(file_name, read::ReadError::TooSlow { seconds: max_seconds }))
    };
    let Ok(first) = next() else { return late() };
    let (mut planner, mut tally) = match first {
        Some(Read::Opened(survey)) => {
            let tally = Tally::new(survey.extents());
            (planner(*survey), tally)
        }
        Some(Read::Failed(error)) => return Some(unreadable(file_name, error)),
        _ => {
            tracing::error!("import reader stopped before opening the file");
            return None;
        }
    };
    let hand_on = |planner: &mut plan::Planner<'_>| {
        let clean = planner.clean();
        batches.blocking_send(plan::Batch { ops: planner.take_ops(), clean }).is_ok()
    };
    loop {
        let Ok(message) = next() else { return late() };
        match message {
            Some(Read::Rows(index, chunk)) => {
                let end = chunk.first + chunk.rows.len();
                planner.rows(index, chunk);
                tally.rows(index, end);
            }
            Some(Read::SheetDone(index)) => {
                planner.sheet_done(index);
                tally.done(index);
            }
            Some(Read::Finished) => break,
            // Rows planned (or even written) so far do not count: the file as a whole is
            // unreadable, and `run` rolls back.
            Some(Read::Failed(error)) => return Some(unreadable(file_name, error)),
            Some(Read::Opened(_)) | None => {
                tracing::error!("import reader stopped in the middle of the file");
                return None;
            }
        }
        if let Some(progress) = &progress {
            progress.send_replace(tally.progress());
        }
        if planner.pending_ops() >= BATCH_OPS && !hand_on(&mut planner) {
            return None; // the writes gave up and said why
        }
    }
    if planner.pending_ops() > 0 && !hand_on(&mut planner) {
        return None;
    }
    Some(planner.finish())
}

/// The report of a file refused before it was read (the command line checks the size before
/// loading a file): the same file-level error an import of it would give.
pub fn refused(file_name: &str, error: read::ReadError) -> ImportReport {
    let mut report = unreadable(file_name, error).report;
    report.file_name = file_name.to_string();
    report
}

/// The plan of a file that cannot be read: one file-level error, nothing to write.
fn unreadable(file_name: &str, error: read::ReadError) -> plan::Plan {
    plan::Plan {
        report: ImportReport {
            errors: vec![Problem::of_file(file_name.to_string(), error.message())],
            ..ImportReport::default()
        },
        ..plan::Plan::default()
    }
}

/// The report as German text for the command line.
pub fn summary(report: &ImportReport, dry_run: bool) -> String {
    use crate::domain::Lang;
    let mut out = if report.sha256.is_empty() {
        format!("Datei: {}\n", report.file_name) // refused before it was read
    } else {
        format!("Datei: {} (SHA-256 {})\n", report.file_name, report.sha256)
    };
    for sheet in &report.sheets {
        let kind = sheet.kind.map(|k| k.label(Lang::De)).unwrap_or("nicht erkannt");
        let unread =
            sheet.unread_reason(Lang::De).map(|reason| format!(" (nicht gelesen: {reason})")).unwrap_or_default();
        out.push_str(&format!("  Blatt »{}«: {kind}{unread}, {} Datenzeilen\n", sheet.name, sheet.data_rows));
    }
    for k in &report.kinds {
        out.push_str(&format!(
            "  {}: {} neu, {} geändert, {} unverändert, {} mit Fehlern, {} Hinweise\n",
            k.label(Lang::De),
            k.new,
            k.changed,
            k.unchanged,
            k.errors,
            k.warnings
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
    } else if report.errors_skippable() {
        "Ergebnis: wegen Fehlern nichts übernommen. Korrigieren Sie die Datei oder lassen Sie fehlerhafte Zeilen mit --skip-errors aus.\n"
    } else {
        "Ergebnis: wegen Fehlern nichts übernommen; sie betreffen die ganze Datei. Korrigieren Sie die Datei.\n"
    });
    out
}

fn shown_value(value: &str) -> String {
    if value.is_empty() { String::new() } else { format!(" (Wert: »{value}«)") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_becomes_its_message_and_place() {
        assert_eq!(contained(|| 7).ok(), Some(7));
        let caught = contained(|| -> u8 { panic!("Zelle {} zu weit", 3) }).expect_err("the panic is caught");
        assert_eq!(caught.message, "Zelle 3 zu weit");
        assert!(caught.place.starts_with("src/server/import/mod.rs:"), "{}", caught.place);
        // The thread is back to normal afterwards: a value passes again.
        assert_eq!(contained(|| "weiter").ok(), Some("weiter"));
        // An inner `contained` leaves the outer one watching.
        let outer = contained(|| {
            assert!(contained(|| -> u8 { panic!("innen") }).is_err());
            panic!("außen")
        });
        assert_eq!(outer.err().map(|caught| caught.message).as_deref(), Some("außen"));
    }

    #[test]
    fn progress_counts_data_rows_against_what_the_sheets_claim() {
        let extent = |index, first_data_row, rows_claimed| plan::Extent { index, first_data_row, rows_claimed };
        // Sheet 0: header in row 1, claims 101 rows but holds 41. Sheet 2: title and header
        // rows, claims 52 rows and holds 60.
        let mut tally = Tally::new(&[extent(0, 1, Some(101)), extent(2, 2, Some(52))]);
        assert_eq!(tally.progress(), Progress { rows_checked: 0, rows_expected: Some(150) });
        tally.rows(0, 41);
        assert_eq!(tally.progress(), Progress { rows_checked: 40, rows_expected: Some(150) });
        tally.done(0);
        assert_eq!(tally.progress(), Progress { rows_checked: 40, rows_expected: Some(90) });
        tally.rows(2, 52);
        assert_eq!(tally.progress(), Progress { rows_checked: 90, rows_expected: Some(90) });
        tally.rows(2, 60);
        assert_eq!(tally.progress(), Progress { rows_checked: 98, rows_expected: None }, "more than claimed: open");
        tally.done(2);
        assert_eq!(tally.progress(), Progress { rows_checked: 98, rows_expected: Some(98) });
        // A sheet that says nothing leaves the total open until it is read.
        let mut tally = Tally::new(&[extent(0, 1, Some(11)), extent(1, 1, None)]);
        tally.rows(0, 11);
        tally.done(0);
        assert_eq!(tally.progress(), Progress { rows_checked: 10, rows_expected: None });
        tally.rows(1, 6);
        tally.done(1);
        assert_eq!(tally.progress(), Progress { rows_checked: 15, rows_expected: Some(15) });
    }

    #[test]
    fn a_reader_that_stops_making_progress_ends_in_a_refusal_naming_the_time_limit() {
        // The reader stalls before it has opened the file, and after: its end of the channel
        // stays open and says nothing, as a thread stuck inside the reading library would.
        for opened in [false, true] {
            let (reader, read) = std::sync::mpsc::sync_channel(READ_AHEAD);
            if opened {
                reader.send(Read::Opened(Box::new(plan::survey(&[], cell::Epoch::default())))).unwrap();
            }
            let (answer, answered) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let state = plan::State::default();
                let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
                let (batches, _written) = tokio::sync::mpsc::channel(2);
                let started = std::time::Instant::now();
                let planner = |survey| plan::Planner::new(&state, today, survey, false);
                let plan = planner_thread(planner, read, batches, "haengt.ods", None, 1);
                let _ = answer.send((plan, started.elapsed()));
            });
            // Without the limit the planner would wait for good: fail instead of hanging.
            let (plan, waited) = answered.recv_timeout(std::time::Duration::from_secs(30)).expect("an answer");
            drop(reader);
            let plan = plan.expect("a report on the file, not an internal error");
            assert!(waited >= std::time::Duration::from_secs(1), "{waited:?}");
            let [error] = &plan.report.errors[..] else { panic!("{:#?}", plan.report.errors) };
            assert!(
                error.message.contains("dauerte länger als 1 Sekunde (Grenze LEITSTAND_IMPORT_MAX_SECONDS)"),
                "{error:#?}"
            );
            assert!(error.message_en.contains("took longer than 1 second (limit LEITSTAND_IMPORT_MAX_SECONDS)"));
            assert!(plan.report.unreadable() && plan.ops.is_empty());
        }
    }

    #[test]
    fn limits_come_from_the_variables_and_refuse_invalid_values() {
        fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
            let pairs: Vec<(String, String)> = pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
            move |name| pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
        }
        assert_eq!(Limits::from_vars(vars(&[])), Ok(Limits::default()));
        let set = Limits::from_vars(vars(&[
            ("LEITSTAND_IMPORT_MAX_ROWS", " 5000 "),
            ("LEITSTAND_IMPORT_MAX_BYTES", "1048576"),
            ("LEITSTAND_IMPORT_MAX_SECONDS", "600"),
        ]));
        assert_eq!(
            set,
            Ok(Limits { max_rows: 5_000, max_file_bytes: 1_048_576, max_seconds: 600, ..Limits::default() })
        );
        assert_eq!(Limits::from_vars(vars(&[("LEITSTAND_IMPORT_MAX_CELLS", " ")])), Ok(Limits::default()));
        for bad in ["20.000", "0", "-1", "viel"] {
            let error = Limits::from_vars(vars(&[("LEITSTAND_IMPORT_MAX_CELLS", bad)])).expect_err(bad);
            assert!(error.contains("LEITSTAND_IMPORT_MAX_CELLS") && error.contains("ganze Zahl ab 1"), "{error}");
        }
    }
}
