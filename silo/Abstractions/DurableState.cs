using NodaTime;
using Orleans.Runtime;

namespace Actors;

/// <summary>
/// Orleans' persistent state, with what commits beside it. <see cref="Orleans.Core.IStorage.WriteStateAsync()"/> writes
/// the state, the events raised and the read-model rows staged since the last write, and the wake-ups scheduled, in one
/// transaction: searches never disagree with state, and no event is announced for a change that was not kept.
/// </summary>
/// <remarks>
/// A write on a stale version fails with <see cref="Orleans.Storage.InconsistentStateException"/>; the activation is then
/// deactivated so the next call reads the state again. A call that fails after staging anything also ends the activation:
/// its changes in memory were never written.
/// </remarks>
public interface IDurableState<TState> : IPersistentState<TState>
{
    /// <summary>Stages an event (the domain's name, e.g. <c>CardBlocked</c>, and a record as payload) for the next write.</summary>
    void RaiseEvent(string type, object payload);

    /// <summary>Stages a read-model row change for the next write.</summary>
    void Project(ReadModelChange change);

    /// <summary>
    /// Stages a business date: the grain is woken at <paramref name="at"/> (or as soon as a silo runs after it) through
    /// <see cref="OnWakeUp"/>. The date is kept with the state, so a crash can lose neither; scheduling the same name again moves it.
    /// </summary>
    void WakeUpAt(string name, Instant at);

    /// <summary>Stages the removal of a business date scheduled with <see cref="WakeUpAt"/>.</summary>
    void CancelWakeUp(string name);

    /// <summary>When the wake-up <paramref name="name"/> is due, as last written; null when none is kept.</summary>
    Instant? WakeUpDue(string name);

    /// <summary>
    /// Handles an Orleans reminder tick: when the wake-up it stands for is due, runs <paramref name="dueSteps"/> once with the date
    /// and then forgets the wake-up unless the steps scheduled it again; a tick for a date not yet due moves the reminder
    /// to that date, and a tick for a date no longer kept removes the reminder. Ticks may come twice or late: the
    /// state decides what runs, never the tick.
    /// </summary>
    Task OnWakeUp(string name, Func<Instant, Task> dueSteps);
}

/// <summary>
/// A grain's state that changes often by small entries (a card's authorizations): <see cref="AppendAsync"/> stores only the
/// entry, not the whole state, and the state is written whole every so many entries. Activation reads the last whole
/// state and applies the entries after it with <see cref="IJournaled{TEntry}.Apply"/>.
/// </summary>
public interface IJournaledState<TState, in TEntry> : IDurableState<TState> where TState : IJournaled<TEntry>
{
    /// <summary>Applies the entry to the state and commits it with whatever was staged, in one transaction.</summary>
    Task AppendAsync(TEntry entry);
}

/// <summary>A state that changes by journal entries; <see cref="Apply"/> must depend on the state and the entry only.</summary>
public interface IJournaled<in TEntry>
{
    void Apply(TEntry entry);
}

/// <summary>
/// Injects an <see cref="IDurableState{TState}"/> or <see cref="IJournaledState{TState, TEntry}"/> into a grain's
/// constructor, like Orleans' <c>[PersistentState]</c>, from the back office's PostgreSQL grain storage.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class DurableStateAttribute(string stateName) : Attribute, IFacetMetadata
{
    public string StateName { get; } = stateName;
}
