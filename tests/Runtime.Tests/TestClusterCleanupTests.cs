using Actors.Testing;

namespace Actors.Runtime.Tests;

/// <summary>Killed test runs leave their PostgreSQL cluster in the temp folder; the next run removes it.</summary>
public sealed class TestClusterCleanupTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Clusters_of_runs_whose_process_is_gone_are_removed_and_live_ones_kept()
    {
        // No process has a pid above 2^22 on Linux (pid_max's limit), so this run has ended; a random one, because this
        // test runs in other checkouts' test runs on the same machine too, and one folder for all made them race.
        var ended = new DirectoryInfo(Path.Combine(Path.GetTempPath(), $"actors-tests-{Random.Shared.Next(1 << 23, int.MaxValue)}"));
        // Made aside and moved into place whole, so another run's removal never meets it half made.
        var making = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"actors-tests-{Environment.ProcessId}", $"ended-run-{Guid.NewGuid():N}"));
        File.WriteAllText(Path.Combine(making.FullName, "postgres.port"), "5432");
        Directory.CreateDirectory(Path.Combine(making.FullName, "postgres"));
        making.MoveTo(ended.FullName);
        // This test's own process is alive; a folder named after it must stay.
        var live = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"actors-tests-{Environment.ProcessId}", "cleanup-probe"));

        await TestPostgres.RemoveClustersOfEndedRuns();

        Assert.False(Directory.Exists(ended.FullName), $"{ended.FullName} is still there");
        Assert.True(Directory.Exists(live.FullName));
        live.Delete();
    }
}
