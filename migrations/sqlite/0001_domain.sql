-- Leitstand domain model (SQLite). Kept in step with migrations/postgres/0001_domain.sql:
-- same tables, columns, keys and checks; only types and date checks differ per backend.
-- Dates are ISO text ('YYYY-MM-DD'), checked to be real calendar dates; times are RFC 3339
-- text bound from Rust; money is integer cents; months are 'YYYY-MM'.

CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 20),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

-- Personal data (DSGVO): only name and work contact; see README "Gespeicherte Personendaten".
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       TEXT,
    phone       TEXT
);

-- A role such as "Lotse FB 61": ownership belongs to the function, the person is optional,
-- so that a vacancy or a change of staff does not orphan projects.
CREATE TABLE functions (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL UNIQUE CHECK (length(title) BETWEEN 1 AND 200),
    kind          TEXT NOT NULL CHECK (kind IN ('lotse', 'sponsor', 'stabsstelle', 'sonstige')),
    department_id INTEGER REFERENCES departments (id),
    person_id     INTEGER REFERENCES people (id) ON DELETE SET NULL
);
CREATE INDEX functions_person ON functions (person_id);
CREATE INDEX functions_department ON functions (department_id);

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE handlungsfelder (
    id          INTEGER PRIMARY KEY,
    goal_id     INTEGER NOT NULL REFERENCES goals (id),
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300)
);
CREATE INDEX handlungsfelder_goal ON handlungsfelder (goal_id);

CREATE TABLE projects (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 3 AND 20),
    title            TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description      TEXT NOT NULL DEFAULT '',
    benefit          TEXT NOT NULL DEFAULT '',
    department_id    INTEGER NOT NULL REFERENCES departments (id),
    lotse_id         INTEGER REFERENCES functions (id) ON DELETE SET NULL,
    sponsor_id       INTEGER REFERENCES functions (id) ON DELETE SET NULL,
    handlungsfeld_id INTEGER REFERENCES handlungsfelder (id),
    category         TEXT NOT NULL CHECK (category IN ('ozg', 'eakte', 'prozess', 'infrastruktur', 'qualifizierung')),
    phase            TEXT NOT NULL CHECK (phase IN ('idee', 'planung', 'umsetzung', 'einfuehrung', 'betrieb', 'abgeschlossen', 'gestoppt')),
    start_date       TEXT NOT NULL CHECK (start_date IS date(start_date)),
    planned_end      TEXT NOT NULL CHECK (planned_end IS date(planned_end)),
    percent_done     INTEGER NOT NULL DEFAULT 0 CHECK (percent_done BETWEEN 0 AND 100),
    budget_cents     INTEGER CHECK (budget_cents >= 0),
    ampel            TEXT NOT NULL CHECK (ampel IN ('gruen', 'gelb', 'rot')),
    ampel_reason     TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    updated_at       TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    CHECK (planned_end >= start_date),
    CHECK (ampel = 'gruen' OR length(trim(ampel_reason)) > 0)
);
CREATE INDEX projects_department ON projects (department_id);
CREATE INDEX projects_lotse ON projects (lotse_id);
CREATE INDEX projects_handlungsfeld ON projects (handlungsfeld_id);
CREATE INDEX projects_ampel ON projects (ampel);

CREATE TABLE milestones (
    id              INTEGER PRIMARY KEY,
    project_id      INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (position >= 0),
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    is_key          BOOLEAN NOT NULL DEFAULT FALSE,
    baseline_date   TEXT NOT NULL CHECK (baseline_date IS date(baseline_date)),
    forecast_date   TEXT NOT NULL CHECK (forecast_date IS date(forecast_date)),
    actual_date     TEXT CHECK (actual_date IS date(actual_date)),
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (project_id, position)
);
CREATE INDEX milestones_forecast ON milestones (forecast_date);

-- Reporting dates. A closed Stichtag is frozen: its approved reports never change again.
CREATE TABLE stichtage (
    id          INTEGER PRIMARY KEY,
    report_date TEXT NOT NULL UNIQUE CHECK (report_date IS date(report_date)),
    state       TEXT NOT NULL CHECK (state IN ('offen', 'geschlossen')),
    opened_at   TEXT NOT NULL,
    closed_at   TEXT,
    CHECK ((state = 'geschlossen') = (closed_at IS NOT NULL))
);

-- Append-only: one row per forecast given for a milestone at a reporting date. This is the
-- data of the milestone trend analysis; rows are never updated (see trigger below).
CREATE TABLE milestone_forecasts (
    id            INTEGER PRIMARY KEY,
    milestone_id  INTEGER NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    stichtag_id   INTEGER REFERENCES stichtage (id),
    reported_on   TEXT NOT NULL CHECK (reported_on IS date(reported_on)),
    forecast_date TEXT NOT NULL CHECK (forecast_date IS date(forecast_date)),
    reached       BOOLEAN NOT NULL DEFAULT FALSE,
    reason        TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
);
CREATE INDEX milestone_forecasts_milestone ON milestone_forecasts (milestone_id, reported_on);
CREATE INDEX milestone_forecasts_stichtag ON milestone_forecasts (stichtag_id);
CREATE TRIGGER milestone_forecasts_append_only BEFORE UPDATE ON milestone_forecasts
BEGIN
    SELECT RAISE(ABORT, 'milestone_forecasts is append-only');
END;

CREATE TABLE status_reports (
    id               INTEGER PRIMARY KEY,
    project_id       INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    stichtag_id      INTEGER NOT NULL REFERENCES stichtage (id),
    state            TEXT NOT NULL CHECK (state IN ('entwurf', 'eingereicht', 'freigegeben', 'zurueckgegeben')),
    ampel            TEXT NOT NULL CHECK (ampel IN ('gruen', 'gelb', 'rot')),
    ampel_reason     TEXT NOT NULL DEFAULT '',
    percent_done     INTEGER NOT NULL CHECK (percent_done BETWEEN 0 AND 100),
    summary          TEXT NOT NULL DEFAULT '',
    next_steps       TEXT NOT NULL DEFAULT '',
    decisions_needed TEXT NOT NULL DEFAULT '',
    risks            TEXT NOT NULL DEFAULT '',
    submitted_by     TEXT,
    submitted_at     TEXT,
    reviewed_by      TEXT,
    reviewed_at      TEXT,
    review_comment   TEXT NOT NULL DEFAULT '',
    UNIQUE (project_id, stichtag_id),
    CHECK (ampel = 'gruen' OR length(trim(ampel_reason)) > 0)
);
CREATE INDEX status_reports_stichtag ON status_reports (stichtag_id, state);

-- The Reifegrad scale is data, not code: 0-4 by default, Berlin uses 0-5.
CREATE TABLE maturity_levels (
    level       INTEGER PRIMARY KEY CHECK (level BETWEEN 0 AND 9),
    label       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE themenfelder (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE
);

CREATE TABLE lebenslagen (
    id            INTEGER PRIMARY KEY,
    themenfeld_id INTEGER NOT NULL REFERENCES themenfelder (id),
    name          TEXT NOT NULL,
    UNIQUE (themenfeld_id, name)
);

-- One row per service the city offers: an OZG-Leistung, ideally with its LeiKa key.
CREATE TABLE ozg_services (
    id            INTEGER PRIMARY KEY,
    ozg_id        TEXT NOT NULL CHECK (length(ozg_id) BETWEEN 1 AND 6 AND ozg_id NOT GLOB '*[^0-9]*'),
    leika_key     TEXT UNIQUE CHECK (length(leika_key) = 14 AND leika_key NOT GLOB '*[^0-9]*'),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    themenfeld_id INTEGER NOT NULL REFERENCES themenfelder (id),
    lebenslage_id INTEGER REFERENCES lebenslagen (id),
    reifegrad     INTEGER NOT NULL REFERENCES maturity_levels (level),
    online_since  TEXT CHECK (online_since IS date(online_since)),
    epayment      BOOLEAN NOT NULL DEFAULT FALSE,
    url           TEXT
);
CREATE INDEX ozg_services_ozg ON ozg_services (ozg_id);
CREATE INDEX ozg_services_themenfeld ON ozg_services (themenfeld_id);

CREATE TABLE project_services (
    project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    service_id  INTEGER NOT NULL REFERENCES ozg_services (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, service_id)
);
CREATE INDEX project_services_service ON project_services (service_id);

CREATE TABLE service_usage (
    service_id   INTEGER NOT NULL REFERENCES ozg_services (id) ON DELETE CASCADE,
    month        TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' AND substr(month, 6, 2) BETWEEN '01' AND '12'),
    online_count INTEGER NOT NULL CHECK (online_count >= 0),
    total_count  INTEGER NOT NULL CHECK (total_count >= online_count),
    PRIMARY KEY (service_id, month)
);
CREATE INDEX service_usage_month ON service_usage (month);

CREATE TABLE programme_targets (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 300),
    metric       TEXT NOT NULL CHECK (metric IN ('reifegrad_share', 'usage_rate', 'projects_completed', 'eakte_departments', 'custom')),
    metric_param INTEGER,
    target_value DOUBLE PRECISION NOT NULL CHECK (target_value >= 0),
    deadline     TEXT NOT NULL CHECK (deadline IS date(deadline)),
    CHECK (metric <> 'reifegrad_share' OR metric_param IS NOT NULL)
);

-- Default Reifegrad scale of the OZG maturity model; a city on another scale edits this table.
INSERT INTO maturity_levels (level, label, description) VALUES
    (0, 'Reifegrad 0', 'Offline: keine Online-Information'),
    (1, 'Reifegrad 1', 'Information online'),
    (2, 'Reifegrad 2', 'Formular online, Einreichung noch auf Papier'),
    (3, 'Reifegrad 3', 'Antrag inklusive Nachweisen vollständig online'),
    (4, 'Reifegrad 4', 'Vollständig digital inklusive Once-Only-Nachweisen');
