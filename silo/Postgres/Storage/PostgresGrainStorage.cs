using System.Text.Json;
using Actors.Postgres.Serialization;
using NodaTime;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Actors.Postgres.Storage;

/// <summary>A grain's record as read: its state, version (0 when never written), business dates and journal entries after the state.</summary>
internal sealed record StoredRecord<TState>(TState? State, long Version, Dictionary<string, Instant> WakeUps, IReadOnlyList<string> Entries);

/// <summary>
/// The back office's grain storage (Orleans' default store): <c>grain_state</c> as <c>jsonb</c> that frontends' queries can
/// read, one row per grain, guarded by a version. Writes go through group commit, so many grains' writes share one
/// transaction; <see cref="DurableState{TState}"/> adds the events, read-model rows and business dates that commit with
/// the state. Plain <c>[PersistentState]</c> grains get the same table and version check through <see cref="IGrainStorage"/>.
/// </summary>
/// <remarks>One state per grain: the row is named by the grain, not by the state's name.</remarks>
public sealed class PostgresGrainStorage : IGrainStorage
{
    private readonly NpgsqlDataSource dataSource;
    private readonly StateCommits commits;
    private readonly IClock clock;

    internal PostgresGrainStorage(NpgsqlDataSource dataSource, StateCommits commits, IClock clock)
    {
        this.dataSource = dataSource;
        this.commits = commits;
        this.clock = clock;
    }

    internal StateCommits Commits => commits;
    internal Instant Now => clock.GetCurrentInstant();

    /// <summary>
    /// Reads the state row and, for a journaled grain, its entries, in one statement: so one snapshot of the database, never
    /// a state and then entries appended after it (a model-based property found that with two statements).
    /// </summary>
    internal async Task<StoredRecord<TState>> Read<TState>(StoredGrain grain, bool journaled)
    {
        await using var command = dataSource.CreateCommand(journaled
            ? """
              SELECT g.version, g.state::text, g.wake_ups::text,
                     ARRAY(SELECT j.version FROM grain_journal j WHERE j.grain_type = g.grain_type AND j.grain_key = g.grain_key ORDER BY j.version),
                     ARRAY(SELECT j.entry FROM grain_journal j WHERE j.grain_type = g.grain_type AND j.grain_key = g.grain_key ORDER BY j.version)
              FROM grain_state g WHERE g.grain_type = $1 AND g.grain_key = $2
              """
            : "SELECT version, state::text, wake_ups::text FROM grain_state WHERE grain_type = $1 AND grain_key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return new StoredRecord<TState>(default, 0, [], []);
        var version = reader.GetInt64(0);
        var state = JsonSerializer.Deserialize<TState>(reader.GetString(1), GrainJson.Options);
        var wakeUps = reader.IsDBNull(2) ? [] : JsonSerializer.Deserialize<Dictionary<string, Instant>>(reader.GetString(2), GrainJson.Options) ?? [];
        if (!journaled) return new StoredRecord<TState>(state, version, wakeUps, []);
        var versions = reader.GetFieldValue<long[]>(3);
        var entries = reader.GetFieldValue<string[]>(4);
        // The state row carries the version of the newest entry, and entries follow each other; anything else is damage.
        for (var i = 0; i < versions.Length; i++)
            if (versions[i] != version - versions.Length + 1 + i)
                throw new InvalidOperationException($"The journal of {grain} does not end at its version {version} (entry {i} has version {versions[i]}).");
        return new StoredRecord<TState>(state, version, wakeUps, entries);
    }

    internal Task<long> Commit(PendingCommit commit) => commits.Enqueue(commit);

    async Task IGrainStorage.ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await Read<T>(StoredGrain.Of(grainId), journaled: false);
        grainState.State = stored.State ?? Activator.CreateInstance<T>();
        grainState.ETag = stored.Version == 0 ? null : stored.Version.ToString();
        grainState.RecordExists = stored.Version > 0;
    }

    async Task IGrainStorage.WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var version = await Commit(new PendingCommit(StoredGrain.Of(grainId), ExpectedVersion(grainState.ETag),
            JsonSerializer.Serialize(grainState.State, GrainJson.Options), Now, [], []));
        grainState.ETag = version.ToString();
        grainState.RecordExists = true;
    }

    async Task IGrainStorage.ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await Commit(new PendingCommit(StoredGrain.Of(grainId), ExpectedVersion(grainState.ETag), null, Now, [], []));
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static long ExpectedVersion(string? etag) => etag is null ? 0 : long.Parse(etag);
}
