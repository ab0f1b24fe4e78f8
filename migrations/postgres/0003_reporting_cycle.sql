-- The Stichtag reporting cycle (PostgreSQL). Kept in step with
-- migrations/sqlite/0003_reporting_cycle.sql.
--
-- A Lotse's Sachstand proposes forecast dates for the project's open milestones; they reach
-- the milestones only when the staff unit approves the report.
CREATE TABLE status_report_milestones (
    report_id     BIGINT NOT NULL REFERENCES status_reports (id) ON DELETE CASCADE,
    milestone_id  BIGINT NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    forecast_date DATE NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, milestone_id)
);

-- What the programme looked like at a Stichtag, written when it is closed. Later edits of
-- projects, milestones and services never reach these rows: comparisons and the leadership
-- view of past Stichtage read them. `reported` says whether the values come from an approved
-- Sachstand (otherwise from the project's own record at closing time).
CREATE TABLE stichtag_projects (
    stichtag_id   BIGINT NOT NULL REFERENCES stichtage (id),
    project_id    BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    department_id BIGINT NOT NULL,
    phase         TEXT NOT NULL,
    ampel         TEXT NOT NULL CHECK (ampel IN ('gruen', 'gelb', 'rot')),
    ampel_reason  TEXT NOT NULL,
    percent_done  BIGINT NOT NULL CHECK (percent_done BETWEEN 0 AND 100),
    reported      BOOLEAN NOT NULL,
    PRIMARY KEY (stichtag_id, project_id)
);

CREATE TABLE stichtag_milestones (
    stichtag_id   BIGINT NOT NULL REFERENCES stichtage (id),
    milestone_id  BIGINT NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    project_id    BIGINT NOT NULL,
    is_key        BOOLEAN NOT NULL,
    baseline_date DATE NOT NULL,
    forecast_date DATE NOT NULL,
    actual_date   DATE,
    PRIMARY KEY (stichtag_id, milestone_id)
);

CREATE TABLE stichtag_services (
    stichtag_id BIGINT NOT NULL REFERENCES stichtage (id),
    service_id  BIGINT NOT NULL REFERENCES ozg_services (id) ON DELETE CASCADE,
    reifegrad   BIGINT NOT NULL,
    PRIMARY KEY (stichtag_id, service_id)
);

-- Values of a custom programme-target figure, counted by the staff unit (e.g. staff trained).
CREATE TABLE programme_target_values (
    target_id   BIGINT NOT NULL REFERENCES programme_targets (id) ON DELETE CASCADE,
    as_of       DATE NOT NULL,
    value       DOUBLE PRECISION NOT NULL CHECK (value >= 0),
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (target_id, as_of)
);

-- The freeze, enforced by the database itself so that no code path (import, script, a later
-- feature) can change a closed Stichtag: its reports, their milestone forecasts and its
-- snapshot rows refuse updates, and nothing new may be filed under it. A closed Stichtag
-- cannot be reopened. Deleting (the demo reset, removing a project altogether) stays possible.
CREATE FUNCTION stichtag_is_closed(stichtag BIGINT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT state = 'geschlossen' FROM stichtage WHERE id = stichtag), FALSE)
$$;

CREATE FUNCTION stichtage_refuse_reopen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'geschlossen' THEN
        RAISE EXCEPTION 'Stichtag ist geschlossen';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER stichtage_stay_closed BEFORE UPDATE ON stichtage
    FOR EACH ROW EXECUTE FUNCTION stichtage_refuse_reopen();

-- For tables with a `stichtag_id` column: nothing filed under, or changed in, a closed one.
CREATE FUNCTION stichtag_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF stichtag_is_closed(NEW.stichtag_id) OR (TG_OP = 'UPDATE' AND stichtag_is_closed(OLD.stichtag_id)) THEN
        RAISE EXCEPTION 'Stichtag ist geschlossen';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER status_reports_frozen BEFORE INSERT OR UPDATE ON status_reports
    FOR EACH ROW EXECUTE FUNCTION stichtag_refuse_frozen();
CREATE TRIGGER milestone_forecasts_frozen_insert BEFORE INSERT ON milestone_forecasts
    FOR EACH ROW EXECUTE FUNCTION stichtag_refuse_frozen();
CREATE TRIGGER stichtag_projects_frozen_insert BEFORE INSERT ON stichtag_projects
    FOR EACH ROW EXECUTE FUNCTION stichtag_refuse_frozen();
CREATE TRIGGER stichtag_milestones_frozen_insert BEFORE INSERT ON stichtag_milestones
    FOR EACH ROW EXECUTE FUNCTION stichtag_refuse_frozen();
CREATE TRIGGER stichtag_services_frozen_insert BEFORE INSERT ON stichtag_services
    FOR EACH ROW EXECUTE FUNCTION stichtag_refuse_frozen();

CREATE FUNCTION snapshot_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Stichtag-Stand ist eingefroren';
END;
$$;
CREATE TRIGGER stichtag_projects_frozen_update BEFORE UPDATE ON stichtag_projects
    FOR EACH ROW EXECUTE FUNCTION snapshot_refuse_update();
CREATE TRIGGER stichtag_milestones_frozen_update BEFORE UPDATE ON stichtag_milestones
    FOR EACH ROW EXECUTE FUNCTION snapshot_refuse_update();
CREATE TRIGGER stichtag_services_frozen_update BEFORE UPDATE ON stichtag_services
    FOR EACH ROW EXECUTE FUNCTION snapshot_refuse_update();

CREATE FUNCTION status_report_milestones_refuse_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    report BIGINT := CASE WHEN TG_OP = 'INSERT' THEN NEW.report_id ELSE OLD.report_id END;
BEGIN
    IF stichtag_is_closed((SELECT stichtag_id FROM status_reports WHERE id = report)) THEN
        RAISE EXCEPTION 'Stichtag ist geschlossen';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER status_report_milestones_frozen BEFORE INSERT OR UPDATE ON status_report_milestones
    FOR EACH ROW EXECUTE FUNCTION status_report_milestones_refuse_frozen();
