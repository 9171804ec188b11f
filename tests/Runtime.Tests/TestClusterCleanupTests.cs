using Actors.Testing;

namespace Actors.Runtime.Tests;

/// <summary>Killed test runs leave their PostgreSQL cluster in the temp folder; the next run removes it.</summary>
public sealed class TestClusterCleanupTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Clusters_of_runs_whose_process_is_gone_are_removed_and_live_ones_kept()
    {
        // No process has a pid this large on Linux (pid_max is at most 2^22), so this run has ended.
        var ended = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "actors-tests-2147483000"));
        File.WriteAllText(Path.Combine(ended.FullName, "postgres.port"), "5432");
        Directory.CreateDirectory(Path.Combine(ended.FullName, "postgres"));
        // This test's own process is alive; a folder named after it must stay.
        var live = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"actors-tests-{Environment.ProcessId}", "cleanup-probe"));

        await TestPostgres.RemoveClustersOfEndedRuns();

        Assert.False(Directory.Exists(ended.FullName));
        Assert.True(Directory.Exists(live.FullName));
        live.Delete();
    }
}
