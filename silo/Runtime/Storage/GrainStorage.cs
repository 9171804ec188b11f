using System.Text.Json;
using Actors.Runtime.Serialization;
using NodaTime;
using Npgsql;

namespace Actors.Runtime.Storage;

/// <summary>One activation's view of the <c>grain_state</c> table. Writes go through group commit.</summary>
internal sealed class GrainStorage(GrainId grain, NpgsqlDataSource dataSource, StateCommits commits, IClock clock, Action onWriteFailed)
    : IGrainStorage
{
    public async Task<StoredState<TState>> Read<TState>()
    {
        await using var command = dataSource.CreateCommand("SELECT version, state::text FROM grain_state WHERE grain_type = $1 AND grain_key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return new StoredState<TState>(default, 0);
        var version = reader.GetInt64(0);
        var state = JsonSerializer.Deserialize<TState>(reader.GetString(1), GrainJson.Options);
        return new StoredState<TState>(state, version);
    }

    public Task<long> Write<TState>(StateWrite<TState> write) => Commit(new PendingCommit(
        grain, write.ExpectedVersion, JsonSerializer.Serialize(write.State, GrainJson.Options), clock.GetCurrentInstant(), write.Events, write.ReadModel,
        write.Reminders) { SnapshotsJournal = write.SnapshotsJournal });

    public async Task<StoredJournal<TState, TEntry>> ReadJournal<TState, TEntry>()
    {
        // One statement, so one snapshot of the database: the state row and its journal as of the same commit. (Two
        // statements could see a snapshot's row and then the entries appended after it, or none of those it removed.)
        await using var command = dataSource.CreateCommand(
            """
            SELECT g.version, g.state::text,
                   ARRAY(SELECT j.version FROM grain_journal j WHERE j.grain_type = g.grain_type AND j.grain_key = g.grain_key ORDER BY j.version),
                   ARRAY(SELECT j.entry FROM grain_journal j WHERE j.grain_type = g.grain_type AND j.grain_key = g.grain_key ORDER BY j.version)
            FROM grain_state g WHERE g.grain_type = $1 AND g.grain_key = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return new StoredJournal<TState, TEntry>(default, 0, []);
        var version = reader.GetInt64(0);
        var snapshot = JsonSerializer.Deserialize<TState>(reader.GetString(1), GrainJson.Options);
        var versions = reader.GetFieldValue<long[]>(2);
        var entries = reader.GetFieldValue<string[]>(3);
        // The state row carries the version of the newest entry, and entries follow each other; anything else is damage.
        for (var i = 0; i < versions.Length; i++)
            if (versions[i] != version - versions.Length + 1 + i)
                throw new InvalidOperationException($"The journal of {grain} does not end at its version {version} (entry {i} has version {versions[i]}).");
        return new StoredJournal<TState, TEntry>(snapshot, version, [.. entries.Select(e => JsonSerializer.Deserialize<TEntry>(e, GrainJson.Options)!)]);
    }

    public Task<long> Append<TEntry>(JournalAppend<TEntry> append) => Commit(new PendingCommit(
        grain, append.ExpectedVersion, null, clock.GetCurrentInstant(), append.Events, append.ReadModel, append.Reminders)
        {
            EntryJson = JsonSerializer.Serialize(append.Entry, GrainJson.Options),
        });

    public Task Clear(long expectedVersion, IReadOnlyList<GrainEventDraft> events, IReadOnlyList<ReadModelChange> readModel,
        IReadOnlyList<ReminderChange> reminders) =>
        Commit(new PendingCommit(grain, expectedVersion, null, clock.GetCurrentInstant(), events, readModel, reminders));

    private async Task<long> Commit(PendingCommit commit)
    {
        try
        {
            return await commits.Enqueue(commit);
        }
        catch
        {
            // Whatever the reason, memory no longer matches storage: the activation must re-read.
            onWriteFailed();
            throw;
        }
    }
}
