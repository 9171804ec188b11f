using NodaTime;

namespace Actors;

/// <summary>
/// A durable reminder of one grain. One-shot when <see cref="Period"/> is null (an expiry date years ahead),
/// periodic otherwise. Delivery is at least once, so the grain's handler must be idempotent.
/// </summary>
public sealed record GrainReminder(string Name, Instant DueAt, Duration? Period);

/// <summary>What a reminder tick says to the grain that receives it.</summary>
/// <param name="DueAt">When this tick was due.</param>
/// <param name="FiredAt">When it was delivered (later than due after downtime: missed ticks fire once).</param>
/// <param name="Period">The period of a periodic reminder, null for a one-shot.</param>
public sealed record ReminderTick(string Name, Instant DueAt, Instant FiredAt, Duration? Period);

/// <summary>Implemented by grains that register reminders.</summary>
public interface IRemindable
{
    Task ReceiveReminder(ReminderTick tick);
}

/// <summary>The reminders of the calling grain, kept in the reminder table.</summary>
public interface IReminderRegistry
{
    Task<GrainReminder> RegisterOrUpdate(string name, Instant dueAt, Duration? period = null);
    Task Unregister(string name);
    Task<GrainReminder?> Get(string name);
    Task<IReadOnlyList<GrainReminder>> GetAll();
}
