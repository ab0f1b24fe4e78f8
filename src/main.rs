//! Server entry: configuration → telemetry → database → router → serve, or one of the
//! maintenance subcommands (`migrate`, `demo`).

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Fehler: Laufzeitumgebung nicht startbar: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(run());
    // Dropping the runtime would wait for every blocking thread, and an import's reader can
    // be stuck inside the reading library on a file no check foresaw (the import itself has
    // answered by then: `import::Limits::max_seconds`). The command is done: do not wait.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}

#[cfg(feature = "ssr")]
async fn run() -> std::process::ExitCode {
    use clap::Parser;
    use leitstand::server::config::{Cli, Command, ServeArgs};

    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&cli.log).unwrap_or_else(|_| "info".into()))
        // Logs go to stderr so that stdout carries only results (`import --json`).
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => cli::serve(&cli.database_url, args).await,
        Command::Migrate => cli::migrate(&cli.database_url).await,
        Command::Demo(args) => cli::demo(&cli.database_url, args).await,
        Command::Import(args) => cli::import(&cli.database_url, args).await,
    };
    match result {
        Ok(true) => std::process::ExitCode::SUCCESS,
        // The command ran but its outcome is a failure (an import with errors): exit 2.
        Ok(false) => std::process::ExitCode::from(2),
        Err(message) => {
            eprintln!("Fehler: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "ssr")]
mod cli {
    use leitstand::server::config::{DemoArgs, ImportArgs, ServeArgs};
    use leitstand::server::db::{Db, demo};
    use leptos::prelude::LeptosOptions;

    /// Opens and migrates the database for a one-shot command (a small SQLite page cache, see
    /// `Db::connect_for_command`); errors are German sentences for the operator.
    async fn open(url: &str) -> Result<Db, String> {
        migrated(url, Db::connect_for_command(url).await).await
    }

    /// Migrates a freshly opened database; errors are German sentences for the operator.
    async fn migrated(url: &str, connected: Result<Db, sqlx::Error>) -> Result<Db, String> {
        let db = connected.map_err(|e| format!("Datenbank {} nicht erreichbar: {e}", redact(url)))?;
        db.migrate().await.map_err(|e| format!("Migration fehlgeschlagen: {e}"))?;
        Ok(db)
    }

    /// Hides a password in a connection URL before it is printed.
    fn redact(url: &str) -> String {
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let credentials = &url[scheme + 3..at];
                match credentials.split_once(':') {
                    Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                    None => url.to_string(),
                }
            }
            _ => url.to_string(),
        }
    }

    pub async fn migrate(url: &str) -> Result<bool, String> {
        let db = open(url).await?;
        println!("Datenbank ist auf dem neuesten Stand ({}).", db.backend());
        db.close().await;
        Ok(true)
    }

    pub async fn demo(url: &str, args: DemoArgs) -> Result<bool, String> {
        let db = open(url).await?;
        let as_of = args.as_of.unwrap_or_else(leitstand::server::web::today);
        let summary = demo::load(&db, as_of, args.reset).await.map_err(|e| e.to_string())?;
        println!("{summary}");
        db.close().await;
        Ok(true)
    }

    pub async fn serve(url: &str, args: ServeArgs) -> Result<bool, String> {
        // An invalid import limit stops the start instead of quietly falling back to a default.
        leitstand::server::import::Limits::from_env()?;
        // The server keeps SQLite's default page cache: its requests read the same pages again.
        let db = migrated(url, Db::connect(url).await).await?;
        if args.demo && demo::is_empty(&db).await.map_err(|e| e.to_string())? {
            let summary = demo::load(&db, leitstand::server::web::today(), false).await.map_err(|e| e.to_string())?;
            println!("{summary}");
        }
        // cargo-leptos passes the site layout through LEPTOS_* variables; a binary started on its
        // own falls back to the defaults of Cargo.toml's [package.metadata.leptos].
        let mut options = leptos::config::get_configuration(None)
            .map(|c| c.leptos_options)
            .unwrap_or_else(|_| LeptosOptions::builder().output_name("leitstand").site_root("target/site").build());
        if options.output_name.is_empty() {
            options.output_name = "leitstand".into();
        }
        if let Some(addr) = args.addr {
            options.site_addr = addr;
        }
        let addr = options.site_addr;
        let app = leitstand::server::web::router(db, options);
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("Adresse {addr} nicht verfügbar: {e}"))?;
        tracing::info!("Leitstand läuft auf http://{addr}");
        println!("Leitstand läuft auf http://{addr}");
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map(|()| true)
            .map_err(|e| format!("Server beendet mit Fehler: {e}"))
    }

    /// `leitstand import DATEI`: exit 0 when the import was applied (or, with --dry-run,
    /// would apply cleanly), 2 when the file has errors or could not be read, 1 on failure.
    pub async fn import(url: &str, args: ImportArgs) -> Result<bool, String> {
        use leitstand::domain::Lang;
        use leitstand::server::db::imports::Mode;
        use leitstand::server::import::read::ReadError;
        use leitstand::server::import::{Limits, Source, import_bytes};
        let limits = Limits::from_env()?;
        let shown = args.file.display().to_string();
        let file_name = args.file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or(shown);
        // The size is checked before the file is loaded, so a huge file is never read whole.
        let unreadable = |e: std::io::Error| ReadError::NotReadable(leitstand::server::import::read::io_reason(&e));
        let loaded = match std::fs::metadata(&args.file) {
            Ok(meta) if meta.len() > limits.max_file_bytes => {
                Err(ReadError::TooLarge { size: meta.len(), limit: limits.max_file_bytes })
            }
            Ok(_) => std::fs::read(&args.file).map_err(unreadable),
            Err(e) => Err(unreadable(e)),
        };
        let bytes = match loaded {
            Ok(bytes) => bytes,
            Err(refusal) => return Ok(print_report(&args, leitstand::server::import::refused(&file_name, refusal))),
        };
        let db = open(url).await?;
        let user = args.user.clone().or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "Kommandozeile".into());
        let source = Source { file_name: &file_name, channel: "cli", user: &user };
        let mode =
            if args.dry_run { Mode::Preview } else { Mode::Commit { skip_errors: args.skip_errors, preview: None } };
        let today = leitstand::server::web::today();
        let size_bytes = bytes.len() as i64;
        let (report, _) = import_bytes(&db, &source, bytes.into(), mode, &limits, today, None).await.map_err(|e| {
            // The German sentence, as the pages show it; field errors say what conflicted.
            let reason = match &e {
                leitstand::error::AppError::Invalid(errors) if !errors.is_empty() => {
                    errors.iter().map(|f| f.message(Lang::De)).collect::<Vec<_>>().join(" ")
                }
                other => other.message(Lang::De),
            };
            format!("Import fehlgeschlagen: {reason}")
        })?;
        // An applied import recorded itself; a refused one is recorded here, as a refused
        // upload is. A dry run is a look, not an import.
        if !args.dry_run && !report.committed {
            let meta = leitstand::server::db::imports::ImportMeta {
                file_name: &file_name,
                sha256: &report.sha256,
                size_bytes,
                source: "cli",
                user: &user,
            };
            leitstand::server::db::imports::record_refused(&db, &meta, &report)
                .await
                .map_err(|e| format!("Der abgelehnte Import ließ sich nicht verzeichnen: {}", e.message(Lang::De)))?;
        }
        db.close().await;
        Ok(print_report(&args, report))
    }

    /// Prints an import's report, as JSON with `--json`, and says whether the command
    /// succeeded: applied, or with `--dry-run` clean.
    fn print_report(args: &ImportArgs, mut report: leitstand::api::imports::ImportReport) -> bool {
        // Counts, errors and warnings are complete; of the row changes the first 100 are shown
        // (`changes_omitted` counts the rest), so a large import does not print megabytes.
        report.truncate_changes(100);
        if args.json {
            match serde_json::to_string_pretty(&report) {
                Ok(json) => println!("{json}"),
                Err(e) => eprintln!("Bericht nicht darstellbar: {e}"),
            }
        } else {
            print!("{}", leitstand::server::import::summary(&report, args.dry_run));
        }
        let clean = report.errors.is_empty() || (report.committed && args.skip_errors);
        if args.dry_run { clean && !report.unreadable() } else { report.committed }
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser build has no binary; its entry point is `hydrate()` in lib.rs.
}
