using System.Diagnostics;
using Actors.Testing;
using Actors.Testing.Grains;
using NodaTime;
using NodaTime.Text;

namespace Actors.Runtime.Tests;

public sealed class CrashTests
{
    /// <summary>
    /// Three silos: two in this process and one in a process of its own that writes and is then killed with SIGKILL (no
    /// shutdown, writes in flight cut off). Its grains come back on the other two with every acknowledged write, and the
    /// business dates it kept run there.
    /// </summary>
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_silo_killed_as_a_process_mid_write_loses_no_acknowledged_write_and_its_dates_run_on_the_others()
    {
        await using var harness = await RuntimeHarness.Create("crash");
        var survivor = await harness.StartSilo();
        await harness.StartSilo();
        var prefix = $"crash{Guid.NewGuid():N}";
        var dueAt = RuntimeHarness.Epoch + Duration.FromHours(1);

        var host = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Actors.Runtime.CrashHost.dll"), harness.ConnectionString, prefix,
                InstantPattern.ExtendedIso.Format(RuntimeHarness.Epoch), InstantPattern.ExtendedIso.Format(dueAt),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = host.StandardError.ReadToEndAsync(); // drained all along: a full pipe would stall the host
        var acknowledged = new List<(string Key, string Item)>();
        var alarms = new List<string>();
        using var safetyNet = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a stuck host fails the test, never hangs it
        try
        {
            while (acknowledged.Count < 600 && await host.StandardOutput.ReadLineAsync(safetyNet.Token) is { } line)
            {
                var parts = line.Split(' ');
                if (parts[0] == "ack") acknowledged.Add((parts[1], parts[2]));
                else if (parts[0] == "alarm") alarms.Add(parts[1]);
            }
        }
        finally
        {
            host.Kill();
            await host.WaitForExitAsync();
        }
        Assert.True(acknowledged.Count == 600, $"the host stopped early: {await errors}");
        Assert.Equal(3L, await harness.Scalar<long>("SELECT count(DISTINCT address || ':' || port) FROM orleans_membership"));

        // Until the cluster declares the killed silo dead, calls to its grains may fail: a client retries them.
        foreach (var group in acknowledged.GroupBy(a => a.Key))
        {
            var stored = await Eventually(() => survivor.Grains.GetGrain<ILedgerGrain>(group.Key).Items());
            Assert.All(group, a => Assert.Contains(a.Item, stored));
        }

        Assert.Equal(20, alarms.Count);
        await harness.Advance(Duration.FromHours(2));
        foreach (var alarm in alarms) Assert.Single(await survivor.Grains.GetGrain<IAlarmGrain>(alarm).Rang());
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (attempt < 60)
            {
                await Task.Delay(500);
            }
        }
    }
}
