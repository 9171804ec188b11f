namespace Actors.Postgres.State;

/// <summary>How Orleans reminders wake grains for their business dates. Bound from <c>Actors:WakeUps</c>.</summary>
public sealed class WakeUpOptions
{
    /// <summary>
    /// How often a reminder ticks again while its date is not yet handled: after an outage (Orleans skips missed ticks) or a
    /// failed delivery, the date is acted on within this time. Orleans' minimum reminder period bounds it from below.
    /// </summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
