using System.Collections.Concurrent;
using NodaTime;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Actors.Testing.Grains;

// The smallest grains that exercise what the back office adds to Orleans: durable state with events and rows, journals,
// business dates woken by reminders, and Orleans' own ADO.NET store beside ours.

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);
    [ReadOnly] Task<int> Get();
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class CounterState
{
    public int Value { get; set; }
}

[GrainType("test.counter")]
public sealed class CounterGrain([DurableState("counter")] IDurableState<CounterState> counter) : Grain, ICounterGrain
{
    public async Task<int> Add(int amount)
    {
        counter.State.Value += amount;
        var key = this.GetPrimaryKeyString();
        counter.RaiseEvent("CounterChanged", new CounterChanged(key, counter.State.Value));
        counter.Project(new ReadModelUpsert("test_counters", new CounterRow(key, counter.State.Value)));
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);
}

[GenerateSerializer]
public sealed record CounterChanged(string Counter, int Value);
public sealed record CounterRow(string Counter, int Value);

/// <summary>Appends items in call order; the model-based property compares its list with the callers' acknowledgements.</summary>
public interface ILedgerGrain : IGrainWithStringKey
{
    Task Append(string item);
    [ReadOnly] Task<IReadOnlyList<string>> Items();
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class LedgerState : IJournaled<LedgerItemAdded>
{
    public List<string> Items { get; set; } = [];
    public void Apply(LedgerItemAdded entry) => Items.Add(entry.Item);
}

[GrainType("test.ledger")]
public sealed class LedgerGrain([DurableState("ledger")] IDurableState<LedgerState> ledger) : Grain, ILedgerGrain
{
    public async Task Append(string item)
    {
        ledger.State.Items.Add(item);
        await ledger.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> Items() => Task.FromResult<IReadOnlyList<string>>([.. ledger.State.Items]);
}

/// <summary>A ledger kept as a journal: the journal tests and the model-based property.</summary>
public interface IJournaledLedgerGrain : IGrainWithStringKey
{
    Task Append(string item);
    /// <summary>Writes the whole state now, as a grain does for a change that is not journaled.</summary>
    Task Snapshot();
    [ReadOnly] Task<IReadOnlyList<string>> Items();
}

[GenerateSerializer]
public sealed record LedgerItemAdded(string Item);

[GrainType("test.journaled-ledger")]
public sealed class JournaledLedgerGrain([DurableState("ledger")] IJournaledState<LedgerState, LedgerItemAdded> ledger) : Grain, IJournaledLedgerGrain
{
    public Task Append(string item)
    {
        ledger.Project(new ReadModelUpsert("test_counters", new CounterRow($"{this.GetPrimaryKeyString()}:{item}", 1)));
        return ledger.AppendAsync(new LedgerItemAdded(item));
    }

    public Task Snapshot() => ledger.WriteStateAsync();

    public Task<IReadOnlyList<string>> Items() => Task.FromResult<IReadOnlyList<string>>([.. ledger.State.Items]);
}

/// <summary>Stages an event and a row, then fails: nothing of it may reach storage, then or with a later write.</summary>
public interface IFlakyCounterGrain : IGrainWithStringKey
{
    Task<int> AddThenFail(int amount);
    Task<int> Add(int amount);
}

[GrainType("test.flaky-counter")]
public sealed class FlakyCounterGrain([DurableState("counter")] IDurableState<CounterState> counter) : Grain, IFlakyCounterGrain
{
    public Task<int> AddThenFail(int amount)
    {
        Stage(amount);
        throw new InvalidOperationException("refused after staging");
    }

    public async Task<int> Add(int amount)
    {
        Stage(amount);
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    private void Stage(int amount)
    {
        counter.State.Value += amount;
        var key = this.GetPrimaryKeyString();
        counter.RaiseEvent("CounterChanged", new CounterChanged(key, counter.State.Value));
        counter.Project(new ReadModelUpsert("test_counters", new CounterRow(key, counter.State.Value)));
    }
}

/// <summary>The smallest durable grain: one number, written on every call (benchmarks of durable writes).</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    Task<long> Increment();
    [ReadOnly] Task<long> Count();
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class TallyState
{
    public long Count { get; set; }
}

[GrainType("test.tally")]
public sealed class TallyGrain([DurableState("tally")] IDurableState<TallyState> tally) : Grain, ITallyGrain
{
    public async Task<long> Increment()
    {
        tally.State.Count++;
        await tally.WriteStateAsync();
        return tally.State.Count;
    }

    public Task<long> Count() => Task.FromResult(tally.State.Count);
}

/// <summary>The same tally in Orleans' own ADO.NET grain storage (<c>orleans_storage</c>), for the side-by-side measure.</summary>
public interface IAdoNetTallyGrain : ITallyGrain;

[GrainType("test.adonet-tally")]
public sealed class AdoNetTallyGrain([PersistentState("tally", "adonet")] IPersistentState<TallyState> tally) : Grain, IAdoNetTallyGrain
{
    public async Task<long> Increment()
    {
        tally.State.Count++;
        await tally.WriteStateAsync();
        return tally.State.Count;
    }

    public Task<long> Count() => Task.FromResult(tally.State.Count);
}

/// <summary>Keeps business dates and records each one handled, with the time it ran.</summary>
public interface IAlarmGrain : IGrainWithStringKey
{
    /// <summary>Keeps <paramref name="name"/> due at <paramref name="at"/>; <paramref name="thenFail"/> throws after staging it, before the write.</summary>
    Task Schedule(string name, Instant at, bool thenFail = false);
    Task Cancel(string name);
    [ReadOnly] Task<IReadOnlyList<AlarmRang>> Rang();
    [ReadOnly] Task<Instant?> Due(string name);
}

[GenerateSerializer]
public sealed record AlarmRang(string Name, Instant Due, Instant RanAt);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class AlarmState
{
    public List<AlarmRang> Rang { get; set; } = [];
    /// <summary>Names whose next date follows a day after each ring, until they rang this many times.</summary>
    public Dictionary<string, int> Repeats { get; set; } = [];
}

[GrainType("test.alarm")]
public sealed class AlarmGrain([DurableState("alarm")] IDurableState<AlarmState> alarm, IClock clock) : Grain, IAlarmGrain, IRemindable
{
    /// <summary>Every time a due date's steps ran in this process, by grain and name, to count duplicates across silos.</summary>
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    public async Task Schedule(string name, Instant at, bool thenFail)
    {
        alarm.WakeUpAt(name, at);
        if (thenFail) throw new InvalidOperationException("failed after staging");
        await alarm.WriteStateAsync();
    }

    public async Task Cancel(string name)
    {
        alarm.CancelWakeUp(name);
        await alarm.WriteStateAsync();
    }

    public Task<IReadOnlyList<AlarmRang>> Rang() => Task.FromResult<IReadOnlyList<AlarmRang>>([.. alarm.State.Rang]);
    public Task<Instant?> Due(string name) => Task.FromResult(alarm.WakeUpDue(name));

    public Task ReceiveReminder(string reminderName, TickStatus status) => alarm.OnWakeUp(reminderName, async due =>
    {
        var runs = Runs.AddOrUpdate($"{this.GetPrimaryKeyString()}/{reminderName}", 1, (_, n) => n + 1);
        if (reminderName.StartsWith("fail-once", StringComparison.Ordinal) && runs == 1) throw new InvalidOperationException("the first run fails");
        alarm.State.Rang.Add(new AlarmRang(reminderName, due, clock.GetCurrentInstant()));
        await alarm.WriteStateAsync();
    });
}

/// <summary>Says which activation answered, to count activations per grain across silos.</summary>
public interface IActivationProbeGrain : IGrainWithStringKey
{
    Task<string> Activation();
}

[GrainType("test.activation-probe")]
public sealed class ActivationProbeGrain : Grain, IActivationProbeGrain
{
    public Task<string> Activation() => Task.FromResult($"{RuntimeIdentity}/{GrainContext.ActivationId}");
}
