using Actors.Testing;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Fiches 05, 08 (OBUs) and 13 (driver codes) through grain calls.</summary>
public sealed class ObuAndDriverCodeTests : IAsyncLifetime
{
    private FleetHarness fleet = null!;
    private ICustomerGrain customer = null!;

    public async Task InitializeAsync()
    {
        fleet = await FleetHarness.Start("obus");
        customer = await Sample.RegisterCustomer(fleet);
    }

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche05_an_obu_waits_for_the_registration_certificate_and_gets_toll_conditions_from_the_workflow()
    {
        var number = await customer.CreateObu(Sample.Truck());
        var obu = fleet.Grain<IObuGrain>(number);
        var created = (await obu.Get())!;
        Assert.Equal(CardStatus.AwaitingCertificate, created.Status);
        Assert.Equal(("Heavy4Axles", true, 10m), (created.Toll.TariffClass, created.Toll.ConnectionFees, created.Toll.ConnectionFeeAmount));
        Assert.Contains(created.Decisions, d => d.Workflow == "FleetTollConditions");

        await fleet.Advance(Duration.FromDays(5));
        Assert.Equal(CardStatus.AwaitingCertificate, (await obu.Get())!.Status);

        await obu.UploadRegistrationCertificate("grijze-kaart.pdf", [1, 2, 3, 4]);
        Assert.Equal(CardStatus.New, (await obu.Get())!.Status);
        await fleet.Advance(Duration.FromHours(24));
        Assert.Equal(CardStatus.InProduction, (await obu.Get())!.Status);
        await fleet.Advance(Duration.FromHours(48));
        var active = (await obu.Get())!;
        Assert.Equal(CardStatus.Active, active.Status);
        Assert.Equal(4, active.Certificate!.Size);
        Assert.Equal("Passango", await fleet.Scalar<string>("SELECT product FROM fleet_status WHERE number = $1", number));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche05_toll_workflow_refusals_name_the_field()
    {
        var heavyClass1 = await Assert.ThrowsAsync<FleetValidationException>(() => customer.CreateObu(Sample.Truck() with { VehicleClass = 1 }));
        Assert.Equal(("CLASS_WEIGHT_MISMATCH", "weightKg"), (heavyClass1.Code, heavyClass1.Field));
        var unknownOperator = await Assert.ThrowsAsync<FleetValidationException>(() => customer.CreateObu(Sample.Truck() with { TollOperators = ["Moon Roads"] }));
        Assert.Equal("tollOperators", unknownOperator.Field);
        Assert.Empty((await customer.Get())!.Obus);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche08_weight_reissues_and_needs_the_certificate_again_division_applies_at_once()
    {
        var number = await customer.CreateObu(Sample.Truck());
        var obu = fleet.Grain<IObuGrain>(number);
        await obu.UploadRegistrationCertificate("grijze-kaart.pdf", [9]);
        await fleet.Advance(Duration.FromDays(3));

        var division = await obu.Change((await obu.Get())!.Settings with { Division = "Vans", TollOperators = ["Viapass"] });
        Assert.False(division.Reissued);
        var view = (await obu.Get())!;
        Assert.Equal((CardStatus.Active, 1, false), (view.Status, view.Rank, view.Toll.ConnectionFees));

        var weight = await obu.Change(view.Settings with { WeightKg = 26000 });
        Assert.Equal(["Weight"], weight.ReissuingFields);
        view = (await obu.Get())!;
        Assert.Equal((CardStatus.AwaitingCertificate, 2), (view.Status, view.Rank));
        Assert.Null(view.Certificate);

        await obu.UploadRegistrationCertificate("grijze-kaart-2.pdf", [7, 7]);
        Assert.Equal(CardStatus.Active, (await obu.Get())!.Status);
        await obu.Block(BlockReason.Defective, duplicate: false);
        var refused = await Assert.ThrowsAsync<FleetOperationException>(() => obu.Change(view.Settings with { Division = "Trucks" }));
        Assert.Equal("NOT_EDITABLE", refused.Code);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche09_a_new_obu_is_deleted_not_blocked_and_a_blocked_one_gets_a_duplicate_waiting_for_its_certificate()
    {
        var freshNumber = await customer.CreateObu(Sample.Truck("1-NEW-001"));
        var fresh = fleet.Grain<IObuGrain>(freshNumber);
        var refused = await Assert.ThrowsAsync<FleetOperationException>(() => fresh.Block(BlockReason.NotReceived, false));
        Assert.Equal("NEW_CARD_NOT_BLOCKABLE", refused.Code);
        await customer.DeleteObu(freshNumber);
        Assert.Equal(CardStatus.Deleted, (await fresh.Get())!.Status);
        Assert.Equal(0L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_status"));

        var number = await customer.CreateObu(Sample.Truck());
        var obu = fleet.Grain<IObuGrain>(number);
        await obu.UploadRegistrationCertificate("grijze-kaart.pdf", [1]);
        await fleet.Advance(Duration.FromDays(3));
        await obu.Block(BlockReason.Theft, duplicate: true);
        var obus = (await customer.Get())!.Obus;
        Assert.DoesNotContain(freshNumber, obus);
        var duplicate = Assert.Single(obus, o => o != number);
        var copy = (await fleet.Grain<IObuGrain>(duplicate).Get())!;
        Assert.Equal((CardStatus.AwaitingCertificate, 40000), (copy.Status, copy.Settings.WeightKg));
        Assert.Equal((CardStatus.Blocked, BlockReason.Theft), ((await obu.Get())!.Status, (await obu.Get())!.BlockReason));
        await Assert.ThrowsAsync<FleetOperationException>(() => obu.Block(BlockReason.Loss, false));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche13_driver_codes_change_only_name_and_division_and_block_unblock_reissue()
    {
        await customer.CreateDriverCode("0001", "PEETERS Jan", "Trucks");
        var code = fleet.Grain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(Sample.Customer, "0001"));
        await customer.ChangeDriverCode("0001", "PEETERS Jan-Willem", "Vans");
        var noDivision = await Assert.ThrowsAsync<FleetValidationException>(() => customer.ChangeDriverCode("0001", "PEETERS Jan", "Boats"));
        Assert.Equal(("UNKNOWN_DIVISION", "division"), (noDivision.Code, noDivision.Field));
        Assert.Equal(("PEETERS Jan-Willem", "Vans"), ((await code.Get())!.DriverName, (await code.Get())!.Division));

        var tooLong = await Assert.ThrowsAsync<FleetValidationException>(() => customer.ChangeDriverCode("0001", new string('A', 26), "Vans"));
        Assert.Equal(("TOO_LONG", "driverName"), (tooLong.Code, tooLong.Field));
        var badCode = await Assert.ThrowsAsync<FleetValidationException>(() => customer.CreateDriverCode("12a4", "DE SMET An", null));
        Assert.Equal(("INVALID_DRIVER_CODE", "code"), (badCode.Code, badCode.Field));
        var duplicate = await Assert.ThrowsAsync<FleetValidationException>(() => customer.CreateDriverCode("0001", "DE SMET An", null));
        Assert.Equal("DUPLICATE_DRIVER_CODE", duplicate.Code);

        await customer.BlockDriverCodes(["0001"]);
        Assert.Equal(DriverCodeStatus.Blocked, (await code.Get())!.Status);
        var card = await customer.CreateCard(new CardOrder(Sample.Diesel() with { PinType = PinType.PersonalCode }));
        await Assert.ThrowsAsync<FleetOperationException>(() => customer.RequestDriverCodeReissue("0001", card, "Vans"));
        await code.Unblock();
        var unknownCard = await Assert.ThrowsAsync<FleetValidationException>(() => customer.RequestDriverCodeReissue("0001", "789000", "Vans"));
        Assert.Equal(("UNKNOWN_CARD", "cardNumber"), (unknownCard.Code, unknownCard.Field));
        await customer.RequestDriverCodeReissue("0001", card, "Vans");
        var post = Assert.Single(await fleet.Events("DriverCodeReissueRequested"));
        Assert.Equal((card, "Vans"), (post.GetProperty("cardNumber").GetString(), post.GetProperty("division").GetString()));
        Assert.Equal((DriverCodeStatus.Active, 1), ((await code.Get())!.Status, (await code.Get())!.Reissues));
        Assert.Equal("Active", await fleet.Scalar<string>("SELECT status FROM fleet_driver_codes WHERE code = '0001'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche13_blocking_more_than_five_codes_takes_effect_the_next_morning_at_six_in_Brussels()
    {
        var codes = Enumerable.Range(1, 6).Select(i => $"{i:D4}").ToList();
        foreach (var c in codes) await customer.CreateDriverCode(c, $"DRIVER {c}", null);
        // Saturday 28 March 2026, 22:00 in Brussels; the clocks go forward that night.
        await fleet.AdvanceTo(Instant.FromUtc(2026, 3, 28, 21, 0));
        var at = await customer.BlockDriverCodes(codes);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 4, 0), at); // 06:00 CEST
        await fleet.Advance(Duration.FromHours(6) + Duration.FromMinutes(59));
        Assert.All(codes, c => Assert.Equal(DriverCodeStatus.Active, fleet.Grain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(Sample.Customer, c)).Get().Result!.Status));
        await fleet.Advance(Duration.FromMinutes(1));
        foreach (var c in codes)
            Assert.Equal(DriverCodeStatus.Blocked, (await fleet.Grain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(Sample.Customer, c)).Get())!.Status);
        Assert.Empty((await customer.Get())!.DriverCodesToBlock);
    }
}
