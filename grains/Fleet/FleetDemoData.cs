using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>
/// Loads a demo fleet through the grains: ACME LOGISTICS with two customer numbers (Multipass), divisions, 200 cards
/// across every status, OBUs, driver codes and a fleet manager login. Loading twice does nothing the second time.
/// </summary>
public static class FleetDemoData
{
    public const string Login = "fleet.manager";
    public const string Password = "Demo#2026!";
    public static readonly string[] CustomerNumbers = ["100100", "100101"];
    public static readonly string[] Divisions = ["Trucks", "Vans", "Sales", "Management"];
    public const int CardCount = 200;

    private static readonly string[] Drivers =
        ["JANSSENS Piet", "PEETERS Marie", "MAES Jan", "JACOBS Ann", "MERTENS Luc", "WILLEMS Els", "CLAES Tom", "GOOSSENS Sara", "WOUTERS Bart", "DE SMET Lotte"];

    /// <summary>Loads the demo fleet; returns false when it was already there.</summary>
    public static async Task<bool> Load(IGrainFactory grains, IClock clock)
    {
        var first = grains.GetGrain<ICustomerGrain>(CustomerNumbers[0]);
        if (await first.Get() is not null) return false;
        var today = FleetCalendar.Today(clock.GetCurrentInstant());
        await first.Register("ACME LOGISTICS BELGIUM", Divisions);
        var second = grains.GetGrain<ICustomerGrain>(CustomerNumbers[1]);
        await second.Register("ACME LOGISTICS NEDERLAND", Divisions);
        var customers = new[] { first, second };

        for (var i = 0; i < CardCount; i++)
        {
            var customer = customers[i % 2];
            var settings = Card(i);
            // Ten shapes of life, so that the fleet status shows every status a card can have.
            var expiringMonth = today.PlusMonths(-48);
            switch (i % 10)
            {
                case 0: await customer.CreateCard(new CardOrder(settings)); break; // New
                case 1: await customer.ImportCard(settings, today, 1, null, inProduction: true); break; // InProduction
                case 2 or 3 or 4: await customer.ImportCard(settings, today.PlusDays(-30 * (i % 40) - 40), 1 + i % 3, today.PlusDays(-(i % 20))); break; // Active
                case 5:
                    var blocked = await customer.ImportCard(settings, today.PlusDays(-400), 1, today.PlusDays(-3));
                    await grains.GetGrain<ICardGrain>(blocked).Block((BlockReason)(i % 4), duplicate: false);
                    break;
                case 6:
                    var cancelled = await customer.ImportCard(settings, today.PlusDays(-700), 1, today.PlusDays(-10));
                    await grains.GetGrain<ICardGrain>(cancelled).Cancel();
                    break;
                case 7: await customer.ImportCard(settings, expiringMonth.PlusMonths(2), 1, today.PlusDays(-5)); break; // RenewalCandidate
                case 8: await customer.ImportCard(settings, expiringMonth.PlusMonths(i % 20 < 10 ? 2 : 1), 2, i % 20 < 10 ? null : today.PlusDays(-2)); break; // Cancelled by the renewal decision, or InRenewal
                default: await customer.ImportCard(settings, expiringMonth.PlusMonths(-1), 1, null); break; // Expired
            }
        }

        for (var i = 0; i < 10; i++)
        {
            var obu = await customers[i % 2].CreateObu(new ObuSettings
            {
                Product = i % 3 == 0 ? FleetProduct.LiberT : FleetProduct.Passango,
                Plate = $"1-OBU-{i:D3}",
                Division = i % 2 == 0 ? "Trucks" : "Vans",
                VehicleClass = i % 2 == 0 ? 4 : 2,
                WeightKg = i % 2 == 0 ? 40000 : 3200,
                LengthCm = i % 2 == 0 ? 1650 : 600,
                WidthCm = 250,
                HeightCm = i % 2 == 0 ? 400 : 260,
                Axles = i % 2 == 0 ? 5 : 2,
                TollOperators = i % 2 == 0 ? ["Viapass", "Telepass", "ASFINAG"] : ["Viapass", "Liber-t"],
                ShippingAddress = Address(i),
            });
            if (i % 3 != 2) await grains.GetGrain<IObuGrain>(obu).UploadRegistrationCertificate($"grijze-kaart-{i}.pdf", [0x25, 0x50, 0x44, 0x46]);
        }

        for (var i = 0; i < 20; i++)
        {
            var customer = customers[i % 2];
            var code = $"{i + 1:D4}";
            await customer.CreateDriverCode(code, Drivers[i % Drivers.Length], Divisions[i % Divisions.Length]);
            if (i % 7 == 6) await customer.BlockDriverCodes([code]);
        }

        var manager = grains.GetGrain<IUserGrain>(Login);
        // Every module of the menu, Toll follow-up (PASSango transactions) included.
        await manager.Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", "sofie.verstraeten@acme-logistics.be", "0470123456"),
            Enum.GetValues<FleetModule>(), CustomerNumbers, null, Password));
        await manager.ConfirmFirstLogin("VERSTRAETEN", "SOFIE", "0470123456");
        return true;
    }

    private static CardSettings Card(int i) => new()
    {
        Plate = $"{1 + i % 9}-{(char)('A' + i % 26)}{(char)('A' + i / 26 % 26)}X-{i:D3}",
        Division = Divisions[i % Divisions.Length],
        DriverName = Drivers[i % Drivers.Length],
        FuelAndEnergy = i % 5 == 0 ? ["Electricity"] : i % 2 == 0 ? ["Diesel", "AdBlue"] : ["Petrol95"],
        Services = i % 3 == 0 ? ["CarWash", "Shop"] : ["CarWash"],
        Limits = [new CardLimit(i % 5 == 0 ? "Electricity" : i % 2 == 0 ? "Diesel" : "Petrol95", 100 + i % 4 * 50, LimitPeriod.Day, i % 2 == 0 ? LimitBreach.Block : LimitBreach.Notify)],
        Controls = new CardControls
        {
            TankCapacityLiters = i % 2 == 0 ? 400 : 60,
            ForbiddenDays = i % 4 == 0 ? [IsoDayOfWeek.Sunday] : [],
            Countries = i % 3 == 0 ? ["BE", "NL", "LU"] : [],
        },
        ShippingAddress = Address(i),
        PinType = i % 4 == 3 ? PinType.PersonalCode : PinType.Computed,
    };

    private static Address Address(int i) => i % 2 == 0
        ? new Address("ACME LOGISTICS BELGIUM", "Havenlaan 12", "2000", "Antwerpen", "BE")
        : new Address("ACME LOGISTICS NEDERLAND", "Kade 4", "3011", "Rotterdam", "NL");
}
