namespace Actors.Postgres.Storage;

/// <summary>How a silo commits grain writes. Bound from the <c>Actors</c> configuration section.</summary>
public sealed class CommitOptions
{
    /// <summary>This silo's name on its commit measurements; unique per process.</summary>
    public string SiloName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Most state writes committed in one transaction (group commit).</summary>
    public int MaxWritesPerCommit { get; set; } = 512;

    /// <summary>
    /// How many group-commit transactions may be in flight at once; writes arriving meanwhile join the next. Two keep
    /// one commit gathering while the other flushes: with four, commits started as soon as a write came and carried 2-3
    /// writes at the median, and the fleet benchmark measured a fifth fewer authorizations/s and a higher p99.
    /// </summary>
    public int ConcurrentCommits { get; set; } = 2;
}
