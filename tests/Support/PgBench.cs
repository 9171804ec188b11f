using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Actors.Testing;

/// <summary>
/// PostgreSQL's own pgbench against a benchmark's database, so our durable write rates are measured beside the
/// server's plain transaction rate on the same cluster, in the same run.
/// </summary>
public sealed partial class PgBench(string connectionString)
{
    private bool initialized;

    /// <summary>Runs <c>pgbench -N</c> (no updates of the branch and teller rows) and returns its transactions per second.</summary>
    public async Task<double> SimpleUpdateTps(int seconds, int clients = 16)
    {
        var bin = await TestPostgres.BinDirectory() ?? "/usr/lib/postgresql/15/bin";
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        string[] connection = ["-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!];
        var pgbench = Path.Combine(bin, "pgbench");
        if (!initialized)
        {
            await Run(pgbench, [.. connection, "-i", "-q", "-s", "10", target.Database!]);
            initialized = true;
        }
        var output = await Run(pgbench, [.. connection, "-N", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
            "-T", seconds.ToString(CultureInfo.InvariantCulture), target.Database!]);
        var match = Tps().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no tps: {output}");
    }

    private static async Task<string> Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {await error}");
        return await output + await error;
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}
