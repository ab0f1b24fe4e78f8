-- Monthly usage figures without the month index (PostgreSQL). Kept in step with
-- migrations/sqlite/0004_usage_storage.sql.
--
-- No query needs an index on the month alone: the monthly totals read every row, and the
-- key (service, month) serves the rest. Every import of usage figures paid for keeping it.
DROP INDEX service_usage_month;
