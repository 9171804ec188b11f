using Actors.Testing;
using System.Text.Json;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>The fiches' flows end to end over GraphQL on a real Kestrel server, silo and PostgreSQL.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private FleetServer server = null!;
    private string token = null!;

    private const string CardFields = "cardNumber customerNumber status rank pinSet settings { plate division limits { product amount period onBreach } } requests { kind status }";

    public async Task InitializeAsync()
    {
        server = await FleetServer.Start("api");
        await Sample.RegisterCustomer(server.Fleet);
        await Sample.RegisterCustomer(server.Fleet, Sample.OtherCustomer);
        await server.Fleet.Grain<IUserGrain>("manager").Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", "sofie@acme.be", "0470123456"), Enum.GetValues<FleetModule>(), [Sample.Customer], null, "Fleet#2026"));
        await server.Fleet.Grain<IUserGrain>("other").Create(new UserRegistration(
            new UserProfile("OTHER", "OTTO", "otto@other.be", "0470999999"), Enum.GetValues<FleetModule>(), [Sample.OtherCustomer], null, "Other#2026"));
        token = await server.Login("manager", "Fleet#2026");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>Moves time (and reminders); tokens live 8 hours, so the manager logs in again.</summary>
    private async Task Advance(Duration by)
    {
        await server.Fleet.Advance(by);
        token = await server.Login("manager", "Fleet#2026");
    }

    private static object Settings(string plate = "1-API-001", string? pin = null) => new
    {
        cardCategory = "Fleet",
        posEntry = "Mileage",
        plate,
        division = "Trucks",
        driverName = "JANSSENS Piet",
        fuelAndEnergy = new[] { "Diesel" },
        services = new[] { "CarWash" },
        limits = new[] { new { product = "Diesel", amount = 250, period = "DAY", onBreach = "BLOCK" } },
        controls = new { tankCapacityLiters = 300, forbiddenDays = new[] { "SUNDAY" }, countries = new[] { "BE", "DE" } },

        shippingAddress = new { name = "ACME", street = "Havenlaan 12", postalCode = "2000", city = "Antwerpen", country = "BE" },
        pinType = pin is null ? "COMPUTED" : "CHOSEN",
    };

    private async Task<string> CreateCard(string plate = "1-API-001")
    {
        var data = await server.Data($"mutation($c: String!, $s: CardSettingsInput!) {{ createCard(customerNumber: $c, settings: $s) {{ {CardFields} }} }}",
            new { c = Sample.Customer, s = Settings(plate) }, token);
        return data.GetProperty("createCard").GetProperty("cardNumber").GetString()!;
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche01_login_gives_a_bearer_token_and_a_wrong_password_none()
    {
        var wrong = await server.Data("mutation { login(login: \"manager\", password: \"nope#123\") { outcome token } }");
        Assert.Equal("INVALID_PASSWORD", wrong.GetProperty("login").GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, wrong.GetProperty("login").GetProperty("token").ValueKind);
        var anonymous = await server.Post("{ me { login } }");
        Assert.Equal("AUTH_NOT_AUTHENTICATED", anonymous.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var me = await server.Data("{ me { login customerNumbers } }", token: token);
        Assert.Equal("manager", me.GetProperty("me").GetProperty("login").GetString());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche03_create_card_follow_my_requests_until_active_and_search_the_fleet_status()
    {
        var number = await CreateCard();
        var requests = await server.Data("{ myRequests(open: true) { number kind status } }", token: token);
        Assert.Equal("New", requests.GetProperty("myRequests")[0].GetProperty("status").GetString());

        await Advance(Duration.FromDays(3));
        var card = await server.Data($"query($n: String!) {{ card(number: $n) {{ {CardFields} expiryDate }} }}", new { n = number }, token);
        Assert.Equal("ACTIVE", card.GetProperty("card").GetProperty("status").GetString());

        await CreateCard("2-API-002");
        var page = await server.Data("""
            { fleetStatus(first: 1, where: { status: { eq: ACTIVE }, lastUsedOn: { eq: null } }, order: [{ plate: ASC }]) {
                totalCount pageInfo { hasNextPage endCursor } nodes { number plate status division driverName } } }
            """, token: token);
        var status = page.GetProperty("fleetStatus");
        Assert.Equal(1, status.GetProperty("totalCount").GetInt32());
        Assert.Equal(number, status.GetProperty("nodes")[0].GetProperty("number").GetString());
        var all = await server.Data("{ fleetStatus(order: [{ plate: DESC }]) { nodes { plate } } }", token: token);
        Assert.Equal(["2-API-002", "1-API-001"], all.GetProperty("fleetStatus").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("plate").GetString()));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche07_09_reissue_by_workflow_then_block_with_duplicate()
    {
        var number = await CreateCard();
        await Advance(Duration.FromDays(3));
        var change = await server.Data("mutation($n: String!, $s: CardSettingsInput!) { changeCard(number: $n, settings: $s) { reissued reissuingFields } }",
            new { n = number, s = Settings("1-NEW-999") }, token);
        Assert.True(change.GetProperty("changeCard").GetProperty("reissued").GetBoolean());
        var block = await server.Data("mutation($n: String!) { blockCard(number: $n, reason: THEFT, duplicate: true) { status duplicateNumber } }", new { n = number }, token);
        Assert.NotEqual(JsonValueKind.Null, block.GetProperty("blockCard").GetProperty("duplicateNumber").ValueKind);
        var again = await server.Post("mutation($n: String!, $s: CardSettingsInput!) { changeCard(number: $n, settings: $s) { reissued } }",
            new { n = number, s = Settings() }, token);
        Assert.Equal("NOT_EDITABLE", again.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("plate", "1-abc-123", "INVALID_PLATE", "plate")]
    [InlineData("pin", "12345", "INVALID_PIN", "pin")]
    [InlineData("driverName", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "TOO_LONG", "driverName")]
    public async Task Item13_bad_card_input_is_an_error_with_code_and_field_and_nothing_is_written(string input, string value, string code, string field)
    {
        var settings = JsonSerializer.SerializeToNode(Settings(pin: "1234"))!.AsObject();
        string? pin = "1234";
        if (input == "pin") pin = value; else settings[input] = value;
        var response = await server.Post("mutation($c: String!, $s: CardSettingsInput!, $p: String) { createCard(customerNumber: $c, settings: $s, pin: $p) { cardNumber } }",
            new { c = Sample.Customer, s = settings, p = pin }, token);
        var error = response.GetProperty("errors")[0].GetProperty("extensions");
        Assert.Equal((code, field), (error.GetProperty("code").GetString(), error.GetProperty("field").GetString()));
        Assert.Equal(0L, await server.Fleet.Scalar<long>("SELECT count(*) FROM fleet_status"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Item13_phone_with_spaces_unknown_customer_and_malformed_date()
    {
        var registration = new
        {
            profile = new { name = "MAES", firstName = "JAN", email = "jan@acme.be", phone = "0475 12 34 56" },
            modules = new[] { "MY_CARDS_AND_OBUS" }, customerNumbers = new[] { Sample.Customer }, validUntil = "2026-12-31", initialPassword = "Maes#2026",
        };
        async Task<JsonElement> Create(object r) =>
            (await server.Post("mutation($r: UserRegistrationInput!) { createUser(login: \"jmaes\", registration: $r) { login } }", new { r }, token))
            .GetProperty("errors")[0].GetProperty("extensions");
        var phone = await Create(registration);
        Assert.Equal(("INVALID_PHONE", "phone"), (phone.GetProperty("code").GetString(), phone.GetProperty("field").GetString()));
        var date = await Create(registration with { profile = registration.profile with { phone = "0475123456" }, validUntil = "31-12-2026" });
        Assert.Equal(("INVALID_DATE", "validUntil"), (date.GetProperty("code").GetString(), date.GetProperty("field").GetString()));
        var unknown = await server.Post("mutation($s: CardSettingsInput!) { createCard(customerNumber: \"777777\", settings: $s) { cardNumber } }", new { s = Settings() }, token);
        Assert.Equal("UNKNOWN_CUSTOMER", unknown.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(0L, await server.Fleet.Scalar<long>("SELECT count(*) FROM fleet_users WHERE login = 'jmaes'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Item2_another_customers_user_gets_nothing_from_any_query_or_mutation()
    {
        var number = await CreateCard();
        await server.Data("mutation { createDriverCode(customerNumber: \"100200\", code: \"0007\", driverName: \"BOND James\", division: \"Vans\") { code } }", token: token);
        var obu = await server.Fleet.Grain<ICustomerGrain>(Sample.Customer).CreateObu(Sample.Truck());
        await Advance(Duration.FromDays(3));
        var other = await server.Login("other", "Other#2026");

        var queries = await server.Data($$"""
            { fleetStatus { totalCount nodes { number } } card(number: "{{number}}") { cardNumber } obu(number: "{{obu}}") { obuNumber }
              myRequests(open: false) { number } driverCodes { code } fleetUsers { login } }
            """, token: other);
        Assert.Equal(0, queries.GetProperty("fleetStatus").GetProperty("totalCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, queries.GetProperty("card").ValueKind);
        Assert.Equal(JsonValueKind.Null, queries.GetProperty("obu").ValueKind);
        foreach (var list in new[] { "myRequests", "driverCodes" }) Assert.Equal(0, queries.GetProperty(list).GetArrayLength());
        Assert.Equal(["other"], queries.GetProperty("fleetUsers").EnumerateArray().Select(u => u.GetProperty("login").GetString()));

        var mutations = new (string Query, object? Variables)[]
        {
            ("mutation($s: CardSettingsInput!) { createCard(customerNumber: \"100200\", settings: $s) { cardNumber } }", new { s = Settings("9-XXX-999") }),
            ($"mutation {{ copyCard(number: \"{number}\", plate: \"9-XXX-998\") {{ cardNumber }} }}", null),
            ("mutation($s: CardSettingsInput!) { changeCard(number: \"" + number + "\", settings: $s) { reissued } }", new { s = Settings("9-XXX-997") }),
            ($"mutation {{ blockCard(number: \"{number}\", reason: LOSS, duplicate: false) {{ status }} }}", null),
            ($"mutation {{ cancelCard(number: \"{number}\") {{ status }} }}", null),
            ($"mutation {{ renewCard(number: \"{number}\") {{ status }} }}", null),
            ($"mutation {{ deleteCard(number: \"{number}\") }}", null),
            ($"mutation {{ requestPinReissue(number: \"{number}\") }}", null),
            ($"mutation {{ uploadRegistrationCertificate(number: \"{obu}\", fileName: \"x.pdf\", contentBase64: \"AQID\") {{ status }} }}", null),
            ($"mutation {{ blockObu(number: \"{obu}\", reason: LOSS, duplicate: false) {{ status }} }}", null),
            ("mutation { createDriverCode(customerNumber: \"100200\", code: \"0008\", driverName: \"X\") { code } }", null),
            ("mutation { changeDriverCode(customerNumber: \"100200\", code: \"0007\", driverName: \"STOLEN\") { code } }", null),
            ("mutation { blockDriverCodes(customerNumber: \"100200\", codes: [\"0007\"]) }", null),
            ("mutation { unblockDriverCode(customerNumber: \"100200\", code: \"0007\") { code } }", null),
            ($"mutation {{ requestDriverCodeReissue(customerNumber: \"100200\", code: \"0007\", cardNumber: \"{number}\", division: \"Vans\") }}", null),
        };
        var before = await server.Fleet.Scalar<long>("SELECT count(*) FROM grain_events");
        foreach (var (query, variables) in mutations)
        {
            var response = await server.Post(query, variables, other);
            Assert.True(response.TryGetProperty("errors", out var errors), query);
            Assert.Contains(errors[0].GetProperty("extensions").GetProperty("code").GetString(), new[] { "UNKNOWN_CUSTOMER", "NOT_FOUND" });
        }
        Assert.Equal(before, await server.Fleet.Scalar<long>("SELECT count(*) FROM grain_events"));
        var card = (await server.Fleet.Grain<ICardGrain>(number).Get())!;
        Assert.Equal((CardStatus.Active, "1-API-001"), (card.Status, card.Settings.Plate));
    }
}
