-- Milestones deleted because they were created by mistake (SQLite). Kept in step with
-- migrations/postgres/0005_deleted_milestones.sql.
--
-- A deleted milestone leaves this record: who deleted what and when (the project page lists
-- it), and its running number, which the export writes as Meilenstein-Nr (DIG-0042/3). A new
-- milestone never gets a number that was deleted, so a row of an older export that still
-- carries the number cannot rename the new milestone; the import names the deletion instead.
-- Its id tells a form still open on the deleted milestone what became of it. Only milestones
-- outside every closed Stichtag can be deleted (server/db/projects.rs).
CREATE TABLE deleted_milestones (
    milestone_id  INTEGER NOT NULL UNIQUE,
    project_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    title         TEXT NOT NULL,
    baseline_date TEXT NOT NULL CHECK (baseline_date IS date(baseline_date)),
    deleted_at    TEXT NOT NULL,
    deleted_by    TEXT NOT NULL,
    PRIMARY KEY (project_id, position)
);

-- SQLite gives a new row the largest id + 1, so the id of the milestone deleted last would come
-- back with the next new one, and a form still open on the deleted milestone (same id, same
-- version 1) would change the new one. A new milestone that got a deleted id moves past it.
-- PostgreSQL's identity sequence never gives an id twice.
CREATE TRIGGER milestones_skip_deleted_ids AFTER INSERT ON milestones
WHEN NEW.id IN (SELECT milestone_id FROM deleted_milestones)
BEGIN
    UPDATE milestones
       SET id = max((SELECT max(id) FROM milestones), (SELECT max(milestone_id) FROM deleted_milestones)) + 1
     WHERE id = NEW.id;
END;
