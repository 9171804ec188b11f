using Actors.Testing;
using Actors.Runtime.Activations;
using NodaTime;

using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

public sealed class ActivationTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_grain_is_activated_on_first_call_and_keeps_its_state_across_collection()
    {
        await using var harness = await RuntimeHarness.Create("activation");
        var silo = await harness.StartSilo();
        var counter = silo.GetGrain<ICounterGrain>("c1");

        Assert.Equal(0, silo.ActivationCount);
        Assert.Equal(5, await counter.Add(5));
        Assert.Equal(1, silo.ActivationCount);
        while (silo.AnyActivationBusy) await Task.Yield();

        harness.Time.Advance(silo.Options.CollectionAge + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await silo.CollectIdleActivations());
        Assert.Equal(0, silo.ActivationCount);

        Assert.Equal(7, await counter.Add(2)); // re-activated from the stored state
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Activations_used_recently_are_not_collected()
    {
        await using var harness = await RuntimeHarness.Create("collect");
        var silo = await harness.StartSilo();
        await silo.GetGrain<ICounterGrain>("old").Add(1);
        while (silo.AnyActivationBusy) await Task.Yield();
        harness.Time.Advance(silo.Options.CollectionAge - TimeSpan.FromMinutes(1));
        await silo.GetGrain<ICounterGrain>("new").Add(1);
        while (silo.AnyActivationBusy) await Task.Yield();
        harness.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(1, await silo.CollectIdleActivations());
        Assert.Equal(1, silo.ActivationCount);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Memory_stays_bounded_when_many_distinct_grains_are_touched()
    {
        await using var harness = await RuntimeHarness.Create("many");
        var silo = await harness.StartSilo();
        for (var wave = 0; wave < 3; wave++)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 5_000), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (i, _) => await silo.GetGrain<IRelayGrain>($"w{wave}-{i}").Forward([]));
            Assert.Equal(5_000, silo.ActivationCount);
            while (silo.AnyActivationBusy) await Task.Yield(); // answers arrive a moment before their turns end
            harness.Time.Advance(silo.Options.CollectionAge + TimeSpan.FromSeconds(1));
            Assert.Equal(5_000, await silo.CollectIdleActivations());
            Assert.Equal(0, silo.ActivationCount);
        }
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_call_cycle_fails_at_once_with_the_cycle_named()
    {
        await using var harness = await RuntimeHarness.Create("cycle");
        var silo = await harness.StartSilo();

        Assert.Equal("c", await silo.GetGrain<IRelayGrain>("a").Forward(["b", "c"]));
        var error = await Assert.ThrowsAsync<GrainCallCycleException>(() => silo.GetGrain<IRelayGrain>("a").Forward(["b", "a"]));
        Assert.Contains("test.relay/a → test.relay/b → test.relay/a", error.Message);

        // The grains stay usable after the refused call.
        Assert.Equal("b", await silo.GetGrain<IRelayGrain>("a").Forward(["b"]));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_call_that_does_not_answer_fails_after_the_call_timeout()
    {
        await using var harness = await RuntimeHarness.Create("timeout");
        var silo = await harness.StartSilo(o => o.CallTimeout = TimeSpan.FromSeconds(30));
        var gate = $"hang-{Guid.NewGuid()}";
        var call = silo.GetGrain<IGateGrain>("g").Write(gate);
        await Gates.For(Gates.Entered, gate).Task;

        harness.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("IGateGrain.Write", error.Message);
        Gates.For(Gates.Open, gate).TrySetResult();
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Calls_run_one_at_a_time_but_read_only_calls_run_together()
    {
        await using var harness = await RuntimeHarness.Create("turns");
        var silo = await harness.StartSilo();
        var grain = silo.GetGrain<IGateGrain>("turns");
        string Gate(string name) => $"{name}-{Guid.NewGuid()}";
        var (r1, r2, w, r3) = (Gate("r1"), Gate("r2"), Gate("w"), Gate("r3"));

        var read1 = grain.Read(r1);
        await Gates.For(Gates.Entered, r1).Task;
        var read2 = grain.Read(r2); // arrives while a read-only call runs and nothing waits: joins it
        await Gates.For(Gates.Entered, r2).Task; // both inside at once
        var write = grain.Write(w);
        var read3 = grain.Read(r3); // arrived after the write: waits for it

        Gates.For(Gates.Open, r1).TrySetResult();
        Gates.For(Gates.Open, r2).TrySetResult();
        await Task.WhenAll(read1, read2);
        await Gates.For(Gates.Entered, w).Task;
        Assert.False(Gates.For(Gates.Entered, r3).Task.IsCompleted);

        Gates.For(Gates.Open, w).TrySetResult();
        await write;
        Gates.For(Gates.Open, r3).TrySetResult();
        Assert.Equal(1, await read3);
        Assert.Equal(2, await grain.MostAtOnce());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Asking_for_an_unregistered_grain_interface_says_what_is_missing()
    {
        await using var harness = await RuntimeHarness.Create("unknown");
        var silo = await harness.StartSilo();
        var error = Assert.Throws<InvalidOperationException>(() => silo.GetGrain<IUnimplementedGrain>("x"));
        Assert.Contains("No grain class implements IUnimplementedGrain", error.Message);
    }

    public interface IUnimplementedGrain : IGrain
    {
        Task Nothing();
    }
}
