//! The `leitstand` binary: every subcommand has German help, `migrate` creates and migrates
//! a new SQLite file, and `serve` listens on the standard LEPTOS_SITE_ADDR when no flag says
//! otherwise, answering /healthz.

#![cfg(feature = "ssr")]

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

#[test]
fn serve_listens_on_leptos_site_addr() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", temp_db("serve"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env_remove("LEITSTAND_ADDR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut answer = String::new();
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
            stream.read_to_string(&mut answer).unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("ok sqlite"));
}
