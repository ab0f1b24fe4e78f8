//! Command line and environment: one binary `leitstand` with `serve` (default), `migrate`
//! and `demo`. Every flag also has an environment variable, for service managers.

use std::net::SocketAddr;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "leitstand",
    version,
    about = "Leitstand – Steuerung und Controlling des Digitalisierungsprogramms der Stadt",
    long_about = "Leitstand – Steuerung und Controlling des Digitalisierungsprogramms der Stadt.\n\
                  Ohne Unterbefehl startet der Webserver (wie `leitstand serve`)."
)]
pub struct Cli {
    /// Datenbank: Pfad bzw. sqlite://DATEI (Standard, wird angelegt) oder postgres://BENUTZER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://leitstand.db", global = true)]
    pub database_url: String,

    /// Protokollstufe, z. B. info, debug oder leitstand=debug,tower_http=info.
    #[arg(long, env = "LEITSTAND_LOG", default_value = "info", global = true)]
    pub log: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Startet den Webserver (migriert die Datenbank vorher).
    Serve(ServeArgs),
    /// Wendet ausstehende Datenbankmigrationen an und beendet sich.
    Migrate,
    /// Lädt die Demo-Stadt (synthetisches Portfolio) in eine leere Datenbank.
    Demo(DemoArgs),
    /// Importiert eine Tabelle (.xlsx, .xlsm, .ods, .csv): Projekte, Meilensteine, OZG-Leistungen, OZG-Katalog, Nutzungszahlen.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Die zu importierende Datei.
    #[arg(value_name = "DATEI")]
    pub file: std::path::PathBuf,

    /// Nur prüfen und die Änderungen zeigen; die Datenbank bleibt unverändert.
    #[arg(long)]
    pub dry_run: bool,

    /// Bericht maschinenlesbar als JSON auf der Standardausgabe.
    #[arg(long)]
    pub json: bool,

    /// Zeilen mit Fehlern auslassen und den Rest übernehmen (ohne diese Angabe verhindert jeder Fehler die Übernahme).
    #[arg(long)]
    pub skip_errors: bool,

    /// Wer importiert (für die Import-Historie). Standard: der angemeldete Benutzer des Betriebssystems.
    #[arg(long, env = "LEITSTAND_USER", value_name = "NAME")]
    pub user: Option<String>,
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Adresse und Port, z. B. 127.0.0.1:3000. Ohne Angabe gilt LEPTOS_SITE_ADDR, sonst 127.0.0.1:3000.
    #[arg(long, env = "LEITSTAND_ADDR")]
    pub addr: Option<SocketAddr>,

    /// Lädt vor dem Start die Demo-Stadt, falls die Datenbank noch keine Projekte enthält.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Default, Args)]
pub struct DemoArgs {
    /// Löscht vorhandene Daten vor dem Laden (sonst wird eine nicht leere Datenbank nicht angerührt).
    #[arg(long)]
    pub reset: bool,

    /// Bezugsdatum der Demo (JJJJ-MM-TT); gleiches Datum ergibt die gleiche Stadt. Standard: heute.
    #[arg(long, value_name = "DATUM")]
    pub as_of: Option<NaiveDate>,
}
