using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

/// <summary>
/// The silo's group commits as its meter reports them (<c>Actors.Postgres.Commits</c>): how long a write waits for its
/// commit to start, how long a commit takes, and how many writes it carries. With the end-to-end latency this tells
/// whether an authorization waits on PostgreSQL or on the silo.
/// </summary>
internal sealed class CommitPipeline : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> measurements = new();

    public CommitPipeline()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Actors.Postgres.Commits") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Add(instrument.Name, value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument.Name, value));
        listener.Start();
    }

    private void Add(string name, double value) => measurements.GetOrAdd(name, _ => []).Add(value);

    public void Reset() => measurements.Clear();

    public void Print(TimeSpan duration)
    {
        var commits = measurements.GetValueOrDefault("actors.commit.duration")?.Count ?? 0;
        Console.WriteLine($"  commits: {commits / duration.TotalSeconds:N0}/s; " + string.Join("; ", new[] { "actors.commit.queue_wait", "actors.commit.duration", "actors.commit.writes" }
            .Select(name => $"{name["actors.commit.".Length..]} p50 {Percentile(name, 0.5):N2} p99 {Percentile(name, 0.99):N2} mean {Mean(name):N2}")));
    }

    private double Percentile(string name, double p)
    {
        var values = measurements.GetValueOrDefault(name)?.Order().ToArray() ?? [];
        return values.Length == 0 ? double.NaN : values[Math.Min(values.Length - 1, (int)Math.Ceiling(p * values.Length) - 1)];
    }

    private double Mean(string name) => measurements.GetValueOrDefault(name) is { IsEmpty: false } values ? values.Average() : double.NaN;

    public void Dispose() => listener.Dispose();
}
