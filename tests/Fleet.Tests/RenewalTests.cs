using Actors.Testing;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Fiche 12: notice and decision three months before expiry, edits until M-1, production, shipping, activation at M.</summary>
public sealed class RenewalTests : IAsyncLifetime
{
    private FleetHarness fleet = null!;
    private ICustomerGrain customer = null!;

    public async Task InitializeAsync()
    {
        fleet = await FleetHarness.Start("renewal");
        customer = await Sample.RegisterCustomer(fleet);
    }

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    private static Instant At(int year, int month, int day) => FleetCalendar.StartOf(new LocalDate(year, month, day));

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_used_card_becomes_a_candidate_is_edited_then_renewed_with_the_same_number_and_rank_plus_one()
    {
        var number = await Sample.ActiveCard(fleet, customer);
        var card = fleet.Grain<ICardGrain>(number);
        Assert.Equal(new LocalDate(2030, 1, 31), (await card.Get())!.ExpiryDate);

        await fleet.AdvanceTo(At(2029, 9, 15));
        await card.RecordUse(new LocalDate(2029, 9, 14));
        await fleet.AdvanceTo(At(2029, 10, 31) - Duration.FromMinutes(1));
        Assert.Equal(CardStatus.Active, (await card.Get())!.Status);
        Assert.Empty(await fleet.Events("RenewalNotice", number));

        await fleet.AdvanceTo(At(2029, 10, 31));
        var candidate = (await card.Get())!;
        Assert.Equal(CardStatus.RenewalCandidate, candidate.Status);
        Assert.Contains(candidate.Decisions, d => d.Workflow == "FleetRenewal" && d.Outcome.EndsWith("RenewalCandidate"));
        var outcome = await card.Change(candidate.Settings with { Services = ["CarWash", "Shop"] });
        Assert.True(outcome.Reissued); // services are on fiche 07's reissue side, and the renewal makes the new card anyway

        await fleet.AdvanceTo(At(2029, 12, 1));
        Assert.Equal(CardStatus.InRenewal, (await card.Get())!.Status);
        var closed = await Assert.ThrowsAsync<FleetOperationException>(() => card.Change(candidate.Settings));
        Assert.Equal("NOT_EDITABLE", closed.Code);
        Assert.Empty(await fleet.Events("RenewalShipped", number));
        await fleet.AdvanceTo(At(2029, 12, 15));
        Assert.Single(await fleet.Events("RenewalShipped", number));

        await fleet.AdvanceTo(At(2030, 1, 1));
        var renewed = (await card.Get())!;
        Assert.Equal((number, CardStatus.Active, 3, new LocalDate(2034, 1, 31)),
            (renewed.CardNumber, renewed.Status, renewed.Rank, renewed.ExpiryDate));
        Assert.Equal(["CarWash", "Shop"], renewed.Settings.Services);
        Assert.Single(await fleet.Events("RenewalNotice", number));
        Assert.Single(await fleet.Events("RenewalDecided", number));
        Assert.Contains(renewed.Requests, r => r.Kind == RequestKind.Renewal && r.Status == RequestStatus.Done);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_card_unused_for_three_months_is_cancelled_and_renewing_it_makes_it_a_candidate()
    {
        var number = await Sample.ActiveCard(fleet, customer);
        var card = fleet.Grain<ICardGrain>(number);
        await card.RecordUse(new LocalDate(2026, 2, 1));
        await fleet.AdvanceTo(At(2029, 10, 31));
        var cancelled = (await card.Get())!;
        Assert.Equal(CardStatus.Cancelled, cancelled.Status);
        var decision = Assert.Single(await fleet.Events("RenewalDecided", number));
        Assert.Equal("Cancelled", decision.GetProperty("decision").GetString());

        await card.Change(cancelled.Settings with { Limits = [new CardLimit("Diesel", 100, LimitPeriod.Day, LimitBreach.Block)] });
        await card.Renew();
        Assert.Equal(CardStatus.RenewalCandidate, (await card.Get())!.Status);
        await fleet.AdvanceTo(At(2030, 1, 1));
        Assert.Equal((CardStatus.Active, 2), ((await card.Get())!.Status, (await card.Get())!.Rank));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Only_a_cancelled_card_is_renewed_by_hand_and_a_blocked_one_is_never_renewed()
    {
        var number = await Sample.ActiveCard(fleet, customer);
        var card = fleet.Grain<ICardGrain>(number);
        var refused = await Assert.ThrowsAsync<FleetOperationException>(() => card.Renew());
        Assert.Equal("NOT_RENEWABLE", refused.Code);
        await card.Block(BlockReason.NotReceived, duplicate: false);
        await fleet.AdvanceTo(At(2030, 3, 1));
        var blocked = (await card.Get())!;
        Assert.Equal((CardStatus.Blocked, 1), (blocked.Status, blocked.Rank));
        var decision = Assert.Single(await fleet.Events("RenewalDecided", number));
        Assert.Equal("NotRenewed", decision.GetProperty("decision").GetString());
    }
}
