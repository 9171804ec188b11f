-- Business dates (expiry, renewal windows, billing runs) are kept with the grain's state, written in the same transaction,
-- as {"name": "instant"}; Orleans reminders only wake the grain, which then acts on what is due here. The hand-made
-- reminder table they replace goes.
ALTER TABLE grain_state ADD COLUMN wake_ups jsonb NULL;
DROP TABLE reminders;
DROP SEQUENCE reminder_revisions;
