using Actors.Testing;
using Actors.Testing.Grains;
using NodaTime;
using NodaTime.Text;

// A silo of its own process that joins the test's cluster (same database, ADO.NET membership) and writes to ledger
// grains from several workers, printing "ack <grain> <item>" after each acknowledged write, until killed. First it keeps
// a business date, due at the given instant, on 20 alarm grains and prints "alarm <grain>" for each. Its clock stands
// at the given start, as the test's does until the test moves it.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Actors.Runtime.CrashHost <connection string> <key prefix> <clock start (ISO instant)> <alarms due at (ISO instant)>");
    return 2;
}
var (connectionString, prefix) = (args[0], args[1]);
var (start, dueAt) = (InstantPattern.ExtendedIso.Parse(args[2]).Value, InstantPattern.ExtendedIso.Parse(args[3]).Value);

var silo = await TestSilo.Start(connectionString, new TestTime(start), name: "crash-host");
Console.WriteLine("joined");

for (var i = 0; i < 20; i++)
{
    await silo.Grains.GetGrain<IAlarmGrain>($"{prefix}-alarm-{i}").Schedule("due", dueAt);
    Console.WriteLine($"alarm {prefix}-alarm-{i}");
}

await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var key = $"{prefix}-{(worker * 7 + i) % 10}";
        var item = $"{worker}:{i}";
        await silo.Grains.GetGrain<ILedgerGrain>(key).Append(item);
        Console.WriteLine($"ack {key} {item}");
    }
})));
return 0;
