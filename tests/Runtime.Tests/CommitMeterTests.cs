using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Actors.Testing;
using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

/// <summary>The group commits' meter, which operators and the fleet benchmark read: every acknowledged write is counted in one commit.</summary>
public sealed class CommitMeterTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Each_acknowledged_write_is_counted_in_exactly_one_commit_of_its_silo()
    {
        await using var harness = await RuntimeHarness.Create("commitmeter");
        var siloName = $"meter-{Guid.NewGuid():N}";
        var writes = new ConcurrentBag<int>();
        var durations = new ConcurrentBag<double>();
        var waits = new ConcurrentBag<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == "Actors.Runtime.Commits") l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "actors.commit.writes" && Of(tags) == siloName) writes.Add(value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (Of(tags) != siloName) return;
            if (instrument.Name == "actors.commit.duration") durations.Add(value);
            else if (instrument.Name == "actors.commit.queue_wait") waits.Add(value);
        });
        listener.Start();
        var silo = await harness.StartSilo(name: siloName);

        // 40 grains written side by side: group commits carry several each, and every write is in exactly one.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => silo.GetGrain<ICounterGrain>($"meter-{i}").Add(1)));

        Assert.Equal(40, writes.Sum());
        Assert.Equal(writes.Count, durations.Count);
        Assert.Equal(40, waits.Count);
        Assert.All(durations.Concat(waits), ms => Assert.True(ms >= 0));
    }

    private static string? Of(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "silo") return tag.Value as string;
        return null;
    }
}
