using Actors.Testing;
using Actors.Runtime.Events;

using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

public sealed class EventTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Subscribers_receive_committed_events_in_order_and_can_resume()
    {
        await using var harness = await RuntimeHarness.Create("events");
        var silo = await harness.StartSilo();
        for (var i = 1; i <= 3; i++) await silo.GetGrain<ICounterGrain>("e").Add(i);

        using var cancel = new CancellationTokenSource();
        var received = new List<GrainEvent>();
        await foreach (var e in silo.Events.Subscribe(EventPosition.Start, "test.counter", cancel.Token))
        {
            received.Add(e);
            if (received.Count == 3) break;
        }
        Assert.Equal([1, 3, 6], received.Select(e => e.Payload.GetProperty("value").GetInt32()));
        Assert.All(received, e => Assert.Equal("CounterChanged", e.Type));
        Assert.True(received[0].Position.CompareTo(received[1].Position) < 0);

        var resumed = await silo.Events.Read(received[1].Position);
        Assert.Equal(6, Assert.Single(resumed.Events).Payload.GetProperty("value").GetInt32());
        Assert.True(EventPosition.TryParse(received[1].Position.ToString(), out var parsed) && parsed == received[1].Position);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_subscriber_on_another_silo_is_woken_by_a_commit()
    {
        await using var harness = await RuntimeHarness.Create("wake");
        var writer = await harness.StartSilo();
        var listener = await harness.StartSilo(o => o.RunBackgroundLoops = true);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // a safety net only: the notification wakes it
        var first = ReadFirst(listener.Events.Subscribe(EventPosition.Start, null, cancel.Token));
        await writer.GetGrain<ICounterGrain>("w").Add(42);

        Assert.Equal(42, (await first).Payload.GetProperty("value").GetInt32());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task An_event_of_a_transaction_still_running_is_not_delivered_before_it_commits()
    {
        await using var harness = await RuntimeHarness.Create("horizon");
        var silo = await harness.StartSilo();
        await using var open = await harness.DataSource.OpenConnectionAsync();
        await using var transaction = await open.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand(
            "INSERT INTO grain_events (grain_type, grain_key, event_type, payload, occurred_at) VALUES ('t', 'early', 'E', '{}', now())", open, transaction))
            await insert.ExecuteNonQueryAsync();

        await silo.GetGrain<ICounterGrain>("late").Add(1); // commits after the open transaction took its id
        var page = await silo.Events.Read(EventPosition.Start);
        Assert.Empty(page.Events);
        Assert.True(page.HeldBack);

        await transaction.CommitAsync();
        // Transactions of other tests' databases on the same cluster may hold the horizon a moment longer: follow, don't poll once.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var after = await Collect(silo.Events.Subscribe(EventPosition.Start, null, cancel.Token), 2);
        Assert.Equal(["early", "late"], after.Select(e => e.Grain.Key));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Many_subscribers_at_the_head_and_one_catching_up_all_see_the_same_order()
    {
        await using var harness = await RuntimeHarness.Create("fanout");
        var silo = await harness.StartSilo(o => o.RunBackgroundLoops = true);
        await silo.GetGrain<ICounterGrain>("before").Add(1); // history the late subscriber must read from the table

        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a safety net only
        var live = Enumerable.Range(0, 20).Select(_ => Collect(silo.Events.Subscribe(EventPosition.Start, "test.counter", cancel.Token), 101)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => silo.GetGrain<ICounterGrain>($"fan{i % 10}").Add(1)));
        var late = Collect(silo.Events.Subscribe(EventPosition.Start, "test.counter", cancel.Token), 101);

        var orders = await Task.WhenAll([.. live, late]);
        var expected = orders[0].Select(e => e.Position).ToArray();
        Assert.Equal(101, expected.Distinct().Count());
        Assert.True(expected.SequenceEqual(expected.Order()), "positions ascend");
        Assert.All(orders, order => Assert.Equal(expected, order.Select(e => e.Position)));
    }

    private static async Task<List<GrainEvent>> Collect(IAsyncEnumerable<GrainEvent> events, int count)
    {
        var received = new List<GrainEvent>();
        await foreach (var e in events)
        {
            received.Add(e);
            if (received.Count == count) break;
        }
        return received;
    }

    private static async Task<GrainEvent> ReadFirst(IAsyncEnumerable<GrainEvent> events)
    {
        await foreach (var e in events) return e;
        throw new InvalidOperationException("The subscription ended without an event.");
    }
}
