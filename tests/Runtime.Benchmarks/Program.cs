using System.Diagnostics;
using Actors.Testing;
using Actors.Testing.Grains;
using Orleans;

// Usage: dotnet run -c Release --project tests/Runtime.Benchmarks [-- --rounds 3 --seconds 5]
// Grain calls through Orleans (1 and 64 callers), durable writes with the back office's grain storage (group commit) and
// with Orleans' AdoNetGrainStorage on the same database, and pgbench -N beside them, round by round, as ratios.
var rounds = Argument("--rounds", 3);
var seconds = Argument("--seconds", 5);

var connectionString = await TestPostgres.CreateDatabase("bench");
await using var silo = await TestSilo.OnSystemClock(connectionString, name: "bench");
var grains = silo.Grains;

Console.WriteLine($"Runtime benchmark on Orleans: {Environment.ProcessorCount} cores, {rounds} rounds of {seconds} s; medians (rounds in brackets).");
foreach (var callers in new[] { 1, 64 })
{
    var calls = await Rounds(() => Throughput(callers, i => grains.GetGrain<IActivationProbeGrain>($"b{i % 1000}").Activation()));
    Report($"grain calls/s through Orleans (1,000 grains, {callers} callers)", calls);
}

var pgBench = new PgBench(connectionString);
var ours = new List<double>();
var adoNet = new List<double>();
var pgbench = new List<double>();
for (var round = 0; round < rounds; round++)
{
    // Interleaved, so a drift of the machine's speed between rounds falls on all three alike.
    ours.Add(await Throughput(512, i => grains.GetGrain<ITallyGrain>($"t{i % 10_000}").Increment()));
    adoNet.Add(await Throughput(512, i => grains.GetGrain<IAdoNetTallyGrain>($"a{i % 10_000}").Increment()));
    pgbench.Add(await pgBench.SimpleUpdateTps(seconds));
}
Report("durable writes/s, our grain storage (10,000 grains, 512 callers)", [.. ours]);
Report("durable writes/s, Orleans AdoNetGrainStorage (same)", [.. adoNet]);
Report("pgbench -N TPS (16 clients, same PostgreSQL)", [.. pgbench]);
Console.WriteLine($"ratio ours ÷ pgbench -N: {Median([.. ours]) / Median([.. pgbench]):0.00}; AdoNet ÷ pgbench -N: {Median([.. adoNet]) / Median([.. pgbench]):0.00}; ours ÷ AdoNet: {Median([.. ours]) / Median([.. adoNet]):0.00}");
return 0;

async Task<double> Throughput(int callers, Func<long, Task> call)
{
    long next = 0, done = 0;
    var stop = Stopwatch.StartNew();
    var deadline = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
    {
        while (stop.Elapsed < deadline)
        {
            await call(Interlocked.Increment(ref next));
            Interlocked.Increment(ref done);
        }
    })));
    return done / stop.Elapsed.TotalSeconds;
}




async Task<double[]> Rounds(Func<Task<double>> measure)
{
    var results = new double[rounds];
    for (var i = 0; i < rounds; i++) results[i] = await measure();
    return results;
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static void Report(string what, double[] values) =>
    Console.WriteLine($"{what,-55} median {Median(values),12:N0}   (rounds: {string.Join(", ", values.Select(v => v.ToString("N0")))})");

int Argument(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}

