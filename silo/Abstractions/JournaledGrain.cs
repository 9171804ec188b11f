namespace Actors;

/// <summary>
/// A grain whose frequent changes are journaled, as Orleans' <c>JournaledGrain</c>: each change is an entry that
/// <see cref="TransitionState"/> applies to <see cref="Grain{TState}.State"/>, and <see cref="AppendAsync"/> stores only
/// the entry, not the whole state. Every <see cref="SnapshotEvery"/> entries (and whenever the grain calls
/// <see cref="Grain{TState}.WriteStateAsync"/>) the whole state is written as a snapshot and the journal starts over;
/// activation reads the snapshot and replays the entries after it.
/// </summary>
/// <remarks>
/// Use it for a change that is small beside the state and happens often (an authorization on a card that holds its
/// settings, counters and recent answers). Versions count entries and snapshots alike, so a stale activation is refused
/// as with plain state (<see cref="InconsistentStateException"/>). <see cref="TransitionState"/> runs again on every
/// activation for the entries since the snapshot: it must depend on the state and the entry only.
/// </remarks>
public abstract class JournaledGrain<TState, TEntry> : Grain<TState>
    where TState : class, new()
    where TEntry : class
{
    /// <summary>How many entries may follow a snapshot before the next append writes the state whole.</summary>
    protected virtual int SnapshotEvery => 64;

    /// <summary>Applies one entry to the state: live in <see cref="AppendAsync"/>, and when replaying the journal.</summary>
    protected abstract void TransitionState(TState state, TEntry entry);

    /// <summary>
    /// Applies the entry to the state and commits it with the events, read-model rows and reminders staged since the
    /// last write, in one transaction.
    /// </summary>
    /// <exception cref="InconsistentStateException">Another activation wrote the grain since this one read it.</exception>
    protected async Task AppendAsync(TEntry entry)
    {
        TransitionState(State, entry);
        // The first write creates the row the journal hangs on; a long journal would make activation slow.
        if (!RecordExists || EntriesSinceSnapshot + 1 >= SnapshotEvery) await WriteStateAsync();
        else await AppendToJournal(entry);
    }

    private protected override async Task<(TState State, long Version)> LoadState()
    {
        var stored = await Context.Storage.ReadJournal<TState, TEntry>();
        var state = stored.Snapshot ?? new TState();
        foreach (var entry in stored.Entries) TransitionState(state, entry);
        EntriesSinceSnapshot = stored.Entries.Count;
        return (state, stored.Version);
    }
}
