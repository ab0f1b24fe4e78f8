-- Monthly usage figures without a rowid and without the month index (SQLite). Kept in step
-- with migrations/postgres/0004_usage_storage.sql.
--
-- Every figure is found by its key (service, month): stored in that key's order, a row lives
-- in one b-tree instead of three (rowid table, key index, month index), which makes writing
-- an import's figures about three times cheaper (bench/README.md). No query needs the month
-- index: the monthly totals read every row anyway, and the ranking's "from month" filter runs
-- over a few tens of thousands of rows at most.
CREATE TABLE service_usage_new (
    service_id   INTEGER NOT NULL REFERENCES ozg_services (id) ON DELETE CASCADE,
    month        TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' AND substr(month, 6, 2) BETWEEN '01' AND '12'),
    online_count INTEGER NOT NULL CHECK (online_count >= 0),
    total_count  INTEGER NOT NULL CHECK (total_count >= online_count),
    PRIMARY KEY (service_id, month)
) WITHOUT ROWID;
INSERT INTO service_usage_new (service_id, month, online_count, total_count)
    SELECT service_id, month, online_count, total_count FROM service_usage;
DROP TABLE service_usage;
ALTER TABLE service_usage_new RENAME TO service_usage;
