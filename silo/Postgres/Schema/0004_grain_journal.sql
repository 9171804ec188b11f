-- Journaled grains (JournaledGrain) append a small entry per change instead of rewriting their whole state. The state
-- row keeps the last snapshot and the version of the newest entry (so the version check of plain writes still refuses a
-- stale activation); the entries after the snapshot live here until the next snapshot removes them.
CREATE TABLE grain_journal (
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    version     bigint      NOT NULL,
    entry       jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key, version)
);
