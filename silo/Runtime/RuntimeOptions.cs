namespace Actors.Runtime;

/// <summary>How a silo runs its grains. Bound from the <c>Actors</c> configuration section.</summary>
public sealed class RuntimeOptions
{
    /// <summary>This silo's name in reminder leases; unique per process.</summary>
    public string SiloName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>An activation idle for this long is collected (Orleans' default is 15 minutes).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A call that has not finished after this long fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the silo looks for due reminders when nothing woke it sooner.</summary>
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed reminder belongs to this silo before another may deliver it again.</summary>
    public TimeSpan ReminderLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many due reminders one claim takes.</summary>
    public int ReminderBatchSize { get; set; } = 1000;

    /// <summary>How many reminders are delivered at once.</summary>
    public int ReminderConcurrency { get; set; } = 256;

    /// <summary>Most state writes committed in one transaction (group commit).</summary>
    public int MaxWritesPerCommit { get; set; } = 512;

    /// <summary>
    /// How many group-commit transactions may be in flight at once; writes arriving meanwhile join the next. Two keep
    /// one commit gathering while the other flushes: with four, commits started as soon as a write came and carried 2-3
    /// writes at the median, and the fleet benchmark measured a fifth fewer authorizations/s and a higher p99.
    /// </summary>
    public int ConcurrentCommits { get; set; } = 2;

    /// <summary>Whether this silo runs the background loops (reminder polling, collection). Tests drive them by hand.</summary>
    public bool RunBackgroundLoops { get; set; } = true;
}
