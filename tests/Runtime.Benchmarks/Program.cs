using System.Diagnostics;
using System.Text.RegularExpressions;
using Actors.Runtime;
using Actors.Runtime.Activations;
using Actors.Runtime.Storage;
using Actors.Testing;
using Actors.Testing.Grains;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Usage: dotnet run -c Release --project tests/Runtime.Benchmarks [-- --rounds 3 --seconds 5 --reminders 100000]
var rounds = Argument("--rounds", 3);
var seconds = Argument("--seconds", 5);
var reminderCount = Argument("--reminders", 100_000);

var connectionString = await TestPostgres.CreateDatabase("bench");
var time = new TestTime(NodaTime.SystemClock.Instance.GetCurrentInstant());
var runtime = new GrainRuntime(new RuntimeOptions { RunBackgroundLoops = false, CallTimeout = TimeSpan.FromMinutes(5) },
    RuntimeDatabase.Open(connectionString), new GrainCatalog().Scan(typeof(TallyGrain).Assembly),
    new ServiceCollection().BuildServiceProvider(), time, TimeProvider.System);
await runtime.StartAsync();

Console.WriteLine($"Runtime benchmark: {Environment.ProcessorCount} cores, {rounds} rounds of {seconds} s; medians.");
var calls = await Rounds(() => Throughput(256, i => runtime.GetGrain<IBeaconGrain>($"b{i % 1000}").Ping()));
Report("in-process grain calls/s (1,000 grains, 256 callers)", calls);

var (peakActivations, peakMemory) = await TouchManyGrains(Argument("--distinct", 1_000_000));
Console.WriteLine($"{"distinct grains touched, collected every 100,000",-55} peak {peakActivations,12:N0} activations, peak managed heap {peakMemory / 1_048_576.0:N0} MiB");

var writes = await Rounds(() => Throughput(512, i => runtime.GetGrain<ITallyGrain>($"t{i % 10_000}").Increment()));
Report("durable state writes/s (10,000 grains, 512 callers)", writes);

var reminders = await Rounds(() => FireReminders(reminderCount));
Report($"reminders fired/s ({reminderCount:N0} due)", reminders);

var pgBench = new PgBench(connectionString);
var pgbench = await Rounds(() => pgBench.SimpleUpdateTps(seconds));
Report("pgbench -N TPS (16 clients, same PostgreSQL)", pgbench);
Console.WriteLine($"ratio durable writes/s ÷ pgbench -N TPS: {Median(writes) / Median(pgbench):0.00}");

await runtime.StopAsync();
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

// A million distinct grains touched in waves, idle ones collected between waves: memory stays bounded.
async Task<(int, long)> TouchManyGrains(int distinct)
{
    // A silo on the test clock for timers too, so "idle for 15 minutes" is a clock move, not a wait.
    await using var silo = new GrainRuntime(new RuntimeOptions { RunBackgroundLoops = false }, RuntimeDatabase.Open(connectionString),
        new GrainCatalog().Scan(typeof(TallyGrain).Assembly), new ServiceCollection().BuildServiceProvider(), time, time);
    await silo.StartAsync();
    var peakActivations = 0;
    long peakMemory = 0;
    for (var start = 0; start < distinct; start += 100_000)
    {
        await Parallel.ForEachAsync(Enumerable.Range(start, Math.Min(100_000, distinct - start)), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, _) => await silo.GetGrain<IBeaconGrain>($"distinct-{i}").Ping());
        peakActivations = Math.Max(peakActivations, silo.ActivationCount);
        peakMemory = Math.Max(peakMemory, GC.GetTotalMemory(forceFullCollection: false));
        time.Advance(silo.Options.CollectionAge + TimeSpan.FromSeconds(1));
        await silo.CollectIdleActivations();
    }
    GC.Collect();
    return (peakActivations, peakMemory);
}

async Task<double> FireReminders(int count)
{
    await using (var insert = new NpgsqlCommand(
        """
        INSERT INTO reminders (grain_type, grain_key, name, due_at, period_ms, revision)
        SELECT 'test.beacon', 'r' || i, 'due', $1, NULL, nextval('reminder_revisions') FROM generate_series(1, $2) AS i
        ON CONFLICT DO NOTHING
        """, new NpgsqlConnection(connectionString)))
    {
        await insert.Connection!.OpenAsync();
        insert.Parameters.Add(new NpgsqlParameter { Value = time.GetCurrentInstant().ToDateTimeUtc(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter { Value = count });
        await insert.ExecuteNonQueryAsync();
        await insert.Connection.CloseAsync();
    }
    time.Advance(NodaTime.Duration.FromSeconds(1));
    var before = Interlocked.Read(ref BeaconGrain.Ticks);
    var stop = Stopwatch.StartNew();
    var delivered = await runtime.DeliverDueReminders();
    var elapsed = stop.Elapsed.TotalSeconds;
    if (delivered != count || Interlocked.Read(ref BeaconGrain.Ticks) - before != count)
        throw new InvalidOperationException($"expected {count} deliveries, got {delivered}");
    return count / elapsed;
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

