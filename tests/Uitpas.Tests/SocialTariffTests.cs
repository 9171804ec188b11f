using Actors.Grains.Uitpas;
using Actors.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Actors.Uitpas.Tests;

/// <summary>Social tariff status per membership: active to its end date, in grace after it, then expired; suspended until a date.</summary>
public sealed class SocialTariffTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Wake_ups_end_the_tariff_and_its_grace_period_across_a_restart()
    {
        var uitpas = await UitpasHarness.Start("socialdates");
        try
        {
            await Sample.World(uitpas);
            var (pass, national) = await Sample.RegisteredHolder(uitpas, socialTariff: true, socialTariffEnd: new LocalDate(2026, 2, 28));
            Status(await uitpas.Holder(national).Get(), SocialTariffStatus.Active);

            uitpas = await uitpas.Restart();
            await uitpas.AdvanceTo(UitpasCalendar.StartOf(new LocalDate(2026, 3, 1)).Plus(Duration.FromHours(11)));
            Status(await uitpas.Holder(national).Get(), SocialTariffStatus.InGrace);
            // In grace the tariff is still granted.
            Assert.Equal(200, (await uitpas.Holder(national).GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, "g1")).PriceCents);

            uitpas = await uitpas.Restart();
            await uitpas.AdvanceTo(UitpasCalendar.StartOf(new LocalDate(2026, 5, 29)).Plus(Duration.FromHours(11)));
            Status(await uitpas.Holder(national).Get(), SocialTariffStatus.Expired);
            var refused = await Assert.ThrowsAsync<UitpasRefusedException>(() =>
                uitpas.Holder(national).GrantTariff(Sample.AtCounter, pass, Sample.Museum, Sample.Kansentarief, "g2"));
            Assert.Equal("NOT_ENTITLED", refused.Code);
            var events = (await uitpas.Events("UitpasHolderChanged")).Select(e => e.GetProperty("reason").GetString()).ToList();
            Assert.Contains("SocialTariffInGrace", events);
            Assert.Contains("SocialTariffExpired", events);

            // Renewed: active again until 30 April next year.
            var renewed = await uitpas.Holder(national).RenewSocialTariff(Sample.AtCounter, null);
            Assert.Equal((SocialTariffStatus.Active, new LocalDate(2027, 4, 30)), (renewed.Status, renewed.EndDate));

            // Suspended until a date, then active again by itself.
            var suspended = await uitpas.Holder(national).SuspendSocialTariff(Sample.AtCounter, uitpas.Today.PlusDays(10));
            Assert.Equal(SocialTariffStatus.Suspended, suspended.Status);
            await uitpas.Advance(Duration.FromDays(11));
            Status(await uitpas.Holder(national).Get(), SocialTariffStatus.Active);
        }
        finally { await uitpas.DisposeAsync(); }
    }

    private static void Status(HolderView? holder, SocialTariffStatus expected) =>
        Assert.Equal(expected, Assert.Single(holder!.Memberships).SocialTariff!.Status);

    [Property(MaxTest = 500)]
    public Property Grace_and_status_follow_the_dates_across_leap_years() => Prop.ForAll(
        Gen.Choose(0, 365 * 12).Select(d => new LocalDate(2023, 1, 1).PlusDays(d)).ToArbitrary(),
        Gen.Choose(0, 12).ToArbitrary(), Gen.Choose(-30, 800).ToArbitrary(),
        (granted, graceMonths, offset) =>
        {
            var end = UitpasCalendar.DefaultSocialTariffEnd(granted);
            var grace = UitpasCalendar.GraceEnd(end, graceMonths);
            var tariff = new SocialTariff(SocialTariffStatus.Active, end, grace);
            var day = granted.PlusDays(offset);
            var status = UitpasCalendar.StatusOn(tariff, day);
            var expected = day <= end ? SocialTariffStatus.Active : day <= grace ? SocialTariffStatus.InGrace : SocialTariffStatus.Expired;
            // 30 April of the next year, always; the grace period never ends before the end date, and a month from
            // a last day of the month lands on the last day of the shorter month (29 February in leap years).
            return end == new LocalDate(granted.Year + 1, 4, 30) && grace >= end && status == expected
                && (UitpasCalendar.NextChange(tariff, day) is not { } next || next > day && UitpasCalendar.StatusOn(tariff, next) != status);
        });

    [Fact]
    public void A_month_of_grace_after_31_January_ends_on_the_last_day_of_February()
    {
        Assert.Equal(new LocalDate(2028, 2, 29), UitpasCalendar.GraceEnd(new LocalDate(2028, 1, 31), 1));
        Assert.Equal(new LocalDate(2027, 2, 28), UitpasCalendar.GraceEnd(new LocalDate(2027, 1, 31), 1));
        Assert.Equal(new LocalDate(2029, 2, 28), UitpasCalendar.GraceEnd(new LocalDate(2028, 2, 29), 12));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_grain_moves_through_its_statuses_on_the_dates_across_a_leap_day()
    {
        // A tariff ending on 29 February 2028 with 3 months of grace: in grace from 1 March, expired from 30 May.
        await using var uitpas = await UitpasHarness.Start("leap", Instant.FromUtc(2028, 1, 10, 9, 0));
        await Sample.World(uitpas);
        var (_, national) = await Sample.RegisteredHolder(uitpas, socialTariff: true, socialTariffEnd: new LocalDate(2028, 2, 29));
        var tariff = Assert.Single((await uitpas.Holder(national).Get())!.Memberships).SocialTariff!;
        Assert.Equal(new LocalDate(2028, 5, 29), tariff.GraceEndDate);
        foreach (var (day, expected) in new[] {
            (new LocalDate(2028, 2, 29), SocialTariffStatus.Active), (new LocalDate(2028, 3, 1), SocialTariffStatus.InGrace),
            (new LocalDate(2028, 5, 29), SocialTariffStatus.InGrace), (new LocalDate(2028, 5, 30), SocialTariffStatus.Expired) })
        {
            await uitpas.AdvanceTo(UitpasCalendar.StartOf(day).Plus(Duration.FromHours(12)));
            Status(await uitpas.Holder(national).Get(), expected);
        }
    }
}
