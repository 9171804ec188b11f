using Actors.Testing;
using System.Diagnostics;
using Actors.Testing.Grains;
using NodaTime;
using NodaTime.Text;

namespace Actors.Runtime.Tests;

public sealed class CrashTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_silo_killed_mid_write_loses_no_acknowledged_write_and_its_reminders_fire_after_restart()
    {
        await using var harness = await RuntimeHarness.Create("crash");
        await harness.StartSilo(); // applies the schema
        var prefix = $"crash{Guid.NewGuid():N}";
        var dueAt = RuntimeHarness.Epoch + Duration.FromHours(1);

        var host = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Actors.Runtime.CrashHost.dll"), harness.ConnectionString, prefix, InstantPattern.ExtendedIso.Format(dueAt) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = host.StandardError.ReadToEndAsync(); // drained all along: a full pipe would stall the host
        var acknowledged = new List<(string Key, string Item)>();
        var reminders = new List<string>();
        using var safetyNet = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a stuck host fails the test, never hangs it
        try
        {
            while (acknowledged.Count < 600 && await host.StandardOutput.ReadLineAsync(safetyNet.Token) is { } line)
            {
                var parts = line.Split(' ');
                if (parts[0] == "ack") acknowledged.Add((parts[1], parts[2]));
                else if (parts[0] == "reminder") reminders.Add(parts[1]);
            }
        }
        finally
        {
            host.Kill(); // SIGKILL: no shutdown, writes in flight are cut off
            await host.WaitForExitAsync();
        }
        Assert.True(acknowledged.Count == 600, $"the host stopped early: {await errors}");

        var restarted = await harness.StartSilo();
        foreach (var group in acknowledged.GroupBy(a => a.Key))
        {
            var stored = await restarted.GetGrain<ILedgerGrain>(group.Key).Items();
            Assert.All(group, a => Assert.Contains(a.Item, stored));
        }

        Assert.Equal(20, reminders.Count);
        harness.Time.Advance(Duration.FromHours(2));
        Assert.Equal(20, await restarted.DeliverDueReminders());
        foreach (var alarm in reminders) Assert.Single(await restarted.GetGrain<IAlarmGrain>(alarm).Ticks());
    }
}
