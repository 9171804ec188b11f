using System.Diagnostics;
using Npgsql;

namespace Actors.Testing;

/// <summary>
/// CPU time spent by this process and by the PostgreSQL cluster (postmaster and its children), read from /proc.
/// On a shared machine throughput swings with the neighbours; CPU time per operation holds still, and says which
/// side of the connection the cost sits on.
/// </summary>
public sealed class CpuUse
{
    private readonly int postmaster;

    private CpuUse(int postmaster) => this.postmaster = postmaster;

    /// <summary>Finds the cluster behind <paramref name="connectionString"/> (it must run on this machine).</summary>
    public static async Task<CpuUse> Of(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return new CpuUse(ParentOf(backend) ?? throw new InvalidOperationException("The PostgreSQL backend is not a process of this machine."));
    }

    /// <summary>
    /// CPU time so far: this process; PostgreSQL's processes alive now, plus the backends that exited (the postmaster
    /// reaped them, so their time is its children's); and this process's exited children, such as a pgbench run.
    /// </summary>
    public (TimeSpan Process, TimeSpan Database, TimeSpan Children) Now()
    {
        var database = ChildrenCpuOf(postmaster);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            if (pid != postmaster && ParentOf(pid) != postmaster) continue;
            database += CpuOf(pid);
        }
        return (Process.GetCurrentProcess().TotalProcessorTime, database, ChildrenCpuOf(Environment.ProcessId));
    }

    private static int? ParentOf(int pid) => Fields(pid) is { } f ? int.Parse(f[1]) : null;

    private static TimeSpan CpuOf(int pid) => Fields(pid) is { } f
        ? TimeSpan.FromSeconds((long.Parse(f[11]) + long.Parse(f[12])) / 100.0) // utime + stime, in clock ticks of 1/100 s
        : TimeSpan.Zero;

    private static TimeSpan ChildrenCpuOf(int pid) => Fields(pid) is { } f
        ? TimeSpan.FromSeconds((long.Parse(f[13]) + long.Parse(f[14])) / 100.0) // cutime + cstime: children waited for
        : TimeSpan.Zero;

    /// <summary>The fields of /proc/pid/stat after the command name (state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14]).</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
