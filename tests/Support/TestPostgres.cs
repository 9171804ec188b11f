using Actors.Postgres.Hosting;
using Npgsql;

namespace Actors.Testing;

/// <summary>
/// One private PostgreSQL cluster per test process (or the server named by <c>ACTORS_TEST_POSTGRES</c>), and a fresh
/// database per caller, so tests never see each other's rows.
/// </summary>
public static class TestPostgres
{
    private static readonly SemaphoreSlim gate = new(1, 1);
    private static LocalPostgres? cluster;
    private static string? serverConnection;
    private static int databases;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabase(string purpose)
    {
        var server = await Server();
        var name = $"t_{Environment.ProcessId}_{Interlocked.Increment(ref databases)}_{new string(purpose.ToLowerInvariant().Where(char.IsLetterOrDigit).Take(20).ToArray())}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>The folder holding pg_ctl, pgbench and friends of the test cluster.</summary>
    public static async Task<string?> BinDirectory()
    {
        await Server();
        return cluster?.BinDirectory;
    }

    private const string FolderPrefix = "actors-tests-";

    /// <summary>
    /// A run removes its cluster when it exits, but a killed one (a timeout, a second Ctrl+C) leaves it, with its server
    /// running: about 1.4 GB after a fleet benchmark. The next run removes the clusters of runs whose process is gone.
    /// </summary>
    /// <remarks>
    /// Every test process does this as it starts (dotnet test starts one per project, and other checkouts run theirs on
    /// the same machine), and two recursive deletes of one folder make each other fail half-way and leave it behind; so
    /// removals take turns, in this process and across processes, under a lock file beside the folders.
    /// </remarks>
    public static async Task RemoveClustersOfEndedRuns()
    {
        await removing.WaitAsync();
        try
        {
            using var turn = await RemovalTurn();
            foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
            {
                if (!int.TryParse(Path.GetFileName(folder)[FolderPrefix.Length..], out var owner) || owner == Environment.ProcessId || IsRunning(owner)) continue;
                await LocalPostgres.StopAbandoned(Path.Combine(folder, "postgres"));
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        finally { removing.Release(); }
    }

    private static readonly SemaphoreSlim removing = new(1, 1);

    /// <summary>The lock file opened without sharing (.NET takes an exclusive flock): held by one process at a time.</summary>
    private static async Task<FileStream?> RemovalTurn()
    {
        var path = Path.Combine(Path.GetTempPath(), FolderPrefix + "removal.lock");
        for (var attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (attempt < 2400) { await Task.Delay(50); } // another run is removing; stopping a server takes it a second or two
            catch (IOException) { return null; } // a run holding it for two minutes is stuck: remove without a turn rather than not at all
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }

    private static async Task<string> Server()
    {
        if (serverConnection is not null) return serverConnection;
        await gate.WaitAsync();
        try
        {
            if (serverConnection is not null) return serverConnection;
            var configured = Environment.GetEnvironmentVariable("ACTORS_TEST_POSTGRES");
            if (!string.IsNullOrEmpty(configured)) return serverConnection = configured;
            await RemoveClustersOfEndedRuns();
            var directory = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}", "postgres");
            cluster = await LocalPostgres.Start(directory, "postgres", ["fsync=on", "synchronous_commit=on"]);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                cluster.Stop().GetAwaiter().GetResult();
                try { Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            };
            return serverConnection = cluster.ConnectionString("postgres");
        }
        finally
        {
            gate.Release();
        }
    }
}
