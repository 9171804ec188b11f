-- Orleans' AdoNetGrainStorage (Microsoft.Orleans.Persistence.AdoNet), the project's second grain store: one row per
-- grain state, the serialized state as bytes and a version as its etag. A write or clear names the version it read;
-- a stale one changes nothing and returns no version, which the provider turns into InconsistentStateException.

CREATE TABLE orleans_storage (
    service_id          text        NOT NULL,
    grain_type          text        NOT NULL,
    grain_id_n0         bigint      NOT NULL,  -- a Guid or integer key as Orleans splits it; 0, 0 for a string key
    grain_id_n1         bigint      NOT NULL,
    grain_id_extension  text,                  -- a string key, or a compound key's extension; NULL when none
    payload             bytea,                 -- NULL after ClearStorageKey: the row and its version stay
    version             integer     NOT NULL,
    written_at          timestamptz NOT NULL DEFAULT now()
);

-- One row per grain. The extension is keyed as (is null, value) so that a missing extension and an empty one stay
-- apart while every lookup is a plain equality on the index (IS NOT DISTINCT FROM could not use it).
CREATE UNIQUE INDEX orleans_storage_key ON orleans_storage
    (service_id, grain_type, grain_id_n0, grain_id_n1, (grain_id_extension IS NULL), coalesce(grain_id_extension, ''));

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- No row: a grain that never wrote. A cleared grain has a row with a NULL payload and its version.
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_storage
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND (grain_id_extension IS NULL) = (@GrainIdExtensionString::text IS NULL)
  AND coalesce(grain_id_extension, '') = coalesce(@GrainIdExtensionString::text, '')
$q$),

-- Exactly one row: the new version, or NULL when the write was refused. Without a version (a grain that has not
-- written) the row is inserted, and a row another activation inserted meanwhile refuses it; with one, the row is
-- updated only if it still holds that version. Concurrent writers queue on the row and the second finds the version
-- moved.
('WriteToStorageKey', $q$
WITH inserted AS (
    INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString::text, @PayloadBinary, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version),
updated AS (
    UPDATE orleans_storage
    SET payload = @PayloadBinary, version = version + 1, written_at = now()
    WHERE @GrainStateVersion::integer IS NOT NULL AND version = @GrainStateVersion::integer
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND (grain_id_extension IS NULL) = (@GrainIdExtensionString::text IS NULL)
      AND coalesce(grain_id_extension, '') = coalesce(@GrainIdExtensionString::text, '')
    RETURNING version)
SELECT (SELECT version FROM inserted UNION ALL SELECT version FROM updated) AS "NewGrainStateVersion"
$q$),

-- Clearing keeps the row with no payload and moves its version, so an activation holding the old etag is refused
-- later. Exactly one row: the new version, or NULL when the version was stale.
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE orleans_storage
    SET payload = NULL, version = version + 1, written_at = now()
    WHERE version = @GrainStateVersion::integer
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND (grain_id_extension IS NULL) = (@GrainIdExtensionString::text IS NULL)
      AND coalesce(grain_id_extension, '') = coalesce(@GrainIdExtensionString::text, '')
    RETURNING version)
SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion"
$q$),

-- With DeleteStateOnClear: the row goes. The provider wants a value other than the etag it sent for success (it then
-- forgets the etag), so this returns the deleted version + 1; NULL when the version was stale.
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM orleans_storage
    WHERE version = @GrainStateVersion::integer
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND (grain_id_extension IS NULL) = (@GrainIdExtensionString::text IS NULL)
      AND coalesce(grain_id_extension, '') = coalesce(@GrainIdExtensionString::text, '')
    RETURNING version)
SELECT (SELECT version + 1 FROM deleted) AS "NewGrainStateVersion"
$q$);
