//! Test databases: a fresh SQLite file per test, and a fresh PostgreSQL database per test on
//! the server named by LEITSTAND_TEST_POSTGRES (default: the local server on 127.0.0.1:5432);
//! and the import as the command line runs it, for the tests that feed it files.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDate;
use leitstand::api::imports::ImportReport;
use leitstand::server::db::Db;
use leitstand::server::db::imports::Mode;
use leitstand::server::import::{Limits, Source, import_bytes};

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst))
}

/// A migrated SQLite database in a new file under the system temp directory.
pub async fn sqlite() -> Db {
    let path = std::env::temp_dir().join(format!("{}.db", unique("leitstand_test")));
    let db = Db::connect(&format!("sqlite://{}", path.display())).await.expect("open sqlite");
    db.migrate().await.expect("migrate sqlite");
    db
}

pub fn postgres_admin_url() -> String {
    std::env::var("LEITSTAND_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// PostgreSQL tests run unless LEITSTAND_SKIP_POSTGRES=1 says this machine has no server; an
/// unreachable server otherwise fails the test instead of passing silently.
pub fn postgres_skipped() -> bool {
    if std::env::var("LEITSTAND_SKIP_POSTGRES").as_deref() == Ok("1") {
        eprintln!("PostgreSQL-Tests übersprungen (LEITSTAND_SKIP_POSTGRES=1)");
        return true;
    }
    false
}

/// Creates a new, migrated PostgreSQL database; returns it with its name for `drop_postgres`.
pub async fn postgres() -> (Db, String) {
    let admin_url = postgres_admin_url();
    let name = unique("leitstand_test");
    let admin = Db::connect(&admin_url).await.expect("PostgreSQL test server reachable (LEITSTAND_TEST_POSTGRES)");
    if let Db::Postgres(pool) = &admin {
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(pool).await.expect("create test database");
    }
    admin.close().await;
    let base = admin_url.rsplit_once('/').map(|(base, _)| base.to_string()).unwrap_or(admin_url);
    let db = Db::connect(&format!("{base}/{name}")).await.expect("connect test database");
    db.migrate().await.expect("migrate postgres");
    (db, name)
}

pub async fn drop_postgres(db: Db, name: &str) {
    db.close().await;
    let admin = Db::connect(&postgres_admin_url()).await.expect("reconnect admin");
    if let Db::Postgres(pool) = &admin {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(pool)
            .await
            .expect("drop test database");
    }
    admin.close().await;
}

/// The day the import tests run on: the demo city they load is dated the same.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// Imports a file's bytes through the function the web upload and the CLI share.
pub async fn import(db: &Db, name: &str, bytes: &[u8], mode: Mode, limits: &Limits) -> ImportReport {
    let source = Source { file_name: name, channel: "cli", user: "Test" };
    import_bytes(db, &source, bytes.into(), mode, limits, today(), None).await.expect("import runs").0
}

/// A ZIP archive (a workbook) with the text of each entry whose name starts with `entries`
/// passed through `edit`: for files that no writer makes.
pub fn rezip(bytes: &[u8], entries: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name.starts_with(entries) {
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Whether the first cell of `sheet` whose shared string starts with `text` has a style with
/// Excel's quote prefix. Reads the three XML parts by hand, as calamine does not report styles.
pub fn quote_prefixed(xlsx: &[u8], sheet: &str, text: &str) -> bool {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut part = |name: &str| {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    };
    let (strings, cells, styles) = (part("xl/sharedStrings.xml"), part(sheet), part("xl/styles.xml"));
    let index = strings.split("<si>").skip(1).position(|si| si.starts_with(&format!("<t>{}", xml_escape(text))));
    let index = index.unwrap_or_else(|| panic!("{text:?} is not a shared string"));
    let cell = cells.split("<c ").find(|c| c.contains("t=\"s\"") && c.contains(&format!("<v>{index}</v>")));
    let cell = cell.unwrap_or_else(|| panic!("no cell holds {text:?}"));
    let Some(style) = cell.split("s=\"").nth(1).and_then(|rest| rest.split('"').next()) else { return false };
    let xfs = styles.split("<cellXfs").nth(1).unwrap().split("</cellXfs>").next().unwrap();
    xfs.split("<xf ").nth(style.parse::<usize>().unwrap() + 1).unwrap().contains("quotePrefix=\"1\"")
}

pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
