using Actors.Runtime;
using Actors.Runtime.Activations;
using Actors.Runtime.Storage;
using Actors.Testing.Grains;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Npgsql;

// Writes to ledger grains from several workers and prints "ack <grain> <item>" after each acknowledged write,
// until killed. First it registers reminders due at the given instant and prints "reminder <grain>" for each.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Actors.Runtime.CrashHost <connection string> <key prefix> <reminders due at (ISO instant)>");
    return 2;
}
var (connectionString, prefix, dueAt) = (args[0], args[1], InstantPattern.ExtendedIso.Parse(args[2]).Value);

var runtime = new GrainRuntime(new RuntimeOptions { RunBackgroundLoops = false }, RuntimeDatabase.Open(connectionString),
    new GrainCatalog().Scan(typeof(LedgerGrain).Assembly), new ServiceCollection().BuildServiceProvider(), SystemClock.Instance);
await runtime.StartAsync();

for (var i = 0; i < 20; i++)
{
    await runtime.GetGrain<IAlarmGrain>($"{prefix}-alarm-{i}").Schedule("due", dueAt, null);
    Console.WriteLine($"reminder {prefix}-alarm-{i}");
}

await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var key = $"{prefix}-{(worker * 7 + i) % 10}";
        var item = $"{worker}:{i}";
        await runtime.GetGrain<ILedgerGrain>(key).Append(item);
        Console.WriteLine($"ack {key} {item}");
    }
})));
return 0;
