-- The Stichtag reporting cycle (SQLite). Kept in step with
-- migrations/postgres/0003_reporting_cycle.sql.
--
-- A Lotse's Sachstand proposes forecast dates for the project's open milestones; they reach
-- the milestones only when the staff unit approves the report.
CREATE TABLE status_report_milestones (
    report_id     INTEGER NOT NULL REFERENCES status_reports (id) ON DELETE CASCADE,
    milestone_id  INTEGER NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    forecast_date TEXT NOT NULL CHECK (forecast_date IS date(forecast_date)),
    reason        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, milestone_id)
);

-- What the programme looked like at a Stichtag, written when it is closed. Later edits of
-- projects, milestones and services never reach these rows: comparisons and the leadership
-- view of past Stichtage read them. `reported` says whether the values come from an approved
-- Sachstand (otherwise from the project's own record at closing time).
CREATE TABLE stichtag_projects (
    stichtag_id   INTEGER NOT NULL REFERENCES stichtage (id),
    project_id    INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL,
    phase         TEXT NOT NULL,
    ampel         TEXT NOT NULL CHECK (ampel IN ('gruen', 'gelb', 'rot')),
    ampel_reason  TEXT NOT NULL,
    percent_done  INTEGER NOT NULL CHECK (percent_done BETWEEN 0 AND 100),
    reported      BOOLEAN NOT NULL,
    PRIMARY KEY (stichtag_id, project_id)
);

CREATE TABLE stichtag_milestones (
    stichtag_id   INTEGER NOT NULL REFERENCES stichtage (id),
    milestone_id  INTEGER NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    project_id    INTEGER NOT NULL,
    is_key        BOOLEAN NOT NULL,
    baseline_date TEXT NOT NULL,
    forecast_date TEXT NOT NULL,
    actual_date   TEXT,
    PRIMARY KEY (stichtag_id, milestone_id)
);

CREATE TABLE stichtag_services (
    stichtag_id INTEGER NOT NULL REFERENCES stichtage (id),
    service_id  INTEGER NOT NULL REFERENCES ozg_services (id) ON DELETE CASCADE,
    reifegrad   INTEGER NOT NULL,
    PRIMARY KEY (stichtag_id, service_id)
);

-- Values of a custom programme-target figure, counted by the staff unit (e.g. staff trained).
CREATE TABLE programme_target_values (
    target_id   INTEGER NOT NULL REFERENCES programme_targets (id) ON DELETE CASCADE,
    as_of       TEXT NOT NULL CHECK (as_of IS date(as_of)),
    value       DOUBLE PRECISION NOT NULL CHECK (value >= 0),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (target_id, as_of)
);

-- The freeze, enforced by the database itself so that no code path (import, script, a later
-- feature) can change a closed Stichtag: its reports, their milestone forecasts and its
-- snapshot rows refuse updates, and nothing new may be filed under it. A closed Stichtag
-- cannot be reopened. Deleting (the demo reset, removing a project altogether) stays possible.
CREATE TRIGGER stichtage_stay_closed BEFORE UPDATE ON stichtage
WHEN OLD.state = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;

CREATE TRIGGER status_reports_frozen_update BEFORE UPDATE ON status_reports
WHEN (SELECT state FROM stichtage WHERE id = OLD.stichtag_id) = 'geschlossen'
  OR (SELECT state FROM stichtage WHERE id = NEW.stichtag_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;

CREATE TRIGGER status_reports_frozen_insert BEFORE INSERT ON status_reports
WHEN (SELECT state FROM stichtage WHERE id = NEW.stichtag_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;

CREATE TRIGGER status_report_milestones_frozen_insert BEFORE INSERT ON status_report_milestones
WHEN (SELECT s.state FROM status_reports r JOIN stichtage s ON s.id = r.stichtag_id WHERE r.id = NEW.report_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;

CREATE TRIGGER status_report_milestones_frozen_update BEFORE UPDATE ON status_report_milestones
WHEN (SELECT s.state FROM status_reports r JOIN stichtage s ON s.id = r.stichtag_id WHERE r.id = OLD.report_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;

CREATE TRIGGER milestone_forecasts_frozen_insert BEFORE INSERT ON milestone_forecasts
WHEN (SELECT state FROM stichtage WHERE id = NEW.stichtag_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;

CREATE TRIGGER stichtag_projects_frozen_insert BEFORE INSERT ON stichtag_projects
WHEN (SELECT state FROM stichtage WHERE id = NEW.stichtag_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;
CREATE TRIGGER stichtag_projects_frozen_update BEFORE UPDATE ON stichtag_projects
BEGIN
    SELECT RAISE(ABORT, 'Stichtag-Stand ist eingefroren');
END;

CREATE TRIGGER stichtag_milestones_frozen_insert BEFORE INSERT ON stichtag_milestones
WHEN (SELECT state FROM stichtage WHERE id = NEW.stichtag_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;
CREATE TRIGGER stichtag_milestones_frozen_update BEFORE UPDATE ON stichtag_milestones
BEGIN
    SELECT RAISE(ABORT, 'Stichtag-Stand ist eingefroren');
END;

CREATE TRIGGER stichtag_services_frozen_insert BEFORE INSERT ON stichtag_services
WHEN (SELECT state FROM stichtage WHERE id = NEW.stichtag_id) = 'geschlossen'
BEGIN
    SELECT RAISE(ABORT, 'Stichtag ist geschlossen');
END;
CREATE TRIGGER stichtag_services_frozen_update BEFORE UPDATE ON stichtag_services
BEGIN
    SELECT RAISE(ABORT, 'Stichtag-Stand ist eingefroren');
END;
