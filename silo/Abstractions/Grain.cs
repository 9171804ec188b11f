using NodaTime;

namespace Actors;

/// <summary>What the runtime gives an activation: identity, clock, storage, reminders and other grains.</summary>
public interface IGrainContext
{
    GrainId Id { get; }
    IClock Clock { get; }
    IGrainFactory GrainFactory { get; }
    IGrainStorage Storage { get; }
    IReminderRegistry Reminders { get; }
}

/// <summary>Lets the runtime hand an activation its context without making it part of the grain's public surface.</summary>
public interface IGrainLifecycle
{
    void Attach(IGrainContext context);
    Task OnActivate(CancellationToken cancellation);
    Task OnDeactivate(CancellationToken cancellation);

    /// <summary>
    /// A call failed: forget what it staged but did not write. True when the activation must be dropped because its
    /// in-memory state may hold the failed call's changes.
    /// </summary>
    bool AbandonUncommitted();
}

/// <summary>
/// Base class of a grain without persistent state. One instance exists per activation and handles one call at a time.
/// </summary>
public abstract class Grain : IGrainLifecycle
{
    private IGrainContext? context;

    protected IGrainContext Context => context ?? throw new InvalidOperationException("The grain is not activated.");

    /// <summary>The grain's key, e.g. a card number.</summary>
    protected string Key => Context.Id.Key;
    protected GrainId Id => Context.Id;
    protected IClock Clock => Context.Clock;
    protected Instant Now => Context.Clock.GetCurrentInstant();
    protected IGrainFactory GrainFactory => Context.GrainFactory;
    protected IReminderRegistry Reminders => Context.Reminders;

    void IGrainLifecycle.Attach(IGrainContext grainContext) => context = grainContext;
    Task IGrainLifecycle.OnActivate(CancellationToken cancellation) => OnActivateAsync(cancellation);
    Task IGrainLifecycle.OnDeactivate(CancellationToken cancellation) => OnDeactivateAsync(cancellation);
    bool IGrainLifecycle.AbandonUncommitted() => AbandonUncommitted();

    /// <summary>A stateless grain has nothing to abandon.</summary>
    private protected virtual bool AbandonUncommitted() => false;

    public virtual Task OnActivateAsync(CancellationToken cancellation) => Task.CompletedTask;
    public virtual Task OnDeactivateAsync(CancellationToken cancellation) => Task.CompletedTask;
}

/// <summary>
/// Base class of a grain with durable state. <see cref="State"/> is read on activation; <see cref="WriteStateAsync"/>
/// commits it together with the events raised and the read-model rows staged since the last write.
/// </summary>
public abstract class Grain<TState> : Grain where TState : class, new()
{
    private readonly List<GrainEventDraft> pendingEvents = [];
    private readonly List<ReadModelChange> pendingReadModel = [];
    private readonly List<ReminderChange> pendingReminders = [];

    /// <summary>The grain's state as last read or written.</summary>
    protected TState State { get; set; } = new();

    /// <summary>The version of <see cref="State"/> in storage; 0 when never written.</summary>
    protected long StateVersion { get; private set; }

    /// <summary>True when the grain has ever written its state.</summary>
    protected bool RecordExists => StateVersion > 0;

    public override async Task OnActivateAsync(CancellationToken cancellation)
    {
        await ReadStateAsync();
        await base.OnActivateAsync(cancellation);
    }

    protected async Task ReadStateAsync()
    {
        var (state, version) = await LoadState();
        State = state;
        StateVersion = version;
    }

    /// <summary>The state as stored and its version; a journaled grain replays its journal here.</summary>
    private protected virtual async Task<(TState State, long Version)> LoadState()
    {
        var stored = await Context.Storage.Read<TState>();
        return (stored.State ?? new TState(), stored.Version);
    }

    /// <summary>How many journal entries were appended since the state was last written whole (0 for a plain grain).</summary>
    private protected int EntriesSinceSnapshot { get; set; }

    /// <summary>Stages an event; it is appended with the next <see cref="WriteStateAsync"/>.</summary>
    protected void RaiseEvent(string type, object payload) => pendingEvents.Add(new GrainEventDraft(type, payload));

    /// <summary>Stages a read-model change; it is written with the next <see cref="WriteStateAsync"/>.</summary>
    protected void Project(ReadModelChange change) => pendingReadModel.Add(change);

    /// <summary>
    /// Stages a reminder registration (or move) that commits with the next <see cref="WriteStateAsync"/>: use it when
    /// the state just written is what the reminder will act on, so a crash between the two cannot lose the reminder.
    /// </summary>
    protected void ScheduleWithState(string name, Instant dueAt, Duration? period = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A reminder needs a name.", nameof(name));
        if (period is { } p && p <= Duration.Zero) throw new ArgumentOutOfRangeException(nameof(period), "A reminder's period must be positive.");
        pendingReminders.Add(new ReminderSchedule(name, dueAt, period));
    }

    /// <summary>Stages a reminder removal that commits with the next <see cref="WriteStateAsync"/>.</summary>
    protected void UnregisterWithState(string name) => pendingReminders.Add(new ReminderRemoval(name));

    /// <summary>Commits state, staged events, read-model changes and reminder changes in one transaction.</summary>
    /// <exception cref="InconsistentStateException">Another activation wrote the state since it was read.</exception>
    protected async Task WriteStateAsync()
    {
        var write = new StateWrite<TState>(State, StateVersion, [.. pendingEvents], [.. pendingReadModel], [.. pendingReminders])
        {
            SnapshotsJournal = EntriesSinceSnapshot > 0,
        };
        pendingEvents.Clear();
        pendingReadModel.Clear();
        pendingReminders.Clear();
        StateVersion = await Context.Storage.Write(write);
        EntriesSinceSnapshot = 0;
    }

    /// <summary>Commits a journal entry (the change the state already took) with the staged events, rows and reminders.</summary>
    private protected async Task AppendToJournal<TEntry>(TEntry entry)
    {
        var append = new JournalAppend<TEntry>(entry, StateVersion, [.. pendingEvents], [.. pendingReadModel], [.. pendingReminders]);
        pendingEvents.Clear();
        pendingReadModel.Clear();
        pendingReminders.Clear();
        StateVersion = await Context.Storage.Append(append);
        EntriesSinceSnapshot++;
    }

    /// <summary>
    /// After a failed call, staged events and rows must not ride along with the next write; and since the state was
    /// probably changed with them, the activation re-reads it.
    /// </summary>
    private protected override bool AbandonUncommitted()
    {
        if (pendingEvents.Count == 0 && pendingReadModel.Count == 0 && pendingReminders.Count == 0) return false;
        pendingEvents.Clear();
        pendingReadModel.Clear();
        pendingReminders.Clear();
        return true;
    }

    /// <summary>Deletes the state, committing staged events, read-model and reminder changes with it.</summary>
    protected async Task ClearStateAsync()
    {
        await Context.Storage.Clear(StateVersion, [.. pendingEvents], [.. pendingReadModel], [.. pendingReminders]);
        pendingEvents.Clear();
        pendingReadModel.Clear();
        pendingReminders.Clear();
        State = new TState();
        StateVersion = 0;
        EntriesSinceSnapshot = 0;
    }
}
