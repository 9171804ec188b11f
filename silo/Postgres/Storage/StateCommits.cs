using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Actors.Postgres.Events;
using Actors.Postgres.Serialization;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Postgres.Storage;

/// <summary>One grain's write waiting to be committed: its state, events, read-model rows and reminders, all or nothing.</summary>
internal sealed class PendingCommit(StoredGrain grain, long expectedVersion, string? stateJson, Instant at,
    IReadOnlyList<GrainEventDraft> events, IReadOnlyList<ReadModelChange> readModel)
{
    public StoredGrain Grain { get; } = grain;
    public long ExpectedVersion { get; } = expectedVersion;
    /// <summary>The new state as JSON, or null when the state is cleared or a journal entry is appended.</summary>
    public string? StateJson { get; } = stateJson;
    /// <summary>A journal entry as JSON: the state row only takes the new version, the entry goes to <c>grain_journal</c>.</summary>
    public string? EntryJson { get; init; }
    /// <summary>The state written is a snapshot of a journaled grain: its journal entries are removed.</summary>
    public bool SnapshotsJournal { get; init; }
    public bool Clears => StateJson is null && EntryJson is null;
    public Instant At { get; } = at;
    public IReadOnlyList<GrainEventDraft> Events { get; } = events;
    public IReadOnlyList<ReadModelChange> ReadModel { get; } = readModel;
    /// <summary>The grain's business dates after this write, as JSON, when they changed; null leaves them as they are.</summary>
    public string? WakeUpsJson { get; init; }
    public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>When the write joined the commit queue (<see cref="Stopwatch"/> ticks), to measure its wait.</summary>
    public long Enqueued { get; set; }
    public long NewVersion => Clears ? 0 : ExpectedVersion + 1;
}

/// <summary>
/// Group commit: state writes from many grains that arrive while a transaction is in flight are committed together
/// in the next one, so one WAL flush acknowledges many writes. A batch that fails (a stale version, a read-model
/// constraint) is retried one write per transaction, so each caller gets its own answer.
/// </summary>
internal sealed class StateCommits : IAsyncDisposable
{
    /// <summary>
    /// What operators and benchmarks watch, tagged with the silo's name: how long writes wait for a commit, how long a
    /// commit takes, and how many writes it carries (a failed batch is counted once, before it is retried write by write).
    /// </summary>
    public static readonly Meter Meter = new("Actors.Postgres.Commits");
    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("actors.commit.queue_wait", "ms", "Time a grain's write waits before its commit starts.");
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("actors.commit.duration", "ms", "One group commit: statements, WAL flush, acknowledgement.");
    private static readonly Histogram<int> CommitSize = Meter.CreateHistogram<int>("actors.commit.writes", "{write}", "Grain writes carried by one group commit.");
    private readonly NpgsqlDataSource dataSource;
    private readonly int maxPerCommit;
    private readonly Action onEventsCommitted;
    private readonly Channel<PendingCommit> queue = Channel.CreateUnbounded<PendingCommit>(new() { SingleReader = false });
    private readonly Task[] committers;

    private readonly KeyValuePair<string, object?> silo;

    public StateCommits(NpgsqlDataSource dataSource, int maxPerCommit, int concurrentCommits, Action onEventsCommitted, string siloName)
    {
        silo = new("silo", siloName);
        this.dataSource = dataSource;
        this.maxPerCommit = maxPerCommit;
        this.onEventsCommitted = onEventsCommitted;
        committers = [.. Enumerable.Range(0, concurrentCommits).Select(_ => Task.Run(CommitLoop))];
    }

    public Task<long> Enqueue(PendingCommit commit)
    {
        commit.Enqueued = Stopwatch.GetTimestamp();
        if (!queue.Writer.TryWrite(commit))
            commit.Done.TrySetException(new ObjectDisposedException(nameof(StateCommits), "The silo is stopping."));
        return commit.Done.Task;
    }

    private async Task CommitLoop()
    {
        var batch = new List<PendingCommit>(maxPerCommit);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxPerCommit && queue.Reader.TryRead(out var commit)) batch.Add(commit);
            if (batch.Count == 0) continue;
            await CommitBatch(batch);
        }
    }

    private async Task CommitBatch(List<PendingCommit> batch)
    {
        var started = Stopwatch.GetTimestamp();
        if (QueueWait.Enabled)
            foreach (var commit in batch) QueueWait.Record(Stopwatch.GetElapsedTime(commit.Enqueued, started).TotalMilliseconds, silo);
        CommitSize.Record(batch.Count, silo);
        try
        {
            await Commit(batch);
            CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, silo);
            Acknowledge(batch);
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            // One write spoiled the batch; find it by committing each alone.
            foreach (var commit in batch)
            {
                try
                {
                    await Commit([commit]);
                    Acknowledge([commit]);
                }
                catch (Exception e) { commit.Done.TrySetException(Translate(e, commit)); }
            }
        }
        catch (Exception e)
        {
            foreach (var commit in batch) commit.Done.TrySetException(Translate(e, commit));
        }
    }

    private void Acknowledge(IReadOnlyList<PendingCommit> batch)
    {
        var anyEvents = false;
        foreach (var commit in batch)
        {
            anyEvents |= commit.Events.Count > 0;
            commit.Done.TrySetResult(commit.NewVersion);
        }
        if (anyEvents) onEventsCommitted();
    }

    private static Exception Translate(Exception e, PendingCommit commit) => e switch
    {
        PostgresException { SqlState: "AC001" } => new Orleans.Storage.InconsistentStateException(
            $"The state of {commit.Grain} changed since this activation read it (expected version {commit.ExpectedVersion}); the activation is dropped, retry the call.",
            null, commit.ExpectedVersion.ToString()),
        _ => e,
    };

    private async Task Commit(IReadOnlyList<PendingCommit> commits)
    {
        // No explicit transaction: the statements of one batch travel together and run in PostgreSQL's implicit
        // transaction up to the Sync, which commits them all or none, in one round trip instead of two (BEGIN with the batch, then COMMIT).
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);

        var writes = commits.Where(c => c.StateJson is not null).ToArray();
        if (writes.Length > 0)
        {
            // One statement for the whole batch: new grains are inserted, known ones updated where the version matches;
            // a count short of the batch means a stale version, and the transaction fails (AC001).
            var command = new NpgsqlBatchCommand(
                """
                WITH w AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[], $5::timestamptz[]) AS w(t, k, v, s, a)),
                updated AS (
                    UPDATE grain_state g SET version = g.version + 1, state = w.s, updated_at = w.a
                    FROM w WHERE w.v > 0 AND g.grain_type = w.t AND g.grain_key = w.k AND g.version = w.v
                    RETURNING 1),
                inserted AS (
                    INSERT INTO grain_state (grain_type, grain_key, version, state, updated_at)
                    SELECT t, k, 1, s, a FROM w WHERE v = 0
                    ON CONFLICT DO NOTHING
                    RETURNING 1)
                SELECT actors_expect_writes((SELECT count(*) FROM w), (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted))
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = writes.Select(c => c.Grain.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = writes.Select(c => c.Grain.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = writes.Select(c => c.ExpectedVersion).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = writes.Select(c => c.StateJson!).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            command.Parameters.Add(new NpgsqlParameter { Value = writes.Select(c => c.At.ToDateTimeUtc()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
        }
        var appends = commits.Where(c => c.EntryJson is not null).ToArray();
        if (appends.Length > 0)
        {
            // The state row only moves to the next version (its state, a few kilobytes, is neither sent nor rewritten), which
            // keeps the version check of plain writes; the entry joins the journal under that version. Only the version
            // changes: PostgreSQL logs an update on the same page as the bytes between the first and last changed column,
            // so also moving updated_at (after the state) would put the whole state in the WAL again, 1.3 KB per card use.
            var command = new NpgsqlBatchCommand(
                """
                WITH w AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[]) AS w(t, k, v, e, a)),
                moved AS (
                    UPDATE grain_state g SET version = g.version + 1
                    FROM w WHERE g.grain_type = w.t AND g.grain_key = w.k AND g.version = w.v
                    RETURNING 1),
                journaled AS (
                    INSERT INTO grain_journal (grain_type, grain_key, version, entry, recorded_at)
                    SELECT t, k, v + 1, e, a FROM w)
                SELECT actors_expect_writes((SELECT count(*) FROM w), (SELECT count(*) FROM moved))
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = appends.Select(c => c.Grain.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = appends.Select(c => c.Grain.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = appends.Select(c => c.ExpectedVersion).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = appends.Select(c => c.EntryJson!).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = appends.Select(c => c.At.ToDateTimeUtc()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
        }
        foreach (var clear in commits.Where(c => c.Clears))
        {
            var command = new NpgsqlBatchCommand("SELECT actors_clear_state($1, $2, $3)");
            command.Parameters.Add(new NpgsqlParameter { Value = clear.Grain.Type });
            command.Parameters.Add(new NpgsqlParameter { Value = clear.Grain.Key });
            command.Parameters.Add(new NpgsqlParameter { Value = clear.ExpectedVersion });
            batch.BatchCommands.Add(command);
        }
        // A snapshot holds every entry before it, and a cleared grain has none: their journals go.
        var journalsEnded = commits.Where(c => c.SnapshotsJournal || c.Clears).ToArray();
        if (journalsEnded.Length > 0)
        {
            var command = new NpgsqlBatchCommand(
                "DELETE FROM grain_journal j USING unnest($1::text[], $2::text[]) AS d(t, k) WHERE j.grain_type = d.t AND j.grain_key = d.k");
            command.Parameters.Add(new NpgsqlParameter { Value = journalsEnded.Select(c => c.Grain.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = journalsEnded.Select(c => c.Grain.Key).ToArray() });
            batch.BatchCommands.Add(command);
        }

        var events = commits.SelectMany(c => c.Events.Select(e => (c.Grain, c.At, Event: e))).ToArray();
        if (events.Length > 0)
        {
            var command = new NpgsqlBatchCommand(
                "INSERT INTO grain_events (grain_type, grain_key, event_type, payload, occurred_at) " +
                "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])");
            command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Grain.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Grain.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.Event.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = events.Select(e => JsonSerializer.Serialize(e.Event.Payload, e.Event.Payload.GetType(), GrainJson.Options)).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
            });
            command.Parameters.Add(new NpgsqlParameter { Value = events.Select(e => e.At.ToDateTimeUtc()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(command);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {EventFeed.Channel}"));
        }

        foreach (var command in ReadModelStatements.ToCommands([.. commits.SelectMany(c => c.ReadModel)], setBased: commits.Count > 1))
            batch.BatchCommands.Add(command);

        var dated = commits.Where(c => c.WakeUpsJson is not null && !c.Clears).ToArray();
        if (dated.Length > 0)
        {
            // After the state statements, so a grain written for the first time has its row; '{}' means no date is kept.
            var command = new NpgsqlBatchCommand(
                """
                UPDATE grain_state g SET wake_ups = NULLIF(d.w, '{}'::jsonb)
                FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS d(t, k, w) WHERE g.grain_type = d.t AND g.grain_key = d.k
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = dated.Select(c => c.Grain.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = dated.Select(c => c.Grain.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = dated.Select(c => c.WakeUpsJson!).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(committers);
    }
}
