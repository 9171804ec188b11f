using NodaTime;

namespace Actors.Testing;

/// <summary>
/// Time that only moves when a test says so: a NodaTime clock for business time and a <see cref="TimeProvider"/>
/// for timeouts and timers, moved together by <see cref="Advance"/>.
/// </summary>
public sealed class TestTime(Instant start) : TimeProvider, IClock
{
    private readonly object gate = new();
    private readonly List<ManualTimer> timers = [];
    private Instant now = start;
    private long ticks;

    public Instant GetCurrentInstant()
    {
        lock (gate) return now;
    }

    public override DateTimeOffset GetUtcNow() => GetCurrentInstant().ToDateTimeOffset();
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp()
    {
        lock (gate) return ticks;
    }

    /// <summary>Moves time forward and fires the timers that fall due, in order.</summary>
    public void Advance(Duration by)
    {
        if (by < Duration.Zero) throw new ArgumentOutOfRangeException(nameof(by), "Time only moves forward.");
        List<ManualTimer> due;
        lock (gate)
        {
            now += by;
            ticks += by.BclCompatibleTicks;
            due = [.. timers.Where(t => t.DueAt <= ticks).OrderBy(t => t.DueAt)];
        }
        foreach (var timer in due) timer.Fire(ticks);
    }

    public void Advance(TimeSpan by) => Advance(Duration.FromTimeSpan(by));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(TestTime time, TimerCallback callback, object? state) : ITimer
    {
        private long period = -1;
        public long DueAt { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (time.gate)
            {
                time.timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                DueAt = time.ticks + dueTime.Ticks;
                this.period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? -1 : period.Ticks;
                time.timers.Add(this);
            }
            return true;
        }

        public void Fire(long nowTicks)
        {
            lock (time.gate)
            {
                if (!time.timers.Contains(this)) return;
                if (period > 0) while (DueAt <= nowTicks) DueAt += period;
                else time.timers.Remove(this);
            }
            callback(state);
        }

        public void Dispose()
        {
            lock (time.gate) time.timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
