using Actors.Testing;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Fiches 03, 04, 07, 09 and 13 through grain calls on a real PostgreSQL.</summary>
public sealed class CardFlowTests : IAsyncLifetime
{
    private FleetHarness fleet = null!;
    private ICustomerGrain customer = null!;

    public async Task InitializeAsync()
    {
        fleet = await FleetHarness.Start("cards");
        customer = await Sample.RegisterCustomer(fleet);
    }

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche03_a_card_request_goes_new_in_production_active_within_24_hours_and_shows_in_my_requests()
    {
        var number = await customer.CreateCard(new CardOrder(Sample.Diesel() with { PinType = PinType.Chosen }, Pin: "4729"));
        var card = fleet.Grain<ICardGrain>(number);
        Assert.Equal(CardStatus.New, (await card.Get())!.Status);
        Assert.Equal("New", await fleet.Scalar<string>("SELECT status FROM fleet_requests WHERE number = $1", number));

        await fleet.Advance(Duration.FromHours(23));
        Assert.Equal(CardStatus.New, (await card.Get())!.Status);
        await fleet.Advance(Duration.FromHours(1));
        Assert.Equal(CardStatus.InProduction, (await card.Get())!.Status);
        Assert.Equal("InProduction", await fleet.Scalar<string>("SELECT status FROM fleet_requests WHERE number = $1", number));

        await fleet.Advance(Duration.FromHours(48));
        var active = (await card.Get())!;
        Assert.Equal(CardStatus.Active, active.Status);
        Assert.Equal(new LocalDate(2030, 1, 31), active.ExpiryDate);
        Assert.True(active.PinSet);
        Assert.Equal("Done", await fleet.Scalar<string>("SELECT status FROM fleet_requests WHERE number = $1", number));
        Assert.Equal("Active", await fleet.Scalar<string>("SELECT status FROM fleet_status WHERE number = $1", number));
        Assert.Contains(number, (await customer.Get())!.Cards);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche03_required_fields_and_limits_come_from_the_creation_workflow()
    {
        var noPlate = await Assert.ThrowsAsync<FleetValidationException>(() =>
            customer.CreateCard(new CardOrder(Sample.Diesel() with { Plate = null, HolderName = null })));
        Assert.Equal(("REQUIRED", "plate"), (noPlate.Code, noPlate.Field));

        var limitOnShop = await Assert.ThrowsAsync<FleetValidationException>(() => customer.CreateCard(new CardOrder(
            Sample.Diesel() with { Limits = [new CardLimit("Shop", 50, LimitPeriod.Week, LimitBreach.Notify)] })));
        Assert.Equal(("INVALID_LIMIT", "limits"), (limitOnShop.Code, limitOnShop.Field));

        var noAddress = await Assert.ThrowsAsync<FleetValidationException>(() =>
            customer.CreateCard(new CardOrder(Sample.Diesel() with { ShippingAddress = null })));
        Assert.Equal("shippingAddress", noAddress.Field);
        Assert.Empty((await customer.Get())!.Cards);
        Assert.Equal(0L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_status"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche04_a_copy_takes_every_setting_but_the_plate_and_the_pin()
    {
        var source = await Sample.ActiveCard(fleet, customer);
        var copy = await fleet.Grain<ICardGrain>(source).Copy("2-XYZ-987", null, null);
        var original = (await fleet.Grain<ICardGrain>(source).Get())!;
        var copied = (await fleet.Grain<ICardGrain>(copy).Get())!;
        Assert.NotEqual(source, copy);
        Assert.Equal("2-XYZ-987", copied.Settings.Plate);
        Assert.Equal(original.Settings.Limits, copied.Settings.Limits);
        Assert.Equal(original.Settings.Controls.Countries, copied.Settings.Controls.Countries);
        Assert.Equal(original.Settings.ShippingAddress, copied.Settings.ShippingAddress);
        Assert.Equal((CardStatus.New, Sample.Customer), (copied.Status, copied.CustomerNumber));
        Assert.Contains(copy, (await customer.Get())!.Cards);

        // The source's PIN is computed by the issuer: a PIN given with the copy is refused, not silently dropped.
        var choosePin = await Assert.ThrowsAsync<FleetValidationException>(() => fleet.Grain<ICardGrain>(source).Copy("3-AAA-111", null, "1234"));
        Assert.Equal(("PIN_NOT_CHOSEN", "pin"), (choosePin.Code, choosePin.Field));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche07_the_workflow_decides_reissue_or_reconfigure_and_a_blocked_card_cannot_be_changed()
    {
        var number = await Sample.ActiveCard(fleet, customer);
        var card = fleet.Grain<ICardGrain>(number);
        var settings = (await card.Get())!.Settings;

        var limit = await card.Change(settings with { Limits = [new CardLimit("Diesel", 150, LimitPeriod.Day, LimitBreach.Notify)] });
        Assert.False(limit.Reissued);
        Assert.Equal(["FuelLimit", "ServiceLimit"], limit.ChangedFields);
        Assert.Equal(1, (await card.Get())!.Rank);

        var plate = await card.Change((await card.Get())!.Settings with { Plate = "1-NEW-777" });
        Assert.True(plate.Reissued);
        var reissued = (await card.Get())!;
        Assert.Equal(2, reissued.Rank);
        Assert.Equal(number, reissued.CardNumber);
        Assert.Contains(reissued.Decisions, d => d.Workflow == "FleetCardChange" && d.Outcome == "PlateOrName: reissue" && d.Version.Length > 0);
        Assert.Contains(reissued.Requests, r => r.Kind == RequestKind.Reissue);

        await card.Block(BlockReason.Loss, duplicate: false);
        var refused = await Assert.ThrowsAsync<FleetOperationException>(() => card.Change(reissued.Settings with { Division = "Vans" }));
        Assert.Equal("NOT_EDITABLE", refused.Code);
        Assert.Equal("Trucks", (await card.Get())!.Settings.Division);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche09_blocking_with_a_duplicate_orders_a_new_card_and_a_new_card_is_deleted_not_blocked()
    {
        var number = await Sample.ActiveCard(fleet, customer);
        var duplicate = await fleet.Grain<ICardGrain>(number).Block(BlockReason.Theft, duplicate: true);
        Assert.NotNull(duplicate);
        var blocked = (await fleet.Grain<ICardGrain>(number).Get())!;
        Assert.Equal((CardStatus.Blocked, BlockReason.Theft), (blocked.Status, blocked.BlockReason));
        Assert.Equal(CardStatus.New, (await fleet.Grain<ICardGrain>(duplicate).Get())!.Status);
        Assert.Equal(blocked.Settings.Limits, (await fleet.Grain<ICardGrain>(duplicate).Get())!.Settings.Limits);
        Assert.Single(await fleet.Events("CardBlocked", number));

        var fresh = await customer.CreateCard(new CardOrder(Sample.Diesel("1-FRE-001")));
        var notBlockable = await Assert.ThrowsAsync<FleetOperationException>(() => fleet.Grain<ICardGrain>(fresh).Block(BlockReason.Defective, false));
        Assert.Equal("NEW_CARD_NOT_BLOCKABLE", notBlockable.Code);
        await customer.DeleteCard(fresh);
        Assert.Equal(CardStatus.Deleted, (await fleet.Grain<ICardGrain>(fresh).Get())!.Status);
        Assert.Equal(0L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_status WHERE number = $1", fresh));
        Assert.DoesNotContain(fresh, (await customer.Get())!.Cards);
        var notDeletable = await Assert.ThrowsAsync<FleetOperationException>(() => fleet.Grain<ICardGrain>(number).Delete());
        Assert.Equal("NOT_DELETABLE", notDeletable.Code);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche09_a_cancelled_card_stays_usable_until_expiry_and_is_not_renewed()
    {
        var number = await Sample.ActiveCard(fleet, customer);
        var card = fleet.Grain<ICardGrain>(number);
        await card.RecordUse(new LocalDate(2026, 1, 20));
        await card.Cancel();
        Assert.Equal(CardStatus.Cancelled, (await card.Get())!.Status);
        await card.RecordUse(new LocalDate(2026, 2, 1)); // still usable
        Assert.Equal(new LocalDate(2026, 2, 1), (await card.Get())!.LastUsedOn);

        await fleet.AdvanceTo(FleetCalendar.StartOf(new LocalDate(2030, 2, 2)));
        var ended = (await card.Get())!;
        Assert.Equal((CardStatus.Expired, 1), (ended.Status, ended.Rank));
        var decision = Assert.Single(await fleet.Events("RenewalDecided", number));
        Assert.Equal("Cancelled", decision.GetProperty("decision").GetString());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche13_changing_the_pin_reissues_and_a_pin_reissue_goes_by_post()
    {
        var number = await Sample.ActiveCard(fleet, customer, Sample.Diesel() with { PinType = PinType.Computed });
        var card = fleet.Grain<ICardGrain>(number);
        var settings = (await card.Get())!.Settings;
        var bad = await Assert.ThrowsAsync<FleetValidationException>(() => card.Change(settings with { PinType = PinType.Chosen }, "12345"));
        Assert.Equal(("INVALID_PIN", "pin"), (bad.Code, bad.Field));
        Assert.Equal(1, (await card.Get())!.Rank);

        var outcome = await card.Change((await card.Get())!.Settings with { PinType = PinType.Chosen }, "0801");
        Assert.True(outcome.Reissued);
        Assert.Equal(["Pin"], outcome.ReissuingFields);
        var view = (await card.Get())!;
        Assert.Equal(2, view.Rank);
        Assert.True(view.PinSet);
        Assert.DoesNotContain("0801", await fleet.Scalar<string>("SELECT state::text FROM grain_state WHERE grain_key = $1", number));

        await card.RequestPinReissue();
        Assert.Single(await fleet.Events("PinReissueRequested", number));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche13_personal_codes_carry_the_entry_order_per_country()
    {
        var number = await customer.CreateCard(new CardOrder(Sample.Diesel() with
        {
            PinType = PinType.PersonalCode,
            Controls = new CardControls { Countries = ["BE", "DE", "PL", "FR"] },
        }));
        var card = (await fleet.Grain<ICardGrain>(number).Get())!;
        Assert.Equal([new("BE", false), new("DE", true), new("PL", true), new("FR", false)], card.PinEntryOrder);
        Assert.Contains(card.Decisions, d => d.Workflow == "FleetPinEntryOrder" && d.Outcome.EndsWith("DE, PL"));
        Assert.Contains(card.Decisions, d => d.Workflow == "FleetCardCreation" && d.Outcome == "settings accepted");
    }
}

/// <summary>Cards call their customer and the customer calls only new cards: concurrent copies, changes and blocks never wait on each other.</summary>
public sealed class CardConcurrencyTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Copies_division_changes_and_blocks_of_one_customer_in_parallel_all_complete()
    {
        await using var fleet = await FleetHarness.Start("concurrent");
        var customer = await Sample.RegisterCustomer(fleet);
        var cards = new List<string>();
        for (var i = 0; i < 6; i++) cards.Add(await customer.CreateCard(new CardOrder(Sample.Diesel($"1-CON-{i:D3}"))));
        await fleet.Advance(Duration.FromDays(3));

        var work = cards.SelectMany((number, i) => new Func<Task>[]
        {
            () => fleet.Grain<ICardGrain>(number).Copy($"2-CPY-{i:D3}", null, null),
            async () => await fleet.Grain<ICardGrain>(number).Change((await fleet.Grain<ICardGrain>(number).Get())!.Settings with { Division = "Vans" }),
            async () =>
            {
                if (i % 2 == 0) await fleet.Grain<ICardGrain>(number).Block(BlockReason.Loss, duplicate: true);
                else await customer.CreateCard(new CardOrder(Sample.Diesel($"3-NEW-{i:D3}")));
            },
        }).Select(step => Task.Run(async () =>
        {
            try { await step(); }
            catch (FleetOperationException) { } // a change after the block is refused, which is fine
        }));
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(30));

        var view = (await customer.Get())!;
        Assert.Equal(6 + 6 + 3 + 3, view.Cards.Count); // originals, copies, duplicates, new cards
        Assert.Equal(view.Cards.Count, view.Cards.Distinct().Count());
        Assert.Equal((long)view.Cards.Count, await fleet.Scalar<long>("SELECT count(*) FROM fleet_status"));
    }
}
