using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Actors.Postgres.Hosting;

/// <summary>
/// A private PostgreSQL cluster in a folder of ours, for a silo started without a connection string and for tests.
/// Uses the machine's PostgreSQL binaries; as root it runs them as the <c>postgres</c> user, since initdb refuses root.
/// The cluster listens on 127.0.0.1 only, on a port remembered beside the data, and trusts local connections.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string binDirectory;
    private readonly bool asPostgresUser;
    private bool startedHere;

    private LocalPostgres(string dataDirectory, string binDirectory, int port)
    {
        DataDirectory = dataDirectory;
        this.binDirectory = binDirectory;
        Port = port;
        asPostgresUser = Environment.UserName == "root";
    }

    public string DataDirectory { get; }
    public int Port { get; }
    public string LogFile => DataDirectory + ".log";

    /// <summary>A connection string to <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database = "actors") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, MaxPoolSize = 64 }.ConnectionString;

    /// <summary>The folder that holds the binaries (initdb, pg_ctl, pgbench).</summary>
    public string BinDirectory => binDirectory;

    /// <summary>Initializes the cluster when the folder is new, starts it unless it already runs, and creates <paramref name="database"/>.</summary>
    /// <exception cref="LocalPostgresUnavailableException">No PostgreSQL binaries, or the folder cannot be used.</exception>
    public static async Task<LocalPostgres> Start(string dataDirectory, string database = "actors", IEnumerable<string>? settings = null)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var bin = FindBinaries() ?? throw new LocalPostgresUnavailableException(
            "No PostgreSQL server binaries found (initdb, pg_ctl). Install them with `apt-get install -y postgresql`, " +
            "or set ConnectionStrings__Actors to an existing database.");
        var portFile = dataDirectory + ".port";
        var port = File.Exists(portFile) && int.TryParse(File.ReadAllText(portFile), out var saved) ? saved : FreePort();
        var cluster = new LocalPostgres(dataDirectory, bin, port);
        await cluster.Initialize();
        File.WriteAllText(portFile, port.ToString());
        await cluster.StartServer(settings ?? []);
        await cluster.CreateDatabase(database);
        return cluster;
    }

    private async Task Initialize()
    {
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return;
        Directory.CreateDirectory(DataDirectory);
        if (asPostgresUser)
        {
            EnsureReachableByPostgres(DataDirectory);
            await Run("chown", ["-R", "postgres:postgres", DataDirectory], asPostgres: false);
        }
        await Run(Path.Combine(binDirectory, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"], asPostgresUser);
    }

    private async Task StartServer(IEnumerable<string> settings)
    {
        if (await IsRunning()) return;
        if (asPostgresUser)
        {
            if (!File.Exists(LogFile)) File.WriteAllText(LogFile, "");
            await Run("chown", ["postgres:postgres", LogFile], asPostgres: false);
        }
        var options = string.Join(' ', new[] { $"-p {Port}", "-c listen_addresses=127.0.0.1", "-c unix_socket_directories=''", "-c max_connections=400" }
            .Concat(settings.Select(s => $"-c {s}")));
        await Run(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "60", "start"], asPostgresUser);
        startedHere = true;
    }

    private async Task<bool> IsRunning()
    {
        var status = await Run(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "status"], asPostgresUser, throwOnFailure: false);
        return status.ExitCode == 0;
    }

    private async Task CreateDatabase(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync() is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server if this object started it.</summary>
    public async Task Stop()
    {
        if (!startedHere) return;
        startedHere = false;
        await Run(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "stop"], asPostgresUser, throwOnFailure: false);
    }

    public async ValueTask DisposeAsync() => await Stop();

    /// <summary>
    /// Stops the server of a cluster whose owner is gone (a test run that was killed leaves its server running), at once:
    /// the folder is about to be removed. Does nothing when no server runs there.
    /// </summary>
    public static async Task StopAbandoned(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")) || FindBinaries() is not { } bin) return;
        await Run(Path.Combine(bin, "pg_ctl"), ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], Environment.UserName == "root", throwOnFailure: false);
    }

    private static string? FindBinaries()
    {
        // ACTORS_PG_BIN names the folder to use and nothing else (e.g. a PostgreSQL built elsewhere).
        var configured = Environment.GetEnvironmentVariable("ACTORS_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(Path.Combine(configured, "initdb")) && File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.dir, "initdb")) && File.Exists(Path.Combine(x.dir, "pg_ctl")))
                .OrderByDescending(x => x.version)
                .Select(x => x.dir)
                .FirstOrDefault();
            if (newest is not null) return newest;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    /// <summary>The postgres user must be able to walk down to the data folder.</summary>
    private static void EnsureReachableByPostgres(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        for (var dir = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
                throw new LocalPostgresUnavailableException(
                    $"The postgres user cannot reach {directory}: {dir} is not searchable by others. " +
                    "Clone the repository elsewhere, or set ConnectionStrings__Actors to an existing database.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal sealed record ProcessResult(int ExitCode, string Output);

    private static async Task<ProcessResult> Run(string file, IReadOnlyList<string> arguments, bool asPostgres, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        }
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new LocalPostgresUnavailableException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = (await output) + (await error);
        if (throwOnFailure && process.ExitCode != 0)
            throw new LocalPostgresUnavailableException($"{Path.GetFileName(file)} failed (exit {process.ExitCode}): {text.Trim()}");
        return new ProcessResult(process.ExitCode, text);
    }
}

/// <summary>A local PostgreSQL cluster cannot be provisioned; the message says what to install or configure.</summary>
public sealed class LocalPostgresUnavailableException(string message) : Exception(message);
