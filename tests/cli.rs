//! The `leitstand` binary: every subcommand has German help, `migrate` creates and migrates
//! a new SQLite file, and `serve` listens on the standard LEPTOS_SITE_ADDR when no flag says
//! otherwise, answering /healthz.

#![cfg(feature = "ssr")]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_leitstand");

fn temp_db(name: &str) -> String {
    let path = std::env::temp_dir().join(format!("leitstand_cli_{name}_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    format!("sqlite://{}", path.display())
}

#[test]
fn every_subcommand_has_german_help() {
    for args in [vec!["--help"], vec!["serve", "--help"], vec!["migrate", "--help"], vec!["demo", "--help"]] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Datenbank") || text.contains("Demo"), "{args:?}: {text}");
    }
}

#[test]
fn migrate_creates_the_database_and_bad_urls_fail_clearly() {
    let out = Command::new(BIN).arg("migrate").env("DATABASE_URL", temp_db("migrate")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("neuesten Stand"));
    let out = Command::new(BIN)
        .arg("migrate")
        .env("DATABASE_URL", "postgres://postgres:geheim@127.0.0.1:1/nichts")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nicht erreichbar") && !err.contains("geheim"), "{err}");
}

/// `leitstand serve` on a free port, stopped when dropped (also when an assertion fails).
struct Server {
    child: std::process::Child,
    port: u16,
}

impl Server {
    fn start(name: &str, env: &[(&str, &str)]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(BIN)
            .arg("serve")
            .env("DATABASE_URL", temp_db(name))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env_remove("LEITSTAND_ADDR")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Server { child, port }
    }

    /// The answer to a GET of `path`, waiting up to 30 s for the server to listen.
    fn get(&self, path: &str) -> String {
        let started = Instant::now();
        let mut answer = String::new();
        while started.elapsed() < Duration::from_secs(30) {
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                stream.write_all(request.as_bytes()).unwrap();
                stream.read_to_string(&mut answer).unwrap();
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        answer
    }

    /// Sends `file` as the upload form does, all of it, and reads the answer: the result of
    /// sending, and of reading.
    fn upload(&self, name: &str, file: &str) -> (std::io::Result<()>, std::io::Result<String>) {
        let boundary = "leitstandgrenze";
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"datei\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
        );
        let tail = format!("\r\n--{boundary}--\r\n");
        let length = head.len() + file.len() + tail.len();
        let request = format!(
            "POST /import/hochladen HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n"
        );
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        stream.set_write_timeout(Some(Duration::from_secs(60))).unwrap();
        let sent = [request.as_bytes(), head.as_bytes(), file.as_bytes(), tail.as_bytes()]
            .iter()
            .try_for_each(|part| stream.write_all(part));
        let mut answer = String::new();
        let read = stream.read_to_string(&mut answer).map(|_| answer);
        (sent, read)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_listens_on_leptos_site_addr() {
    let server = Server::start("serve", &[]);
    let answer = server.get("/healthz");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("ok sqlite"));
}

/// Without JavaScript nothing stops a file that is too large before it is sent. The server
/// reads it to its end and answers with the form's message; had it closed the connection while
/// the browser was still sending, the browser would show its own error page, not the answer.
#[test]
fn an_upload_over_the_limit_gets_the_message_not_a_closed_connection() {
    let server = Server::start("upload_limit", &[("LEITSTAND_IMPORT_MAX_BYTES", "4194304")]);
    assert!(server.get("/healthz").starts_with("HTTP/1.1 200"));
    let too_large = |answer: &str| {
        answer.starts_with("HTTP/1.1 303")
            && answer.to_ascii_lowercase().contains("location: /import?fehler=zu-gross\r\n")
    };
    // 20 MB, almost five times the limit of 4 MiB: far more than the sockets' buffers take up,
    // which hide an early close for a file only a little too large.
    let far = "Nr.;Themenfeld\n".to_string() + &"1;Bildung\n".repeat(2_000_000);
    let (sent, read) = server.upload("weit.csv", &far);
    assert!(sent.is_ok(), "the server stopped reading: {sent:?}; answer: {read:?}");
    assert!(read.as_deref().is_ok_and(too_large), "{read:?}");
    // One byte over gets the same message.
    let just = "Nr.;Themenfeld\n".to_string() + &"x".repeat(4_194_304 - 14);
    let (sent, read) = server.upload("knapp.csv", &just);
    assert!(sent.is_ok() && read.as_deref().is_ok_and(too_large), "{sent:?} {read:?}");
    let history = server.get("/import");
    assert!(history.starts_with("HTTP/1.1 200"), "{history}");
    assert!(
        !history.contains("weit.csv") && !history.contains("knapp.csv"),
        "nothing of the files is kept or recorded"
    );
}

#[test]
fn import_reports_as_json_and_dry_run_changes_nothing() {
    let url = temp_db("import");
    let dir = std::env::temp_dir().join(format!("leitstand_cli_import_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("themenfelder.csv");
    std::fs::write(&file, "Nr.;Themenfeld\n1;Bildung\n2;Umwelt\n").unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(BIN).arg("import").arg(&file).args(extra).env("DATABASE_URL", &url).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code(), json)
    };
    let (code, report) = run(&["--dry-run", "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(report["committed"], false);
    assert_eq!(report["kinds"][0]["kind"], "themenfelder");
    assert_eq!(report["kinds"][0]["new"], 2);
    let (_, report) = run(&["--json"]);
    assert_eq!(report["committed"], true);
    let (_, report) = run(&["--json"]);
    assert_eq!((report["kinds"][0]["new"].as_u64(), report["kinds"][0]["unchanged"].as_u64()), (Some(0), Some(2)));

    // A file with an error: exit status 2, the error with sheet, row, column, value, message.
    std::fs::write(
        &file,
        "Projekt-Nr;Titel;Fachbereich;Lotse;Kategorie;Start;Planende\nX-1;T;FB 1;Frau Muster;Prozess;01.01.2026;31.12.2026\n",
    )
    .unwrap();
    let (code, report) = run(&["--json"]);
    assert_eq!(code, Some(2));
    let error = &report["errors"][0];
    assert_eq!(error["row"], 2);
    assert_eq!(error["sheet"], "themenfelder.csv");
    assert_eq!(error["column"], "Fachbereich");
    assert_eq!(error["value"], "FB 1");
    // This database has no department and no Lotse yet; the messages say so instead of
    // listing none or naming an example that is not there.
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("Unbekannter Fachbereich: In Leitstand ist noch kein Fachbereich eingetragen. Einen neuen Fachbereich legen Sie mit einem Blatt »Fachbereiche«"),
        "{error}"
    );
    let error = &report["errors"][1];
    assert_eq!((error["column"].as_str(), error["value"].as_str()), (Some("Lotse"), Some("Frau Muster")));
    assert!(error["message"].as_str().unwrap().contains("noch keine Lotsenfunktion eingetragen"), "{error}");

    // Every import is in the history: the two applied ones and the refused one, newest first,
    // the refused one with its errors; the dry run is not an import.
    let history = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = leitstand::server::db::Db::connect(&url).await.unwrap();
        leitstand::server::db::imports::history(&db, 1).await.unwrap()
    });
    use leitstand::api::imports::ImportState;
    let states: Vec<_> = history.entries.iter().map(|e| (e.state, e.source.as_str(), e.error_count > 0)).collect();
    assert_eq!(
        states,
        [
            (ImportState::Abgelehnt, "cli", true),
            (ImportState::Uebernommen, "cli", false),
            (ImportState::Uebernommen, "cli", false)
        ]
    );
    assert_eq!(history.entries[0].file_name, "themenfelder.csv");

    // Refused before it is read, a file still gets its report: too large for the configured
    // limit, or not there at all. Exit status 2, as for any file that cannot be read.
    let refused = |file: &std::path::Path, limit: &str| {
        let out = Command::new(BIN)
            .arg("import")
            .arg(file)
            .arg("--json")
            .env("DATABASE_URL", &url)
            .env("LEITSTAND_IMPORT_MAX_BYTES", limit)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
        (out.status.code(), json["errors"][0]["message"].as_str().unwrap_or_default().to_string())
    };
    let (code, message) = refused(&file, "10");
    assert_eq!(code, Some(2));
    assert!(message.contains("Grenze LEITSTAND_IMPORT_MAX_BYTES"), "{message}");
    let (code, message) = refused(&dir.join("fehlt.xlsx"), "1000");
    assert_eq!(code, Some(2));
    assert!(message.contains("keine Datei unter diesem Namen"), "{message}");

    // An invalid limit stops the command with a message naming the variable.
    let out = Command::new(BIN)
        .arg("import")
        .arg(&file)
        .env("DATABASE_URL", &url)
        .env("LEITSTAND_IMPORT_MAX_ROWS", "100.000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("LEITSTAND_IMPORT_MAX_ROWS=»100.000«"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file that makes the reading library panic is reported as unreadable, and the panic's own
/// text ("thread … panicked at …") does not reach the terminal.
#[test]
fn a_file_that_makes_the_reader_panic_is_refused_without_the_panic_text() {
    let url = temp_db("panic");
    let dir = std::env::temp_dir().join(format!("leitstand_cli_panic_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Themenfeld").unwrap();
    sheet.write_string(1, 0, "Bildung").unwrap();
    // calamine overflows on a cell reference far beyond any sheet (see `tests/import.rs`).
    let broken = common::rezip(&book.save_to_buffer().unwrap(), "xl/worksheets/", |xml| {
        let changed = xml.replace("r=\"A2\"", "r=\"A99999999999\"");
        assert_ne!(changed, xml, "the test must really change the reference");
        changed
    });
    let file = dir.join("verweis.xlsx");
    std::fs::write(&file, broken).unwrap();
    let out = Command::new(BIN).arg("import").arg(&file).env("DATABASE_URL", &url).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("fehlerhaft und kann nicht gelesen werden"), "{stdout}");
    // The operator's log says where the library gave up, as a warning, not as a crash.
    assert!(stderr.contains("the reader panicked on the file") && stderr.contains("calamine"), "{stderr}");
    assert!(!stderr.contains("panicked at") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
