using Actors.Runtime.Hosting;
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

    private static async Task<string> Server()
    {
        if (serverConnection is not null) return serverConnection;
        await gate.WaitAsync();
        try
        {
            if (serverConnection is not null) return serverConnection;
            var configured = Environment.GetEnvironmentVariable("ACTORS_TEST_POSTGRES");
            if (!string.IsNullOrEmpty(configured)) return serverConnection = configured;
            var directory = Path.Combine(Path.GetTempPath(), $"actors-tests-{Environment.ProcessId}", "postgres");
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
