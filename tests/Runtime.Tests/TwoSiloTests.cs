using Actors.Testing;
using NodaTime;

using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

public sealed class TwoSiloTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_due_reminder_fires_exactly_once_across_two_silos()
    {
        await using var harness = await RuntimeHarness.Create("tworeminders");
        var a = await harness.StartSilo(o => o.ReminderBatchSize = 100);
        var b = await harness.StartSilo(o => o.ReminderBatchSize = 100);
        var prefix = Guid.NewGuid().ToString("N");
        await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
            await a.GetGrain<IAlarmGrain>($"{prefix}-{i}").Schedule("due", RuntimeHarness.Epoch + Duration.FromMinutes(i % 60), null));
        harness.Time.Advance(Duration.FromHours(1));

        var delivered = await Task.WhenAll(a.DeliverDueReminders(), b.DeliverDueReminders(), a.DeliverDueReminders(), b.DeliverDueReminders());

        Assert.Equal(2_000, delivered.Sum());
        Assert.True(delivered[0] + delivered[2] > 0 && delivered[1] + delivered[3] > 0, "both silos took a share");
        var mine = AlarmGrain.Deliveries.Where(d => d.Key.StartsWith(prefix)).ToArray();
        Assert.Equal(2_000, mine.Length);
        Assert.All(mine, d => Assert.Equal(1, d.Value));
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM reminders"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Concurrent_writes_to_one_grain_from_two_silos_lose_no_update()
    {
        await using var harness = await RuntimeHarness.Create("twowriters");
        var silos = new[] { await harness.StartSilo(), await harness.StartSilo() };
        var acknowledged = 0;
        var conflicts = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var counter = silos[i % 2].GetGrain<ICounterGrain>("shared");
            while (true)
            {
                try
                {
                    await counter.Add(1);
                    Interlocked.Increment(ref acknowledged);
                    return;
                }
                catch (InconsistentStateException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        });

        Assert.Equal(400, acknowledged);
        Assert.Equal(400, await harness.Scalar<int>("SELECT (state->>'value')::int FROM grain_state WHERE grain_key = 'shared'"));
        Assert.Equal(400L, await harness.Scalar<long>("SELECT version FROM grain_state WHERE grain_key = 'shared'"));
        Assert.Equal(400L, await harness.Scalar<long>("SELECT count(*) FROM grain_events WHERE grain_key = 'shared'"));
    }
}
