-- A journal entry is read back only whole, by its grain, so it is kept as the JSON text the silo wrote: jsonb would parse
-- every entry on the way in (a card appends one per authorization) and print it again on the way out.
-- Query entries with entry::jsonb.
ALTER TABLE grain_journal ALTER COLUMN entry TYPE text USING entry::text;
