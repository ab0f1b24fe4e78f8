//! The floor of the import's stack, for `bench/import/run.sh`: the least any importer built
//! on calamine, sqlx and SQLite does with a workbook, and what that costs in time and memory.
//!
//! Usage: `import_floor FILE.xlsx NEW.db` prints the number of rows written.
//!
//! It streams every sheet's cells with calamine and writes each row's values unchanged into
//! a table per sheet (one column per header cell; cells beyond the header are dropped), 400
//! rows per `INSERT`, in one transaction on one connection, on a single-threaded runtime
//! (sqlx keeps SQLite on a worker thread of its own). It does none of the import's work: no
//! header recognition, no parsing of dates or numbers, no checks, no comparison with the
//! database, no report, no history. Its SQLite page cache is 16 pages and its statements are
//! not kept, so its memory is as small as this stack allows. A real import cannot be leaner
//! than this; the benchmark shows the two side by side.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// A cell's value as it is written: text, number or nothing.
enum Value {
    Null,
    Text(String),
    Number(f64),
}

fn value(cell: &DataRef<'_>) -> Value {
    match cell {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Bool(b) => Value::Number(f64::from(u8::from(*b))),
        DataRef::DateTime(d) => Value::Number(d.as_f64()),
        DataRef::Error(_) | DataRef::Empty => Value::Null,
    }
}

const ROWS_PER_INSERT: usize = 400;

async fn write(tx: &mut sqlx::SqliteConnection, table: &str, width: usize, rows: &[Vec<Value>]) -> sqlx::Result<()> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = sqlx::QueryBuilder::new(format!("INSERT INTO {table} "));
        insert.push_values(chunk, |mut row, values| {
            for column in 0..width {
                match values.get(column) {
                    Some(Value::Text(text)) => row.push_bind(text.as_str()),
                    Some(Value::Number(number)) => row.push_bind(*number),
                    Some(Value::Null) | None => row.push_bind(None::<f64>),
                };
            }
        });
        insert.build().persistent(false).execute(&mut *tx).await?;
    }
    Ok(())
}

async fn floor(file: &str, database: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(file)?;
    let options = SqliteConnectOptions::new()
        .filename(database)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .pragma("cache_size", "16");
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let mut tx = pool.begin().await?;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(&bytes[..]))?;
    let mut written = 0;
    for (index, name) in book.sheet_names().into_iter().enumerate() {
        let table = format!("sheet_{index}");
        let mut cells = book.worksheet_cells_reader(&name)?;
        // Cells come row by row; `rows` holds the rows not yet written, the last one filling.
        let (mut rows, mut current, mut width): (Vec<Vec<Value>>, Option<u32>, usize) = (Vec::new(), None, 0);
        loop {
            let cell = cells.next_cell()?;
            let next_row = cell.as_ref().map(|c| c.get_position().0);
            if next_row != current {
                // The rows held are complete now.
                if width == 0 && !rows.is_empty() {
                    // The first row is the header: it decides the table's columns.
                    width = rows[0].len();
                    let columns: Vec<String> = (0..width).map(|c| format!("c{c}")).collect();
                    sqlx::query(&format!("CREATE TABLE {table} ({})", columns.join(", "))).execute(&mut *tx).await?;
                }
                if rows.len() >= ROWS_PER_INSERT || next_row.is_none() {
                    write(&mut tx, &table, width, &rows).await?;
                    written += rows.len();
                    rows.clear();
                }
                current = next_row;
                if next_row.is_some() {
                    rows.push(Vec::with_capacity(width));
                }
            }
            let (Some(cell), Some(row)) = (cell, rows.last_mut()) else { break };
            let column = cell.get_position().1 as usize;
            if width == 0 || column < width {
                row.resize_with(column, || Value::Null);
                row.push(value(cell.get_value()));
            }
        }
    }
    tx.commit().await?;
    pool.close().await;
    Ok(written)
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, database] = args.as_slice() else {
        eprintln!("usage: import_floor FILE.xlsx NEW.db");
        return std::process::ExitCode::FAILURE;
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("import_floor: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(floor(file, database)) {
        Ok(rows) => {
            println!("{rows}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("import_floor: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
