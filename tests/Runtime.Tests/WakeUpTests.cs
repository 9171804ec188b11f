using Actors.Testing;
using Actors.Testing.Grains;
using NodaTime;
using Orleans;

namespace Actors.Runtime.Tests;

/// <summary>Business dates kept with grain state and woken by Orleans reminders, under the test clock.</summary>
public sealed class WakeUpTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_date_thirty_days_ahead_runs_once_when_time_passes_it_and_its_reminder_goes()
    {
        await using var harness = await RuntimeHarness.Create("wake30");
        var silo = await harness.StartSilo();
        var alarm = silo.Grains.GetGrain<IAlarmGrain>("a");
        var due = harness.Time.GetCurrentInstant() + Duration.FromDays(30);
        await alarm.Schedule("expiry", due);
        Assert.Equal(1L, await harness.Scalar<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'expiry'"));

        await harness.Advance(Duration.FromDays(29));
        Assert.Empty(await alarm.Rang());

        await harness.Advance(Duration.FromDays(1));
        var rang = Assert.Single(await alarm.Rang());
        Assert.Equal(due, rang.Due);
        Assert.InRange(rang.RanAt, due, due + Duration.FromMinutes(1));
        Assert.Null(await alarm.Due("expiry"));
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'expiry'"));

        await harness.Advance(Duration.FromDays(60));
        Assert.Single(await alarm.Rang());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_date_that_fell_due_while_every_silo_was_down_runs_once_after_the_restart()
    {
        await using var harness = await RuntimeHarness.Create("wakedown");
        var first = await harness.StartSilo();
        await first.Grains.GetGrain<IAlarmGrain>("d").Schedule("renewal", harness.Time.GetCurrentInstant() + Duration.FromDays(3));
        await first.Stop();

        harness.Time.Advance(Duration.FromDays(10)); // no silo runs: nobody can act on the date
        await harness.StartSilo();
        await harness.Advance(Duration.Zero);

        var alarm = harness.Silos[^1].Grains.GetGrain<IAlarmGrain>("d");
        Assert.Single(await alarm.Rang());
        await harness.Advance(Duration.FromDays(10));
        Assert.Single(await alarm.Rang());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_tick_delivered_twice_does_nothing_the_second_time()
    {
        await using var harness = await RuntimeHarness.Create("waketwice");
        var silo = await harness.StartSilo();
        var alarm = silo.Grains.GetGrain<IAlarmGrain>("t");
        await alarm.Schedule("billing", harness.Time.GetCurrentInstant() + Duration.FromHours(1));
        harness.Time.Advance(Duration.FromHours(2));

        // Orleans delivers at least once: the same tick twice, as a reminder service would after a failover.
        var remindable = alarm.AsReference<IRemindable>();
        await remindable.ReceiveReminder("billing", default);
        await remindable.ReceiveReminder("billing", default);
        await harness.Advance(Duration.Zero);

        Assert.Single(await alarm.Rang());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_run_that_fails_is_tried_again_until_it_succeeds_once()
    {
        await using var harness = await RuntimeHarness.Create("wakefail");
        var silo = await harness.StartSilo();
        var alarm = silo.Grains.GetGrain<IAlarmGrain>("f");
        await alarm.Schedule("fail-once", harness.Time.GetCurrentInstant() + Duration.FromDays(1));

        await harness.Advance(Duration.FromDays(2));

        Assert.Single(await alarm.Rang());
        Assert.Equal(2, AlarmGrain.Runs[$"f/fail-once"]);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_date_staged_by_a_call_that_fails_is_not_kept_and_never_runs()
    {
        await using var harness = await RuntimeHarness.Create("wakestaged");
        var silo = await harness.StartSilo();
        var alarm = silo.Grains.GetGrain<IAlarmGrain>("s");
        await Assert.ThrowsAsync<InvalidOperationException>(() => alarm.Schedule("expiry", harness.Time.GetCurrentInstant() + Duration.FromDays(1), thenFail: true));

        Assert.Null(await alarm.Due("expiry"));
        await harness.Advance(Duration.FromDays(2));
        Assert.Empty(await alarm.Rang());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_date_moved_later_runs_at_the_new_date_and_a_cancelled_one_never()
    {
        await using var harness = await RuntimeHarness.Create("wakemove");
        var silo = await harness.StartSilo();
        var alarm = silo.Grains.GetGrain<IAlarmGrain>("m");
        var start = harness.Time.GetCurrentInstant();
        await alarm.Schedule("expiry", start + Duration.FromDays(2));
        await alarm.Schedule("expiry", start + Duration.FromDays(5));
        await alarm.Schedule("pickup", start + Duration.FromDays(1));
        await alarm.Cancel("pickup");

        await harness.Advance(Duration.FromDays(3));
        Assert.Empty(await alarm.Rang());
        await harness.Advance(Duration.FromDays(3));
        var rang = Assert.Single(await alarm.Rang());
        Assert.Equal(("expiry", start + Duration.FromDays(5)), (rang.Name, rang.Due));
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM orleans_reminders"));
    }
}

/// <summary>
/// What a crash can leave between the write and the reminder, set up in storage as the crash would leave it: the
/// reminder is moved earlier before the write and later or away after it, so it never points past a kept date.
/// </summary>
public sealed class WakeUpCrashWindowTests
{
    static string Iso(Instant at) => NodaTime.Text.InstantPattern.ExtendedIso.Format(at);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_crash_after_a_later_date_was_written_but_before_its_reminder_moved_runs_the_step_once_at_the_new_date()
    {
        await using var harness = await RuntimeHarness.Create("crashlater");
        var first = await harness.StartSilo();
        var start = harness.Time.GetCurrentInstant();
        await first.Grains.GetGrain<IAlarmGrain>("l").Schedule("expiry", start + Duration.FromDays(2));
        await first.Stop();
        // The write of the later date committed; the silo died before moving the reminder: it still points at day 2.
        await harness.Execute("UPDATE grain_state SET wake_ups = jsonb_build_object('expiry', $1::text) WHERE grain_key = 'l'", Iso(start + Duration.FromDays(5)));

        var silo = await harness.StartSilo();
        var alarm = silo.Grains.GetGrain<IAlarmGrain>("l");
        harness.Time.Advance(Duration.FromDays(3));
        await alarm.AsReference<IRemindable>().ReceiveReminder("expiry", default); // the early tick, delivered now
        Assert.Empty(await alarm.Rang());
        Assert.Equal(1L, await harness.Scalar<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'expiry'"));

        await harness.Advance(Duration.FromDays(3));
        var rang = Assert.Single(await alarm.Rang());
        Assert.Equal(start + Duration.FromDays(5), rang.Due);
        await harness.Advance(Duration.FromDays(30));
        Assert.Single(await alarm.Rang());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_crash_after_the_reminder_moved_earlier_but_before_the_write_keeps_the_old_date_and_runs_it_once()
    {
        await using var harness = await RuntimeHarness.Create("crashearlier");
        var first = await harness.StartSilo();
        var start = harness.Time.GetCurrentInstant();
        await first.Grains.GetGrain<IAlarmGrain>("e").Schedule("expiry", start + Duration.FromDays(5));
        await first.Stop();
        // A call moving the date to day 1 registered its reminder, then the silo died before the write committed.
        await harness.Execute("UPDATE orleans_reminders SET start_time = $1::timestamptz WHERE reminder_name = 'expiry'", Iso(start + Duration.FromDays(1)));

        var silo = await harness.StartSilo();
        var alarm = silo.Grains.GetGrain<IAlarmGrain>("e");
        harness.Time.Advance(Duration.FromDays(2));
        await alarm.AsReference<IRemindable>().ReceiveReminder("expiry", default); // the early tick, delivered now
        Assert.Empty(await alarm.Rang());
        Assert.Equal(start + Duration.FromDays(5), await alarm.Due("expiry"));

        await harness.Advance(Duration.FromDays(4));
        var rang = Assert.Single(await alarm.Rang());
        Assert.Equal(start + Duration.FromDays(5), rang.Due);
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM orleans_reminders"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_reminder_left_for_a_date_whose_write_never_committed_goes_without_running_anything()
    {
        await using var harness = await RuntimeHarness.Create("crashnew");
        var first = await harness.StartSilo();
        var start = harness.Time.GetCurrentInstant();
        var alarm = first.Grains.GetGrain<IAlarmGrain>("n");
        await alarm.Schedule("expiry", start + Duration.FromDays(5));
        // A call scheduling a first 'pickup' date registered its reminder; the write never committed.
        await harness.Execute("""
            INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
            SELECT service_id, grain_id, 'pickup', $1::timestamptz, period_ms, grain_hash, 0 FROM orleans_reminders WHERE reminder_name = 'expiry'
            """, Iso(start + Duration.FromDays(1)));
        await first.Stop();

        var silo = await harness.StartSilo();
        harness.Time.Advance(Duration.FromDays(2));
        alarm = silo.Grains.GetGrain<IAlarmGrain>("n");
        await alarm.AsReference<IRemindable>().ReceiveReminder("pickup", default); // the left reminder's tick, delivered now
        Assert.Empty(await alarm.Rang());
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'pickup'"));
        await harness.Advance(Duration.FromDays(4));
        Assert.Equal("expiry", Assert.Single(await alarm.Rang()).Name);
    }
}
