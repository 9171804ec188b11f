using Actors.Testing;
using System.Text.Json;
using Actors.Grains.Fleet;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// Properties over random sequences of operations and of time: no card reaches a state the seed forbids, and every
/// expiry gets exactly one renewal notice and one decision, across leap years and daylight-saving changes.
/// </summary>
public sealed class CardProperties
{
    private enum Op { Wait, Jump, ChangeLimit, ChangePlate, ChangePin, Block, BlockWithDuplicate, Cancel, Renew, Delete, Use, PinReissue }

    private sealed record Step(Op Op, int Amount);

    private static readonly Gen<Step> Steps = Gen.Zip(Gen.Elements(Enum.GetValues<Op>()), Gen.Choose(1, 400)).Select(x => new Step(x.Item1, x.Item2));

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task No_sequence_of_operations_reaches_a_card_state_the_seed_forbids()
    {
        await using var fleet = await FleetHarness.Start("cardprops");
        var customer = await Sample.RegisterCustomer(fleet);
        var property = Prop.ForAll(Gen.ListOf(Steps).Select(s => s.Take(14).ToArray()).ToArbitrary(), steps =>
        {
            Run(fleet, customer, steps).GetAwaiter().GetResult();
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25), property);
    }

    private static async Task Run(FleetHarness fleet, ICustomerGrain customer, Step[] steps)
    {
        var number = await customer.CreateCard(new CardOrder(Sample.Diesel()));
        var card = fleet.Grain<ICardGrain>(number);
        var previous = (await card.Get())!;
        var expectedRank = 1;
        foreach (var step in steps)
        {
            var reissued = false;
            try
            {
                switch (step.Op)
                {
                    case Op.Wait: await fleet.Advance(Duration.FromHours(step.Amount)); break;
                    case Op.Jump: await fleet.Advance(Duration.FromDays(step.Amount * 4)); break;
                    case Op.ChangeLimit:
                        reissued = (await card.Change(previous.Settings with { Limits = [new CardLimit("Diesel", step.Amount, LimitPeriod.Day, LimitBreach.Notify)] })).Reissued;
                        break;
                    case Op.ChangePlate: reissued = (await card.Change(previous.Settings with { Plate = $"1-PRP-{step.Amount:D3}" })).Reissued; break;
                    case Op.ChangePin: reissued = (await card.Change(previous.Settings with { PinType = PinType.Chosen }, $"{step.Amount:D4}")).Reissued; break;
                    case Op.Block: await card.Block(BlockReason.Loss, false); break;
                    case Op.BlockWithDuplicate: await card.Block(BlockReason.Theft, true); break;
                    case Op.Cancel: await card.Cancel(); break;
                    case Op.Renew: await card.Renew(); break;
                    case Op.Delete: await customer.DeleteCard(number); break;
                    case Op.Use: await card.RecordUse(FleetCalendar.Today(fleet.Now)); break;
                    case Op.PinReissue: await card.RequestPinReissue(); break;
                }
            }
            catch (FleetOperationException) { } // refused: the state must not have moved, checked below
            catch (FleetValidationException) { }

            var now = (await card.Get())!;
            if (reissued) expectedRank++;
            // Rank only grows by a reissue or a renewal activation; renewals show as RenewalDecided + activation.
            var renewals = (await fleet.Events("CardStatusChanged", number)).Count(e => e.GetProperty("from").GetString() == "InRenewal" && e.GetProperty("to").GetString() == "Active");
            Assert.Equal(expectedRank + renewals, now.Rank);
            if (previous.Status is CardStatus.Blocked)
            {
                Assert.Equal(CardStatus.Blocked, now.Status);
                Assert.Equal(FleetHarness.Json(previous.Settings), FleetHarness.Json(now.Settings)); // by value: a grain's answer is a copy
            }
            if (previous.Status is CardStatus.Deleted or CardStatus.Expired) Assert.Equal(previous.Status, now.Status);
            if (now.Status == CardStatus.Blocked) Assert.NotNull(now.BlockReason);
            previous = now;
        }

        await SeedRules.AssertHistory(fleet, number, previous.Status);
    }

    private sealed record Life(int StartDay, int StartMinute, bool Used, bool CancelEarly, bool RenewByHand, int[] Hops);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_expiry_gets_exactly_one_renewal_notice_and_one_decision_across_leap_years_and_DST()
    {
        // Start days spread over 2026-2030 (leap day 2028-02-29 included); minutes land on DST nights as well.
        var flags = Gen.Zip(Gen.Elements(true, false), Gen.Zip(Gen.Elements(true, false), Gen.Elements(true, false)));
        var lives = Gen.Zip(Gen.Zip(Gen.Choose(0, 1600), Gen.Choose(0, 24 * 60 - 1)), Gen.Zip(flags, Gen.ArrayOf(Gen.Choose(1, 200))))
            .Select(x => new Life(x.Item1.Item1, x.Item1.Item2, x.Item2.Item1.Item1, x.Item2.Item1.Item2.Item1, x.Item2.Item1.Item2.Item2, x.Item2.Item2));
        var property = Prop.ForAll(lives.ToArbitrary(), life =>
        {
            Live(life).GetAwaiter().GetResult();
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12), property);
    }

    private static async Task Live(Life life)
    {
        var start = Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromDays(life.StartDay) + Duration.FromMinutes(life.StartMinute);
        await using var fleet = await FleetHarness.Start("expiry", start);
        var customer = await Sample.RegisterCustomer(fleet);
        var number = await Sample.ActiveCard(fleet, customer);
        var card = fleet.Grain<ICardGrain>(number);
        var firstExpiry = (await card.Get())!.ExpiryDate!.Value;
        var activated = (start + Duration.FromHours(72)).InZone(FleetCalendar.Brussels).Date;
        Assert.Equal(new LocalDate(activated.Year + 4, activated.Month, DateTime.DaysInMonth(activated.Year + 4, activated.Month)), firstExpiry);
        if (life.CancelEarly) await card.Cancel();

        // Live nine years in random hops, using the card now and then, renewing by hand when cancelled if asked to.
        var end = start + Duration.FromDays(9 * 366);
        var hops = life.Hops.Length == 0 ? [97] : life.Hops;
        for (var i = 0; fleet.Now < end; i++)
        {
            await fleet.Advance(Duration.FromDays(hops[i % hops.Length]) + Duration.FromMinutes(life.StartMinute % 61));
            var view = (await card.Get())!;
            if (life.Used && view.Status is CardStatus.Active or CardStatus.RenewalCandidate or CardStatus.Cancelled)
                await card.RecordUse(FleetCalendar.Today(fleet.Now));
            if (life.RenewByHand && view.Status == CardStatus.Cancelled)
                try { await card.Renew(); } catch (FleetOperationException) { }
        }

        var notices = (await fleet.Events("RenewalNotice", number)).Select(Expiry).ToList();
        var decisions = (await fleet.Events("RenewalDecided", number)).Select(Expiry).ToList();
        Assert.Equal(notices.Distinct().Count(), notices.Count);
        Assert.Equal(notices, decisions);

        // The expiries of the card's chain (one more per renewal) whose notice time has passed were each noticed once, in order.
        var renewals = (await fleet.Events("CardStatusChanged", number))
            .Count(e => e.GetProperty("from").GetString() == "InRenewal" && e.GetProperty("to").GetString() == "Active");
        var chain = new List<LocalDate> { firstExpiry };
        for (var i = 0; i < renewals; i++)
        {
            var year = chain[^1].Year + 4;
            chain.Add(new LocalDate(year, chain[^1].Month, DateTime.DaysInMonth(year, chain[^1].Month))); // 4 years on, last day of the month
        }
        Assert.Equal(chain[^1], (await card.Get())!.ExpiryDate);
        Assert.Equal(chain.Where(e => FleetCalendar.StartOf(e.PlusMonths(-3)) <= fleet.Now), notices);
        Assert.NotEmpty(notices);
    }

    private static LocalDate Expiry(JsonElement e) => NodaTime.Text.LocalDatePattern.Iso.Parse(e.GetProperty("expiry").GetString()!).Value;
}
