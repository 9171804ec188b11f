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
        write.Reminders));

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
