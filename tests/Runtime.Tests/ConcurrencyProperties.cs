using Actors.Testing;
using FsCheck;
using FsCheck.Fluent;

using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

/// <summary>
/// Model-based property: callers issue random appends concurrently, through two silos, to a few ledger grains.
/// The stored ledgers must be a sequential history: every acknowledged append exactly once, and each caller's
/// appends to a grain in the order that caller made them.
/// </summary>
public sealed class ConcurrencyProperties
{
    private sealed record Command(int Grain, int Silo);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public Task Concurrent_callers_through_two_silos_see_a_sequential_history() =>
        SequentialHistory("model", (silo, key) => silo.GetGrain<ILedgerGrain>(key).Append, (harness, key) => StoredLedger(harness, key));

    /// <summary>The same with the ledger journaled (a snapshot every 4 items), read back by a fresh silo that replays it.</summary>
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public Task Journaled_grains_through_two_silos_see_a_sequential_history() =>
        SequentialHistory("journalmodel", (silo, key) => silo.GetGrain<IJournaledLedgerGrain>(key).Append, (harness, key) =>
            Task.Run(() => harness.ReadThroughNewSilo(async silo => (await silo.GetGrain<IJournaledLedgerGrain>(key).Items()).ToArray())).GetAwaiter().GetResult());

    private static async Task SequentialHistory(string purpose, Func<GrainRuntime, string, Func<string, Task>> appendVia,
        Func<RuntimeHarness, string, string[]> stored)
    {
        await using var harness = await RuntimeHarness.Create(purpose);
        var silos = new[] { await harness.StartSilo(), await harness.StartSilo() };
        var run = 0;

        var command = Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 1)).Select(x => new Command(x.Item1, x.Item2));
        var callers = Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.ArrayOf(command), n));

        var property = Prop.ForAll(callers.ToArbitrary(), scripts =>
        {
            var prefix = $"run{Interlocked.Increment(ref run)}";
            var acknowledged = Enumerable.Range(0, scripts.Length).Select(_ => new List<(int Grain, string Item)>()).ToArray();

            Task.WhenAll(scripts.Select((script, caller) => Task.Run(async () =>
            {
                for (var i = 0; i < script.Length; i++)
                {
                    var item = $"{caller}:{i}";
                    var append = appendVia(silos[script[i].Silo], $"{prefix}-{script[i].Grain}");
                    while (true)
                    {
                        try
                        {
                            await append(item);
                            break;
                        }
                        catch (InconsistentStateException) { } // the other silo wrote first; the activation re-reads
                    }
                    acknowledged[caller].Add((script[i].Grain, item));
                }
            }))).GetAwaiter().GetResult();

            for (var grain = 0; grain < 4; grain++)
            {
                var items = stored(harness, $"{prefix}-{grain}");
                var expected = acknowledged.SelectMany(a => a).Where(a => a.Grain == grain).Select(a => a.Item).Order().ToArray();
                if (!items.Order().SequenceEqual(expected)) return false;
                for (var caller = 0; caller < scripts.Length; caller++)
                {
                    var mine = items.Where(item => item.StartsWith($"{caller}:")).ToArray();
                    var issued = acknowledged[caller].Where(a => a.Grain == grain).Select(a => a.Item).ToArray();
                    if (!mine.SequenceEqual(issued)) return false;
                }
            }
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);
    }

    private static string[] StoredLedger(RuntimeHarness harness, string key)
    {
        // FsCheck properties are synchronous; the query runs on the thread pool so no test scheduler is blocked on itself.
        var json = Task.Run(() => harness.Scalar<string>("SELECT state->>'items' FROM grain_state WHERE grain_type = 'test.ledger' AND grain_key = $1", key))
            .GetAwaiter().GetResult();
        return json is null ? [] : System.Text.Json.JsonSerializer.Deserialize<string[]>(json)!;
    }
}
