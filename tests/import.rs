//! Spreadsheet import end to end on real databases: workbooks are generated here (with
//! rust_xlsxwriter, and by hand for CSV and broken files), imported through the same function
//! the web upload and the CLI use, and the database is checked afterwards. The real NRW OZG
//! catalogue is read from ../shared/data at test time.

#![cfg(feature = "ssr")]

mod common;

use std::io::{Cursor, Read, Write};

use common::{rezip, today};
use leitstand::api::imports::{ImportReport, Kind};
use leitstand::api::portfolio::PortfolioFilter;
use leitstand::domain::Lang;
use leitstand::server::db::imports::Mode;
use leitstand::server::db::{Db, demo, export, on_db, projects};
use leitstand::server::demo::Rng;
use leitstand::server::import::Limits;
use rust_xlsxwriter::{Format, Formula, Workbook};

async fn count(db: &Db, sql: &str) -> i64 {
    on_db!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

async fn text(db: &Db, sql: &str) -> String {
    on_db!(db, pool => sqlx::query_scalar::<_, String>(sql).fetch_one(pool).await.unwrap())
}

async fn preview(db: &Db, name: &str, bytes: &[u8]) -> ImportReport {
    run(db, name, bytes, Mode::Preview, &Limits::default()).await
}

async fn commit(db: &Db, name: &str, bytes: &[u8]) -> ImportReport {
    run(db, name, bytes, Mode::Commit { skip_errors: false, preview: None }, &Limits::default()).await
}

async fn run(db: &Db, name: &str, bytes: &[u8], mode: Mode, limits: &Limits) -> ImportReport {
    common::import(db, name, bytes, mode, limits).await
}

fn counts(report: &ImportReport, kind: Kind) -> (u64, u64, u64, u64) {
    report
        .kinds
        .iter()
        .find(|k| k.kind == Some(kind))
        .map(|k| (k.new, k.changed, k.unchanged, k.errors))
        .unwrap_or_default()
}

/// A department code and a Lotse function of the demo city.
async fn demo_refs(db: &Db) -> (String, String) {
    (
        text(db, "SELECT code FROM departments ORDER BY id LIMIT 1").await,
        text(db, "SELECT title FROM functions WHERE kind = 'lotse' ORDER BY id LIMIT 1").await,
    )
}

/// Every table an import may write, as one fingerprint.
async fn snapshot(db: &Db) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "departments",
        "functions",
        "people",
        "projects",
        "milestones",
        "milestone_forecasts",
        "ozg_services",
        "service_usage",
        "themenfelder",
        "lebenslagen",
        "ozg_catalogue",
        "leika_catalogue",
        "imports",
    ] {
        out.push(count(db, &format!("SELECT count(*) FROM {table}")).await);
    }
    out.push(count(db, "SELECT CAST(COALESCE(sum(version), 0) AS BIGINT) FROM projects").await);
    out
}

/// A department's progress workbook as it arrives by e-mail: a title row, a merged cell,
/// free header names, dates as date cells, serial numbers and text.
fn department_workbook(department: &str, lotse: &str, forecast: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let sheet = book.add_worksheet().set_name("Projekte").unwrap();
    sheet.merge_range(0, 0, 0, 4, "Fortschrittsbericht – Stand 30.09.2026", &Format::new()).unwrap();
    let headers = [
        "Projekt-Nr.",
        "Maßnahme",
        "FB",
        "Lotsin",
        "Kategorie",
        "Projektbeginn",
        "Ende",
        "Fortschritt",
        "Ampel",
        "Begründung",
        "Bemerkung intern",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, f64); 2] =
        [("IMP-0001", "Online-Antrag Anwohnerparken", 0.6), ("IMP-0002", "eAkte im Bürgeramt", 25.0)];
    for (i, (key, title, percent)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, *key).unwrap();
        sheet.write_string(r, 1, *title).unwrap();
        sheet.write_string(r, 2, department).unwrap();
        sheet.write_string(r, 3, lotse).unwrap();
        sheet.write_string(r, 4, if i == 0 { "OZG-Leistung" } else { "eakte" }).unwrap();
        sheet
            .write_datetime_with_format(r, 5, rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 15).unwrap(), &date)
            .unwrap();
        if i == 0 {
            sheet.write_string(r, 6, "31.12.2027").unwrap();
        } else {
            sheet.write_number(r, 6, 46752.0).unwrap(); // Excel serial of 31.12.2027
        }
        sheet.write_number(r, 7, *percent).unwrap();
        sheet.write_string(r, 8, if i == 0 { "Gelb" } else { "grün" }).unwrap();
        sheet.write_string(r, 9, if i == 0 { "Schnittstelle zum Fachverfahren verzögert" } else { "" }).unwrap();
        sheet.write_string(r, 10, "nur intern").unwrap();
    }
    let sheet = book.add_worksheet().set_name("Meilensteine").unwrap();
    for (c, h) in ["Projektnummer", "Meilenstein", "Basistermin", "Prognosetermin", "erreicht am"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "IMP-0001").unwrap();
    sheet.write_string(1, 1, "Fachkonzept abgenommen").unwrap();
    sheet.write_string(1, 2, "2026-03-31").unwrap();
    sheet.write_string(1, 3, "2026-03-31").unwrap();
    sheet.write_string(1, 4, "15.04.2026").unwrap();
    sheet.write_string(2, 0, "IMP-0001").unwrap();
    sheet.write_string(2, 1, "Pilotbetrieb").unwrap();
    sheet.write_string(2, 2, "30.06.2027").unwrap();
    sheet.write_string(2, 3, forecast).unwrap();
    // Departments keep their own notes in the workbook: not a kind, so it is skipped, with a note.
    let sheet = book.add_worksheet().set_name("Notizen").unwrap();
    sheet.write_string(0, 0, "Rückfragen an").unwrap();
    sheet.write_string(0, 1, "Telefon").unwrap();
    sheet.write_string(1, 0, "Frau Beispiel").unwrap();
    book.save_to_buffer().unwrap()
}

async fn suite(db: &Db) {
    department_workbook_round_trip(db).await;
    errors_block_the_commit_unless_skipped(db).await;
    values_beyond_what_the_database_keeps_are_errors_in_the_preview(db).await;
    usage_from_csv_long_and_wide(db).await;
    export_imports_back_with_zero_changes(db).await;
    templates_carry_lists_and_import_cleanly(db).await;
    a_blank_reason_that_would_clear_a_stored_one_says_so(db).await;
    milestones_are_renamed_by_their_number(db).await;
    deleted_numbers_are_not_given_again(db).await;
    a_commit_waits_for_the_writer_before_it(db).await;
}

/// One writer at a time, on both backends: an import committed while another write
/// transaction is open (here the test's own, which creates the same project) waits for it and
/// then plans against what it wrote, so the project is changed, not created a second time. On
/// PostgreSQL the import used to plan at once against the state without that project; its
/// insert then waited for the other transaction and failed on the unique key.
async fn a_commit_waits_for_the_writer_before_it(db: &Db) {
    use leitstand::server::db::Begin;
    let (department, _) = demo_refs(db).await;
    let department_id = count(db, &format!("SELECT id FROM departments WHERE code = '{department}'")).await;
    let csv = format!(
        "Projekt-Nr;Titel;Fachbereich;Kategorie;Start;Planende\n\
         WL-0001;Titel aus der Datei;{department};Prozess;01.01.2026;31.12.2026\n"
    );
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let report = on_db!(db, pool => {
        let mut writer = pool.begin_write().await.unwrap();
        sqlx::query(
            "INSERT INTO projects (key, title, department_id, category, phase, start_date, planned_end, ampel, updated_at, updated_by)
             VALUES ('WL-0001', 'Titel aus dem Formular', $1, 'prozess', 'planung', $2, $3, 'gruen', $4, 'Test')",
        )
        .bind(department_id).bind(day(1, 1)).bind(day(12, 31)).bind(chrono::Utc::now())
        .execute(&mut *writer).await.unwrap();
        let import = {
            let db = db.clone();
            tokio::spawn(async move { commit(&db, "wartet.csv", csv.as_bytes()).await })
        };
        // Until the import is seen waiting for a lock (PostgreSQL, at most 3 s), or for 0.3 s
        // (SQLite, whose busy timeout is 5 s): either way it must not have finished.
        let waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
        let rounds = if db.backend() == "postgres" { 100 } else { 10 };
        for _ in 0..rounds {
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
            if db.backend() == "postgres" && count(db, waiting).await > 0 {
                break;
            }
        }
        assert!(!import.is_finished(), "the import did not wait for the open write transaction");
        writer.commit().await.unwrap();
        import.await.expect("the import ends with a report, not an error")
    });
    assert!(report.committed, "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Projekte), (0, 1, 0, 0));
    assert_eq!(count(db, "SELECT count(*) FROM projects WHERE key = 'WL-0001'").await, 1);
    assert_eq!(text(db, "SELECT title FROM projects WHERE key = 'WL-0001'").await, "Titel aus der Datei");
}

/// A milestone deleted on the project page keeps its number taken: a row of an older export
/// that still carries it is an error naming the deletion, and the next new milestone gets the
/// number after it, so that no old row can rename the new one.
async fn deleted_numbers_are_not_given_again(db: &Db) {
    let key = text(
        db,
        "SELECT p.key FROM projects p WHERE p.key LIKE 'DIG-%' AND EXISTS (SELECT 1 FROM milestones m WHERE m.project_id = p.id) ORDER BY p.key DESC LIMIT 1",
    )
    .await;
    let project = count(db, &format!("SELECT id FROM projects WHERE key = '{key}'")).await;
    let last = count(db, &format!("SELECT max(position) FROM milestones WHERE project_id = {project}")).await;
    let typo = "Abnahme Schnitstelle";
    let csv = format!("Projekt-Nr;Meilenstein;Plantermin\r\n{key};{typo};01.06.2027\r\n");
    let report = commit(db, "meilensteine.csv", csv.as_bytes()).await;
    assert!(report.committed && report.errors.is_empty(), "{:#?}", report.errors);
    let at =
        |position: i64| format!("SELECT id FROM milestones WHERE project_id = {project} AND position = {position}");
    let mistake = count(db, &at(last + 1)).await;
    let version = count(db, &format!("SELECT version FROM milestones WHERE id = {mistake}")).await;
    let deleted = projects::delete_milestone(db, project, mistake, version, true, "Stabsstelle Test").await.unwrap();
    assert_eq!(deleted, typo);

    // The deleted number (position + 1) in a row of the old export, and the right milestone
    // as a new row.
    let number = last + 2;
    let csv = format!(
        "Projekt-Nr;Meilenstein-Nr;Meilenstein;Plantermin\r\n\
         {key};{key}/{number};{typo};01.06.2027\r\n\
         {key};;Abnahme Schnittstelle;01.06.2027\r\n"
    );
    let report = preview(db, "meilensteine.csv", csv.as_bytes()).await;
    assert_eq!(counts(&report, Kind::Meilensteine), (1, 0, 0, 1));
    let error = &report.errors[0];
    assert_eq!((error.row, error.column.as_deref()), (Some(2), Some("Meilenstein-Nr")));
    let expected = format!("Meilenstein Nr. {number} von Projekt {key} (»{typo}«) wurde am ");
    assert!(error.message.starts_with(&expected), "{}", error.message);
    let report = run(
        db,
        "meilensteine.csv",
        csv.as_bytes(),
        Mode::Commit { skip_errors: true, preview: None },
        &Limits::default(),
    )
    .await;
    assert!(report.committed, "{:#?}", report.errors);
    let taken = format!("SELECT count(*) FROM milestones WHERE project_id = {project} AND position = {}", last + 1);
    assert_eq!(count(db, &taken).await, 0, "the deleted number stays free");
    let right =
        text(db, &format!("SELECT title FROM milestones WHERE project_id = {project} AND position = {}", last + 2))
            .await;
    assert_eq!(right, "Abnahme Schnittstelle");
}

/// The export writes each milestone's number (`DIG-0001/2`); with it a row renames the
/// milestone it names, which keeps its id and forecast history. A number of another project,
/// one the project lacks, a name another milestone has, and two rows about one milestone are
/// errors; a department's own numbering is noted once and its rows are matched by name.
async fn milestones_are_renamed_by_their_number(db: &Db) {
    let key = text(db, "SELECT key FROM projects p WHERE (SELECT count(*) FROM milestones m WHERE m.project_id = p.id) >= 3 ORDER BY key LIMIT 1").await;
    let other = text(db, &format!("SELECT key FROM projects WHERE key <> '{key}' ORDER BY key LIMIT 1")).await;
    let title = |position: i64| {
        let key = key.clone();
        async move {
            text(db, &format!("SELECT m.title FROM milestones m JOIN projects p ON p.id = m.project_id WHERE p.key = '{key}' AND m.position = {position}")).await
        }
    };
    let (first, second, third) = (title(0).await, title(1).await, title(2).await);
    let id_of_first = format!(
        "SELECT m.id FROM milestones m JOIN projects p ON p.id = m.project_id WHERE p.key = '{key}' AND m.position = 0"
    );
    let id = count(db, &id_of_first).await;
    let history = format!("SELECT count(*) FROM milestone_forecasts WHERE milestone_id = {id}");
    let points = count(db, &history).await;
    let renamed = "Fachkonzept abgenommen (neu benannt)";

    let csv = format!(
        "Projekt-Nr;Meilenstein-Nr;Meilenstein\r\n\
         {key};{key}/1;{renamed}\r\n\
         {key};;{renamed}\r\n\
         {key};{key}/2;{third}\r\n\
         {key};{key}/99;Irgendein Meilenstein\r\n\
         {key};{other}/1;Irgendein Meilenstein\r\n\
         {key};{key}/1;{first}\r\n"
    );
    let before = snapshot(db).await;
    let report = preview(db, "meilensteine.csv", csv.as_bytes()).await;
    let error_in = |row: u32| {
        report
            .errors
            .iter()
            .find(|e| e.row == Some(row))
            .map(|e| (e.column.clone().unwrap_or_default(), e.message.clone()))
    };
    let (column, message) = error_in(3).expect("the new name given twice");
    assert!(column == "Meilenstein" && message.starts_with("Doppelter Eintrag: ein Meilenstein"), "{message}");
    // The error shows the name as the row wrote it, not the normalised key it was matched on.
    let shown = report.errors.iter().find(|e| e.row == Some(3)).map(|e| e.value.as_str());
    assert_eq!(shown, Some(renamed));
    let (column, message) = error_in(4).expect("a name another milestone has");
    assert!(
        column == "Meilenstein" && message.starts_with("Ein anderer Meilenstein dieses Projekts heißt schon so"),
        "{message}"
    );
    let (column, message) = error_in(5).expect("a number the project lacks");
    assert_eq!(
        (column.as_str(), message.starts_with(&format!("Projekt {key} hat keinen Meilenstein Nr. 99"))),
        ("Meilenstein-Nr", true),
        "{message}"
    );
    let (column, message) = error_in(6).expect("another project's number");
    assert!(
        column == "Meilenstein-Nr" && message.contains(&format!("gehört zu Projekt {other}, die Zeile nennt {key}")),
        "{message}"
    );
    let (_, message) = error_in(7).expect("a second row about the first milestone");
    assert!(message.starts_with("Doppelter Eintrag"), "{message}");
    assert_eq!(report.errors.len(), 5, "{:#?}", report.errors);
    let change = report.changes.iter().find(|c| c.row == 2).expect("the rename is listed");
    assert!(!change.is_new);
    assert_eq!(
        change.fields.iter().map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str())).collect::<Vec<_>>(),
        [("Meilenstein", first.as_str(), renamed)]
    );
    let after = snapshot(db).await;
    assert_eq!((&after[..12], &after[13..]), (&before[..12], &before[13..]), "a preview writes nothing but its record");

    // The rename alone, beside a department's own numbering, which is noted once.
    let csv = format!(
        "Projekt-Nr;Meilenstein-Nr;Meilenstein\r\n{key};{key}/1;{renamed}\r\n{key};2;{second}\r\n{key};M3;{third}\r\n"
    );
    let report = commit(db, "meilensteine.csv", csv.as_bytes()).await;
    assert!(report.committed && report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Meilensteine), (0, 1, 2, 0));
    let notes: Vec<_> = report.warnings.iter().filter(|w| w.column.as_deref() == Some("Meilenstein-Nr")).collect();
    assert_eq!(notes.len(), 1, "{:#?}", report.warnings);
    assert_eq!((notes[0].row, notes[0].value.as_str()), (Some(3), "2"));
    assert!(
        notes[0]
            .message
            .starts_with("Diese und 1 weitere Zellen der Spalte enthalten keine Meilenstein-Nr aus Leitstand"),
        "{}",
        notes[0].message
    );
    assert_eq!(text(db, &format!("SELECT m.title FROM milestones m WHERE m.id = {id}")).await, renamed);
    assert_eq!(count(db, &id_of_first).await, id, "the same milestone, renamed");
    assert_eq!(count(db, &history).await, points, "its forecast history stays with it");
    let again = commit(db, "meilensteine.csv", csv.as_bytes()).await;
    assert_eq!(counts(&again, Kind::Meilensteine), (0, 0, 3, 0));

    // The export writes the numbers, and its file names the renamed milestone by them.
    let data =
        export::portfolio(db, &PortfolioFilter { text: key.clone(), ..PortfolioFilter::default() }).await.unwrap();
    let export = leitstand::server::export::csv(Kind::Meilensteine, &data);
    assert!(export.starts_with("\u{feff}Projekt-Nr;Meilenstein-Nr;Meilenstein;"), "{}", &export[..80]);
    assert!(export.contains(&format!("\r\n{key};{key}/1;{renamed};")), "{export}");
    assert!(export.contains(&format!("\r\n{key};{key}/3;{third};")), "{export}");
}

/// A department fills in a few columns of a template and leaves Ampel-Begründung blank: the
/// blank would clear the stored reason of a yellow or red project, and the error says so and
/// how to keep it, instead of only that a reason is required.
async fn a_blank_reason_that_would_clear_a_stored_one_says_so(db: &Db) {
    let key = text(db, "SELECT key FROM projects WHERE ampel <> 'gruen' ORDER BY key LIMIT 1").await;
    let csv = format!("Projekt-Nr;Titel;Ampel-Begründung\r\n{key};;\r\n");
    let report = preview(db, "fortschritt.csv", csv.as_bytes()).await;
    let error = report.errors.iter().find(|e| e.column.as_deref() == Some("Ampel-Begründung")).expect("an error");
    assert!(error.message.contains("würde die gespeicherte Begründung löschen"), "{}", error.message);
    assert!(error.message_en.contains("delete the column to keep the stored one"), "{}", error.message_en);
    // Without the column the stored reason stays, and the row is fine.
    let csv = format!("Projekt-Nr;Titel\r\n{key};\r\n");
    let report = preview(db, "fortschritt.csv", csv.as_bytes()).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
}

/// Texts longer than the database's `CHECK`s allow, an amount beyond any budget and a
/// percent-formatted 150 % are errors of their cells in the preview; skipping them, the commit
/// applies the rest instead of failing on a constraint.
async fn values_beyond_what_the_database_keeps_are_errors_in_the_preview(db: &Db) {
    let (department, _) = demo_refs(db).await;
    let themenfeld = text(db, "SELECT name FROM themenfelder ORDER BY id LIMIT 1").await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Projekte").unwrap();
    let headers = ["Projekt-Nr", "Titel", "Fachbereich", "Kategorie", "Start", "Planende", "Budget", "Fertigstellung"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, key) in ["LIM-0001", "LIM-0002", "LIM-0003"].iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in [*key, "Grenzen", &department, "Prozess", "01.02.2026", "31.12.2026"].iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
    sheet.write_string(1, 6, "1,5E+30").unwrap();
    sheet.write_number(2, 7, 1.5).unwrap(); // 150 % in a percent-formatted cell
    let sheet = book.add_worksheet().set_name("Meilensteine").unwrap();
    for (c, h) in ["Projekt-Nr", "Meilenstein", "Plantermin"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, title) in ["M".repeat(301), "Abnahme".to_string()].iter().enumerate() {
        sheet.write_string(r as u32 + 1, 0, "LIM-0003").unwrap();
        sheet.write_string(r as u32 + 1, 1, title).unwrap();
        sheet.write_string(r as u32 + 1, 2, "30.11.2026").unwrap();
    }
    let sheet = book.add_worksheet().set_name("Leistungen").unwrap();
    for (c, h) in ["OZG-ID", "Leistung", "Themenfeld"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "99999").unwrap();
    sheet.write_string(1, 1, "L".repeat(501)).unwrap();
    sheet.write_string(1, 2, &themenfeld).unwrap();
    let file = book.save_to_buffer().unwrap();

    let report = preview(db, "grenzen.xlsx", &file).await;
    let error = |sheet: &str, row: u32| {
        let found = report.errors.iter().find(|e| e.sheet == sheet && e.row == Some(row));
        found.unwrap_or_else(|| panic!("no error in {sheet} {row}: {:#?}", report.errors)).clone()
    };
    assert_eq!(
        error("Projekte", 2).message,
        "Das Budget ist zu hoch: erlaubt sind höchstens 1.000.000.000.000 € (eine Billion)."
    );
    assert_eq!(error("Projekte", 2).value, "1,5E+30");
    assert_eq!(error("Projekte", 3).column.as_deref(), Some("Fertigstellung"));
    assert_eq!(error("Meilensteine", 2).message, "Der Text ist zu lang: erlaubt sind höchstens 300 Zeichen.");
    assert_eq!(error("Leistungen", 2).message, "Der Text ist zu lang: erlaubt sind höchstens 500 Zeichen.");
    assert_eq!(report.errors.len(), 4, "{:#?}", report.errors);

    let report =
        run(db, "grenzen.xlsx", &file, Mode::Commit { skip_errors: true, preview: None }, &Limits::default()).await;
    assert!(report.committed, "{:#?}", report.errors);
    assert_eq!(count(db, "SELECT count(*) FROM projects WHERE key LIKE 'LIM-%'").await, 1);
    assert_eq!(
        text(db, "SELECT m.title FROM milestones m JOIN projects p ON p.id = m.project_id WHERE p.key = 'LIM-0003'")
            .await,
        "Abnahme"
    );
    assert_eq!(count(db, "SELECT count(*) FROM ozg_services WHERE ozg_id = '99999'").await, 0);
}

async fn export_imports_back_with_zero_changes(db: &Db) {
    // Titles a spreadsheet would run as a formula, to see them neutralised on the way out: the
    // plain sign, and the full-width one that Apple Numbers folds into it.
    let (department, _) = demo_refs(db).await;
    let csv = format!(
        "Projekt-Nr;Titel;Fachbereich;Kategorie;Start;Planende\n\
         FX-0001;=HYPERLINK(\"http://x\");{department};Prozess;01.01.2026;31.12.2026\n\
         FX-0002;＝HYPERLINK(\"http://y\");{department};Prozess;01.01.2026;31.12.2026\n\
         FX-0003;≠ Formel;{department};Prozess;01.01.2026;31.12.2026\n"
    );
    assert!(commit(db, "formel.csv", csv.as_bytes()).await.committed);

    let data = export::portfolio(db, &PortfolioFilter::default()).await.unwrap();
    assert!(data.projects.len() > 300 && data.milestones.len() > 1_000 && !data.usage.is_empty());
    let xlsx = leitstand::server::export::portfolio_workbook(&data).unwrap();
    let before = snapshot(db).await;
    let report = commit(db, "export.xlsx", &xlsx).await;
    assert!(report.errors.is_empty(), "{:#?}", &report.errors[..report.errors.len().min(5)]);
    let total = report.total();
    assert_eq!((total.new, total.changed), (0, 0), "{:#?}", &report.changes[..report.changes.len().min(5)]);
    assert_eq!(
        total.unchanged as usize,
        data.projects.len() + data.milestones.len() + data.services.len() + data.usage.len()
    );
    assert_eq!(snapshot(db).await[..9], before[..9], "only the history row is new");

    // Months are written as the template asks for them, 01/2026: in the workbook a date cell
    // (Excel sorts and charts by it), in the CSV as text.
    let usage = &data.usage[0];
    let (year, month) = usage.month.split_once('-').unwrap();
    {
        use calamine::{Data, Reader};
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx.clone())).unwrap();
        let sheet = book.worksheet_range("Nutzung").unwrap();
        match sheet.get_value((1, 1)) {
            Some(Data::DateTime(d)) => {
                let date = d.as_datetime().unwrap().date();
                assert_eq!(date.format("%Y-%m-%d").to_string(), format!("{year}-{month}-01"));
            }
            other => panic!("month as a date cell, not {other:?}"),
        }
    }
    let mut styles = String::new();
    zip::ZipArchive::new(Cursor::new(&xlsx))
        .unwrap()
        .by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains(r#"formatCode="mm\/yyyy""#), "{styles}");

    for kind in [Kind::Projekte, Kind::Meilensteine, Kind::Leistungen, Kind::Nutzung] {
        let csv = leitstand::server::export::csv(kind, &data);
        if kind == Kind::Projekte {
            assert!(csv.contains(";\"'=HYPERLINK") && csv.contains(";\"'＝HYPERLINK"), "formulas neutralised in CSV");
        }
        if kind == Kind::Nutzung {
            let row = format!("\r\n{};{month}/{year};{};", usage.leika_key, usage.online_count);
            assert!(csv.contains(&row), "{row:?} in {}", &csv[..200]);
        }
        let report = commit(db, &format!("{}.csv", kind.code()), csv.as_bytes()).await;
        assert!(report.errors.is_empty(), "{kind:?}: {:#?}", &report.errors[..report.errors.len().min(5)]);
        let total = report.total();
        assert_eq!(
            (total.new, total.changed),
            (0, 0),
            "{kind:?}: {:#?}",
            &report.changes[..report.changes.len().min(3)]
        );
    }
    // In the workbook the formula-like titles are string cells with Excel's quote prefix, and
    // an ordinary title is not.
    for (title, guarded) in [("=HYPERLINK(", true), ("＝HYPERLINK(", true), ("≠ Formel", false)] {
        assert_eq!(common::quote_prefixed(&xlsx, "xl/worksheets/sheet1.xml", title), guarded, "{title}");
    }

    // A filtered export holds only the filtered projects.
    let filter = PortfolioFilter { text: "FX-0001".into(), ..PortfolioFilter::default() };
    let data = export::portfolio(db, &filter).await.unwrap();
    assert_eq!(data.projects.len(), 1);
}

async fn templates_carry_lists_and_import_cleanly(db: &Db) {
    // A name from the database that a spreadsheet would run lands in the hidden lists (the
    // example row is checked in `export`'s unit test, as the lists' order depends on collation).
    on_db!(db, pool => sqlx::query("INSERT INTO themenfelder (name) VALUES ('=SUMME(A1:A9)')").execute(pool).await.map(|_| ()).unwrap());
    let lists = export::choice_lists(db).await.unwrap();
    let kinds = [Kind::Fachbereiche, Kind::Lotsen, Kind::Projekte, Kind::Meilensteine, Kind::Leistungen, Kind::Nutzung];
    for kind in kinds {
        let bytes = leitstand::server::export::template_workbook(kind, &lists).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut sheet = String::new();
        archive.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
        // Drop-down lists per kind, and the example row on the instructions sheet.
        let (lists_wanted, example): (&[&str], &str) = match kind {
            Kind::Fachbereiche => (&[], "Amt für Digitalisierung und Organisation"),
            Kind::Lotsen => (&["Listen!$A$2"], "Erika Mustermann"),
            Kind::Projekte => (&["Grün", "Listen!$A$2", "Listen!$B$2"], "DIG-0999"),
            Kind::Meilensteine => (&["ja,nein"], "Pilotbetrieb gestartet"),
            Kind::Leistungen => (&["Listen!$C$2", "ja,nein"], "Elterngeld"),
            _ => (&[], "01/2026"),
        };
        for wanted in lists_wanted {
            assert!(sheet.contains("<dataValidation") && sheet.contains(wanted), "{kind:?} {wanted}: {sheet}");
        }
        // Every check says in German what is expected, instead of Excel's generic refusal;
        // dates and numbers only warn (a date typed as text is fine for the importer).
        // Every column also carries a note beside the cell being filled in (Excel's input
        // message), so that a column without a check still says what it expects.
        let checks: Vec<&str> = sheet.split("<dataValidation ").skip(1).map(|v| v.split('>').next().unwrap()).collect();
        let mut checked = checks.iter().filter(|v| v.contains(" type=\""));
        assert!(checked.all(|v| v.contains(" error=\"") && v.contains("errorTitle=")), "{kind:?}: {checks:#?}");
        let header_cells =
            sheet.split("<row r=\"1\"").nth(1).unwrap().split("</row>").next().unwrap().matches("<c ").count();
        assert_eq!(checks.len(), header_cells, "{kind:?}: one per column: {checks:#?}");
        assert!(
            checks.iter().all(|v| v.contains("showInputMessage=\"1\"")
                && v.contains("promptTitle=")
                && v.contains(" prompt=\"")),
            "{kind:?}: {checks:#?}"
        );
        if kind == Kind::Nutzung {
            assert!(sheet.contains("Monat im Format MM/JJJJ, z. B. 01/2026."), "{sheet}");
        }
        let warned = |kind_of: &str| checks.iter().any(|v| v.contains(kind_of) && v.contains("errorStyle=\"warning\""));
        match kind {
            Kind::Projekte => assert!(warned("type=\"date\"") && warned("type=\"decimal\""), "{checks:#?}"),
            Kind::Meilensteine => assert!(warned("type=\"date\"") && !warned("type=\"list\""), "{checks:#?}"),
            Kind::Leistungen | Kind::Nutzung => assert!(warned("type=\"whole\""), "{checks:#?}"),
            _ => {}
        }
        if kind == Kind::Projekte {
            assert!(sheet.contains("Bitte wählen Sie eine Phase aus der Liste."), "{sheet}");
        }
        let mut strings = String::new();
        archive.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
        assert!(strings.contains("Beispielzeile") && strings.contains(example), "{kind:?}: {strings}");
        // The instructions warn where a blank cell clears a stored value.
        let warning = match kind {
            Kind::Projekte => Some("Ampel-Begründung löscht den gespeicherten Wert"),
            Kind::Meilensteine => Some("Ist-Termin löscht einen gespeicherten Ist-Termin"),
            Kind::Leistungen => Some("URL löscht den gespeicherten Wert"),
            _ => None,
        };
        assert!(warning.is_none_or(|warning| strings.contains(warning)), "{kind:?}: {strings}");
        // Every text cell that could run as a formula has Excel's quote prefix: in the hidden
        // lists (sheet 3) the formula-like Themenfeld is the only cell with a style.
        let mut styles = String::new();
        archive.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
        let mut lists_sheet = String::new();
        archive.by_name("xl/worksheets/sheet3.xml").unwrap().read_to_string(&mut lists_sheet).unwrap();
        assert!(styles.contains("quotePrefix=\"1\""), "{kind:?}: {styles}");
        assert_eq!(lists_sheet.matches(" s=\"").count(), 1, "{kind:?}: {lists_sheet}");
        let report = preview(db, "vorlage.xlsx", &bytes).await;
        assert!(report.errors.is_empty(), "{kind:?}: {:#?}", report.errors);
        assert_eq!(report.sheets[0].kind, Some(kind));
        assert_eq!(report.total().new, 0, "the example row on the instructions sheet is never imported");
        assert!(report.sheets.iter().any(|s| s.name == "Anleitung"));
    }
}

async fn department_workbook_round_trip(db: &Db) {
    let (department, lotse) = demo_refs(db).await;
    let file = department_workbook(&department, &lotse, "30.09.2027");
    let before = snapshot(db).await;
    let report = preview(db, "fb.xlsx", &file).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Projekte), (2, 0, 0, 0));
    assert_eq!(counts(&report, Kind::Meilensteine), (2, 0, 0, 0));
    // A new row lists its values, so the preview shows what comes in, not just "neu".
    let new_project = report.changes.iter().find(|c| c.key == "IMP-0001").unwrap();
    assert!(new_project.is_new);
    let values: Vec<(&str, &str, &str)> =
        new_project.fields.iter().map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str())).collect();
    for expected in [
        ("Titel", "", "Online-Antrag Anwohnerparken"),
        ("Fachbereich", "", department.as_str()),
        ("Start", "", "15.01.2026"),
        ("Planende", "", "31.12.2027"),
        ("Fertigstellung", "", "60 %"),
        ("Ampel", "", "Gelb"),
        ("Ampel-Begründung", "", "Schnittstelle zum Fachverfahren verzögert"),
    ] {
        assert!(values.contains(&expected), "{expected:?} in {values:?}");
    }
    assert!(!values.iter().any(|(field, ..)| *field == "Budget"), "an empty value is not listed: {values:?}");
    // The English page shows dates and labels in English; plain text is stored once.
    let english = |field: &str| new_project.fields.iter().find(|f| f.field == field).unwrap().values(Lang::En);
    assert_eq!((english("Planende"), english("Ampel")), (("", "2027-12-31"), ("", "Yellow")));
    assert!(new_project.fields.iter().find(|f| f.field == "Titel").unwrap().en.is_none());
    let reached = report.changes.iter().find(|c| c.key.ends_with("Fachkonzept abgenommen")).unwrap();
    assert!(reached.fields.iter().any(|f| f.field == "Ist-Termin" && f.new == "15.04.2026"), "{reached:?}");
    assert_eq!(report.sheets[0].header_row, Some(3), "title row and blank row above the header");
    assert_eq!(report.sheets[0].ignored_columns, vec!["Bemerkung intern".to_string()]);
    // Every note is counted once in the count table: the ignored column with its kind, the
    // skipped notes sheet in a line of its own, after the kinds.
    assert_eq!(report.sheets[2].kind, None);
    assert_eq!(report.warnings.iter().filter(|w| w.sheet == "Notizen").count(), 1, "{:#?}", report.warnings);
    let warnings = |kind| report.kinds.iter().find(|k| k.kind == kind).map(|k| k.warnings);
    assert_eq!((warnings(Some(Kind::Projekte)), warnings(None)), (Some(1), Some(1)), "{:#?}", report.kinds);
    assert_eq!(report.kinds.last().unwrap().label(Lang::De), "Nicht erkannte Blätter");
    assert_eq!(report.total().warnings, report.warnings.len() as u64, "{:#?}", report.warnings);
    assert_eq!(snapshot(db).await, before, "a preview writes nothing");

    let report = commit(db, "fb.xlsx", &file).await;
    assert!(report.committed);
    assert_eq!(
        text(db, "SELECT CAST(percent_done AS TEXT) FROM projects WHERE key = 'IMP-0001'").await,
        "60",
        "0.6 is 60 %"
    );
    assert_eq!(text(db, "SELECT CAST(planned_end AS TEXT) FROM projects WHERE key = 'IMP-0002'").await, "2027-12-31");
    assert_eq!(text(db, "SELECT ampel FROM projects WHERE key = 'IMP-0002'").await, "gruen");
    assert_eq!(
        count(db, "SELECT count(*) FROM milestone_forecasts f JOIN milestones m ON m.id = f.milestone_id JOIN projects p ON p.id = m.project_id WHERE p.key = 'IMP-0001'").await,
        2,
        "each new milestone starts its forecast history"
    );
    assert_eq!(count(db, "SELECT count(*) FROM imports WHERE sha256 <> '' AND state = 'uebernommen'").await, 1);

    // The same file again changes nothing.
    let again = commit(db, "fb.xlsx", &file).await;
    assert_eq!(counts(&again, Kind::Projekte), (0, 0, 2, 0));
    assert_eq!(counts(&again, Kind::Meilensteine), (0, 0, 2, 0));
    assert!(again.changes.is_empty());

    // A slipped forecast is a change with old -> new and a new point in the MTA history.
    let slipped = department_workbook(&department, &lotse, "30.11.2027");
    let report = commit(db, "fb.xlsx", &slipped).await;
    assert_eq!(counts(&report, Kind::Meilensteine), (0, 1, 1, 0));
    let change = report.changes.iter().find(|c| c.kind == Kind::Meilensteine).unwrap();
    assert_eq!(change.fields[0].field, "Prognose");
    assert_eq!((change.fields[0].old.as_str(), change.fields[0].new.as_str()), ("30.09.2027", "30.11.2027"));
    assert_eq!(change.fields[0].values(Lang::En), ("2027-09-30", "2027-11-30"));
    assert_eq!(
        count(db, "SELECT count(*) FROM milestone_forecasts f JOIN milestones m ON m.id = f.milestone_id WHERE m.title = 'Pilotbetrieb' AND f.forecast_date = '2027-11-30'").await,
        1
    );
}

async fn errors_block_the_commit_unless_skipped(db: &Db) {
    let (department, _) = demo_refs(db).await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Projekte").unwrap();
    for (c, h) in ["Projekt-Nr", "Titel", "Fachbereich", "Kategorie", "Start", "Planende", "Ampel", "Fertigstellung"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let good = ["ERR-0001", "Gute Zeile", &department, "Prozess", "01.02.2026", "31.12.2026", "Grün", "10 %"];
    let bad_date = ["ERR-0002", "Falsches Datum", &department, "Prozess", "31.02.2026", "31.12.2026", "Grün", "10"];
    let bad_end = ["ERR-0003", "Ende vor Start", &department, "Prozess", "01.02.2026", "01.01.2026", "Rot", "10"];
    for (r, row) in [good, bad_date, bad_end].iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    // An error cell (cached #DIV/0! of a formula) and a formula read by its cached value.
    sheet.write_string(4, 0, "ERR-0004").unwrap();
    sheet.write_string(4, 1, "Formelzeile").unwrap();
    sheet.write_string(4, 2, &department).unwrap();
    sheet.write_string(4, 3, "Prozess").unwrap();
    sheet.write_string(4, 4, "01.02.2026").unwrap();
    sheet.write_string(4, 5, "31.12.2026").unwrap();
    sheet.write_string(4, 6, "Grün").unwrap();
    sheet.write_formula(4, 7, Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
    sheet.write_string(5, 0, "ERR-0005").unwrap();
    sheet.write_string(5, 1, "Formel mit Wert").unwrap();
    sheet.write_string(5, 2, &department).unwrap();
    sheet.write_string(5, 3, "Prozess").unwrap();
    sheet.write_string(5, 4, "01.02.2026").unwrap();
    sheet.write_string(5, 5, "31.12.2026").unwrap();
    sheet.write_string(5, 6, "Grün").unwrap();
    sheet.write_formula(5, 7, Formula::new("=20*2").set_result("40")).unwrap();
    let file = book.save_to_buffer().unwrap();

    let before = snapshot(db).await;
    let report = commit(db, "fehler.xlsx", &file).await;
    assert!(!report.committed, "rows with errors block the commit");
    assert_eq!(snapshot(db).await, before, "nothing is half-written");
    let at = |row: u32| {
        report
            .errors
            .iter()
            .find(|e| e.row == Some(row))
            .unwrap_or_else(|| panic!("no error in row {row}: {:#?}", report.errors))
    };
    assert_eq!(at(3).column.as_deref(), Some("Start"));
    assert_eq!(at(3).value, "31.02.2026");
    assert!(at(3).message.contains("Datum"), "{}", at(3).message);
    assert!(at(4).message.contains("Planende liegt vor dem Start"), "{}", at(4).message);
    assert!(report.errors.iter().any(|e| e.row == Some(4) && e.message.contains("Begründung")), "red needs a reason");
    assert_eq!(at(5).value, "#DIV/0!");
    assert_eq!(at(5).column.as_deref(), Some("Fertigstellung"));

    let report =
        run(db, "fehler.xlsx", &file, Mode::Commit { skip_errors: true, preview: None }, &Limits::default()).await;
    assert!(report.committed && report.skipped_errors);
    assert_eq!(count(db, "SELECT count(*) FROM projects WHERE key LIKE 'ERR-%'").await, 2);
    assert_eq!(text(db, "SELECT CAST(percent_done AS TEXT) FROM projects WHERE key = 'ERR-0005'").await, "40");

    // A sheet that lacks a required column names it and the headers it found.
    let csv = "Projekt-Nr;Prognose;Plantermin\nERR-0001;31.12.2026;30.11.2026\n";
    let report = preview(db, "meilensteine.csv", csv.as_bytes()).await;
    let error = &report.errors[0];
    assert!(
        error.message.contains("»Meilenstein«") && error.message.contains("Projekt-Nr, Prognose, Plantermin"),
        "{}",
        error.message
    );
}

async fn usage_from_csv_long_and_wide(db: &Db) {
    let leika = text(db, "SELECT leika_key FROM ozg_services WHERE leika_key IS NOT NULL ORDER BY id LIMIT 1").await;
    // Windows-1252, semicolons, German thousands separators, month in three spellings.
    let mut csv: Vec<u8> = Vec::new();
    csv.extend_from_slice(b"Leistung;LeiKa-Schl\xfcssel;Monat;Anzahl online;Anzahl gesamt\r\n");
    let months: [(&[u8], &str, &str); 3] =
        [(b"01/2020", "1.200", "2.000"), (b"2020-02", "900", "1.000"), (b"M\xe4rz 2020", "50", "100")];
    for (month, online, total) in months {
        csv.extend_from_slice(b";;;;\r\n"); // blank rows between data rows are skipped
        csv.extend_from_slice(format!("Parken;{leika};").as_bytes());
        csv.extend_from_slice(month);
        csv.extend_from_slice(format!(";{online};{total}\r\n").as_bytes());
    }
    let report = commit(db, "nutzung.csv", &csv).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Nutzung), (3, 0, 0, 0));
    let sql = format!(
        "SELECT CAST(online_count AS TEXT) FROM service_usage u JOIN ozg_services s ON s.id = u.service_id WHERE s.leika_key = '{leika}' AND u.month = '2020-01'"
    );
    assert_eq!(text(db, &sql).await, "1200");

    // Wide layout: one column per month, one row per figure.
    let wide = format!(
        "LeiKa-Schlüssel,Art,01/2020,02/2020,04/2020\n{leika},Online,1200,950,10\n{leika},Gesamt,2000,1000,20\n"
    );
    let report = commit(db, "breit.csv", wide.as_bytes()).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Nutzung), (1, 1, 1, 0), "April new, February changed, January unchanged");

    // The same figure twice (a second "Online" row, or in a long and a wide sheet) is an error.
    let twice =
        format!("LeiKa-Schlüssel;Art;06/2020;07/2020\n{leika};Online;5;5\n{leika};Gesamt;9;9\n{leika};Online;6;6\n");
    let report = preview(db, "doppelt.csv", twice.as_bytes()).await;
    assert!(
        report.errors.iter().any(|e| e.row == Some(4) && e.message.contains("Doppelte Zeile")),
        "{:#?}",
        report.errors
    );
    assert_eq!(counts(&report, Kind::Nutzung).0, 0, "the pair with a faulty row is not applied half");

    let bad = format!(
        "LeiKa-Schlüssel;Monat;Online;Gesamt\n{leika};13/2020;5;10\n{leika};05/2020;50;10\n99999999999999;05/2020;1;2\n9,9012E+13;05/2020;1;2\n"
    );
    let report = preview(db, "schlecht.csv", bad.as_bytes()).await;
    assert_eq!(counts(&report, Kind::Nutzung).3, 4, "{:#?}", report.errors);
    assert!(report.errors.iter().any(|e| e.message.contains("Online ≤ Gesamt")));
    assert!(report.errors.iter().any(|e| e.message.contains("Unbekannte Leistung")));
    // A key that Excel shortened when it saved the CSV: the message says where the digits went.
    let shortened = report.errors.iter().find(|e| e.row == Some(5)).expect("row 5 refused");
    assert_eq!(shortened.value, "9,9012E+13");
    assert!(
        shortened.message.contains("Exponentialschreibweise") && shortened.message.contains(".xlsx"),
        "{shortened:#?}"
    );

    // A month's number without its year, or a year before 2000, is an error, not January 1900.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Nutzung").unwrap();
    for (c, header) in ["LeiKa-Schlüssel", "Monat", "Online", "Gesamt"].into_iter().enumerate() {
        sheet.write_string(0, c as u16, header).unwrap();
    }
    let rows: [(&str, Option<f64>); 3] = [("03/2010", None), ("", Some(3.0)), ("01/1999", None)];
    for (r, (text, number)) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &leika).unwrap();
        match number {
            Some(n) => sheet.write_number(r, 1, n).map(|_| ()).unwrap(),
            None => sheet.write_string(r, 1, text).map(|_| ()).unwrap(),
        }
        sheet.write_number(r, 2, 1.0).unwrap();
        sheet.write_number(r, 3, 2.0).unwrap();
    }
    let report = preview(db, "monate.xlsx", &book.save_to_buffer().unwrap()).await;
    assert_eq!(counts(&report, Kind::Nutzung), (1, 0, 0, 2), "{:#?}", report.errors);
    let error = |row| report.errors.iter().find(|e| e.row == Some(row)).map(|e| (e.value.as_str(), e.message.as_str()));
    assert_eq!(
        error(3),
        Some((
            "3",
            "Ungültiger Wert: erwartet wird ein Monat mit Jahr wie 01/2025; eine Monats- oder Jahreszahl allein genügt nicht."
        ))
    );
    assert!(error(4).is_some_and(|(_, m)| m.contains("zwischen 2000 und 2100")), "{:#?}", report.errors);
}

/// A workbook of a city that starts without the demo: projects first, then its Lotsen and its
/// departments, which the projects name (by name and code, by function and person).
fn fresh_city_workbook(holder: &str, email: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheets: [(&str, &[&[&str]]); 3] = [
        (
            "Projekte",
            &[
                &["Projekt-Nr", "Titel", "Fachbereich", "Lotse", "Kategorie", "Start", "Planende"],
                &[
                    "ORG-0001",
                    "Digitale Kfz-Zulassung",
                    "FB 32",
                    "Lotse FB 32",
                    "OZG-Leistung",
                    "01.02.2026",
                    "31.12.2026",
                ],
                &[
                    "ORG-0002",
                    "eAkte Bauaufsicht",
                    "Bauaufsicht",
                    "Bernd Beispiel",
                    "eAkte",
                    "01.03.2026",
                    "30.06.2027",
                ],
            ],
        ),
        (
            "Lotsen",
            &[
                &["Funktion", "Fachbereich", "Person", "E-Mail", "Telefon"],
                &["Lotse FB 32", "FB 32", holder, email, "0221 221-3200"],
                &["Lotsin FB 63", "FB 63", "Bernd Beispiel", "", ""],
            ],
        ),
        ("Fachbereiche", &[&["Kürzel", "Name"], &["FB 32", "Bürgeramt und Ordnung"], &["FB 63", "Bauaufsicht"]]),
    ];
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate().filter(|(_, value)| !value.is_empty()) {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// Who holds which Lotse function, with the person's contact, and each project's references.
async fn organisation(db: &Db) -> (Vec<String>, Vec<String>) {
    let functions = on_db!(db, pool => sqlx::query_as::<_, (String, String, Option<String>, Option<String>, Option<String>)>(
        "SELECT f.title, d.code, p.name, p.email, p.phone FROM functions f JOIN departments d ON d.id = f.department_id
           LEFT JOIN people p ON p.id = f.person_id ORDER BY f.title").fetch_all(pool).await.unwrap());
    let projects = on_db!(db, pool => sqlx::query_as::<_, (String, String, Option<String>)>(
        "SELECT p.key, d.name, f.title FROM projects p JOIN departments d ON d.id = p.department_id
           LEFT JOIN functions f ON f.id = p.lotse_id ORDER BY p.key").fetch_all(pool).await.unwrap());
    (
        functions.into_iter().map(|f| format!("{f:?}")).collect(),
        projects.into_iter().map(|p| format!("{p:?}")).collect(),
    )
}

async fn fresh_city_enters_its_organisation_with_its_projects(db: &Db) {
    let file = fresh_city_workbook("Anna Schmidt", "anna.schmidt@stadt.example");
    let before = snapshot(db).await;
    let report = preview(db, "organisation.xlsx", &file).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(snapshot(db).await, before, "a preview writes nothing");
    let report = commit(db, "organisation.xlsx", &file).await;
    assert!(report.committed, "{:?}", report.errors);
    assert_eq!(counts(&report, Kind::Fachbereiche), (2, 0, 0, 0));
    assert_eq!(counts(&report, Kind::Lotsen), (2, 0, 0, 0));
    assert_eq!(counts(&report, Kind::Projekte), (2, 0, 0, 0));
    let (functions, projects) = organisation(db).await;
    assert_eq!(
        functions,
        [
            r#"("Lotse FB 32", "FB 32", Some("Anna Schmidt"), Some("anna.schmidt@stadt.example"), Some("0221 221-3200"))"#,
            r#"("Lotsin FB 63", "FB 63", Some("Bernd Beispiel"), None, None)"#,
        ]
    );
    assert_eq!(
        projects,
        [
            r#"("ORG-0001", "Bürgeramt und Ordnung", Some("Lotse FB 32"))"#,
            r#"("ORG-0002", "Bauaufsicht", Some("Lotsin FB 63"))"#,
        ]
    );

    // The same file again changes nothing.
    let before = snapshot(db).await;
    let report = commit(db, "organisation.xlsx", &file).await;
    for kind in [Kind::Fachbereiche, Kind::Lotsen, Kind::Projekte] {
        assert_eq!(counts(&report, kind), (0, 0, 2, 0), "{kind:?}");
    }
    assert_eq!(snapshot(db).await[..4], before[..4], "no department, function, person or project added");

    // A new holder: a person of their own, the previous one stays on record for the other rows.
    let file = fresh_city_workbook("Clara Neu", "");
    let report = commit(db, "organisation.xlsx", &file).await;
    assert_eq!(counts(&report, Kind::Lotsen), (0, 1, 1, 0));
    let change = report.changes.iter().find(|c| c.kind == Kind::Lotsen).unwrap();
    let fields: Vec<(&str, &str, &str)> =
        change.fields.iter().map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str())).collect();
    assert_eq!(fields, [("Person", "Anna Schmidt", "Clara Neu"), ("E-Mail", "anna.schmidt@stadt.example", "")]);
    let (functions, _) = organisation(db).await;
    assert_eq!(functions[0], r#"("Lotse FB 32", "FB 32", Some("Clara Neu"), None, Some("0221 221-3200"))"#);
    assert_eq!(count(db, "SELECT count(*) FROM people").await, 3);
}

#[tokio::test]
async fn fresh_city_on_sqlite() {
    let db = common::sqlite().await;
    fresh_city_enters_its_organisation_with_its_projects(&db).await;
}

#[tokio::test]
async fn fresh_city_on_postgres() {
    if common::postgres_skipped() {
        return;
    }
    let (db, name) = common::postgres().await;
    fresh_city_enters_its_organisation_with_its_projects(&db).await;
    common::drop_postgres(db, &name).await;
}

#[tokio::test]
async fn import_suite_on_sqlite() {
    let db = common::sqlite().await;
    demo::load(&db, today(), false).await.unwrap();
    suite(&db).await;
}

#[tokio::test]
async fn import_suite_on_postgres() {
    if common::postgres_skipped() {
        return;
    }
    let (db, name) = common::postgres().await;
    demo::load(&db, today(), false).await.unwrap();
    suite(&db).await;
    common::drop_postgres(db, &name).await;
}

/// The shared external data lives beside the project checkout (`../shared/data`); a clone
/// elsewhere (CI clones afresh) finds it through LEITSTAND_SHARED_DATA or at /work/shared/data.
/// Missing data fails the test: it must never pass without reading the real file.
fn catalogue_path() -> std::path::PathBuf {
    let relative = "ozg-katalog-nrw-2019/ozg-katalog-nrw-2019.xlsx";
    let candidates = [
        std::env::var("LEITSTAND_SHARED_DATA").ok().map(std::path::PathBuf::from),
        Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")),
        Some(std::path::PathBuf::from("/work/shared/data")),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|dir| dir.join(relative))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("{relative} not found: set LEITSTAND_SHARED_DATA to the shared data directory"))
}

#[tokio::test]
async fn real_ozg_catalogue_imports_with_the_right_counts() {
    let path = catalogue_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{} must be readable: {e}", path.display()));
    let db = common::sqlite().await;
    let report = commit(&db, "ozg-katalog-nrw-2019.xlsx", &bytes).await;
    assert!(report.errors.is_empty(), "{:#?}", &report.errors[..report.errors.len().min(5)]);
    assert!(report.committed);
    assert_eq!(counts(&report, Kind::Themenfelder), (14, 0, 0, 0));
    assert_eq!(counts(&report, Kind::OzgKatalog), (557, 0, 0, 0));
    assert_eq!(counts(&report, Kind::LeikaKatalog), (5_251, 0, 0, 0));
    assert_eq!(count(&db, "SELECT count(*) FROM themenfelder").await, 14);
    assert_eq!(count(&db, "SELECT count(*) FROM ozg_catalogue").await, 557);
    assert_eq!(count(&db, "SELECT count(*) FROM leika_catalogue").await, 5_251);
    // The workbook names 55 distinct Lebenslagen (the source lists 58, three without service).
    assert_eq!(count(&db, "SELECT count(*) FROM lebenslagen").await, 55);
    // The catalogue's dirt is reported, not dropped.
    let without_key = report.warnings.iter().filter(|w| w.value == "nicht im LeiKa").count();
    assert_eq!(without_key, 436);
    assert_eq!(
        count(&db, "SELECT count(*) FROM leika_catalogue WHERE leika_key IS NULL").await,
        438,
        "436 'nicht im LeiKa' + 2 odd keys"
    );
    for odd_type in ["44", "1, 2/3"] {
        assert!(
            report.warnings.iter().any(|w| w.value == odd_type && w.message.contains("LeiKa-Typ")),
            "type {odd_type}"
        );
    }
    assert!(report.warnings.iter().any(|w| w.message.contains("Doppelte Zeile")));
    assert!(report.warnings.iter().any(|w| w.message.contains("ohne OZG-ID")));

    let again = commit(&db, "ozg-katalog-nrw-2019.xlsx", &bytes).await;
    let total = again.total();
    assert_eq!((total.new, total.changed, total.unchanged), (0, 0, 14 + 557 + 5_251));
}

// ---------------------------------------------------------------------------------------------
// Hostile and broken files. Each is made here; none may change the database.

fn small_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Themenfelder").unwrap();
    sheet.write_string(0, 0, "Themenfeld").unwrap();
    sheet.write_string(1, 0, "Bildung").unwrap();
    book.save_to_buffer().unwrap()
}

fn refused(report: &ImportReport, needle: &str) {
    assert!(!report.committed);
    assert!(
        report.errors.iter().any(|e| e.message.contains(needle)),
        "expected an error containing {needle:?}, got {:#?}",
        report.errors
    );
    // The English interface gets the same message in English, naming the same limit.
    for error in &report.errors {
        assert!(!error.message_en.is_empty() && error.message_en != error.message, "{error:#?}");
        if needle.starts_with("LEITSTAND_") {
            assert!(error.message_en.contains(needle), "{error:#?}");
        }
    }
}

#[tokio::test]
async fn hostile_and_broken_files_are_refused_and_change_nothing() {
    let db = common::sqlite().await;
    let before = snapshot(&db).await;
    let good = small_workbook();

    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    refused(&commit(&db, "bericht.xlsx", &png).await, "keine lesbare Tabelle");
    refused(&commit(&db, "halb.xlsx", &good[..good.len() / 2]).await, "beschädigt");
    refused(&commit(&db, "leer.xlsx", b"").await, "leer");

    // ZIP bomb: 300 MB of zeros in 300 KB; refused from the declared sizes.
    let bomb = {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        out.start_file("xl/workbook.xml", options).unwrap();
        out.write_all(b"<workbook/>").unwrap();
        out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..300 {
            out.write_all(&zeros).unwrap();
        }
        out.finish().unwrap().into_inner()
    };
    assert!(bomb.len() < 2_000_000);
    refused(&commit(&db, "bombe.xlsx", &bomb).await, "ZIP-Bombe");
    // The same bomb with headers that lie about the size is caught while inflating.
    let liar = {
        let mut b = bomb.clone();
        for sig in [&b"PK\x01\x02"[..], &b"PK\x03\x04"[..]] {
            let offset = if sig == b"PK\x01\x02" { 24 } else { 22 };
            let positions: Vec<usize> = b.windows(4).enumerate().filter(|(_, w)| *w == sig).map(|(i, _)| i).collect();
            for p in positions {
                b[p + offset..p + offset + 4].copy_from_slice(&100u32.to_le_bytes());
            }
        }
        b
    };
    refused(&commit(&db, "luegner.xlsx", &liar).await, "LEITSTAND_IMPORT_MAX_UNPACKED_BYTES");

    // Too many entries.
    let many = {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..1_500 {
            out.start_file(format!("x/{i}.xml"), zip::write::SimpleFileOptions::default()).unwrap();
        }
        out.finish().unwrap().into_inner()
    };
    refused(&commit(&db, "viele.xlsx", &many).await, "LEITSTAND_IMPORT_MAX_ZIP_ENTRIES");

    // A sheet whose dimension claims the whole grid is read by its real cells.
    let claims_all = rezip(&good, "xl/worksheets/", |xml| {
        let claimed = xml.replace("<dimension ref=\"A1:A2\"/>", "<dimension ref=\"A1:XFD1048576\"/>");
        assert_ne!(claimed, xml, "the test must really change the dimension");
        claimed
    });
    let report = preview(&db, "dimension.xlsx", &claims_all).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Themenfelder), (1, 0, 0, 0));
    // A cell reference far beyond any sheet makes calamine overflow: the file is unreadable,
    // not the import failed.
    for absurd in ["A99999999999", "ZZZZZZZZZ2"] {
        let broken = rezip(&good, "xl/worksheets/", |xml| {
            let changed = xml.replace("r=\"A2\"", &format!("r=\"{absurd}\""));
            assert_ne!(changed, xml, "the test must really change the reference");
            changed
        });
        refused(&commit(&db, "verweis.xlsx", &broken).await, "fehlerhaft");
    }
    // Excel 365's newer error values are unknown to calamine; the message names the value.
    let spill = rezip(&good, "xl/worksheets/", |xml| {
        let start = xml.find("<c r=\"A2\"").expect("cell A2");
        let end = start + xml[start..].find("</c>").expect("end of A2") + "</c>".len();
        format!("{}<c r=\"A2\" t=\"e\"><v>#SPILL!</v></c>{}", &xml[..start], &xml[end..])
    });
    refused(&commit(&db, "ueberlauf.xlsx", &spill).await, "Excel-Fehlerwert #SPILL!");
    // ... and a real cell at XFD1048576 hits the row limit instead of allocating the grid.
    let far = {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Themenfeld").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
        book.save_to_buffer().unwrap()
    };
    refused(&commit(&db, "weit.xlsx", &far).await, "LEITSTAND_IMPORT_MAX_ROWS");

    // 200,000 rows: stopped at the row limit, which the message names.
    let long = {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Themenfeld").unwrap();
        for r in 1..200_000u32 {
            sheet.write_number(r, 0, r as f64).unwrap();
        }
        book.save_to_buffer().unwrap()
    };
    refused(&commit(&db, "lang.xlsx", &long).await, "mehr als 100.000 Zeilen");

    // Password protection puts the workbook into an OLE envelope with an EncryptionInfo stream.
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.extend(std::iter::repeat_n(0u8, 1024));
    encrypted.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    encrypted.extend(std::iter::repeat_n(0u8, 1024));
    refused(&commit(&db, "geschuetzt.xlsx", &encrypted).await, "passwortgeschützt");
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend(std::iter::repeat_n(0u8, 4096));
    refused(&commit(&db, "alt.xls", &xls).await, "als .xlsx");

    // ODS repeat attributes: a few hundred bytes asking for a billion cells are refused before
    // calamine expands them; trailing empty repeats as LibreOffice writes them are fine.
    let ods_head = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Bombe">"#;
    let ods_tail = "</table:table></office:spreadsheet></office:body></office:document-content>";
    let header = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Themenfeld</text:p></table:table-cell></table:table-row>"#;
    let rows_bomb = format!(
        r#"{ods_head}{header}<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"><text:p>1</text:p></table:table-cell></table:table-row>{ods_tail}"#
    );
    refused(&commit(&db, "bombe.ods", &ods_from_content(&rows_bomb)).await, "LEITSTAND_IMPORT_MAX_ROWS");
    let columns_bomb = format!(
        r#"{ods_head}{header}<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>{ods_tail}"#
    );
    refused(&commit(&db, "breit.ods", &ods_from_content(&columns_bomb)).await, "LEITSTAND_IMPORT_MAX_COLUMNS");
    // Cells with a formula but no value type are built by calamine too, and a space count
    // stands for that many spaces.
    let formula_bomb = format!(
        r#"{ods_head}{header}<table:table-row table:number-rows-repeated="50000"><table:table-cell table:formula="of:=1" table:number-columns-repeated="1000"/></table:table-row>{ods_tail}"#
    );
    refused(&commit(&db, "formeln.ods", &ods_from_content(&formula_bomb)).await, "LEITSTAND_IMPORT_MAX_COLUMNS");
    let spaces_bomb = format!(
        r#"{ods_head}{header}<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="400000000"/>b</text:p></table:table-cell></table:table-row>{ods_tail}"#
    );
    refused(&commit(&db, "leer.ods", &ods_from_content(&spaces_bomb)).await, "LEITSTAND_IMPORT_MAX_UNPACKED_BYTES");
    let libreoffice_like = format!(
        r#"{ods_head}{header}<table:table-row><table:table-cell office:value-type="string"><text:p>Bildung</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1023"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>{ods_tail}"#
    );
    let report = preview(&db, "normal.ods", &ods_from_content(&libreoffice_like)).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Themenfelder), (1, 0, 0, 0));
    // Cut short inside a sheet (a download that broke off, packed again): calamine would read
    // on at the end of the file forever; the check before it refuses the file.
    let cut = ods_from_content(&format!("{ods_head}{header}"));
    let report = tokio::time::timeout(std::time::Duration::from_secs(60), commit(&db, "abgeschnitten.ods", &cut));
    refused(&report.await.expect("a report within a minute"), "fehlerhaft");
    // A password-protected ODS: the manifest names the encryption, the content is unreadable.
    let locked_ods = {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        out.start_file("mimetype", stored).unwrap();
        out.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        out.start_file("META-INF/manifest.xml", stored).unwrap();
        out.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="4711"><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>"#).unwrap();
        out.start_file("content.xml", stored).unwrap();
        out.write_all(&(0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect::<Vec<u8>>()).unwrap();
        out.finish().unwrap().into_inner()
    };
    refused(&commit(&db, "geschuetzt.ods", &locked_ods).await, "passwortgeschützt");

    // A CSV is held whole, and a row up to its last filled cell: 2.5 MB of `;;…;x` lines would
    // hold 2.5 million cells, past the cell limit, which counts the empty ones in between.
    let mut far_right = String::from("Themenfeld\n");
    for _ in 0..5_000 {
        far_right.push_str(&";".repeat(499));
        far_right.push_str("x\n");
    }
    refused(&commit(&db, "rechts.csv", far_right.as_bytes()).await, "LEITSTAND_IMPORT_MAX_CELLS");
    // Cells of spaces only (what a formula giving "" leaves) cost nothing, however far down.
    let blank_tail = {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Themenfeld").unwrap();
        sheet.write_string(1, 0, "Bildung").unwrap();
        for r in 2..300u32 {
            sheet.write_string(r, 1, " ").unwrap();
        }
        book.save_to_buffer().unwrap()
    };
    let limits = Limits { max_rows: 100, ..Limits::default() };
    let report = run(&db, "leerzellen.xlsx", &blank_tail, Mode::Preview, &limits).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Themenfelder), (1, 0, 0, 0));

    // An empty workbook.
    let empty = {
        let mut book = Workbook::new();
        book.add_worksheet();
        book.save_to_buffer().unwrap()
    };
    refused(&commit(&db, "leer.xlsx", &empty).await, "keine Daten");

    // A file larger than the configured limit.
    let limits = Limits { max_file_bytes: 1_000, ..Limits::default() };
    let report = run(&db, "gross.xlsx", &good, Mode::Commit { skip_errors: false, preview: None }, &limits).await;
    refused(&report, "LEITSTAND_IMPORT_MAX_BYTES");
    refused(&report, "größer als die erlaubte Größe von 1.000 Byte");

    // Reading and checking has a time limit, against a reading library that stops making
    // progress on a file no check foresaw (the ODS stall above was one): a limit of no time
    // at all stops even a good file, with the limit named and nothing written.
    let limits = Limits { max_seconds: 0, ..Limits::default() };
    let report = run(&db, "langsam.xlsx", &good, Mode::Commit { skip_errors: false, preview: None }, &limits).await;
    refused(&report, "LEITSTAND_IMPORT_MAX_SECONDS");
    refused(&report, "dauerte länger als 0 Sekunden (Grenze");
    assert!(report.unreadable(), "{report:#?}");

    assert_eq!(snapshot(&db).await, before);
    // The file of the last two is good: within the default limits it is applied.
    assert!(commit(&db, "langsam.xlsx", &good).await.committed);
    assert_ne!(snapshot(&db).await, before);
}

#[tokio::test]
async fn forecasts_go_under_the_open_stichtag_and_the_preview_says_when_none_is_open() {
    let db = common::sqlite().await;
    on_db!(&db, pool => sqlx::query("INSERT INTO departments (code, name) VALUES ('FB 99', 'Testamt')").execute(pool).await.map(|_| ()).unwrap());
    // No Stichtag open: the forecasts are kept, and the report says they miss the MTA.
    let report = commit(&db, "fb.xlsx", &department_workbook("FB 99", "", "30.09.2027")).await;
    assert!(report.committed, "{:#?}", report.errors);
    let warning = report
        .warnings
        .iter()
        .find(|w| w.message.contains("kein Stichtag offen"))
        .unwrap_or_else(|| panic!("{:#?}", report.warnings));
    assert!(warning.message.contains("2 neue oder geänderte Prognosen kommen"), "{}", warning.message);
    assert_eq!(warning.sheet, "Meilensteine");
    assert_eq!(report.kinds.iter().find(|k| k.kind == Some(Kind::Meilensteine)).unwrap().warnings, 1);
    assert_eq!(count(&db, "SELECT count(*) FROM milestone_forecasts WHERE stichtag_id IS NULL").await, 2);

    // With a Stichtag open, a slipped forecast is a point under it, and nothing is said.
    let stichtag = leitstand::server::db::reporting::open(&db, "30.11.2026").await.unwrap();
    let report = commit(&db, "fb.xlsx", &department_workbook("FB 99", "", "30.11.2027")).await;
    assert!(report.committed && report.warnings.iter().all(|w| !w.message.contains("Stichtag")), "{report:#?}");
    let under = format!(
        "SELECT count(*) FROM milestone_forecasts WHERE stichtag_id = {stichtag} AND forecast_date = '2027-11-30'"
    );
    assert_eq!(count(&db, &under).await, 1);

    // Milestone titles that differ only in how their numbers are separated are two milestones.
    let csv = "Projekt-Nr;Meilenstein;Plantermin\nIMP-0001;Phase 1.1;30.06.2027\nIMP-0001;Phase 11;30.09.2027\n";
    let report = commit(&db, "phasen.csv", csv.as_bytes()).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Meilensteine), (2, 0, 0, 0));
    let again = commit(&db, "phasen.csv", csv.as_bytes()).await;
    assert_eq!(counts(&again, Kind::Meilensteine), (0, 0, 2, 0));
}

#[tokio::test]
async fn dates_of_a_1904_workbook() {
    let db = common::sqlite().await;
    demo::load(&db, today(), false).await.unwrap();
    let (department, _) = demo_refs(&db).await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Projekt-Nr", "Titel", "Fachbereich", "Kategorie", "Start", "Planende"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["MAC-0001", "Vom alten Mac", &department, "Prozess"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_number(1, 4, 44560.0).unwrap(); // 31.12.2025 in the 1904 system
    // A date-formatted cell: 31.12.2026 in the 1904 system.
    sheet.write_number_with_format(1, 5, 44925.0, &Format::new().set_num_format("dd.mm.yyyy")).unwrap();
    let file = rezip(&book.save_to_buffer().unwrap(), "xl/workbook.xml", |xml| {
        xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
    });
    let report = commit(&db, "mac.xlsx", &file).await;
    assert!(report.committed, "{:#?}", report.errors);
    assert_eq!(text(&db, "SELECT CAST(start_date AS TEXT) FROM projects WHERE key = 'MAC-0001'").await, "2025-12-31");
    assert_eq!(text(&db, "SELECT CAST(planned_end AS TEXT) FROM projects WHERE key = 'MAC-0001'").await, "2026-12-31");
}

/// A minimal OpenDocument spreadsheet, as LibreOffice writes it, with one sheet of `rows`.
fn ods(sheet: &str, rows: &[Vec<(&str, &str)>]) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    xml.push_str(&format!(r#"<table:table table:name="{sheet}">"#));
    for row in rows {
        xml.push_str("<table:table-row>");
        for (kind, value) in row {
            match *kind {
                "date" => xml.push_str(&format!(r#"<table:table-cell office:value-type="date" office:date-value="{value}"><text:p>{value}</text:p></table:table-cell>"#)),
                "float" => xml.push_str(&format!(r#"<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>"#)),
                _ => xml.push_str(&format!(r#"<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>"#)),
            }
        }
        xml.push_str("</table:table-row>");
    }
    xml.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    ods_from_content(&xml)
}

/// An OpenDocument container around a given content.xml.
fn ods_from_content(xml: &str) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).unwrap();
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    out.start_file("META-INF/manifest.xml", stored).unwrap();
    out.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    out.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
    out.write_all(xml.as_bytes()).unwrap();
    out.finish().unwrap().into_inner()
}

#[tokio::test]
async fn ods_and_xlsm_workbooks() {
    let db = common::sqlite().await;
    demo::load(&db, today(), false).await.unwrap();
    let leika = text(&db, "SELECT leika_key FROM ozg_services WHERE leika_key IS NOT NULL ORDER BY id LIMIT 1").await;
    let file = ods(
        "Fallzahlen",
        &[
            vec![("string", "Fallzahlen 2019")],
            vec![
                ("string", "LeiKa-Schlüssel"),
                ("string", "Monat"),
                ("string", "davon online"),
                ("string", "insgesamt"),
            ],
            vec![("string", &leika), ("date", "2019-03-01"), ("float", "7"), ("float", "10")],
            vec![("string", &leika), ("string", "April 2019"), ("float", "8"), ("float", "10")],
        ],
    );
    let report = commit(&db, "fallzahlen.ods", &file).await;
    assert!(report.committed, "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Nutzung), (2, 0, 0, 0));
    assert_eq!(count(&db, "SELECT count(*) FROM service_usage WHERE month IN ('2019-03', '2019-04')").await, 2);

    // A macro workbook (.xlsm) is an xlsx container with the macro content type and a VBA
    // project; the project is never read, let alone run.
    let xlsm = rezip(&small_workbook(), "[Content_Types].xml", |xml| {
        let macro_type = xml.replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        );
        assert_ne!(macro_type, xml, "the test must really change the content type");
        macro_type
    });
    let mut with_vba = zip::ZipWriter::new_append(Cursor::new(xlsm)).unwrap();
    with_vba.start_file("xl/vbaProject.bin", zip::write::SimpleFileOptions::default()).unwrap();
    with_vba.write_all(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).unwrap();
    with_vba.write_all(&[0u8; 512]).unwrap();
    let xlsm = with_vba.finish().unwrap().into_inner();
    let report = preview(&db, "makros.xlsm", &xlsm).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Themenfelder), (0, 0, 1, 0), "the demo city has »Bildung« already");
}

#[tokio::test]
async fn text_exported_as_xls_is_read_as_csv() {
    let db = common::sqlite().await;
    let report = preview(&db, "export.xls", "Nr.\tThemenfeld\r\n1\tBildung\r\n".as_bytes()).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Themenfelder), (1, 0, 0, 0));
    // An HTML page under that name (here with a byte order mark) is refused, naming the name.
    let html = "\u{feff}<html><body><table><tr><td>Themenfeld</td></tr></table></body></html>";
    refused(&preview(&db, "export.xls", html.as_bytes()).await, "endet auf »xls«");
}

/// German Excel writes a 14-digit key it opened from a CSV back as "9,9012E+13". Services and
/// the LeiKa catalogue refuse such a row and say where the digits went (usage: see
/// `usage_from_csv_long_and_wide`); an odd key in the catalogue stays a warning.
#[tokio::test]
async fn leika_keys_that_excel_shortened_are_errors_that_say_why() {
    let db = common::sqlite().await;
    let services = "OZG-ID;LeiKa-Schlüssel;Leistung\n10001;9,9012E+13;Bewohnerparkausweis\n";
    let catalogue = "LeiKa-Schlüssel;Leistung;LeiKa-Typ\n9,9012E+13;Bewohnerparkausweis;2\n99 Parken;Parken;2\n";
    for (name, csv, kind) in
        [("leistungen.csv", services, Kind::Leistungen), ("leika.csv", catalogue, Kind::LeikaKatalog)]
    {
        let report = preview(&db, name, csv.as_bytes()).await;
        assert_eq!(report.sheets[0].kind, Some(kind), "{name}");
        let error = report.errors.iter().find(|e| e.row == Some(2)).unwrap_or_else(|| panic!("{name}: {report:#?}"));
        assert_eq!(error.value, "9,9012E+13");
        assert!(error.message.contains("Exponentialschreibweise"), "{name}: {error:#?}");
        if kind == Kind::LeikaKatalog {
            let odd = report.warnings.iter().any(|w| w.row == Some(3) && w.message.contains("Ungewöhnlicher"));
            assert!(odd, "an odd key stays a warning: {report:#?}");
        }
    }
}

#[tokio::test]
async fn federal_dashboard_csv_takes_themenfeld_from_the_catalogue() {
    let path = catalogue_path();
    let bytes = std::fs::read(&path).unwrap();
    let db = common::sqlite().await;
    assert!(commit(&db, "katalog.xlsx", &bytes).await.committed);
    let csv = "leika_key,leika_name,ars,ars_name,url,online_status,aktiv,art_flaechendeckung,datenstand_pvog_import,ozgid\n\
               99012001000000,Abbruchgenehmigung,051140000000,Krefeld,https://example.de/abbruch,ok,ja,landesweit,2024-05-01,10513\n\
               99012001001000,Abbruchgenehmigung Erteilung,051140000000,Krefeld,,nicht ok,nein,,2024-05-01,10513\n";
    let report = commit(&db, "dashboard.csv", csv.as_bytes()).await;
    assert!(report.committed, "{:#?}", report.errors);
    assert_eq!(counts(&report, Kind::Leistungen), (2, 0, 0, 0));
    assert!(report.sheets[0].ignored_columns.contains(&"online_status".to_string()));
    assert_eq!(
        text(&db, "SELECT t.name FROM ozg_services s JOIN themenfelder t ON t.id = s.themenfeld_id WHERE s.leika_key = '99012001000000'").await,
        "Bauen & Wohnen"
    );
}

#[tokio::test]
async fn undecided_previews_lose_their_file_after_30_days() {
    use leitstand::server::db::imports::{ImportMeta, PREVIEW_RETENTION_DAYS, store_upload};
    let db = common::sqlite().await;
    let meta = ImportMeta { file_name: "alt.csv", sha256: &"0".repeat(64), size_bytes: 3, source: "web", user: "Test" };
    let report = ImportReport { sheets: vec![], errors: vec![], ..ImportReport::default() };
    let old = store_upload(&db, &meta, b"a;b", &report).await.unwrap();
    let backdated = chrono::Utc::now() - chrono::Duration::days(PREVIEW_RETENTION_DAYS + 1);
    on_db!(&db, pool => sqlx::query("UPDATE imports SET uploaded_at = $1 WHERE id = $2").bind(backdated).bind(old).execute(pool).await.map(|_| ()).unwrap());
    let fresh = store_upload(&db, &meta, b"a;b", &report).await.unwrap();
    let state = |id: i64| {
        let db = db.clone();
        async move {
            on_db!(&db, pool => sqlx::query_as::<_, (String, bool)>("SELECT state, content IS NULL FROM imports WHERE id = $1").bind(id).fetch_one(pool).await.unwrap())
        }
    };
    assert_eq!(state(old).await, ("verworfen".to_string(), true));
    assert_eq!(state(fresh).await, ("vorschau".to_string(), false));
}

// ---------------------------------------------------------------------------------------------
// Mangled files: what a broken download, a hand-edited XML part, a half-saved file or a
// spreadsheet program's oddity may hold. The hostile files above are each made for one known
// danger; these are made at random from good files, to find the dangers nobody listed.

/// Pieces that make XML, CSV and cell values go wrong in the ways files do.
const MANGLE_TOKENS: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "\"",
    "'",
    ";",
    ",",
    "\r\n",
    "\n",
    "\u{0}",
    "\u{FFFD}",
    "ÄÖÜß€",
    "&#0;",
    "&#xD800;",
    "<![CDATA[x]]>",
    "<c r=\"A1\"/>",
    "<row r=\"0\">",
    "</row>",
    "<v>",
    "</v>",
    "t=\"s\"",
    "t=\"e\"",
    "t=\"n\"",
    "t=\"b\"",
    "t=\"d\"",
    "t=\"str\"",
    "t=\"inlineStr\"",
    "s=\"999\"",
    "<f>1/0</f>",
    "<is><t>x</t></is>",
    "<v>#REF!</v>",
    "=SUMME(A1)",
    "\"\"",
    "31.02.2027",
    "2027-13-01",
    "1,5 %",
    "1.000.000,5",
    "-0",
    "NaN",
];
/// Numbers that sit at or beyond the edges of what cells, dates and indexes hold.
const MANGLE_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "60",
    "4294967296",
    "18446744073709551616",
    "99999999999999999999",
    "1e308",
    "-1e308",
    "0.5",
    "2958466",
    "-693594",
    "1048577",
    "16385",
];

/// The largest character boundary of `text` at or below `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One edit of `text` at a random place; returns what it did, for the failure message.
fn mangle_text(text: &mut String, dice: &mut Rng) -> String {
    let at = boundary(text, dice.index(text.len() + 1));
    let end = boundary(text, at + 1 + dice.index(64));
    match dice.index(6) {
        0 => {
            text.replace_range(at..end, "");
            format!("deleted {at}..{end}")
        }
        1 => {
            let span = text[at..end].to_string();
            text.insert_str(at, &span);
            format!("doubled {at}..{end}")
        }
        2 | 3 => {
            let token = dice.pick(MANGLE_TOKENS);
            text.insert_str(at, token);
            format!("inserted {token:?} at {at}")
        }
        4 => {
            // The next run of digits becomes an edge number: a row, column, style or string
            // index, a serial date or a count.
            let Some(start) = text[at..].find(|c: char| c.is_ascii_digit()).map(|i| at + i) else {
                return "no digits to change".into();
            };
            let stop = text[start..].find(|c: char| !c.is_ascii_digit()).map_or(text.len(), |i| start + i);
            let number = dice.pick(MANGLE_NUMBERS);
            text.replace_range(start..stop, number);
            format!("number at {start} became {number}")
        }
        _ => {
            text.truncate(at);
            format!("cut at {at}")
        }
    }
}

/// One edit of the raw bytes: flipped bits, a cut or inserted noise.
fn mangle_bytes(bytes: &mut Vec<u8>, dice: &mut Rng) -> String {
    let at = dice.index(bytes.len() + 1);
    match dice.index(3) {
        0 => {
            let flips = 1 + dice.index(8);
            for _ in 0..flips {
                let i = dice.index(bytes.len());
                if let Some(byte) = bytes.get_mut(i) {
                    *byte ^= 1 + dice.index(255) as u8;
                }
            }
            format!("{flips} bytes flipped")
        }
        1 => {
            bytes.truncate(at);
            format!("bytes cut at {at}")
        }
        _ => {
            let noise: Vec<u8> = (0..1 + dice.index(16)).map(|_| dice.index(256) as u8).collect();
            bytes.splice(at..at, noise.iter().copied());
            format!("{} bytes of noise at {at}", noise.len())
        }
    }
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().to_string(), data)
        })
        .collect()
}

fn zip_up(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        let method = if name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A mangled copy of `base`: mostly edits inside the parts of a workbook (which a ZIP's
/// checksums would otherwise refuse at once), sometimes edits of the raw bytes.
fn mangle(name: &str, base: &[u8], dice: &mut Rng) -> (Vec<u8>, String) {
    let edits = 1 + dice.index(3);
    let workbook = !name.ends_with(".csv");
    if workbook && dice.index(5) > 0 {
        let mut entries = unzip(base);
        let mut done = Vec::new();
        for _ in 0..edits {
            // Sheets and shared strings hold the data; styles decide what is a date.
            let parts: Vec<usize> = (0..entries.len()).filter(|&i| entries[i].0.ends_with(".xml")).collect();
            let data_parts: Vec<usize> = parts
                .iter()
                .copied()
                .filter(|&i| ["sheet", "sharedStrings", "styles", "content"].iter().any(|p| entries[i].0.contains(p)))
                .collect();
            let i =
                if dice.index(4) > 0 && !data_parts.is_empty() { dice.pick(&data_parts) } else { dice.pick(&parts) };
            let mut text = String::from_utf8(std::mem::take(&mut entries[i].1)).unwrap();
            let what = mangle_text(&mut text, dice);
            done.push(format!("{}: {what}", entries[i].0));
            entries[i].1 = text.into_bytes();
        }
        (zip_up(&entries), done.join("; "))
    } else if !workbook && dice.index(2) == 0 {
        let mut text = String::from_utf8_lossy(base).into_owned();
        let done: Vec<String> = (0..edits).map(|_| mangle_text(&mut text, dice)).collect();
        (text.into_bytes(), done.join("; "))
    } else {
        let mut bytes = base.to_vec();
        let done: Vec<String> = (0..edits).map(|_| mangle_bytes(&mut bytes, dice)).collect();
        (bytes, done.join("; "))
    }
}

/// The import as the upload and the command line run it, which must end with a report, and
/// within a minute.
async fn import_within(db: &Db, name: &str, bytes: &[u8], skip_errors: bool, label: &str) -> ImportReport {
    use leitstand::server::import::{Source, import_bytes};
    let source = Source { file_name: name, channel: "cli", user: "Test" };
    let mode = Mode::Commit { skip_errors, preview: None };
    let limits = Limits::default();
    let run = import_bytes(db, &source, bytes.into(), mode, &limits, today(), None);
    match tokio::time::timeout(std::time::Duration::from_secs(60), run).await {
        Err(_) => panic!("{label}: no report after 60 s"),
        Ok(Err(error)) => panic!("{label}: the import failed instead of reporting on the file: {error:?}"),
        Ok(Ok((report, _))) => report,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mangled_files_end_in_a_report_and_change_nothing_unless_applied() {
    let db = common::sqlite().await;
    mangled_files(&db, 240).await;
}

/// The same on PostgreSQL, fewer cases: what differs there is the transaction, not the reading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mangled_files_on_postgres() {
    if common::postgres_skipped() {
        return;
    }
    let (db, name) = common::postgres().await;
    mangled_files(&db, 60).await;
    common::drop_postgres(db, &name).await;
}

/// Every case ends with a report whose messages exist in both languages; a file that is not
/// applied leaves the database as it was; one that is applied, imported again, changes nothing.
/// `LEITSTAND_MANGLE_SEED` and `LEITSTAND_MANGLE_CASES` replay or widen the run; the file of a
/// failing case stays in the temp directory.
async fn mangled_files(db: &Db, default_cases: u64) {
    let setting = |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let seed = setting("LEITSTAND_MANGLE_SEED", 20_261_128);
    let cases = setting("LEITSTAND_MANGLE_CASES", default_cases);
    demo::load(db, today(), false).await.unwrap();
    let (department, lotse) = demo_refs(db).await;
    let linked = text(
        db,
        "SELECT p.key FROM projects p JOIN project_services ps ON ps.project_id = p.id ORDER BY p.key LIMIT 1",
    )
    .await;
    let data = export::portfolio(db, &PortfolioFilter { text: linked, ..PortfolioFilter::default() }).await.unwrap();
    assert!(!data.milestones.is_empty() && !data.usage.is_empty(), "the export holds every kind");
    let leika = text(db, "SELECT leika_key FROM ozg_services WHERE leika_key IS NOT NULL ORDER BY id LIMIT 1").await;
    let bases: Vec<(&str, Vec<u8>)> = vec![
        ("fortschritt.xlsx", department_workbook(&department, &lotse, "30.09.2027")),
        ("portfolio.xlsx", leitstand::server::export::portfolio_workbook(&data).unwrap()),
        (
            "projekte.ods",
            ods(
                "Projekte",
                &[
                    vec![("s", "Projekt-Nr."), ("s", "Titel"), ("s", "Fachbereich"), ("s", "Kategorie"), ("s", "Start"), ("s", "Planende"), ("s", "Fortschritt")],
                    vec![("s", "ODS-0001"), ("s", "Digitale Bauakte"), ("s", department.as_str()), ("s", "Prozess"), ("date", "2026-01-15"), ("date", "2027-12-31"), ("float", "0.4")],
                ],
            ),
        ),
        (
            "projekte.csv",
            format!(
                "Projekt-Nr;Titel;Fachbereich;Kategorie;Start;Planende;Fortschritt;Ampel;Ampel-Begründung\r\n\
                 CSV-0001;\"Online-Antrag; Sondernutzung\";{department};Prozess;01.01.2026;31.12.2026;60 %;Gelb;Vergabe verzögert\r\n\
                 CSV-0002;eAkte;{department};Prozess;2026-02-01;46752;0,25;Grün;\r\n"
            )
            .into_bytes(),
        ),
        (
            "nutzung.csv",
            format!("LeiKa-Schlüssel;Art;01/2025;02/2025;März 2025\n{leika};Online;1.200;950;10\n{leika};Gesamt;2.000;1.000;20\n")
                .into_bytes(),
        ),
    ];
    // The good files themselves import cleanly, so that what goes wrong below is the mangling.
    for (name, bytes) in &bases {
        let report = import_within(db, name, bytes, false, name).await;
        assert!(report.committed && report.errors.is_empty(), "{name}: {:#?}", report.errors);
    }

    let mut dice = Rng::seeded(seed);
    let (mut applied, mut refused) = (0, 0);
    for case in 0..cases {
        let (base_name, base) = &bases[dice.index(bases.len())];
        let (bytes, what) = mangle(base_name, base, &mut dice);
        // Now and then the name lies about the format, as a renamed download does.
        let name = match dice.index(10) {
            0 => "umbenannt.csv",
            1 => "umbenannt.xlsx",
            2 => "umbenannt.ods",
            _ => base_name,
        };
        let label = format!("seed {seed}, case {case}: {base_name} as {name}, {what}");
        let kept = std::env::temp_dir().join(format!("leitstand-mangled-{seed}-{case}-{name}"));
        std::fs::write(&kept, &bytes).unwrap();
        let skip_errors = dice.index(2) == 0;
        let before = snapshot(db).await;
        let report = import_within(db, name, &bytes, skip_errors, &label).await;
        for problem in report.errors.iter().chain(&report.warnings) {
            assert!(!problem.message.is_empty() && !problem.message_en.is_empty(), "{label}: {problem:#?}");
        }
        if report.committed {
            applied += 1;
            let again = import_within(db, name, &bytes, skip_errors, &label).await;
            let total = again.total();
            assert!(again.committed, "{label}: applied once, refused the second time: {:#?}", again.errors);
            assert_eq!(
                (total.new, total.changed),
                (0, 0),
                "{label}: the same file again changes rows: {:#?}",
                &again.changes[..again.changes.len().min(3)]
            );
        } else {
            refused += 1;
            assert!(!report.errors.is_empty(), "{label}: not applied, and no error says why");
            assert_eq!(snapshot(db).await, before, "{label}: a file that was not applied changed the database");
        }
        std::fs::remove_file(&kept).unwrap();
    }
    // Both ways out are taken, or the mangling has become too mild or too harsh to test much.
    eprintln!("seed {seed}: {cases} mangled files, {applied} applied, {refused} refused");
    assert!(applied * 10 >= cases && refused * 10 >= cases, "{applied} applied, {refused} refused");
}
