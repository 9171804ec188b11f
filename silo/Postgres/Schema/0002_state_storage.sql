-- Grain state is rewritten on every write, so its storage is tuned for updates:
-- * free room on each page lets PostgreSQL update a row in place (a HOT update: no new index entry per write);
-- * states of a few kilobytes stay in the row, compressed, instead of going to the TOAST table and its index;
-- * lz4 compresses faster than the default pglz, where the server has it.
ALTER TABLE grain_state SET (fillfactor = 70);
ALTER TABLE grain_state ALTER COLUMN state SET STORAGE MAIN;
DO $$
BEGIN
    ALTER TABLE grain_state ALTER COLUMN state SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    RAISE NOTICE 'lz4 is not available here; grain state keeps the default compression';
END $$;
