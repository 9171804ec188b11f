using Actors.Testing;
using System.Text.Json;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Fiches 04, 05, 08, 10, 11, 12 and 13 end to end over GraphQL.</summary>
public sealed class ApiFicheTests : IAsyncLifetime
{
    private FleetServer server = null!;
    private string token = null!;

    public async Task InitializeAsync()
    {
        server = await FleetServer.Start("apifiches");
        await Sample.RegisterCustomer(server.Fleet);
        await server.Fleet.Grain<IUserGrain>("manager").Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", "sofie@acme.be", "0470123456"), Enum.GetValues<FleetModule>(), [Sample.Customer], null, "Fleet#2026"));
        token = await server.Login("manager", "Fleet#2026");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task Advance(Duration by)
    {
        await server.Fleet.Advance(by);
        token = await server.Login("manager", "Fleet#2026");
    }

    private static string Code(JsonElement response) => response.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche10_11_create_a_user_who_confirms_the_first_login_changes_the_password_and_reconfirms_it_for_invoices()
    {
        var registration = new
        {
            profile = new { name = "MAES", firstName = "JAN", email = "jan@acme.be", phone = "0475123456" },
            modules = new[] { "MY_CARDS_AND_OBUS", "MY_INVOICES" }, customerNumbers = new[] { Sample.Customer }, validUntil = (string?)null, initialPassword = "Maes#2026",
        };
        var created = await server.Data("mutation($r: UserRegistrationInput!) { createUser(login: \"jmaes\", registration: $r) { login modules status firstLoginConfirmed } }",
            new { r = registration }, token);
        Assert.False(created.GetProperty("createUser").GetProperty("firstLoginConfirmed").GetBoolean());

        var login = await server.Data("mutation { login(login: \"jmaes\", password: \"Maes#2026\") { outcome token } }");
        Assert.Equal("CONFIRMATION_REQUIRED", login.GetProperty("login").GetProperty("outcome").GetString());
        var jan = login.GetProperty("login").GetProperty("token").GetString()!;
        var mismatch = await server.Post("mutation { confirmFirstLogin(name: \"Maes\", firstName: \"JAN\", phone: \"0475123456\") { login } }", token: jan);
        Assert.Equal("CONFIRMATION_MISMATCH", Code(mismatch));
        await server.Data("mutation { confirmFirstLogin(name: \"MAES\", firstName: \"JAN\", phone: \"0475123456\") { login } }", token: jan);
        await server.Data("mutation { changePassword(currentPassword: \"Maes#2026\", newPassword: \"Jan!2027x\") }", token: jan);
        var reuse = await server.Post("mutation { changePassword(currentPassword: \"Jan!2027x\", newPassword: \"Maes#2026\") }", token: jan);
        Assert.Equal("PASSWORD_REUSED", Code(reuse));
        var invoices = await server.Data("mutation { right: confirmPassword(password: \"Jan!2027x\") wrong: confirmPassword(password: \"Maes#2026\") }", token: jan);
        Assert.True(invoices.GetProperty("right").GetBoolean());
        Assert.False(invoices.GetProperty("wrong").GetBoolean());

        // Fiche 10: rights and an end date; a profile change notifies the user.
        await server.Data("mutation { changeUserRights(login: \"jmaes\", modules: [MY_CARDS_AND_OBUS], customerNumbers: [\"100200\"], validUntil: \"2026-01-31\") { validUntil } }", token: token);
        await server.Data("mutation($p: UserProfileInput!) { changeMyProfile(profile: $p) { profile { email } } }",
            new { p = new { name = "MAES", firstName = "JAN", email = "jan.maes@acme.be", phone = "0475123456" } }, jan);
        Assert.Single(await server.Fleet.Events("UserProfileChanged", "jmaes"), e => e.GetProperty("changed")[0].GetString() == "email");
        await Advance(Duration.FromDays(30));
        var ended = await server.Data("mutation { login(login: \"jmaes\", password: \"Jan!2027x\") { outcome token } }");
        Assert.Equal("ACCESS_ENDED", ended.GetProperty("login").GetProperty("outcome").GetString());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche05_08_an_obu_waits_for_its_certificate_and_a_weight_change_reissues_it()
    {
        var settings = new
        {
            product = "PASSANGO", plate = "1-TRK-001", division = "Trucks", vehicleClass = 4, weightKg = 40000, lengthCm = 1650, widthCm = 255, heightCm = 400,
            axles = 5, technicalProperties = new[] { "Euro6" }, tollOperators = new[] { "Viapass", "Telepass" },
            shippingAddress = new { name = "ACME", street = "Havenlaan 12", postalCode = "2000", city = "Antwerpen", country = "BE" },
        };
        var created = await server.Data("mutation($s: ObuSettingsInput!) { createObu(customerNumber: \"100200\", settings: $s) { obuNumber status toll { tariffClass connectionFees } } }",
            new { s = settings }, token);
        var obu = created.GetProperty("createObu");
        Assert.Equal(("AWAITING_CERTIFICATE", "Heavy4Axles"), (obu.GetProperty("status").GetString(), obu.GetProperty("toll").GetProperty("tariffClass").GetString()));
        var number = obu.GetProperty("obuNumber").GetString()!;

        await server.Data($"mutation {{ uploadRegistrationCertificate(number: \"{number}\", fileName: \"grijze-kaart.pdf\", contentBase64: \"JVBERg==\") {{ status }} }}", token: token);
        await Advance(Duration.FromDays(3));
        var changed = await server.Data("mutation($n: String!, $s: ObuSettingsInput!) { changeObu(number: $n, settings: $s) { reissued reissuingFields } }",
            new { n = number, s = settings with { weightKg = 26000 } }, token);
        Assert.Equal(["Weight"], changed.GetProperty("changeObu").GetProperty("reissuingFields").EnumerateArray().Select(f => f.GetString()));
        var view = await server.Data($"{{ obu(number: \"{number}\") {{ status rank certificate {{ fileName }} }} }}", token: token);
        Assert.Equal(("AWAITING_CERTIFICATE", 2), (view.GetProperty("obu").GetProperty("status").GetString(), view.GetProperty("obu").GetProperty("rank").GetInt32()));
        var badClass = await server.Post("mutation($s: ObuSettingsInput!) { createObu(customerNumber: \"100200\", settings: $s) { obuNumber } }",
            new { s = settings with { vehicleClass = 1 } }, token);
        Assert.Equal("CLASS_WEIGHT_MISMATCH", Code(badClass));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche04_12_copy_a_card_then_renew_a_cancelled_one_after_the_notice()
    {
        var card = await server.Fleet.Grain<ICustomerGrain>(Sample.Customer).CreateCard(new CardOrder(Sample.Diesel()));
        await Advance(Duration.FromDays(3));
        var copy = await server.Data($"mutation {{ copyCard(number: \"{card}\", plate: \"2-CPY-001\") {{ cardNumber status settings {{ plate limits {{ product amount }} }} }} }}", token: token);
        Assert.Equal(("NEW", "2-CPY-001"), (copy.GetProperty("copyCard").GetProperty("status").GetString(),
            copy.GetProperty("copyCard").GetProperty("settings").GetProperty("plate").GetString()));
        Assert.Equal(2, copy.GetProperty("copyCard").GetProperty("settings").GetProperty("limits").GetArrayLength());

        await Advance(FleetCalendar.StartOf(new LocalDate(2029, 10, 31)) - server.Fleet.Now); // never used: cancelled at the notice
        var notice = await server.Data($"{{ card(number: \"{card}\") {{ status decisions {{ workflow outcome }} }} }}", token: token);
        Assert.Equal("CANCELLED", notice.GetProperty("card").GetProperty("status").GetString());
        var renewed = await server.Data($"mutation {{ renewCard(number: \"{card}\") {{ status }} }}", token: token);
        Assert.Equal("RENEWAL_CANDIDATE", renewed.GetProperty("renewCard").GetProperty("status").GetString());
        await Advance(FleetCalendar.StartOf(new LocalDate(2030, 1, 1)) - server.Fleet.Now);
        var after = await server.Data($"{{ card(number: \"{card}\") {{ status rank expiryDate }} }}", token: token);
        Assert.Equal(("ACTIVE", 2, "2034-01-31"), (after.GetProperty("card").GetProperty("status").GetString(),
            after.GetProperty("card").GetProperty("rank").GetInt32(), after.GetProperty("card").GetProperty("expiryDate").GetString()));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche13_six_driver_codes_blocked_at_once_take_effect_next_morning_and_a_pin_reissue_goes_by_post()
    {
        for (var i = 1; i <= 6; i++)
            await server.Data($"mutation {{ createDriverCode(customerNumber: \"100200\", code: \"{i:D4}\", driverName: \"DRIVER {i}\", division: \"Vans\") {{ code }} }}", token: token);
        var tooLong = await server.Post("mutation { createDriverCode(customerNumber: \"100200\", code: \"0009\", driverName: \"ABCDEFGHIJKLMNOPQRSTUVWXYZ\") { code } }", token: token);
        Assert.Equal(("TOO_LONG", "driverName"), (Code(tooLong), tooLong.GetProperty("errors")[0].GetProperty("extensions").GetProperty("field").GetString()));

        var at = await server.Data("mutation { blockDriverCodes(customerNumber: \"100200\", codes: [\"0001\",\"0002\",\"0003\",\"0004\",\"0005\",\"0006\"]) }", token: token);
        Assert.Equal("2026-01-06T05:00:00Z", at.GetProperty("blockDriverCodes").GetString()); // 06:00 in Brussels (CET)
        var before = await server.Data("{ driverCodes { code status } }", token: token);
        Assert.All(before.GetProperty("driverCodes").EnumerateArray(), c => Assert.Equal("Active", c.GetProperty("status").GetString()));
        await Advance(Duration.FromHours(21));
        var after = await server.Data("{ driverCodes(division: \"Vans\") { code status } }", token: token);
        Assert.All(after.GetProperty("driverCodes").EnumerateArray(), c => Assert.Equal("Blocked", c.GetProperty("status").GetString()));
        await server.Data("mutation { unblockDriverCode(customerNumber: \"100200\", code: \"0001\") { status } }", token: token);

        var card = await server.Fleet.Grain<ICustomerGrain>(Sample.Customer).CreateCard(new CardOrder(Sample.Diesel()));
        await Advance(Duration.FromDays(3));
        await server.Data($"mutation {{ requestPinReissue(number: \"{card}\") }}", token: token);
        Assert.Single(await server.Fleet.Events("PinReissueRequested", card));
        await server.Data($"mutation {{ requestDriverCodeReissue(customerNumber: \"100200\", code: \"0001\", cardNumber: \"{card}\", division: \"Vans\") }}", token: token);
        Assert.Single(await server.Fleet.Events("DriverCodeReissueRequested"));
    }
}

/// <summary>Issue item 11: the demo fleet, seen through the API by its fleet manager.</summary>
public sealed class ApiDemoTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_demo_manager_sees_both_customer_numbers_200_cards_and_10_obus()
    {
        await using var server = await FleetServer.Start("apidemo");
        Assert.True(await Actors.Api.Fleet.FleetApi.LoadFleetDemo(server.Services));
        var token = await server.Login(FleetDemoData.Login, FleetDemoData.Password);
        var data = await server.Data("""
            { me { customerNumbers } cards: fleetStatus(where: { product: { eq: "FleetCard" } }) { totalCount }
              all: fleetStatus(first: 500) { totalCount nodes { customerNumber status } } }
            """, token: token);
        Assert.Equal(FleetDemoData.CustomerNumbers, data.GetProperty("me").GetProperty("customerNumbers").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(FleetDemoData.CardCount, data.GetProperty("cards").GetProperty("totalCount").GetInt32());
        var nodes = data.GetProperty("all").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(FleetDemoData.CardCount + 10, nodes.Count);
        Assert.Equal(2, nodes.Select(n => n.GetProperty("customerNumber").GetString()).Distinct().Count());
        Assert.True(nodes.Select(n => n.GetProperty("status").GetString()).Distinct().Count() >= 9);

        // Fiche 06: last use and division, sorted by last use.
        var weekAgo = FleetCalendar.Today(server.Fleet.Now).PlusDays(-7).ToString("yyyy-MM-dd", null);
        var recent = await server.Data(
            "{ fleetStatus(first: 500, where: { lastUsedOn: { gte: \"" + weekAgo + "\" }, division: { eq: \"Trucks\" } }, order: [{ lastUsedOn: DESC }]) { totalCount nodes { lastUsedOn division } } }",
            token: token);
        var used = recent.GetProperty("fleetStatus").GetProperty("nodes").EnumerateArray().ToList();
        Assert.NotEmpty(used);
        Assert.True(used.Count < nodes.Count);
        Assert.All(used, n => Assert.True(string.CompareOrdinal(n.GetProperty("lastUsedOn").GetString(), weekAgo) >= 0 && n.GetProperty("division").GetString() == "Trucks"));
        var dates = used.Select(n => n.GetProperty("lastUsedOn").GetString()!).ToList();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
    }
}
