using System.Diagnostics;
using System.Text.Json;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GraphQL.Benchmarks;

/// <summary>The engine without a transport: median time and allocated bytes per request (execution plus JSON writing).</summary>
public static class EngineOnly
{
    public static async Task RunAsync(string query, int seconds)
    {
        var services = new ServiceCollection().BuildServiceProvider();
        var engine = new GraphQLEngine(new SchemaBuilder(services).AddQueryType<BenchmarkQuery>().Build(), new GraphQLOptions());
        var request = GraphQLRequest.Create(query, new { first = 20, genre = "FICTION" });
        var sink = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        async Task Once()
        {
            var result = await engine.ExecuteAsync(request, services);
            sink.Clear();
            using var writer = new Utf8JsonWriter(sink);
            ResultJson.Write(writer, result);
        }
        for (int i = 0; i < 2000; i++) await Once();

        var times = new List<double>();
        long allocated = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long start = Stopwatch.GetTimestamp();
            await Once();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        times.Sort();
        Console.WriteLine($"engine only: {times.Count} requests, median {times[times.Count / 2]:0.0} µs, p99 {times[(int)(times.Count * 0.99)]:0.0} µs, " +
                          $"{allocated / times.Count / 1024.0:0.0} KiB allocated per request, response {sink.WrittenCount} bytes");
    }
}
