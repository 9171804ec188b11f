using Actors.Grains.Uitpas;
using Actors.Testing;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Actors.Uitpas.Tests;

/// <summary>
/// Properties over random sequences of counter operations, with retries of the same request: a holder's points never
/// go below zero and always equal earned minus spent plus returned; no tariff or reward goes to a holder not entitled.
/// </summary>
public sealed class PointsProperties
{
    private enum Op { CheckInMuseum, CheckInWorkshop, CheckInLibrary, RedeemCoffee, RedeemBag, Cancel, Retry, NextDay, Afternoon, Tariff, Undo }

    private sealed record Step(Op Op, int Pick);

    private static readonly Gen<Step> Steps = Gen.Zip(Gen.Elements(Enum.GetValues<Op>()), Gen.Choose(0, 50)).Select(x => new Step(x.Item1, x.Item2));

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Points_equal_earned_minus_spent_plus_returned_and_never_go_below_zero_whatever_the_order_and_retries()
    {
        await using var uitpas = await UitpasHarness.Start("pointsprops");
        await Sample.World(uitpas);
        var run = 0;
        var property = Prop.ForAll(Gen.ListOf(Steps).Select(s => s.Take(25).ToArray()).ToArbitrary(), steps =>
        {
            Run(uitpas, steps, ++run).GetAwaiter().GetResult();
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), property);
    }

    private static async Task Run(UitpasHarness uitpas, Step[] steps, int run)
    {
        var social = run % 2 == 0;
        var (pass, national) = await Sample.RegisteredHolder(uitpas, socialTariff: social);
        var holder = uitpas.Holder(national);
        var sent = new List<Func<Task>>();
        var request = 0;
        foreach (var step in steps)
        {
            var id = $"{run}-{++request}"; // fixed when the request is made, so a retry sends the very same request
            Func<Task> call = step.Op switch
            {
                Op.CheckInMuseum => () => holder.CheckIn(Sample.PointsOnly, pass, Sample.Museum, id),
                Op.CheckInWorkshop => () => holder.CheckIn(Sample.AtCounter, pass, Sample.Workshop, id),
                Op.CheckInLibrary => () => holder.CheckIn(Sample.AtLibrary, pass, Sample.Library, id),
                Op.RedeemCoffee => () => holder.Redeem(Sample.AtCounter, pass, Sample.Reward, id),
                Op.RedeemBag => () => holder.Redeem(Sample.AtLibrary, pass, Sample.ScarceReward, id),
                Op.Tariff => () => holder.GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, id),
                Op.Cancel => async () =>
                {
                    var redemptions = (await holder.Get())!.Redemptions;
                    if (redemptions.Count > 0)
                    {
                        var pick = redemptions[step.Pick % redemptions.Count];
                        await holder.CancelRedemption(pick.CounterId == Sample.Counter ? Sample.AtCounter : Sample.AtLibrary, pick.RedemptionId);
                    }
                },
                Op.Undo => async () =>
                {
                    var grants = (await holder.Get())!.Tariffs;
                    if (grants.Count > 0) await holder.UndoTariff(Sample.AtCounter, grants[step.Pick % grants.Count].GrantId);
                },
                Op.Retry => () => sent.Count > 0 ? sent[step.Pick % sent.Count]() : Task.CompletedTask,
                Op.NextDay => () => Sample.NextMorning(uitpas),
                _ => () => uitpas.Advance(Duration.FromHours(3)),
            };
            if (step.Op is not (Op.Retry or Op.NextDay or Op.Afternoon)) sent.Add(call);
            try { await call(); }
            catch (UitpasRefusedException) { }

            var view = (await holder.Get())!;
            var earned = view.CheckIns.Sum(c => c.Points);
            var spent = view.Redemptions.Sum(r => r.Points);
            var returned = view.Redemptions.Where(r => r.CancelledAt is not null).Sum(r => r.Points);
            Assert.True(view.Points >= 0, $"points {view.Points} after {step}");
            Assert.Equal(earned - spent + returned, view.Points);
            Assert.Equal(view.CheckIns.Count, view.CheckIns.Select(c => c.RequestId).Distinct().Count());
            Assert.Equal(view.Redemptions.Count, view.Redemptions.Select(r => r.RedemptionId).Distinct().Count());
            // No tariff to a holder not entitled; never more than the museum's quota (2 a month) in force.
            if (!social) Assert.Empty(view.Tariffs);
            Assert.All(view.Tariffs.Where(t => t.UndoneAt is null).GroupBy(t => UitpasCalendar.PeriodStart(LimitPeriod.Month, t.Day)), month => Assert.True(month.Count() <= 2));
            // Rewards in force respect the coffee's limit of one a month; the bag's stock never goes below zero.
            Assert.All(view.Redemptions.Where(r => r.RewardId == Sample.Reward && r.CancelledAt is null).GroupBy(r => UitpasCalendar.PeriodStart(LimitPeriod.Month, r.Day)),
                month => Assert.Single(month));
            Assert.True((await uitpas.Grain<IRewardGrain>(Sample.ScarceReward).Get())!.Remaining >= 0);
        }
    }
}
