using System.Text.Json;
using Actors.Postgres.Serialization;
using Actors.Postgres.Storage;
using NodaTime;
using Orleans;
using Orleans.Runtime;
using Orleans.Timers;

namespace Actors.Postgres.State;

/// <summary>
/// One activation's <see cref="IDurableState{TState}"/>: the state as last read or written, what was staged since, and the
/// business dates kept with it. Reads on activation (Orleans' SetupState stage); writes through group commit.
/// </summary>
/// <remarks>
/// Business dates and Orleans reminders: the date is the record, written with the state; the reminder only wakes the grain
/// and is kept at or before the date it stands for. So a reminder moves earlier before the write (if the write is lost,
/// the grain wakes early and finds nothing due), and later or away only after the write (if that step is lost, likewise).
/// Orleans skips ticks missed while no silo ran and drops failed ones, so a reminder ticks again every
/// <see cref="WakeUpOptions.RetryPeriod"/> until the date is handled.
/// </remarks>
internal class DurableState<TState> : IDurableState<TState>, ILifecycleObserver, IUncommitted where TState : class, new()
{
    private readonly IGrainContext context;
    private readonly IReminderRegistry reminders;
    private readonly WakeUpOptions options;
    private readonly List<GrainEventDraft> events = [];
    private readonly List<ReadModelChange> rows = [];
    /// <summary>Business dates staged for the next write: a date, or null to remove it.</summary>
    private readonly Dictionary<string, Instant?> dateChanges = new(StringComparer.Ordinal);
    /// <summary>Where this activation knows Orleans' reminders to point: the stored dates at activation, then what it registered.</summary>
    private readonly Dictionary<string, Instant> registered = new(StringComparer.Ordinal);
    private Dictionary<string, Instant> wakeUps = new(StringComparer.Ordinal);

    protected DurableState(IGrainContext context, PostgresGrainStorage storage, IReminderRegistry reminders, WakeUpOptions options)
    {
        this.context = context;
        Storage = storage;
        this.reminders = reminders;
        this.options = options;
        Grain = StoredGrain.Of(context.GrainId);
        context.ObservableLifecycle.Subscribe(GetType().Name, GrainLifecycleStage.SetupState, this);
        Staged.Of(context).Add(this);
    }

    public static DurableState<TState> Create(IGrainContext context, PostgresGrainStorage storage, IReminderRegistry reminders, WakeUpOptions options) =>
        new(context, storage, reminders, options);

    protected PostgresGrainStorage Storage { get; }
    protected StoredGrain Grain { get; }
    protected long Version { get; set; }

    public TState State { get; set; } = new();
    public string? Etag => Version == 0 ? null : Version.ToString();
    public bool RecordExists => Version > 0;

    public void RaiseEvent(string type, object payload) => events.Add(new GrainEventDraft(type, payload));
    public void Project(ReadModelChange change) => rows.Add(change);
    public void WakeUpAt(string name, Instant at) => Stage(name, at);
    public void CancelWakeUp(string name) => Stage(name, null);

    private void Stage(string name, Instant? at)
    {
        dateChanges[name] = at;
        if (name == handling) handlingRescheduled = true;
    }

    /// <summary>The wake-up whose steps are running, and whether they scheduled or cancelled it themselves.</summary>
    private string? handling;
    private bool handlingRescheduled;

    public Instant? WakeUpDue(string name)
    {
        if (dateChanges.TryGetValue(name, out var staged)) return staged;
        return wakeUps.TryGetValue(name, out var due) ? due : null;
    }

    Task ILifecycleObserver.OnStart(CancellationToken cancellationToken) => ReadStateAsync();
    Task ILifecycleObserver.OnStop(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual async Task ReadStateAsync()
    {
        var stored = await Storage.Read<TState>(Grain, journaled: false);
        State = stored.State ?? new TState();
        Take(stored);
    }

    protected void Take<T>(StoredRecord<T> stored)
    {
        Version = stored.Version;
        wakeUps = new Dictionary<string, Instant>(stored.WakeUps, StringComparer.Ordinal);
        registered.Clear();
        foreach (var (name, at) in wakeUps) registered[name] = at;
        ForgetStaged();
    }

    public virtual Task WriteStateAsync() => Commit(entryJson: null);

    /// <summary>Commits the whole state (or, with <paramref name="entryJson"/>, a journal entry) with everything staged.</summary>
    protected async Task Commit(string? entryJson, bool snapshotsJournal = false)
    {
        var dates = new Dictionary<string, Instant>(wakeUps, StringComparer.Ordinal);
        foreach (var (name, at) in dateChanges)
            if (at is { } date) dates[name] = date; else dates.Remove(name);
        var changes = dateChanges.ToArray();
        await MoveRemindersEarlier(changes);

        var commit = new PendingCommit(Grain, Version, entryJson is null ? JsonSerializer.Serialize(State, GrainJson.Options) : null,
            Storage.Now, [.. events], [.. rows])
        {
            EntryJson = entryJson,
            SnapshotsJournal = snapshotsJournal,
            WakeUpsJson = changes.Length > 0 ? JsonSerializer.Serialize(dates, GrainJson.Options) : null,
        };
        try
        {
            Version = await Storage.Commit(commit);
        }
        catch
        {
            // Memory no longer matches storage, whatever the reason: the next call reads the state again.
            ForgetStaged();
            EndActivation("its write failed");
            throw;
        }
        ForgetStaged();
        wakeUps = dates;
        await MoveRemindersLaterOrAway(changes);
    }

    public async Task ClearStateAsync()
    {
        try
        {
            await Storage.Commit(new PendingCommit(Grain, Version, null, Storage.Now, [.. events], [.. rows]));
        }
        catch
        {
            ForgetStaged();
            EndActivation("its write failed");
            throw;
        }
        ForgetStaged();
        State = new TState();
        Version = 0;
        var kept = wakeUps.Keys.ToArray();
        wakeUps = new(StringComparer.Ordinal);
        foreach (var name in kept) await Unregister(name);
    }

    public async Task OnWakeUp(string name, Func<Instant, Task> dueSteps)
    {
        if (!wakeUps.TryGetValue(name, out var due))
        {
            await Unregister(name);
            return;
        }
        if (due > Storage.Now)
        {
            await Register(name, due);
            return;
        }
        // Handled once: the date goes when the steps succeeded, unless they scheduled it again. Not sooner: a write the
        // steps make half-way must not drop it, or a failure after that write would leave nothing to retry.
        (handling, handlingRescheduled) = (name, false);
        try
        {
            await dueSteps(due);
        }
        finally
        {
            handling = null;
        }
        if (!handlingRescheduled) dateChanges[name] = null;
        if (dateChanges.Count > 0 || events.Count > 0 || rows.Count > 0) await WriteStateAsync();
    }

    private async Task MoveRemindersEarlier(KeyValuePair<string, Instant?>[] changes)
    {
        foreach (var (name, at) in changes)
            if (at is { } date && (!registered.TryGetValue(name, out var current) || date < current)) await Register(name, date);
    }

    private async Task MoveRemindersLaterOrAway(KeyValuePair<string, Instant?>[] changes)
    {
        foreach (var (name, at) in changes)
        {
            if (at is { } date) await Register(name, date);
            else await Unregister(name);
        }
    }

    private async Task Register(string name, Instant at)
    {
        if (registered.TryGetValue(name, out var current) && current == at) return;
        var dueIn = at - Storage.Now;
        await reminders.RegisterOrUpdateReminder(context.GrainId, name, dueIn > Duration.Zero ? dueIn.ToTimeSpan() : TimeSpan.Zero, options.RetryPeriod);
        registered[name] = at;
    }

    private async Task Unregister(string name)
    {
        registered.Remove(name);
        if (await reminders.GetReminder(context.GrainId, name) is { } reminder) await reminders.UnregisterReminder(context.GrainId, reminder);
    }

    private void ForgetStaged()
    {
        events.Clear();
        rows.Clear();
        dateChanges.Clear();
    }

    private void EndActivation(string why) =>
        context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, $"The grain's state is read again: {why}."));

    bool IUncommitted.Abandon()
    {
        if (events.Count == 0 && rows.Count == 0 && dateChanges.Count == 0) return false;
        ForgetStaged();
        return true;
    }
}

/// <summary>A journaled state: entries between whole writes, replayed on activation.</summary>
internal sealed class JournaledState<TState, TEntry> : DurableState<TState>, IJournaledState<TState, TEntry>
    where TState : class, IJournaled<TEntry>, new()
{
    /// <summary>How many entries may follow a whole write before the next append writes the state whole again.</summary>
    internal const int SnapshotEvery = 64;
    private int entriesSinceSnapshot;

    private JournaledState(IGrainContext context, PostgresGrainStorage storage, IReminderRegistry reminders, WakeUpOptions options)
        : base(context, storage, reminders, options) { }

    public static new JournaledState<TState, TEntry> Create(IGrainContext context, PostgresGrainStorage storage, IReminderRegistry reminders, WakeUpOptions options) =>
        new(context, storage, reminders, options);

    public override async Task ReadStateAsync()
    {
        var stored = await Storage.Read<TState>(Grain, journaled: true);
        var state = stored.State ?? new TState();
        foreach (var entry in stored.Entries) state.Apply(JsonSerializer.Deserialize<TEntry>(entry, GrainJson.Options)!);
        State = state;
        entriesSinceSnapshot = stored.Entries.Count;
        Take(stored);
    }

    public override async Task WriteStateAsync()
    {
        await Commit(entryJson: null, snapshotsJournal: entriesSinceSnapshot > 0);
        entriesSinceSnapshot = 0;
    }

    public async Task AppendAsync(TEntry entry)
    {
        State.Apply(entry);
        // The first write creates the row the journal hangs on; a long journal would make activation slow.
        if (!RecordExists || entriesSinceSnapshot + 1 >= SnapshotEvery)
        {
            await WriteStateAsync();
            return;
        }
        await Commit(JsonSerializer.Serialize(entry, GrainJson.Options));
        entriesSinceSnapshot++;
    }
}
