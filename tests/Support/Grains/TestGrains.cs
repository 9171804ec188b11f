using System.Collections.Concurrent;
using NodaTime;

namespace Actors.Testing.Grains;

public interface ICounterGrain : IGrain
{
    Task<int> Add(int amount);
    [ReadOnly] Task<int> Get();
}

public sealed class CounterState
{
    public int Value { get; set; }
}

[GrainType("test.counter")]
public sealed class CounterGrain : Grain<CounterState>, ICounterGrain
{
    public async Task<int> Add(int amount)
    {
        State.Value += amount;
        RaiseEvent("CounterChanged", new CounterChanged(Key, State.Value));
        Project(new ReadModelUpsert("test_counters", new CounterRow(Key, State.Value)));
        await WriteStateAsync();
        return State.Value;
    }

    public Task<int> Get() => Task.FromResult(State.Value);
}

public sealed record CounterChanged(string Counter, int Value);
public sealed record CounterRow(string Counter, int Value);

/// <summary>Appends items in call order; the model-based property compares its list with the callers' acknowledgements.</summary>
public interface ILedgerGrain : IGrain
{
    Task Append(string item);
    [ReadOnly] Task<IReadOnlyList<string>> Items();
}

public sealed class LedgerState
{
    public List<string> Items { get; set; } = [];
}

[GrainType("test.ledger")]
public sealed class LedgerGrain : Grain<LedgerState>, ILedgerGrain
{
    public async Task Append(string item)
    {
        State.Items.Add(item);
        await WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Items() => Task.FromResult<IReadOnlyList<string>>([.. State.Items]);
}

/// <summary>Calls another grain, which may call back: the cycle test.</summary>
public interface IRelayGrain : IGrain
{
    Task<string> Forward(string[] path);
}

[GrainType("test.relay")]
public sealed class RelayGrain : Grain, IRelayGrain
{
    public Task<string> Forward(string[] path) =>
        path.Length == 0 ? Task.FromResult(Key) : GrainFactory.GetGrain<IRelayGrain>(path[0]).Forward(path[1..]);
}

/// <summary>Methods that wait on gates the test controls, to observe turns.</summary>
public interface IGateGrain : IGrain
{
    [ReadOnly] Task<int> Read(string gate);
    Task Write(string gate);
    [ReadOnly] Task<int> MostAtOnce();
}

public static class Gates
{
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Open = new();
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Entered = new();

    public static TaskCompletionSource For(ConcurrentDictionary<string, TaskCompletionSource> set, string name) =>
        set.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

[GrainType("test.gate")]
public sealed class GateGrain : Grain, IGateGrain
{
    private int inFlight;
    private int mostAtOnce;

    public async Task<int> Read(string gate) => await Pass(gate);

    public async Task Write(string gate) => await Pass(gate);

    public Task<int> MostAtOnce() => Task.FromResult(mostAtOnce);

    private async Task<int> Pass(string gate)
    {
        var now = Interlocked.Increment(ref inFlight);
        int max;
        do max = mostAtOnce; while (now > max && Interlocked.CompareExchange(ref mostAtOnce, now, max) != max);
        Gates.For(Gates.Entered, gate).TrySetResult();
        await Gates.For(Gates.Open, gate).Task;
        Interlocked.Decrement(ref inFlight);
        return now;
    }
}

/// <summary>Registers reminders and records each tick it receives.</summary>
public interface IAlarmGrain : IGrain
{
    Task Schedule(string name, Instant dueAt, Duration? period);
    /// <summary>Registers the reminder with the state; <paramref name="thenFail"/> throws after staging it, before the write.</summary>
    Task ScheduleWithState(string name, Instant dueAt, bool thenFail);
    Task Cancel(string name);
    [ReadOnly] Task<IReadOnlyList<ReminderTick>> Ticks();
    [ReadOnly] Task<GrainReminder?> Reminder(string name);
}

public sealed class AlarmState
{
    public List<ReminderTick> Ticks { get; set; } = [];
}

[GrainType("test.alarm")]
public sealed class AlarmGrain : Grain<AlarmState>, IAlarmGrain, IRemindable
{
    /// <summary>Every delivery in this process, by grain and reminder, to count duplicates across silos.</summary>
    public static readonly ConcurrentDictionary<string, int> Deliveries = new();

    public Task Schedule(string name, Instant dueAt, Duration? period) => Reminders.RegisterOrUpdate(name, dueAt, period);
    public async Task ScheduleWithState(string name, Instant dueAt, bool thenFail)
    {
        ScheduleWithState(name, dueAt);
        if (thenFail) throw new InvalidOperationException("failed after staging");
        await WriteStateAsync();
    }

    public Task Cancel(string name) => Reminders.Unregister(name);
    public Task<IReadOnlyList<ReminderTick>> Ticks() => Task.FromResult<IReadOnlyList<ReminderTick>>([.. State.Ticks]);
    public Task<GrainReminder?> Reminder(string name) => Reminders.Get(name);

    public async Task ReceiveReminder(ReminderTick tick)
    {
        var deliveries = Deliveries.AddOrUpdate($"{Key}/{tick.Name}", 1, (_, n) => n + 1);
        if (tick.Name.StartsWith("fail-once") && deliveries == 1) throw new InvalidOperationException("first delivery fails");
        State.Ticks.Add(tick);
        await WriteStateAsync();
    }
}

/// <summary>The smallest durable grain: one number, written on every call (benchmarks of durable writes).</summary>
public interface ITallyGrain : IGrain
{
    Task<long> Increment();
}

public sealed class TallyState
{
    public long Count { get; set; }
}

[GrainType("test.tally")]
public sealed class TallyGrain : Grain<TallyState>, ITallyGrain
{
    public async Task<long> Increment()
    {
        State.Count++;
        await WriteStateAsync();
        return State.Count;
    }
}

/// <summary>Counts reminder ticks in memory only, so a reminder benchmark measures delivery, not state writes.</summary>
[GrainType("test.beacon")]
public sealed class BeaconGrain : Grain, IBeaconGrain, IRemindable
{
    public static long Ticks;

    public Task Ping() => Task.CompletedTask;

    public Task ReceiveReminder(ReminderTick tick)
    {
        Interlocked.Increment(ref Ticks);
        return Task.CompletedTask;
    }
}

public interface IBeaconGrain : IGrain
{
    Task Ping();
}

/// <summary>Stages an event and a row, then fails: nothing of it may reach storage, then or with a later write.</summary>
public interface IFlakyCounterGrain : IGrain
{
    Task<int> AddThenFail(int amount);
    Task<int> Add(int amount);
}

[GrainType("test.flaky-counter")]
public sealed class FlakyCounterGrain : Grain<CounterState>, IFlakyCounterGrain
{
    public Task<int> AddThenFail(int amount)
    {
        State.Value += amount;
        RaiseEvent("CounterChanged", new CounterChanged(Key, State.Value));
        Project(new ReadModelUpsert("test_counters", new CounterRow(Key, State.Value)));
        throw new InvalidOperationException("refused after staging");
    }

    public async Task<int> Add(int amount)
    {
        State.Value += amount;
        RaiseEvent("CounterChanged", new CounterChanged(Key, State.Value));
        Project(new ReadModelUpsert("test_counters", new CounterRow(Key, State.Value)));
        await WriteStateAsync();
        return State.Value;
    }
}

/// <summary>A ledger kept as a journal (a snapshot every 4 items): the journal tests and the model-based property.</summary>
public interface IJournaledLedgerGrain : IGrain
{
    Task Append(string item);
    /// <summary>Writes the whole state now, as a grain does for a change that is not journaled.</summary>
    Task Snapshot();
    [ReadOnly] Task<IReadOnlyList<string>> Items();
}

public sealed record LedgerItemAdded(string Item);

[GrainType("test.journaled-ledger")]
public sealed class JournaledLedgerGrain : JournaledGrain<LedgerState, LedgerItemAdded>, IJournaledLedgerGrain
{
    protected override int SnapshotEvery => 4;

    public Task Append(string item)
    {
        Project(new ReadModelUpsert("test_counters", new CounterRow($"{Key}:{item}", 1)));
        return AppendAsync(new LedgerItemAdded(item));
    }

    public Task Snapshot() => WriteStateAsync();

    public Task<IReadOnlyList<string>> Items() => Task.FromResult<IReadOnlyList<string>>([.. State.Items]);

    protected override void TransitionState(LedgerState state, LedgerItemAdded entry) => state.Items.Add(entry.Item);
}
