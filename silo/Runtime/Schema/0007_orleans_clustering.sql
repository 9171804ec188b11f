-- Orleans clustering (Microsoft.Orleans.Clustering.AdoNet) on our own tables: the silos of each cluster, and one
-- version row per cluster that every membership change must move, so two silos acting on the same snapshot cannot
-- both win. Orleans ships no SQL; it reads its statements from OrleansQuery (the name and columns it selects).

-- OrleansQuery is named as the providers query it (unquoted, so PostgreSQL folds it to orleansquery).
CREATE TABLE OrleansQuery (
    QueryKey  text PRIMARY KEY,
    QueryText text NOT NULL
);
COMMENT ON TABLE OrleansQuery IS
    'Statements the Orleans ADO.NET providers run, by key; written by runtime migrations 0007-0009, never by hand.';

CREATE TABLE orleans_membership_version (
    cluster_id  text        PRIMARY KEY,
    version     integer     NOT NULL DEFAULT 0,
    changed_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation). Times are UTC instants: Orleans passes DateTime of kind Utc.
CREATE TABLE orleans_membership (
    cluster_id       text        NOT NULL REFERENCES orleans_membership_version (cluster_id) ON DELETE CASCADE,
    address          text        NOT NULL,
    port             integer     NOT NULL,
    generation       integer     NOT NULL,
    silo_name        text        NOT NULL,
    host_name        text        NOT NULL,
    status           integer     NOT NULL,  -- Orleans.Runtime.SiloStatus: 3 Active, 6 Dead
    proxy_port       integer     NOT NULL,
    suspect_times    text,                  -- "silo,time|silo,time", as Orleans formats it
    start_time       timestamptz NOT NULL,
    i_am_alive_time  timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- true when this call created the cluster's version row; false when it was already there.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (cluster_id) VALUES (@DeploymentId)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1)
SELECT count(*) > 0 FROM created
$q$),

-- true only when the version row still holds @Version (the version the caller read) and the silo is new: the row is
-- inserted and the version moved in one statement. A stale version or an existing silo changes nothing and gives false.
-- Concurrent callers queue on the version row; the loser re-checks the version after the winner commits and fails it.
('InsertMembershipKey', $q$
WITH moved AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE cluster_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (
          SELECT FROM orleans_membership
          WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING cluster_id),
added AS (
    INSERT INTO orleans_membership
        (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM moved
    RETURNING 1)
SELECT count(*) > 0 FROM added
$q$),

-- true only when the version row still holds @Version and the silo's row exists: both change together. The silo's
-- row is locked first, so a cleanup deleting it cannot slip between the check and the update.
('UpdateMembershipKey', $q$
WITH silo AS (
    SELECT cluster_id FROM orleans_membership
    WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
    FOR UPDATE),
moved AS (
    UPDATE orleans_membership_version v
    SET version = v.version + 1, changed_at = now()
    FROM silo
    WHERE v.cluster_id = silo.cluster_id AND v.version = @Version
    RETURNING v.cluster_id),
changed AS (
    UPDATE orleans_membership m
    SET status = @Status, suspect_times = @SuspectTimes::text, i_am_alive_time = @IAmAliveTime
    FROM moved
    WHERE m.cluster_id = moved.cluster_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT count(*) > 0 FROM changed
$q$),

-- The heartbeat: not a membership change, so the version stays.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Always one row at least (the version), with the silo's columns NULL when it has no row: Orleans takes the version
-- from the first row and treats a NULL StartTime as "no entry". One statement, so rows and version are one snapshot.
('MembershipReadRowKey', $q$
SELECT v.cluster_id AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime",
       v.version AS "Version"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.cluster_id = v.cluster_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.cluster_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.cluster_id AS "DeploymentId", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime",
       v.version AS "Version"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.cluster_id = v.cluster_id
WHERE v.cluster_id = @DeploymentId
$q$),

-- The silos' rows go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership_version WHERE cluster_id = @DeploymentId
$q$),

-- Gateways for clients: silos in @Status (Active) that listen for clients.
('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Rows of silos declared Dead (6) whose last heartbeat is older than @IAmAliveTime. A dead silo never comes back
-- (a restart is a new generation), so the version need not move: no live silo's view depends on these rows.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE cluster_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
$q$);
