using System.Collections.Concurrent;
using Orleans.Placement;
using Orleans.Runtime;

// Outside the Actors namespace: the project's own Actors.Grain, IRemindable, IGrainStorage and
// InconsistentStateException would otherwise hide Orleans' types of the same names.
namespace OrleansCluster.Tests;

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }
}

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one, writes the state, and says which silo did it.</summary>
    Task<(int Value, string Silo)> Increment();
    Task<(int Value, string Silo)> Get();
    Task Deactivate();
}

/// <summary>Placed at random, so a test can deactivate it until an activation lands on another silo.</summary>
[RandomPlacement]
public sealed class CounterGrain([PersistentState("counter", "adonet")] IPersistentState<CounterState> counter) : Grain, ICounterGrain
{
    public async Task<(int Value, string Silo)> Increment()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return (counter.State.Value, RuntimeIdentity);
    }

    public Task<(int Value, string Silo)> Get() => Task.FromResult((counter.State.Value, RuntimeIdentity));

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

[GenerateSerializer]
public sealed record ReminderInfo([property: Id(0)] string Name, [property: Id(1)] TimeSpan Period);

public interface IReminderGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan due, TimeSpan period);
    Task<ReminderInfo?> Read(string name);
    Task Unregister(string name);
}

public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    /// <summary>Ticks received, per grain key and reminder name (silos run in this process).</summary>
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<DateTime>> Ticks = new();

    public async Task Register(string name, TimeSpan due, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, due, period);

    public async Task<ReminderInfo?> Read(string name) =>
        await this.GetReminder(name) is { } reminder ? new ReminderInfo(reminder.ReminderName, TimeSpan.Zero) : null;

    public async Task Unregister(string name)
    {
        var reminder = await this.GetReminder(name) ?? throw new InvalidOperationException($"no reminder {name}");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.GetOrAdd($"{this.GetPrimaryKeyString()}/{reminderName}", _ => new()).Enqueue(status.CurrentTickTime);
        return Task.CompletedTask;
    }
}
