using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Actors.Postgres.Storage;
using Npgsql;

namespace Actors.Postgres.Events;

/// <summary>
/// A place in the event log. Events are ordered by the transaction that wrote them, then by their sequence in it;
/// <see cref="Start"/> is before every event.
/// </summary>
public readonly record struct EventPosition(ulong Transaction, long Sequence) : IComparable<EventPosition>
{
    public static EventPosition Start => default;

    public int CompareTo(EventPosition other) =>
        Transaction != other.Transaction ? Transaction.CompareTo(other.Transaction) : Sequence.CompareTo(other.Sequence);

    /// <summary>Text form for cursors handed to clients: <c>transaction.sequence</c>.</summary>
    public override string ToString() => $"{Transaction}.{Sequence}";

    public static bool TryParse(string? text, out EventPosition position)
    {
        position = default;
        var dot = text?.IndexOf('.') ?? -1;
        if (dot <= 0) return false;
        if (!ulong.TryParse(text.AsSpan(0, dot), out var transaction) || !long.TryParse(text.AsSpan(dot + 1), out var sequence)) return false;
        position = new EventPosition(transaction, sequence);
        return true;
    }
}

/// <summary>A committed event, as subscribers receive it.</summary>
public sealed record GrainEvent(EventPosition Position, StoredGrain Grain, string Type, JsonElement Payload, Instant OccurredAt);

/// <summary>
/// Reads committed events in order and lets in-process subscribers follow the log from any position.
/// Readers only deliver events of transactions older than every running one (<c>pg_snapshot_xmin</c>), so an event
/// can never appear later before one already delivered. Subscribers wake on local commits and on
/// <c>NOTIFY</c> from other silos; the notification is only a wake-up, the table is the record.
/// </summary>
public sealed class EventFeed
{
    internal const string Channel = "actors_events";

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger logger;
    private TaskCompletionSource wake = NewWake();

    public EventFeed(NpgsqlDataSource dataSource, ILogger<EventFeed> logger)
    {
        this.dataSource = dataSource;
        this.logger = logger;
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Tells waiting subscribers that new events may be readable.</summary>
    public void Wake() => Interlocked.Exchange(ref wake, NewWake()).TrySetResult();

    /// <summary>Reads up to <paramref name="limit"/> events after <paramref name="after"/>, optionally of one grain type.</summary>
    public async Task<EventPage> Read(EventPosition after, int limit = 500, string? grainType = null, CancellationToken cancellation = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
            SELECT tx_id::text AS tx_text, position, grain_type, grain_key, event_type, payload::text, occurred_at,
                   tx_id < (SELECT xmin FROM horizon) AS deliverable
            FROM grain_events
            WHERE (tx_id, position) > ($1::text::xid8, $2) AND ($3::text IS NULL OR grain_type = $3)
            ORDER BY tx_id, position
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = after.Transaction.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = after.Sequence });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)grainType ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var events = new List<GrainEvent>();
        var heldBack = false;
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            if (!reader.GetBoolean(7)) { heldBack = true; break; }
            using var payload = JsonDocument.Parse(reader.GetString(5));
            events.Add(new GrainEvent(
                new EventPosition(ulong.Parse(reader.GetString(0)), reader.GetInt64(1)),
                new StoredGrain(reader.GetString(2), reader.GetString(3)),
                reader.GetString(4),
                payload.RootElement.Clone(),
                Instant.FromDateTimeUtc(DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc))));
        }
        return new EventPage(events, heldBack);
    }

    /// <summary>Follows the log from <paramref name="after"/> until cancelled, delivering each event once, in order.</summary>
    public async IAsyncEnumerable<GrainEvent> Subscribe(EventPosition after, string? grainType = null,
        [EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var tail = await Tail(cancellation);
        var position = after;
        while (!cancellation.IsCancellationRequested)
        {
            var appended = tail.Appended;
            if (tail.TryReadAfter(position, PageSize, out var recent))
            {
                foreach (var e in recent)
                {
                    position = e.Position;
                    if (grainType is null || e.Grain.Type == grainType) yield return e;
                }
                if (recent.Count == 0) await appended.WaitAsync(cancellation);
                continue;
            }

            // Behind the tail: catch up from the table, then join the tail.
            var page = await Read(position, PageSize, grainType, cancellation);
            foreach (var e in page.Events)
            {
                position = e.Position;
                yield return e;
            }
            if (page.Events.Count < PageSize && position.CompareTo(tail.Start) < 0)
                position = tail.Start; // every matching event up to the tail's start was in this page
        }
    }

    private const int PageSize = 500;
    private readonly SemaphoreSlim tailStart = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private EventTail? tail;

    /// <summary>The silo's tail of the log, started on first use from the newest deliverable event.</summary>
    private async Task<EventTail> Tail(CancellationToken cancellation)
    {
        if (tail is not null) return tail;
        await tailStart.WaitAsync(cancellation);
        try
        {
            if (tail is not null) return tail;
            var newest = await Head(cancellation);
            var created = new EventTail(newest, capacity: 8192);
            _ = Task.Run(() => Follow(created, newest, stopping.Token));
            return tail = created;
        }
        finally
        {
            tailStart.Release();
        }
    }

    /// <summary>The position of the newest deliverable event: subscribing from it receives only what happens next.</summary>
    public async Task<EventPosition> Head(CancellationToken cancellation = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT tx_id::text AS tx_text, position FROM grain_events
            WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY tx_id DESC, position DESC LIMIT 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation)
            ? new EventPosition(ulong.Parse(reader.GetString(0)), reader.GetInt64(1))
            : EventPosition.Start;
    }

    /// <summary>Reads the log after <paramref name="position"/> into the tail as commits wake it, until the silo stops.</summary>
    private async Task Follow(EventTail into, EventPosition position, CancellationToken cancellation)
    {
        var backoff = TimeSpan.FromMilliseconds(5);
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                var signal = Volatile.Read(ref wake).Task;
                var page = await Read(position, PageSize, null, cancellation);
                into.Append(page.Events);
                if (page.Events.Count > 0) position = page.Events[^1].Position;
                if (page.Events.Count == PageSize) continue;
                if (page.HeldBack)
                {
                    // Committed events wait behind an older running transaction; look again shortly.
                    await Task.WhenAny(signal, Task.Delay(backoff, cancellation));
                    backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 200));
                    continue;
                }
                backoff = TimeSpan.FromMilliseconds(5);
                // The periodic look is a safety net for a missed notification, not the normal path.
                await Task.WhenAny(signal, Task.Delay(TimeSpan.FromSeconds(5), cancellation));
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Following the event log failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Stops following the log (the silo is stopping).</summary>
    internal Task Stop() => stopping.CancelAsync();

    /// <summary>Listens for other silos' commits and wakes local subscribers; reconnects after failures.</summary>
    internal async Task Listen(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellation);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(cancellation);
                Wake(); // anything committed while we were not listening
                while (!cancellation.IsCancellationRequested) await connection.WaitAsync(cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for events failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

/// <summary>A page of events; <see cref="HeldBack"/> says more are committed but wait behind an older running transaction.</summary>
public sealed record EventPage(IReadOnlyList<GrainEvent> Events, bool HeldBack);
