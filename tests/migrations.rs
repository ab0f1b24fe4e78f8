//! Both backends' migrations must stay in step: same versions, same names, same tables.

use std::collections::BTreeSet;
use std::path::Path;

fn migrations(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .expect("migrations directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect()
}

fn tables(sql: &str) -> BTreeSet<String> {
    sql.lines()
        .filter_map(|line| line.trim().strip_prefix("CREATE TABLE "))
        .map(|rest| rest.split_whitespace().next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_versions_and_tables() {
    let sqlite = migrations("migrations/sqlite");
    let postgres = migrations("migrations/postgres");
    assert!(!sqlite.is_empty(), "no migrations found");
    assert_eq!(sqlite, postgres, "migration files differ between backends");
    for name in &sqlite {
        let a = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite").join(name))
            .unwrap();
        let b = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres").join(name))
            .unwrap();
        assert_eq!(tables(&a), tables(&b), "tables differ in {name}");
        assert_eq!(
            a.matches("CHECK").count(),
            b.matches("CHECK").count() + date_checks(&a),
            "CHECK constraints differ in {name}"
        );
    }
}

/// SQLite needs a CHECK for each date column that PostgreSQL gets from its DATE type.
fn date_checks(sqlite_sql: &str) -> usize {
    sqlite_sql.matches(" IS date(").count()
}
