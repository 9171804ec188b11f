-- Orleans reminders (Microsoft.Orleans.Reminders.AdoNet) on our own table: one row per (service, grain, reminder
-- name), with a version as its etag, and an index for the range reads each silo makes for its share of the hash ring.

CREATE TABLE orleans_reminders (
    service_id     text        NOT NULL,
    grain_id       text        NOT NULL,
    reminder_name  text        NOT NULL,
    start_time     timestamptz NOT NULL,  -- UTC: the provider turns an unspecified kind into Utc before writing
    period_ms      bigint      NOT NULL,
    grain_hash     integer     NOT NULL,  -- GrainId.GetUniformHashCode(), a uint, as Orleans sends it: cast to int
    version        integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo reads the reminders of its ring ranges every refresh period; without this, every read scans the table.
CREATE INDEX orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Returns the new etag: 0 for a new reminder, one more than before for a changed one.
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time, period_ms = excluded.period_ms, grain_hash = excluded.grain_hash,
    version = r.version + 1
RETURNING r.version AS "Version"
$q$),

('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- The range (@BeginHash, @EndHash] when (int)begin < (int)end. Orleans sends both hashes as int, and the cast from
-- uint keeps the ring's order (it only moves where it starts), so comparing as int selects the right rows.
('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- The range that wraps past the end of int: (@BeginHash, max] and [min, @EndHash]; when begin = end, the whole ring.
-- The two halves cannot overlap (here begin >= end), and each is one range scan of orleans_reminders_by_hash.
('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash
UNION ALL
SELECT grain_id, reminder_name, start_time, period_ms, version
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash <= @EndHash
$q$),

-- true when the reminder was there with the etag @Version and is now gone; false for a stale etag or none.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1)
SELECT count(*) > 0 FROM removed
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$);
