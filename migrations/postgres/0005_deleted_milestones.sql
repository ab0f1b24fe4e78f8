-- Milestones deleted because they were created by mistake (PostgreSQL). Kept in step with
-- migrations/sqlite/0005_deleted_milestones.sql, which explains the table.
-- Its trigger against reused ids is not needed here: an identity sequence never gives an id twice.
CREATE TABLE deleted_milestones (
    milestone_id  BIGINT NOT NULL UNIQUE,
    project_id    BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position      BIGINT NOT NULL CHECK (position >= 0),
    title         TEXT NOT NULL,
    baseline_date DATE NOT NULL,
    deleted_at    TIMESTAMPTZ NOT NULL,
    deleted_by    TEXT NOT NULL,
    PRIMARY KEY (project_id, position)
);
