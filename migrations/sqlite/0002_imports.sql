-- Spreadsheet imports and the OZG reference catalogue (SQLite). Kept in step with
-- migrations/postgres/0002_imports.sql.

-- One row per uploaded or imported file. The file itself is kept only while its preview waits
-- for a decision (state 'vorschau'), so that "Übernehmen" reads exactly the bytes that were
-- previewed; afterwards only its fingerprint (sha256) and the counts remain.
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 300),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes      INTEGER NOT NULL CHECK (size_bytes >= 0),
    content         BLOB,
    source          TEXT NOT NULL CHECK (source IN ('web', 'cli')),
    state           TEXT NOT NULL CHECK (state IN ('vorschau', 'uebernommen', 'verworfen', 'abgelehnt')),
    uploaded_by     TEXT NOT NULL,
    uploaded_at     TEXT NOT NULL,
    decided_by      TEXT,
    decided_at      TEXT,
    skipped_errors  BOOLEAN NOT NULL DEFAULT FALSE,
    new_count       INTEGER NOT NULL DEFAULT 0,
    changed_count   INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    error_count     INTEGER NOT NULL DEFAULT 0,
    warning_count   INTEGER NOT NULL DEFAULT 0,
    report          TEXT NOT NULL,
    CHECK (state = 'vorschau' OR content IS NULL)
);
CREATE INDEX imports_uploaded ON imports (uploaded_at);

-- The national OZG catalogue as published (e.g. the NRW OZG database): reference data that
-- city services are checked against, not the city's own services.
CREATE TABLE ozg_catalogue (
    ozg_id        TEXT PRIMARY KEY CHECK (length(ozg_id) BETWEEN 1 AND 6 AND ozg_id NOT GLOB '*[^0-9]*'),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    themenfeld_id INTEGER NOT NULL REFERENCES themenfelder (id),
    lebenslage_id INTEGER REFERENCES lebenslagen (id)
);

-- LeiKa services of the catalogue. Real catalogues hold rows without a key ('nicht im LeiKa')
-- and the same key under several OZG-IDs, so the stable identity is `catalogue_key`, built by
-- the importer from key text, OZG-ID, name and the occurrence within the file.
CREATE TABLE leika_catalogue (
    id            INTEGER PRIMARY KEY,
    catalogue_key TEXT NOT NULL UNIQUE,
    leika_key     TEXT CHECK (length(leika_key) = 14 AND leika_key NOT GLOB '*[^0-9]*'),
    leika_text    TEXT NOT NULL,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    leika_type    TEXT NOT NULL DEFAULT '',
    ozg_id        TEXT,
    legal_basis   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX leika_catalogue_key ON leika_catalogue (leika_key);
CREATE INDEX leika_catalogue_ozg ON leika_catalogue (ozg_id);
