using System.Diagnostics;
using System.Net;
using System.Text;

namespace Actors.GraphQL.Benchmarks;

/// <summary>A closed-loop load: each client sends the next request when the previous answer is read; latencies per request.</summary>
public sealed record Load(double RequestsPerSecond, double P50, double P99, int Errors)
{
    public string Row(string name) => $"{name,-24} {RequestsPerSecond,10:0} {P50,8:0.00} {P99,8:0.00} {Errors,7}";

    public static async Task<Load> RunAsync(string url, string body, int concurrency, int warmupSeconds, int seconds)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler);
        var payload = Encoding.UTF8.GetBytes(body);
        await Phase(client, url, payload, concurrency, TimeSpan.FromSeconds(warmupSeconds), record: false);
        return await Phase(client, url, payload, concurrency, TimeSpan.FromSeconds(seconds), record: true);
    }

    private static async Task<Load> Phase(HttpClient client, string url, byte[] payload, int concurrency, TimeSpan duration, bool record)
    {
        var latencies = new List<double>[concurrency];
        int errors = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (stopwatch.Elapsed < duration)
            {
                long start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(payload);
                content.Headers.ContentType = new("application/json");
                using var response = await client.PostAsync(url, content);
                await response.Content.CopyToAsync(Stream.Null);
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        if (!record || all.Length == 0) return new Load(0, 0, 0, errors);
        return new Load(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
