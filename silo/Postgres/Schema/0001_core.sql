-- Grain state: one row per grain that has ever written, with the version that guards concurrent writers.
CREATE TABLE grain_state (
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    version     bigint      NOT NULL,
    state       jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (grain_type, grain_key)
);

-- Writes state only when the stored version is the one the activation read; otherwise raises
-- 'inconsistent state' (SQLSTATE AC001) so a batch of writes fails as a whole and is retried one by one.
CREATE FUNCTION actors_write_state(p_type text, p_key text, p_expected bigint, p_state jsonb, p_at timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    new_version bigint;
BEGIN
    IF p_expected = 0 THEN
        INSERT INTO grain_state (grain_type, grain_key, version, state, updated_at)
        VALUES (p_type, p_key, 1, p_state, p_at)
        ON CONFLICT DO NOTHING;
        IF FOUND THEN RETURN 1; END IF;
    ELSE
        UPDATE grain_state SET version = version + 1, state = p_state, updated_at = p_at
        WHERE grain_type = p_type AND grain_key = p_key AND version = p_expected
        RETURNING version INTO new_version;
        IF FOUND THEN RETURN new_version; END IF;
    END IF;
    RAISE EXCEPTION 'inconsistent state: %/% is not at version %', p_type, p_key, p_expected
        USING ERRCODE = 'AC001';
END $$;

CREATE FUNCTION actors_clear_state(p_type text, p_key text, p_expected bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF p_expected = 0 THEN
        IF EXISTS (SELECT 1 FROM grain_state WHERE grain_type = p_type AND grain_key = p_key) THEN
            RAISE EXCEPTION 'inconsistent state: %/% exists but was read as empty', p_type, p_key USING ERRCODE = 'AC001';
        END IF;
        RETURN;
    END IF;
    DELETE FROM grain_state WHERE grain_type = p_type AND grain_key = p_key AND version = p_expected;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'inconsistent state: %/% is not at version %', p_type, p_key, p_expected USING ERRCODE = 'AC001';
    END IF;
END $$;

-- Events (outbox): appended in the state's transaction. Readers deliver them ordered by (tx_id, position) and only
-- from transactions older than every running one, so no event can later appear before one already delivered.
CREATE TABLE grain_events (
    position    bigserial   NOT NULL,
    tx_id       xid8        NOT NULL DEFAULT pg_current_xact_id(),
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb       NOT NULL,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (tx_id, position)
);
CREATE INDEX grain_events_by_grain ON grain_events (grain_type, grain_key, tx_id, position);

-- Reminders: durable, claimed by any silo with a lease. `revision` changes on every registration so a delivery
-- that completes after the grain re-registered does not remove or move the new registration.
CREATE TABLE reminders (
    grain_type   text        NOT NULL,
    grain_key    text        NOT NULL,
    name         text        NOT NULL,
    due_at       timestamptz NOT NULL,
    period_ms    bigint      NULL CHECK (period_ms IS NULL OR period_ms > 0),
    revision     bigint      NOT NULL,
    lease_owner  text        NULL,
    lease_until  timestamptz NULL,
    PRIMARY KEY (grain_type, grain_key, name)
);
CREATE INDEX reminders_due ON reminders (due_at);
CREATE SEQUENCE reminder_revisions;
