using Actors.Testing;
using Actors.Testing.Grains;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using Orleans;
using Orleans.Storage;

namespace Actors.Runtime.Tests;

/// <summary>Three silos on one database, started once for the properties below.</summary>
public sealed class ThreeSilos : IAsyncLifetime
{
    public RuntimeHarness Harness { get; private set; } = null!;
    public IReadOnlyList<TestSilo> Silos => Harness.Silos;

    public async Task InitializeAsync()
    {
        Harness = await RuntimeHarness.Create("threesilos");
        for (var i = 0; i < 3; i++) await Harness.StartSilo();
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}

public sealed class ClusterProperties(ThreeSilos cluster) : IClassFixture<ThreeSilos>
{
    private static int run;

    /// <summary>A caller's script: which grain (of 4) to append to, through which silo (of 3).</summary>
    public sealed record Step(int Grain, int Silo);

    private static Arbitrary<Step[][]> Callers() =>
        Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 2)).Select(x => new Step(x.Item1, x.Item2))), n)).ToArbitrary();

    [Property(MaxTest = 25)]
    public Property Concurrent_callers_through_three_silos_see_a_sequential_history_and_lose_no_acknowledged_write() =>
        Prop.ForAll(Callers(), scripts => SequentialHistory(scripts, (silo, key) => silo.Grains.GetGrain<ILedgerGrain>(key).Append,
            (silo, key) => silo.Grains.GetGrain<ILedgerGrain>(key).Items()));

    [Property(MaxTest = 25)]
    public Property Journaled_grains_through_three_silos_see_a_sequential_history() =>
        Prop.ForAll(Callers(), scripts => SequentialHistory(scripts, (silo, key) => silo.Grains.GetGrain<IJournaledLedgerGrain>(key).Append,
            (silo, key) => silo.Grains.GetGrain<IJournaledLedgerGrain>(key).Items()));

    private bool SequentialHistory(Step[][] scripts, Func<TestSilo, string, Func<string, Task>> appendVia,
        Func<TestSilo, string, Task<IReadOnlyList<string>>> read)
    {
        var prefix = $"run{Interlocked.Increment(ref run)}";
        var acknowledged = scripts.Select(_ => new List<(int Grain, string Item)>()).ToArray();
        // FsCheck properties are synchronous; the callers run on the thread pool.
        Task.Run(() => Task.WhenAll(scripts.Select((script, caller) => Task.Run(async () =>
        {
            for (var i = 0; i < script.Length; i++)
            {
                var item = $"{caller}:{i}";
                await appendVia(cluster.Silos[script[i].Silo], $"{prefix}-{script[i].Grain}")(item);
                acknowledged[caller].Add((script[i].Grain, item));
            }
        })))).GetAwaiter().GetResult();

        for (var grain = 0; grain < 4; grain++)
        {
            var key = $"{prefix}-{grain}";
            // Read back after the activation is gone, so what counts is what storage kept.
            var items = Task.Run(async () =>
            {
                await cluster.Silos[0].Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
                return await read(cluster.Silos[grain % 3], key);
            }).GetAwaiter().GetResult();
            var expected = acknowledged.SelectMany(a => a).Where(a => a.Grain == grain).Select(a => a.Item).Order().ToArray();
            if (!items.Order().SequenceEqual(expected)) return false;
            for (var caller = 0; caller < scripts.Length; caller++)
            {
                var mine = items.Where(item => item.StartsWith($"{caller}:", StringComparison.Ordinal)).ToArray();
                var issued = acknowledged[caller].Where(a => a.Grain == grain).Select(a => a.Item).ToArray();
                if (!mine.SequenceEqual(issued)) return false;
            }
        }
        return true;
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Each_grain_has_one_activation_while_calls_arrive_through_every_silo()
    {
        var prefix = Guid.NewGuid().ToString("N");
        var answers = await Task.WhenAll(Enumerable.Range(0, 3_000).Select(i =>
            cluster.Silos[i % 3].Grains.GetGrain<IActivationProbeGrain>($"{prefix}-{i % 50}").Activation()
                .ContinueWith(t => (Grain: i % 50, Activation: t.Result), TaskContinuationOptions.ExecuteSynchronously)));

        Assert.All(answers.GroupBy(a => a.Grain), g => Assert.Single(g.Select(a => a.Activation).Distinct()));
        Assert.True(answers.Select(a => a.Activation.Split('/')[0]).Distinct().Count() > 1, "grains were placed on more than one silo");
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_due_date_runs_exactly_once_across_three_silos()
    {
        var prefix = Guid.NewGuid().ToString("N");
        var now = cluster.Harness.Time.GetCurrentInstant();
        await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await cluster.Silos[i % 3].Grains.GetGrain<IAlarmGrain>($"{prefix}-{i}").Schedule("due", now + Duration.FromMinutes(1 + i % 60)));

        await cluster.Harness.Advance(Duration.FromHours(2));

        var mine = AlarmGrain.Runs.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        Assert.Equal(600, mine.Length);
        Assert.All(mine, r => Assert.Equal(1, r.Value));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Concurrent_writes_to_one_grain_through_three_silos_lose_no_update()
    {
        var key = $"shared-{Guid.NewGuid():N}";
        await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (i, _) =>
            await cluster.Silos[i % 3].Grains.GetGrain<ICounterGrain>(key).Add(1));

        Assert.Equal(600, await cluster.Harness.Scalar<int>("SELECT (state->>'value')::int FROM grain_state WHERE grain_key = $1", key));
        Assert.Equal(600L, await cluster.Harness.Scalar<long>("SELECT count(*) FROM grain_events WHERE grain_key = $1", key));
    }
}
