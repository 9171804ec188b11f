-- Group commit writes a batch of states in one statement (see StateCommits). When fewer rows were written than the
-- batch holds, some write had a stale version: raise 'inconsistent state' (SQLSTATE AC001) so the transaction fails
-- and the batch is retried one write at a time, which names the grain.
CREATE FUNCTION actors_expect_writes(p_expected bigint, p_written bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    IF p_written <> p_expected THEN
        RAISE EXCEPTION 'inconsistent state: % of % writes found the version they expected', p_written, p_expected
            USING ERRCODE = 'AC001';
    END IF;
    RETURN p_written;
END $$;
