using Actors.Testing;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// Issue item 13: bad input (plate, PIN length, driver name over 25, phone with spaces, unknown customer number,
/// malformed date) fails with a code and the field, and leaves no state, no event and no read-model row behind.
/// </summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private FleetHarness fleet = null!;
    private ICustomerGrain customer = null!;

    public async Task InitializeAsync()
    {
        fleet = await FleetHarness.Start("validation");
        customer = await Sample.RegisterCustomer(fleet);
    }

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    public static TheoryData<string, string, string> BadCards => new()
    {
        { "plate in lower case", "INVALID_PLATE", "plate" },
        { "plate without a digit", "INVALID_PLATE", "plate" },
        { "PIN of 3 digits", "INVALID_PIN", "pin" },
        { "PIN of 5 digits", "INVALID_PIN", "pin" },
        { "driver name of 26", "TOO_LONG", "driverName" },
        { "country of 3 letters", "INVALID_COUNTRY", "controls.countries[1]" },
        { "unknown division", "UNKNOWN_DIVISION", "division" },
    };

    [Theory]
    [MemberData(nameof(BadCards))]
    public async Task A_refused_card_order_writes_nothing(string input, string code, string field)
    {
        var settings = Sample.Diesel() with { PinType = PinType.Chosen };
        var pin = "1234";
        switch (input)
        {
            case "plate in lower case": settings = settings with { Plate = "1-abc-123" }; break;
            case "plate without a digit": settings = settings with { Plate = "ABC-DEF" }; break;
            case "PIN of 3 digits": pin = "123"; break;
            case "PIN of 5 digits": pin = "12345"; break;
            case "driver name of 26": settings = settings with { DriverName = new string('X', 26) }; break;
            case "country of 3 letters": settings = settings with { Controls = settings.Controls with { Countries = ["BE", "DEU"] } }; break;
            case "unknown division": settings = settings with { Division = "Submarines" }; break;
        }
        var before = await Counts();
        var refused = await Assert.ThrowsAsync<FleetValidationException>(() => customer.CreateCard(new CardOrder(settings, pin)));
        Assert.Equal((code, field), (refused.Code, refused.Field));
        Assert.Equal(before, await Counts());
        Assert.Empty((await customer.Get())!.Cards);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_driver_name_of_exactly_25_is_fine_and_26_is_refused()
    {
        await customer.CreateDriverCode("0042", new string('N', 25), "Vans");
        var refused = await Assert.ThrowsAsync<FleetValidationException>(() => customer.CreateDriverCode("0043", new string('N', 26), "Vans"));
        Assert.Equal(("TOO_LONG", "driverName"), (refused.Code, refused.Field));
        Assert.Equal(["0042"], (await customer.Get())!.DriverCodes);
        Assert.Equal(1L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_driver_codes"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task An_unknown_customer_number_is_refused_by_every_entry_point()
    {
        var unknown = fleet.Grain<ICustomerGrain>("777777");
        var before = await Counts();
        foreach (var call in new Func<Task>[]
        {
            () => unknown.CreateCard(new CardOrder(Sample.Diesel())),
            () => unknown.CreateObu(Sample.Truck()),
            () => unknown.CreateDriverCode("0001", "MAES Jan", null),
            () => unknown.BlockDriverCodes(["0001"]),
        })
        {
            var refused = await Assert.ThrowsAsync<FleetValidationException>(call);
            Assert.Equal(("UNKNOWN_CUSTOMER", "customerNumber"), (refused.Code, refused.Field));
        }
        var malformed = await Assert.ThrowsAsync<FleetValidationException>(() => fleet.Grain<ICustomerGrain>("12-AB").Register("X", []));
        Assert.Equal(("INVALID_CUSTOMER_NUMBER", "customerNumber"), (malformed.Code, malformed.Field));
        Assert.Equal(before, await Counts());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_phone_with_spaces_and_a_malformed_date_are_refused_on_change_too()
    {
        var user = fleet.Grain<IUserGrain>("anna");
        await user.Create(new UserRegistration(new UserProfile("JACOBS", "ANNA", "anna@acme.be", "+324751234"), [FleetModule.MyAccount],
            [Sample.Customer], "2027-06-30", "Anna#2026"));
        var before = await Counts();
        var phone = await Assert.ThrowsAsync<FleetValidationException>(() => user.ChangeProfile(new UserProfile("JACOBS", "ANNA", "anna@acme.be", "0475 123 45")));
        Assert.Equal(("INVALID_PHONE", "phone"), (phone.Code, phone.Field));
        var date = await Assert.ThrowsAsync<FleetValidationException>(() => user.ChangeRights([FleetModule.MyAccount], [Sample.Customer], "2027-02-30"));
        Assert.Equal(("INVALID_DATE", "validUntil"), (date.Code, date.Field));
        Assert.Equal(before, await Counts());
        var view = (await user.Get())!;
        Assert.Equal(("+324751234", new LocalDate(2027, 6, 30)), (view.Profile.Phone, view.ValidUntil));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_refused_duplicate_leaves_the_card_unblocked()
    {
        var number = await Sample.ActiveCard(fleet, customer);
        var card = fleet.Grain<ICardGrain>(number);
        await customer.AddDivision("Temporary");
        var ghost = await Assert.ThrowsAsync<FleetValidationException>(async () => await card.Change((await card.Get())!.Settings with { Division = "Ghost" }));
        Assert.Equal(("UNKNOWN_DIVISION", "division"), (ghost.Code, ghost.Field));
        await card.Change((await card.Get())!.Settings with { Division = "Temporary" });
        // A division removed from the customer's list since makes the duplicate's order invalid.
        await customer.RemoveDivision("Temporary");
        var refused = await Assert.ThrowsAsync<FleetValidationException>(() => card.Block(BlockReason.Theft, duplicate: true));
        Assert.Equal("UNKNOWN_DIVISION", refused.Code);
        Assert.Equal(CardStatus.Active, (await card.Get())!.Status);
        Assert.Empty(await fleet.Events("CardBlocked", number));
        await card.Block(BlockReason.Theft, duplicate: false);
        Assert.Single(await fleet.Events("CardStatusChanged", number), e => e.GetProperty("to").GetString() == "Blocked");
    }

    private async Task<(long State, long Events, long Status, long Requests)> Counts() => (
        await fleet.Scalar<long>("SELECT count(*) FROM grain_state"),
        await fleet.Scalar<long>("SELECT count(*) FROM grain_events"),
        await fleet.Scalar<long>("SELECT count(*) FROM fleet_status"),
        await fleet.Scalar<long>("SELECT count(*) FROM fleet_requests"));
}
