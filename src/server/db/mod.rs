//! The one SQL layer for SQLite and PostgreSQL. `Db` wraps the two native pools (sqlx's `Any`
//! driver cannot decode dates and booleans reliably); `on_db!` expands a query body once per
//! backend, so each query is written once, in portable SQL with `$1` placeholders.
//! SQL lives only in the modules below, next to the row types and functions that run it.

pub mod charts;
pub mod demo;
pub mod export;
pub mod imports;
pub mod people;
pub mod portfolio;
pub mod projects;
pub mod quality;
pub mod reporting;
pub mod services;
pub mod targets;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the backend's native pool. The body is compiled twice,
/// once per backend, which is what lets one SQL text serve both.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::server::db::Db::Sqlite($pool) => $body,
            $crate::server::db::Db::Postgres($pool) => $body,
        }
    };
}
pub use on_db;

/// How transactions begin, per backend.
///
/// `begin_write`: one writer at a time, on both backends. Every write path decides inside its
/// transaction from what it reads there (an import plans against the state it loads and writes
/// only the differences; closing a Stichtag freezes what is stored; a save checks the version
/// it was given), so a second writer must not change the data in between. SQLite needs
/// `BEGIN IMMEDIATE` for that, so that two writers queue on the busy timeout instead of failing
/// with "database is locked" when a read upgrades to a write. PostgreSQL lets writers run side
/// by side; there the transaction first takes [`WRITE_LOCK`]. Readers wait for neither.
///
/// `begin_snapshot`: for a reader that needs several queries to agree (an import's preview
/// loads the state table by table, the portfolio export writes four sheets that refer to each
/// other). SQLite's deferred transaction keeps the snapshot of its first read; PostgreSQL's
/// default (`READ COMMITTED`) takes a new one per statement, so there it is `REPEATABLE READ`.
pub trait Begin {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
    fn begin_snapshot(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl Begin for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
    async fn begin_snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin().await
    }
}

/// Key of the transaction-level advisory lock that queues PostgreSQL's writers (the bytes of
/// "Leitstan"). Advisory locks belong to one database, so instances on other databases of the
/// same server do not wait for each other.
pub const WRITE_LOCK: i64 = 0x4C65_6974_7374_616E;

impl Begin for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        // Released by the commit or rollback. Without it two imports planned against the same
        // state: the second failed on a unique key (»interner Fehler«) instead of finding its
        // preview outdated, and an import could add forecast points to a Stichtag that was
        // being closed at the same time, after its freeze had read them.
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
        Ok(tx)
    }
    async fn begin_snapshot(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await
    }
}

impl Db {
    /// Opens the database named by `url`: `postgres://...` for PostgreSQL, anything else is
    /// taken as SQLite (`sqlite://leitstand.db`, a plain path also works), created if missing.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        Db::connect_with_cache(url, None).await
    }

    /// Opens the database for a one-shot command (`import`, `demo`, `migrate`): as `connect`,
    /// but each SQLite connection keeps at most 512 KiB of pages instead of SQLite's default
    /// 2 MiB. Such a command touches most pages about once, so a larger cache only costs
    /// memory: on the import benchmark 1.5 MiB of peak memory, at the same speed.
    pub async fn connect_for_command(url: &str) -> Result<Db, sqlx::Error> {
        Db::connect_with_cache(url, Some(512)).await
    }

    async fn connect_with_cache(url: &str, cache_kib: Option<u32>) -> Result<Db, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool =
                PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            return Ok(Db::Postgres(pool));
        }
        let url = if url.starts_with("sqlite:") { url.to_string() } else { format!("sqlite://{url}") };
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true)
            // A multi-row INSERT inside a transaction keeps a statement journal, to undo just
            // that statement on a constraint error. Past 64 KiB SQLite spills it into a file
            // in /var/tmp: 2,774 page writes on the import benchmark's workbook. In memory it
            // holds the pages one statement touches, a few hundred KiB at most.
            .pragma("temp_store", "memory");
        // A negative cache size counts KiB rather than pages.
        let options = match cache_kib {
            Some(kib) => options.pragma("cache_size", format!("-{kib}")),
            None => options,
        };
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        Ok(Db::Sqlite(pool))
    }

    /// Applies the backend's migrations (`migrations/sqlite` or `migrations/postgres`).
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await,
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// True when a trivial query succeeds; used by `/healthz`.
    pub async fn is_reachable(&self) -> bool {
        on_db!(self, pool => sqlx::query("SELECT 1").execute(pool).await.is_ok())
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// The one answer to "someone else changed this record since you read it" (optimistic
/// locking): the caller reloads and tries again.
pub(crate) fn conflict() -> crate::error::AppError {
    use crate::domain::{ErrorCode, FieldError};
    crate::error::AppError::Invalid(vec![FieldError::new("", ErrorCode::Conflict, "")])
}

/// `column` plus `days` as a date. Date arithmetic is the one thing the two dialects spell
/// differently, so it is written here once per backend.
pub fn date_plus_days(db: &Db, column: &str, days: i64) -> String {
    match db {
        Db::Sqlite(_) => format!("date({column}, '+{days} days')"),
        Db::Postgres(_) => format!("({column} + {days})"),
    }
}

/// Days from `from` to `to` (both date columns) as an integer; see [`date_plus_days`].
pub fn days_between(db: &Db, from: &str, to: &str) -> String {
    match db {
        Db::Sqlite(_) => format!("CAST(julianday({to}) - julianday({from}) AS INTEGER)"),
        Db::Postgres(_) => format!("CAST({to} - {from} AS BIGINT)"),
    }
}

/// `SELECT <columns> FROM <from>` as one row holding one JSON array of arrays, one per row
/// (`[]` for none). For reading thousands of rows at once: the database writes one text and
/// `serde_json` reads it, instead of a round trip and an allocation per row and value through
/// the driver, which made loading an import's state twice as slow. Dates come as
/// `"YYYY-MM-DD"` from both backends; write booleans as 0/1 (`CASE WHEN … THEN 1 ELSE 0 END`),
/// which SQLite would otherwise give as integers and PostgreSQL as `true`/`false`.
pub fn rows_as_json(db: &Db, columns: &str, from: &str) -> String {
    match db {
        Db::Sqlite(_) => format!("SELECT json_group_array(json_array({columns})) FROM {from}"),
        Db::Postgres(_) => {
            format!("SELECT CAST(coalesce(json_agg(json_build_array({columns})), '[]') AS TEXT) FROM {from}")
        }
    }
}

/// Rows per multi-row `INSERT … VALUES` statement (see [`insert_rows!`]). Each row's values
/// are bound parameters, so this stays well below both backends' limits (SQLite 32,766,
/// PostgreSQL 65,535) for tables of up to 80 columns. Far fewer rows per statement cost a
/// round trip to the database each; far more make each statement slow to prepare.
pub const BULK_ROWS: usize = 400;

/// Inserts `$rows` (a slice) with one statement per [`BULK_ROWS`] of them:
/// `$head VALUES (…), (…) $tail`, where `$bind` pushes one row's values in column order
/// onto `$row` (a `sqlx::query_builder::Separated`). Bound values, not JSON: unpacking a JSON
/// batch value by value took a fifth of SQLite's time in an import (bench/README.md). Used
/// inside [`on_db!`], so the builder takes the backend of `$tx`.
#[macro_export]
macro_rules! insert_rows {
    ($tx:expr, $head:expr, $rows:expr, $tail:expr, |$row:ident, $item:pat_param| $bind:expr) => {
        for chunk in $rows.chunks($crate::server::db::BULK_ROWS) {
            let mut insert = sqlx::QueryBuilder::new($head);
            insert.push_values(chunk, |mut $row, $item| {
                $bind;
            });
            insert.push($tail);
            insert.build().execute(&mut *$tx).await?;
        }
    };
}
pub use insert_rows;

/// `(page, pages)` for a paged list: how many pages `total` rows fill at `size` each (at least
/// one, so an empty list still has its page), and `requested` moved into them.
pub fn page_of(total: i64, size: i64, requested: i64) -> (i64, i64) {
    let pages = ((total + size - 1) / size).max(1);
    (requested.clamp(1, pages), pages)
}

/// `folded!("p.title")`: the SQL of a column as German text is searched, lower case with the
/// umlauts' capitals lowered too. SQLite's `lower()` and `LIKE` fold ASCII letters only, so a
/// search for »übernahme« missed »Übernahme von Bestattungskosten«. It matches a pattern from
/// [`like_pattern`], which Rust lowers in full. A literal, so that SQL constants can use it.
#[macro_export]
macro_rules! folded {
    ($column:literal) => {
        concat!("lower(replace(replace(replace(", $column, ", 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü'))")
    };
}
pub use folded;

/// `sort_key!("s.name")`: the SQL of a column as German lists sort it (DIN 5007: ä as a, ö as
/// o, ü as u, ß as ss, case ignored), the same on both backends. Byte order – SQLite's, and
/// PostgreSQL's under the `C` collations – put »Übernahme …« after »Zweitwohnungsteuer«.
#[macro_export]
macro_rules! sort_key {
    ($column:literal) => {
        concat!(
            "replace(replace(replace(replace(",
            $crate::folded!($column),
            ", 'ä', 'a'), 'ö', 'o'), 'ü', 'u'), 'ß', 'ss')"
        )
    };
}
pub use sort_key;

/// A search text as a `LIKE` pattern that finds it anywhere: trimmed, lower case (all of
/// Unicode, to meet [`folded!`]), with `\`, `%` and `_` escaped for `ESCAPE '\'`. Bound as
/// `Option<String>`, so that an empty search is a no-op: `($6 IS NULL OR … LIKE $6 …)`.
pub fn like_pattern(text: &str) -> String {
    let escaped = text.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}
