namespace Actors.Postgres.Events;

/// <summary>
/// The most recent events of the log, kept in memory by one reader per silo, so that many subscribers at the head of
/// the log cost one query per commit instead of one each. <see cref="Start"/> is the position before the oldest event
/// held: a subscriber at or after it reads here, one behind it catches up from the table.
/// </summary>
internal sealed class EventTail(EventPosition start, int capacity)
{
    private readonly object gate = new();
    private readonly Queue<GrainEvent> events = new();
    private TaskCompletionSource appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EventPosition Start { get; private set; } = start;

    /// <summary>Completes when events are appended after this moment.</summary>
    public Task Appended
    {
        get { lock (gate) return appended.Task; }
    }

    public void Append(IReadOnlyList<GrainEvent> page)
    {
        if (page.Count == 0) return;
        TaskCompletionSource signal;
        lock (gate)
        {
            foreach (var e in page)
            {
                events.Enqueue(e);
                if (events.Count > capacity) Start = events.Dequeue().Position;
            }
            signal = appended;
            appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
    }

    /// <summary>The events after <paramref name="position"/> (at most <paramref name="limit"/>), or false when it is behind the tail.</summary>
    public bool TryReadAfter(EventPosition position, int limit, out List<GrainEvent> after)
    {
        after = [];
        lock (gate)
        {
            if (position.CompareTo(Start) < 0) return false;
            foreach (var e in events)
            {
                if (e.Position.CompareTo(position) <= 0) continue;
                after.Add(e);
                if (after.Count == limit) break;
            }
            return true;
        }
    }
}
