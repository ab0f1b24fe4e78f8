-- Monthly usage figures without the month index (PostgreSQL). Kept in step with
-- migrations/sqlite/0004_usage_storage.sql, which has to rebuild the table to store it in key
-- order; the table is rebuilt here the same way so that both backends' definitions stay alike.
--
-- No query needs an index on the month alone: the monthly totals read every row, and the
-- key (service, month) serves the rest. Every import of usage figures paid for keeping it.
CREATE TABLE service_usage_new (
    service_id   BIGINT NOT NULL REFERENCES ozg_services (id) ON DELETE CASCADE,
    month        TEXT NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    online_count BIGINT NOT NULL CHECK (online_count >= 0),
    total_count  BIGINT NOT NULL CHECK (total_count >= online_count),
    PRIMARY KEY (service_id, month)
);
INSERT INTO service_usage_new (service_id, month, online_count, total_count)
    SELECT service_id, month, online_count, total_count FROM service_usage;
DROP TABLE service_usage;
ALTER TABLE service_usage_new RENAME TO service_usage;
