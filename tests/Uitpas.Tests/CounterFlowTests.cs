using Actors.Grains.Uitpas;
using Actors.Testing;
using NodaTime;

namespace Actors.Uitpas.Tests;

/// <summary>The manual's "UiTPAS gebruiken", "Punt sparen", "Kansentarief registreren" and "Voordeel omruilen" on the grains.</summary>
public sealed class CounterFlowTests
{
    private static async Task<T> Refused<T>(Func<Task<T>> call, string code)
    {
        var refused = await Assert.ThrowsAsync<UitpasRefusedException>(call);
        Assert.Equal(code, refused.Code);
        return default!;
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_check_in_earns_the_activitys_points_once_per_request_and_limits_refuse_with_the_reason()
    {
        await using var uitpas = await UitpasHarness.Start("checkin");
        await Sample.World(uitpas);
        var (pass, national) = await Sample.RegisteredHolder(uitpas);
        await Sample.NextMorning(uitpas);
        var holder = uitpas.Holder(national);

        var receipt = await holder.CheckIn(Sample.PointsOnly, pass, Sample.Museum, "r1");
        Assert.Equal((1, 1), (receipt.Points, receipt.Balance));
        Assert.Equal(receipt, await holder.CheckIn(Sample.PointsOnly, pass, Sample.Museum, "r1")); // a retry counts once
        var reused = await Assert.ThrowsAsync<UitpasValidationException>(() => holder.CheckIn(Sample.PointsOnly, pass, Sample.Workshop, "r1"));
        Assert.Equal("REQUEST_ID_REUSED", reused.Code);
        var before = await uitpas.Written();
        await Refused(() => holder.CheckIn(Sample.PointsOnly, pass, Sample.Museum, "r2"), "DAY_MAXIMUM_REACHED");
        // The workshop opens at 14:00, with 15 minutes before it.
        await Refused(() => holder.CheckIn(Sample.PointsOnly, pass, Sample.Workshop, "r3"), "OUTSIDE_CHECKIN_WINDOW");
        var unknown = await Assert.ThrowsAsync<UitpasValidationException>(() => holder.CheckIn(Sample.PointsOnly, pass, "no-such-activity", "r4"));
        Assert.Equal(("UNKNOWN_ACTIVITY", "activityId"), (unknown.Code, unknown.Field));
        // Another counter's activity is not this counter's to check in.
        Assert.Equal("UNKNOWN_ACTIVITY", (await Assert.ThrowsAsync<UitpasValidationException>(() => holder.CheckIn(Sample.PointsOnly, pass, Sample.Library, "r5"))).Code);
        await Refused(() => holder.CheckIn(Sample.AtBrugge, pass, Sample.Concert, "r6"), "NOT_IN_CARD_SYSTEM");
        await Refused(() => holder.CheckIn(new CounterStaff(Sample.OtherCounter, Sample.Clerk), pass, Sample.Library, "r7"), "NOT_COUNTER_STAFF");
        Assert.Equal(before, await uitpas.Written());

        // 14:00: the workshop earns 2 points, at most twice a week.
        await uitpas.Advance(Duration.FromHours(3));
        Assert.Equal(3, (await holder.CheckIn(Sample.PointsOnly, pass, Sample.Workshop, "w1")).Balance);
        await Sample.NextMorning(uitpas);
        await uitpas.Advance(Duration.FromHours(3));
        Assert.Equal(5, (await holder.CheckIn(Sample.PointsOnly, pass, Sample.Workshop, "w2")).Balance);
        await Sample.NextMorning(uitpas);
        await uitpas.Advance(Duration.FromHours(3));
        await Refused(() => holder.CheckIn(Sample.PointsOnly, pass, Sample.Workshop, "w3"), "WEEK_MAXIMUM_REACHED");

        // A blocked card earns nothing.
        await uitpas.Pass(pass).Block(Sample.AtCounter, "stolen");
        await Sample.NextMorning(uitpas);
        await Refused(() => holder.CheckIn(Sample.PointsOnly, pass, Sample.Museum, "r8"), "INVALID_CARD");
        Assert.Equal(5, (await holder.Get())!.Points);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_social_tariff_is_granted_within_its_quota_undone_from_the_history_and_refused_without_entitlement()
    {
        await using var uitpas = await UitpasHarness.Start("tariff");
        await Sample.World(uitpas);
        var (pass, national) = await Sample.RegisteredHolder(uitpas, socialTariff: true);
        var (plainPass, plainNational) = await Sample.RegisteredHolder(uitpas);
        await Sample.NextMorning(uitpas);
        var holder = uitpas.Holder(national);

        var grant = await holder.GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, "t1");
        Assert.Equal((200, 1000), (grant.PriceCents, grant.ActivityPriceCents));
        Assert.Equal(grant, await holder.GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, "t1"));
        await holder.GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, "t2");
        await Refused(() => holder.GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, "t3"), "QUOTA_REACHED");
        var undone = await holder.UndoTariff(Sample.AtCounter, "t2");
        Assert.NotNull(undone.UndoneAt);
        Assert.Equal(200, (await holder.GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, "t3")).PriceCents);
        Assert.Equal(100, (await holder.GrantTariff(Sample.AtCounter, pass, Sample.Workshop, "one-euro", "t4")).PriceCents);

        var before = await uitpas.Written();
        await Refused(() => uitpas.Holder(plainNational).GrantTariff(Sample.AtCounter, plainPass, Sample.Museum, Sample.Kansentarief, "p1"), "NOT_ENTITLED");
        await Refused(() => holder.GrantTariff(Sample.PointsOnly, pass, Sample.Museum, Sample.Kansentarief, "t5"), "MISSING_RIGHT");
        Assert.Equal("UNKNOWN_TARIFF", (await Assert.ThrowsAsync<UitpasValidationException>(() =>
            holder.GrantTariff(Sample.AtCounter, pass, Sample.Museum, "no-such-tariff", "t6"))).Code);
        Assert.Equal(before, await uitpas.Written());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_reward_costs_points_and_refusals_give_UiTPAS_reasons_and_a_cancellation_returns_the_points_and_the_stock()
    {
        await using var uitpas = await UitpasHarness.Start("reward");
        await Sample.World(uitpas);
        var (pass, national) = await Sample.RegisteredHolder(uitpas);
        var holder = uitpas.Holder(national);
        await Sample.NextMorning(uitpas);
        await Refused(() => holder.Redeem(Sample.AtCounter, pass, Sample.Reward, "x0"), "NOT_ENOUGH_POINTS");
        for (var day = 0; day < 4; day++)
        {
            await holder.CheckIn(Sample.PointsOnly, pass, Sample.Museum, $"d{day}");
            await Sample.NextMorning(uitpas);
        }
        var redemption = await holder.Redeem(Sample.AtCounter, pass, Sample.Reward, "x1");
        Assert.Equal(3, redemption.Points);
        Assert.Equal(1, (await holder.Get())!.Points);
        Assert.Equal(redemption, await holder.Redeem(Sample.AtCounter, pass, Sample.Reward, "x1"));
        Assert.Equal(1, (await holder.Get())!.Points);
        await Refused(() => holder.Redeem(Sample.AtCounter, pass, Sample.Reward, "x2"), "NOT_ENOUGH_POINTS");
        await holder.CancelRedemption(Sample.AtCounter, "x1");
        Assert.Equal(4, (await holder.Get())!.Points);
        await holder.Redeem(Sample.AtCounter, pass, Sample.Reward, "x3");
        await holder.CheckIn(Sample.PointsOnly, pass, Sample.Museum, "d9");
        await holder.CheckIn(Sample.AtLibrary, pass, Sample.Library, "d10");
        await holder.CheckIn(Sample.AtLibrary, pass, Sample.Library, "d10"); // retried: counted once
        Assert.Equal(3, (await holder.Get())!.Points);
        await Refused(() => holder.Redeem(Sample.AtCounter, pass, Sample.Reward, "x4"), "HOLDER_LIMIT_REACHED");
        // The library does not offer the coffee.
        await Refused(() => holder.Redeem(Sample.AtLibrary, pass, Sample.Reward, "x5"), "NOT_IN_CARD_SYSTEM");

        // Two tote bags in stock, shared by all holders.
        await holder.Redeem(Sample.AtCounter, pass, Sample.ScarceReward, "b1");
        var (otherPass, otherNational) = await Sample.RegisteredHolder(uitpas);
        await uitpas.Holder(otherNational).CheckIn(Sample.PointsOnly, otherPass, Sample.Museum, "o1");
        await uitpas.Holder(otherNational).Redeem(Sample.AtLibrary, otherPass, Sample.ScarceReward, "b2");
        await Refused(() => holder.Redeem(Sample.AtCounter, pass, Sample.ScarceReward, "b3"), "OUT_OF_STOCK");
        await holder.CancelRedemption(Sample.AtCounter, "b1");
        Assert.Equal(1, (await uitpas.Grain<IRewardGrain>(Sample.ScarceReward).Get())!.Remaining);
        await holder.Redeem(Sample.AtCounter, pass, Sample.ScarceReward, "b3");

        await uitpas.Pass(pass).Block(Sample.AtCounter, "lost");
        await Refused(() => holder.Redeem(Sample.AtCounter, pass, Sample.ScarceReward, "b4"), "INVALID_CARD");

        // A year on, the coffee's periods are over.
        var (latePass, lateNational) = await Sample.RegisteredHolder(uitpas);
        for (var day = 0; day < 3; day++) { await uitpas.Holder(lateNational).CheckIn(Sample.PointsOnly, latePass, Sample.Museum, $"l{day}"); await Sample.NextMorning(uitpas); }
        await uitpas.AdvanceTo(uitpas.Now + Duration.FromDays(370));
        await Refused(() => uitpas.Holder(lateNational).Redeem(Sample.AtCounter, latePass, Sample.Reward, "l9"), "OUTSIDE_PERIOD");
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_profile_shows_for_this_counter_only_what_the_holder_is_entitled_to()
    {
        await using var uitpas = await UitpasHarness.Start("profile");
        await Sample.World(uitpas);
        var (socialPass, socialNational) = await Sample.RegisteredHolder(uitpas, socialTariff: true);
        var (plainPass, plainNational) = await Sample.RegisteredHolder(uitpas);
        await Sample.NextMorning(uitpas);

        var social = await uitpas.Holder(socialNational).Profile(Sample.AtCounter, socialPass);
        Assert.Equal(socialNational, social.NationalRegisterNumber);
        Assert.Equal([Sample.Museum, Sample.Workshop], social.Activities.Select(a => a.ActivityId));
        var museum = social.Activities[0];
        Assert.True(museum.CheckInAllowed);
        Assert.Equal((Sample.Kansentarief, 200, (int?)2), (museum.Tariffs[0].TariffId, museum.Tariffs[0].PriceCents, museum.Tariffs[0].Remaining));
        Assert.Empty(social.Rewards); // no points yet: no reward shows

        // Without social tariff, no tariff; the workshop (closed now) is not shown; points staff see no national number.
        var plain = await uitpas.Holder(plainNational).Profile(Sample.PointsOnly, plainPass);
        Assert.Null(plain.NationalRegisterNumber);
        var only = Assert.Single(plain.Activities);
        Assert.Equal(Sample.Museum, only.ActivityId);
        Assert.Empty(only.Tariffs);

        await uitpas.Holder(plainNational).CheckIn(Sample.PointsOnly, plainPass, Sample.Museum, "c1");
        plain = await uitpas.Holder(plainNational).Profile(Sample.PointsOnly, plainPass);
        Assert.Empty(plain.Activities); // checked in today, no tariff: nothing to do at the museum
        Assert.Equal([Sample.ScarceReward], plain.Rewards.Select(r => r.RewardId));

        // The library sees only its own activity and reward.
        var atLibrary = await uitpas.Holder(plainNational).Profile(Sample.AtLibrary, plainPass);
        Assert.Equal([Sample.Library], atLibrary.Activities.Select(a => a.ActivityId));
        Assert.Equal([Sample.ScarceReward], atLibrary.Rewards.Select(r => r.RewardId));
    }
}
