namespace Actors;

/// <summary>
/// A fact a grain raises; appended to the event table in the same transaction as the grain's state,
/// and delivered in commit order to subscribers (GraphQL subscriptions, notifications).
/// </summary>
/// <param name="Type">The event's name in the domain's words, e.g. <c>CardBlocked</c>.</param>
/// <param name="Payload">A record serialized as JSON.</param>
public sealed record GrainEventDraft(string Type, object Payload);

/// <summary>
/// A row of a query table (read model), written in the same transaction as the grain's state, so searches
/// never disagree with state. The row is a record whose properties map to the table's snake_case columns;
/// the table's primary key decides which row is replaced.
/// </summary>
public abstract record ReadModelChange(string Table);

/// <summary>Inserts or replaces the row with the same primary key.</summary>
public sealed record ReadModelUpsert(string Table, object Row) : ReadModelChange(Table);

/// <summary>
/// Adds a row that is written once and never replaced, such as a card transaction or an anomaly. A plain insert costs
/// PostgreSQL less than an upsert (no check for a row to replace, no confirmation record); a row with the same primary
/// key already there fails the commit.
/// </summary>
public sealed record ReadModelInsert(string Table, object Row) : ReadModelChange(Table);

/// <summary>Deletes the row whose primary key columns equal the properties of <paramref name="Key"/>.</summary>
public sealed record ReadModelDelete(string Table, object Key) : ReadModelChange(Table);

/// <summary>
/// A reminder registered, moved or removed in the same transaction as the grain's state, so that after a crash the
/// state never says "a reminder will come" while the reminder table disagrees.
/// </summary>
public abstract record ReminderChange(string Name);

/// <summary>Registers the reminder, or moves it when it exists (as <see cref="IReminderRegistry.RegisterOrUpdate"/>).</summary>
public sealed record ReminderSchedule(string Name, NodaTime.Instant DueAt, NodaTime.Duration? Period) : ReminderChange(Name);

/// <summary>Removes the reminder if it exists.</summary>
public sealed record ReminderRemoval(string Name) : ReminderChange(Name);

/// <summary>What one state write commits at once.</summary>
public sealed record StateWrite<TState>(
    TState State,
    long ExpectedVersion,
    IReadOnlyList<GrainEventDraft> Events,
    IReadOnlyList<ReadModelChange> ReadModel,
    IReadOnlyList<ReminderChange> Reminders)
{
    /// <summary>The state is a journaled grain's snapshot that includes every journal entry, which are then removed.</summary>
    public bool SnapshotsJournal { get; init; }
}

/// <summary>
/// What one journal append commits at once: the entry (the grain's state changes by it, and its version with it) and
/// the events, rows and reminders staged with it. The state itself is not written.
/// </summary>
public sealed record JournalAppend<TEntry>(
    TEntry Entry,
    long ExpectedVersion,
    IReadOnlyList<GrainEventDraft> Events,
    IReadOnlyList<ReadModelChange> ReadModel,
    IReadOnlyList<ReminderChange> Reminders);

/// <summary>The stored state of one grain, or the empty state with version 0 when it was never written.</summary>
public sealed record StoredState<TState>(TState? State, long Version);

/// <summary>
/// A journaled grain as stored: its last snapshot and the entries appended after it, oldest first. Applying them in
/// order gives the state at <see cref="Version"/>.
/// </summary>
public sealed record StoredJournal<TState, TEntry>(TState? Snapshot, long Version, IReadOnlyList<TEntry> Entries);

/// <summary>Reads and writes one grain's state; writes are conditional on the version read.</summary>
public interface IGrainStorage
{
    Task<StoredState<TState>> Read<TState>();

    /// <summary>Commits state, events, read-model rows and reminder changes in one transaction and returns the new version.</summary>
    /// <exception cref="InconsistentStateException">The stored version is not the expected one.</exception>
    Task<long> Write<TState>(StateWrite<TState> write);

    /// <summary>Reads a journaled grain: its snapshot and the entries after it.</summary>
    Task<StoredJournal<TState, TEntry>> ReadJournal<TState, TEntry>();

    /// <summary>
    /// Appends an entry to the grain's journal, with its events, read-model rows and reminder changes, in one
    /// transaction, and returns the new version. The grain must have been written before (its first write is a snapshot).
    /// </summary>
    /// <exception cref="InconsistentStateException">The stored version is not the expected one.</exception>
    Task<long> Append<TEntry>(JournalAppend<TEntry> append);

    /// <summary>
    /// Removes the state, and its journal if it has one, (and writes the given events, read-model and reminder
    /// changes) in one transaction.
    /// </summary>
    Task Clear(long expectedVersion, IReadOnlyList<GrainEventDraft> events, IReadOnlyList<ReadModelChange> readModel,
        IReadOnlyList<ReminderChange> reminders);
}

/// <summary>
/// The stored state changed under this activation (another activation wrote it). The activation is dropped;
/// the next call re-reads the state. The caller may retry.
/// </summary>
public sealed class InconsistentStateException(string message) : Exception(message);
