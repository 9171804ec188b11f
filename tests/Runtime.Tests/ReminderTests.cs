using Actors.Testing;
using Actors.Runtime.Reminders;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

using Actors.Testing.Grains;

namespace Actors.Runtime.Tests;

public sealed class ReminderTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_one_shot_reminder_fires_once_when_due_and_is_then_gone()
    {
        await using var harness = await RuntimeHarness.Create("oneshot");
        var silo = await harness.StartSilo();
        var alarm = silo.GetGrain<IAlarmGrain>("expiry");
        var due = RuntimeHarness.Epoch + Duration.FromDays(3 * 365);
        await alarm.Schedule("expire", due, null);

        Assert.Equal(0, await silo.DeliverDueReminders());
        harness.Time.Advance(Duration.FromDays(3 * 365) - Duration.FromSeconds(1));
        Assert.Equal(0, await silo.DeliverDueReminders());
        harness.Time.Advance(Duration.FromSeconds(1));
        Assert.Equal(1, await silo.DeliverDueReminders());
        Assert.Equal(0, await silo.DeliverDueReminders());

        var tick = Assert.Single(await alarm.Ticks());
        Assert.Equal(due, tick.DueAt);
        Assert.Null(await alarm.Reminder("expire"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Ticks_missed_while_down_fire_once_and_the_cadence_is_kept()
    {
        await using var harness = await RuntimeHarness.Create("periodic");
        var silo = await harness.StartSilo();
        var alarm = silo.GetGrain<IAlarmGrain>("hourly");
        await alarm.Schedule("tick", RuntimeHarness.Epoch + Duration.FromHours(1), Duration.FromHours(1));

        harness.Time.Advance(Duration.FromMinutes(5 * 60 + 30)); // five ticks were due
        Assert.Equal(1, await silo.DeliverDueReminders());
        Assert.Equal(0, await silo.DeliverDueReminders());
        Assert.Equal(RuntimeHarness.Epoch + Duration.FromHours(6), (await alarm.Reminder("tick"))!.DueAt);

        harness.Time.Advance(Duration.FromMinutes(30));
        Assert.Equal(1, await silo.DeliverDueReminders());
        Assert.Equal(2, (await alarm.Ticks()).Count);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Reminders_survive_a_restart_of_every_silo()
    {
        await using var harness = await RuntimeHarness.Create("restart");
        var before = await harness.StartSilo();
        await before.GetGrain<IAlarmGrain>("r").Schedule("later", RuntimeHarness.Epoch + Duration.FromDays(10), null);
        await before.StopAsync();

        var after = await harness.StartSilo();
        harness.Time.Advance(Duration.FromDays(11));
        Assert.Equal(1, await after.DeliverDueReminders());
        Assert.Single(await after.GetGrain<IAlarmGrain>("r").Ticks());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Registering_again_moves_the_reminder_and_unregistering_removes_it()
    {
        await using var harness = await RuntimeHarness.Create("update");
        var silo = await harness.StartSilo();
        var alarm = silo.GetGrain<IAlarmGrain>("u");
        await alarm.Schedule("a", RuntimeHarness.Epoch + Duration.FromDays(1), null);
        await alarm.Schedule("a", RuntimeHarness.Epoch + Duration.FromDays(2), Duration.FromDays(7));
        await alarm.Schedule("b", RuntimeHarness.Epoch + Duration.FromDays(1), null);
        await alarm.Cancel("b");

        Assert.Equal(new GrainReminder("a", RuntimeHarness.Epoch + Duration.FromDays(2), Duration.FromDays(7)), await alarm.Reminder("a"));
        Assert.Null(await alarm.Reminder("b"));
        harness.Time.Advance(Duration.FromDays(1));
        Assert.Equal(0, await silo.DeliverDueReminders());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_reminder_that_fails_is_delivered_again_later()
    {
        await using var harness = await RuntimeHarness.Create("retry");
        var silo = await harness.StartSilo();
        var alarm = silo.GetGrain<IAlarmGrain>($"f-{Guid.NewGuid()}");
        await alarm.Schedule("fail-once", RuntimeHarness.Epoch + Duration.FromMinutes(1), null);
        harness.Time.Advance(Duration.FromMinutes(1));

        Assert.Equal(0, await silo.DeliverDueReminders()); // the handler threw
        Assert.NotNull(await alarm.Reminder("fail-once"));
        Assert.Equal(0, await silo.DeliverDueReminders()); // not before the retry delay
        harness.Time.Advance(Duration.FromSeconds(30));
        Assert.Equal(1, await silo.DeliverDueReminders());
        Assert.Single(await alarm.Ticks());
        Assert.Null(await alarm.Reminder("fail-once"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_reminder_of_a_grain_type_this_silo_does_not_know_is_removed()
    {
        await using var harness = await RuntimeHarness.Create("unknowntype");
        var silo = await harness.StartSilo();
        await silo.GetGrain<IAlarmGrain>("f").Schedule("boom", RuntimeHarness.Epoch + Duration.FromMinutes(1), null);
        await harness.Scalar<int>("UPDATE reminders SET grain_type = 'test.gone' WHERE name = 'boom'"); // no class: removed with an error
        harness.Time.Advance(Duration.FromMinutes(1));
        Assert.Equal(1, await silo.DeliverDueReminders());
        Assert.Equal(0L, await harness.Scalar<long>("SELECT count(*) FROM reminders"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_reminder_staged_with_the_state_commits_with_it_or_not_at_all()
    {
        await using var harness = await RuntimeHarness.Create("staged");
        var silo = await harness.StartSilo();
        var alarm = silo.GetGrain<IAlarmGrain>("staged");
        var due = RuntimeHarness.Epoch + Duration.FromDays(30);

        await Assert.ThrowsAsync<InvalidOperationException>(() => alarm.ScheduleWithState("abandoned", due, thenFail: true));
        await alarm.ScheduleWithState("kept", due, thenFail: false);

        Assert.Null(await alarm.Reminder("abandoned")); // neither written nor carried along by the next write
        Assert.Equal(new GrainReminder("kept", due, null), await alarm.Reminder("kept"));
        harness.Time.Advance(Duration.FromDays(30));
        Assert.Equal(1, await silo.DeliverDueReminders());
        Assert.Equal("kept", Assert.Single(await alarm.Ticks()).Name);
    }

    [Fact]
    public void The_next_tick_is_the_first_on_the_cadence_after_the_delivery()
    {
        Prop.ForAll(
            Gen.Choose(1, 10_000).ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(),
            (periodMinutes, lateMinutes) =>
            {
                var due = RuntimeHarness.Epoch;
                var period = Duration.FromMinutes(periodMinutes);
                var fired = due + Duration.FromMinutes(lateMinutes);
                var next = ReminderTable.NextTick(due, period, fired);
                var stepsFromDue = (next - due).TotalMinutes / periodMinutes;
                return next > fired && next - period <= fired && stepsFromDue == Math.Floor(stepsFromDue);
            }).QuickCheckThrowOnFailure();
    }
}
