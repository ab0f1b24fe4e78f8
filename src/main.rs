//! Server entry: configuration → telemetry → database → router → serve, or one of the
//! maintenance subcommands (`migrate`, `demo`).

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use clap::Parser;
    use leitstand::server::config::{Cli, Command, ServeArgs};

    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&cli.log).unwrap_or_else(|_| "info".into()))
        .init();
    let result = match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => cli::serve(&cli.database_url, args).await,
        Command::Migrate => cli::migrate(&cli.database_url).await,
        Command::Demo(args) => cli::demo(&cli.database_url, args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Fehler: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "ssr")]
mod cli {
    use leitstand::server::config::{DemoArgs, ServeArgs};
    use leitstand::server::db::{Db, demo};
    use leptos::prelude::LeptosOptions;

    /// Opens and migrates the database; errors are German sentences for the operator.
    async fn open(url: &str) -> Result<Db, String> {
        let db = Db::connect(url).await.map_err(|e| format!("Datenbank {} nicht erreichbar: {e}", redact(url)))?;
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

    pub async fn migrate(url: &str) -> Result<(), String> {
        let db = open(url).await?;
        println!("Datenbank ist auf dem neuesten Stand ({}).", db.backend());
        db.close().await;
        Ok(())
    }

    pub async fn demo(url: &str, args: DemoArgs) -> Result<(), String> {
        let db = open(url).await?;
        let as_of = args.as_of.unwrap_or_else(leitstand::server::web::today);
        let summary = demo::load(&db, as_of, args.reset).await.map_err(|e| e.to_string())?;
        println!("{summary}");
        db.close().await;
        Ok(())
    }

    pub async fn serve(url: &str, args: ServeArgs) -> Result<(), String> {
        let db = open(url).await?;
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
            .map_err(|e| format!("Server beendet mit Fehler: {e}"))
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser build has no binary; its entry point is `hydrate()` in lib.rs.
}
