using Actors.Testing;
using Actors.Testing.Grains;
using Orleans.Storage;

namespace Actors.Runtime.Tests;

public sealed class PersistenceTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task State_events_and_read_model_rows_are_written_together()
    {
        await using var harness = await RuntimeHarness.Create("together");
        var silo = await harness.StartSilo();
        await silo.Grains.GetGrain<ICounterGrain>("k").Add(3);
        await silo.Grains.GetGrain<ICounterGrain>("k").Add(4);

        Assert.Equal(2L, await harness.Scalar<long>("SELECT version FROM grain_state WHERE grain_type = 'test.counter' AND grain_key = 'k'"));
        Assert.Equal(7, await harness.Scalar<int>("SELECT (state->>'value')::int FROM grain_state WHERE grain_key = 'k'"));
        Assert.Equal(7, await harness.Scalar<int>("SELECT value FROM test_counters WHERE counter = 'k'"));
        Assert.Equal(2L, await harness.Scalar<long>("SELECT count(*) FROM grain_events WHERE grain_key = 'k' AND event_type = 'CounterChanged'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_stale_write_fails_ends_the_activation_and_the_next_call_reads_again()
    {
        await using var harness = await RuntimeHarness.Create("stale");
        var silo = await harness.StartSilo();
        var counter = silo.Grains.GetGrain<ICounterGrain>("x");
        Assert.Equal(1, await counter.Add(1));
        // Another writer (a second activation during a membership change, say) moved the row on behind this activation's back.
        await harness.Scalar<int>("UPDATE grain_state SET version = version + 1, state = jsonb_set(state, '{value}', '5') WHERE grain_key = 'x'");

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => counter.Add(10));
        Assert.Contains("test.counter/x", error.Message);
        // Nothing of the failed write was committed: not the state, not its event, not its read-model row.
        Assert.Equal(1, await harness.Scalar<int>("SELECT value FROM test_counters WHERE counter = 'x'"));
        Assert.Equal(1L, await harness.Scalar<long>("SELECT count(*) FROM grain_events WHERE grain_key = 'x'"));

        Assert.Equal(15, await counter.Add(10)); // a new activation read version 2 (value 5), then wrote
        Assert.Equal(15, await harness.Scalar<int>("SELECT value FROM test_counters WHERE counter = 'x'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_failed_call_leaves_neither_its_staged_events_nor_its_state_changes_behind()
    {
        await using var harness = await RuntimeHarness.Create("abandon");
        var silo = await harness.StartSilo();
        var counter = silo.Grains.GetGrain<IFlakyCounterGrain>("f");
        Assert.Equal(1, await counter.Add(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => counter.AddThenFail(100));
        Assert.Equal(2, await counter.Add(1)); // the failed call's +100 is gone with its activation

        Assert.Equal(2L, await harness.Scalar<long>("SELECT count(*) FROM grain_events WHERE grain_key = 'f'"));
        Assert.Equal(2, await harness.Scalar<int>("SELECT value FROM test_counters WHERE counter = 'f'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Migrations_are_applied_once_and_recorded()
    {
        await using var harness = await RuntimeHarness.Create("migrations");
        await harness.StartSilo();
        await harness.StartSilo(); // a second silo starting on the same database applies nothing twice

        Assert.Equal(1L, await harness.Scalar<long>("SELECT count(*) FROM schema_migrations WHERE source = 'runtime' AND version = 1"));
        Assert.Equal(1L, await harness.Scalar<long>("SELECT count(*) FROM schema_migrations WHERE source = 'tests' AND version = 1"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Group_commit_acknowledges_every_write_of_a_burst()
    {
        await using var harness = await RuntimeHarness.Create("burst");
        var silo = await harness.StartSilo();
        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => silo.Grains.GetGrain<ICounterGrain>($"b{i % 400}").Add(1)));

        Assert.Equal(400L, await harness.Scalar<long>("SELECT count(*) FROM grain_state WHERE grain_type = 'test.counter'"));
        Assert.Equal(2_000L, await harness.Scalar<long>("SELECT sum((state->>'value')::int) FROM grain_state"));
        Assert.Equal(2_000L, await harness.Scalar<long>("SELECT sum(value) FROM test_counters"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Orleans_own_AdoNet_store_keeps_a_grain_on_our_schema_beside_the_default_store()
    {
        await using var harness = await RuntimeHarness.Create("adonet");
        var silo = await harness.StartSilo();
        for (var i = 0; i < 3; i++) await silo.Grains.GetGrain<IAdoNetTallyGrain>("a").Increment();
        await silo.Stop();

        var again = await harness.StartSilo();
        Assert.Equal(3, await again.Grains.GetGrain<IAdoNetTallyGrain>("a").Count());
        Assert.Equal(1L, await harness.Scalar<long>("SELECT count(*) FROM orleans_storage"));
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM grain_state"));
    }
}
