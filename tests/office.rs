//! The export through a real office suite. Lotsen download their projects, change dates in
//! their spreadsheet program and upload the file again; what comes back is whatever that
//! program wrote, not what rust_xlsxwriter wrote. Here LibreOffice (headless, installed by
//! `scripts/setup.sh tests`) saves the exported workbook as .ods, as .xlsx again and as German
//! CSV (Windows-1252, semicolons, values as shown), and each file must import back with zero
//! changes. Then one forecast is moved in the CSV, as a Lotse would type it, and LibreOffice
//! reads the CSV with German settings into a workbook whose dates are real date cells: exactly
//! that one change must arrive.

#![cfg(feature = "ssr")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::Reader;
use chrono::{Days, NaiveDate};
use leitstand::api::imports::{ImportReport, Kind};
use leitstand::api::portfolio::PortfolioFilter;
use leitstand::server::db::imports::Mode;
use leitstand::server::db::{Db, demo, export, on_db};
use leitstand::server::import::Limits;

async fn import(db: &Db, path: &Path, mode: Mode) -> ImportReport {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    common::import(db, &name, &bytes, mode, &Limits::default()).await
}

/// LibreOffice's CSV filter options: field separator `;` (59), text in `"` (34), character set
/// Windows-1252 (1), from line 1, German (1031). Writing: quote all text, detect numbers, save
/// values as shown (as Excel does), every sheet into a file of its own (-1). Reading: detect
/// dates and numbers the German way, as opening the file in a German office program does.
const CSV_OUT: &str = "csv:Text - txt - csv (StarCalc):59,34,1,1,,1031,true,true,true,false,false,-1";
const CSV_IN: &str = "Text - txt - csv (StarCalc):59,34,1,1,,1031,false,true";
const XLSX_OUT: &str = "xlsx:Calc MS Excel 2007 XML";

/// Converts `input` with headless LibreOffice into `out_dir`, with a profile of its own (two
/// instances on one profile wait for each other) and a deadline, so a hanging office suite
/// fails the test instead of stalling the suite.
fn soffice(work: &Path, input: &Path, convert_to: &str, infilter: Option<&str>, out_dir: &Path) {
    let mut command = Command::new("soffice");
    command.arg(format!("-env:UserInstallation=file://{}", work.join("profile").display())).args([
        "--headless",
        "--norestore",
        "--nolockcheck",
    ]);
    if let Some(filter) = infilter {
        command.arg(format!("--infilter={filter}"));
    }
    command.args(["--convert-to", convert_to, "--outdir"]).arg(out_dir).arg(input);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("LibreOffice (soffice) fehlt: {e}. `bash scripts/setup.sh tests` installiert es."));
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "soffice {convert_to} {}: {status}", input.display());
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("soffice {convert_to} {}: no answer within 180 s", input.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn assert_unchanged(report: &ImportReport, expected: &[(Kind, usize)]) {
    let file = &report.file_name;
    assert!(report.errors.is_empty(), "{file}: {:#?}", &report.errors[..report.errors.len().min(5)]);
    assert!(report.changes.is_empty(), "{file}: {:#?}", &report.changes[..report.changes.len().min(5)]);
    for (kind, rows) in expected {
        let count =
            report.kinds.iter().find(|k| k.kind == Some(*kind)).unwrap_or_else(|| panic!("{file}: no {kind:?}"));
        assert_eq!((count.new, count.changed, count.unchanged as usize), (0, 0, *rows), "{file}: {kind:?}");
    }
}

/// One line of LibreOffice's CSV split at its separators, each field as written (text in
/// quotes, numbers and dates bare); quoted text may hold `;` but never a quote here.
fn raw_fields(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&line[start..]);
    out
}

fn value(raw: &str) -> &str {
    raw.trim_matches('"')
}

#[tokio::test]
async fn the_export_survives_libreoffice_and_brings_back_one_offline_edit() {
    let db = common::sqlite().await;
    demo::load(&db, common::today(), false).await.unwrap();
    let data = export::portfolio(&db, &PortfolioFilter::default()).await.unwrap();
    let expected = [
        (Kind::Projekte, data.projects.len()),
        (Kind::Meilensteine, data.milestones.len()),
        (Kind::Leistungen, data.services.len()),
        (Kind::Nutzung, data.usage.len()),
    ];
    let work: PathBuf = std::env::temp_dir().join(format!("leitstand_office_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    for dir in ["ods", "xlsx", "csv", "edited"] {
        std::fs::create_dir_all(work.join(dir)).unwrap();
    }
    let exported = work.join("export.xlsx");
    std::fs::write(&exported, leitstand::server::export::portfolio_workbook(&data).unwrap()).unwrap();

    // Saved as .ods, and that .ods saved as .xlsx: LibreOffice's own cells, styles and strings.
    soffice(&work, &exported, "ods", None, &work.join("ods"));
    let ods = work.join("ods/export.ods");
    assert_unchanged(&import(&db, &ods, Mode::Preview).await, &expected);
    soffice(&work, &ods, XLSX_OUT, None, &work.join("xlsx"));
    assert_unchanged(&import(&db, &work.join("xlsx/export.xlsx"), Mode::Preview).await, &expected);

    // Saved as German CSV, one file per sheet, in Windows-1252: »LeiKa-Schlüssel« is not UTF-8.
    soffice(&work, &exported, CSV_OUT, None, &work.join("csv"));
    for (kind, rows) in expected {
        let sheet = leitstand::server::export::sheet_name(kind);
        let csv = work.join(format!("csv/export-{sheet}.csv"));
        assert_unchanged(&import(&db, &csv, Mode::Preview).await, &[(kind, rows)]);
    }
    let services = std::fs::read(work.join("csv/export-Leistungen.csv")).unwrap();
    assert!(std::str::from_utf8(&services).is_err() && services.contains(&0xFC), "Windows-1252 expected");

    // The offline edit: the first open milestone's forecast two weeks later, typed as a German
    // date into the CSV, which LibreOffice then reads into a workbook with date cells.
    let csv = std::fs::read(work.join("csv/export-Meilensteine.csv")).unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&csv);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = raw_fields(&lines[0]).into_iter().map(value).collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("{name}: {header:?}"));
    let (key, title, forecast, actual) =
        (column("Projekt-Nr"), column("Meilenstein"), column("Prognose"), column("Ist-Termin"));
    let index = (1..lines.len())
        .find(|&i| raw_fields(&lines[i]).get(actual).is_none_or(|a| value(a).is_empty()))
        .expect("an open milestone");
    let row: Vec<String> = raw_fields(&lines[index]).into_iter().map(|f| value(f).to_string()).collect();
    let old = NaiveDate::parse_from_str(&row[forecast], "%d.%m.%Y").unwrap();
    let new = old.checked_add_days(Days::new(14)).unwrap();
    let typed = new.format("%d.%m.%Y").to_string();
    let mut edited = raw_fields(&lines[index]);
    edited[forecast] = &typed;
    lines[index] = edited.join(";");
    let text = lines.join("\r\n") + "\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    let edited_csv = work.join("meilensteine-bearbeitet.csv");
    std::fs::write(&edited_csv, bytes).unwrap();
    soffice(&work, &edited_csv, XLSX_OUT, Some(CSV_IN), &work.join("edited"));
    let workbook = work.join("edited/meilensteine-bearbeitet.xlsx");
    // LibreOffice made the typed date a date cell, as a spreadsheet program does on input.
    let mut opened = calamine::open_workbook_auto(&workbook).unwrap();
    let cells = opened.worksheet_range_at(0).unwrap().unwrap();
    let cell = cells.get((index, forecast)).unwrap();
    assert!(matches!(cell, calamine::Data::DateTime(_)), "{cell:?}");
    let report = import(&db, &workbook, Mode::Commit { skip_errors: false, preview: None }).await;
    assert!(report.committed && report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(report.changes.len(), 1, "{:#?}", &report.changes[..report.changes.len().min(5)]);
    let change = &report.changes[0];
    assert_eq!(change.key, format!("{} · {}", row[key], row[title]), "{change:#?}");
    assert_eq!(change.fields.len(), 1, "{change:#?}");
    assert_eq!(
        (change.fields[0].old.as_str(), change.fields[0].new.as_str()),
        (row[forecast].as_str(), typed.as_str())
    );
    let stored: String = on_db!(&db, pool => sqlx::query_scalar(
        "SELECT m.forecast_date FROM milestones m JOIN projects p ON p.id = m.project_id WHERE p.key = $1 AND m.title = $2",
    )
    .bind(&row[key])
    .bind(&row[title])
    .fetch_one(pool)
    .await
    .unwrap());
    assert_eq!(stored, new.to_string());
    let _ = std::fs::remove_dir_all(&work);
}
