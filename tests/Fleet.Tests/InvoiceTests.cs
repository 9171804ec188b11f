using Actors.Testing;
using System.Net;
using System.Text;
using System.Text.Json;
using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Issue 6 item 7 (fiche 11), the grain side: a monthly invoice per customer from its cards' approved transactions.</summary>
public sealed class InvoiceTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Cards_send_their_month_to_the_invoice_which_issues_a_day_later_and_downloads_once_as_original()
    {
        await using var fleet = await FleetHarness.Start("invoice");
        var customer = await Sample.RegisterCustomer(fleet);
        var diesel = await Sample.ActiveCard(fleet, customer);
        var other = await Sample.ActiveCard(fleet, customer, Sample.Diesel("1-OTH-002"));
        await fleet.Advance(Duration.FromDays(1));   // Monday 12 January: Sunday is forbidden on these cards
        var card = fleet.Grain<ICardGrain>(diesel);
        await card.Authorize(AuthorizationTests.Fill(diesel, 90, "1", litres: 50));
        await card.Authorize(AuthorizationTests.Fill(diesel, 72.5m, "2", litres: 40));
        await card.Authorize(AuthorizationTests.Fill(diesel, 15, "3", litres: 1, product: "CarWash"));
        await card.Authorize(AuthorizationTests.Fill(diesel, 500, "declined", litres: 300));        // over the daily limit: not invoiced
        await fleet.Grain<ICardGrain>(other).Authorize(AuthorizationTests.Fill(other, 40, "4", litres: 22));

        var january = fleet.Grain<IInvoiceGrain>(InvoiceGrain.KeyOf(Sample.Customer, new YearMonth(2026, 1)));
        await fleet.AdvanceTo(Instant.FromUtc(2026, 1, 31, 23, 30));   // 1 February 00:30 in Brussels: cards have reported
        Assert.Equal(InvoiceStatus.Open, (await january.Get())!.Status);
        await Assert.ThrowsAsync<FleetOperationException>(() => january.Download());

        await fleet.Advance(Duration.FromDays(1));
        var february = await card.Authorize(AuthorizationTests.Fill(diesel, 30, "february", litres: 20));   // Monday 2 February: the next invoice
        Assert.Equal(AuthorizationOutcome.Approved, february.Outcome);
        var invoice = (await january.Get())!;
        Assert.Equal(InvoiceStatus.Issued, invoice.Status);
        Assert.Equal($"{Sample.Customer}-202601", invoice.Number);
        Assert.Equal(217.5m, invoice.Total);
        Assert.Equal(3, invoice.Lines.Count);
        Assert.Contains(invoice.Lines, l => l.CardOrObuNumber == diesel && l.Product == "Diesel" && l.Quantity == 90 && l.Transactions == 2);
        var available = Assert.Single(await fleet.Events("InvoiceAvailable"));
        Assert.Equal(invoice.Number, available.GetProperty("number").GetString());

        Assert.Equal(InvoiceCopy.Original, (await january.Download()).Copy);
        Assert.Equal(InvoiceCopy.Duplicate, (await january.Download()).Copy);
        Assert.Equal(InvoiceCopy.Duplicate, (await january.Download()).Copy);
        Assert.Equal(3, await fleet.Scalar<int>("SELECT downloads FROM fleet_invoices WHERE number = $1", invoice.Number));
        Assert.Equal("Issued", await fleet.Scalar<string>("SELECT status FROM fleet_invoices WHERE number = $1", invoice.Number));

        await fleet.AdvanceTo(Instant.FromUtc(2026, 3, 3, 0, 0));
        var next = (await fleet.Grain<IInvoiceGrain>(InvoiceGrain.KeyOf(Sample.Customer, new YearMonth(2026, 2))).Get())!;
        Assert.Equal(30m, next.Total);
        Assert.Equal(InvoiceStatus.Issued, next.Status);
    }
}

/// <summary>
/// Fiche 11 over the real API: "for security reasons your login and password are asked every time you navigate to the
/// Invoices menu". A bearer token alone opens no invoice; <c>unlockInvoices</c> gives a 15-minute invoice access.
/// </summary>
public sealed class InvoiceAccessTests : IAsyncLifetime
{
    private const string Password = "Fleet#2026";
    private const string Search = "query($a: String) { fleetInvoices(access: $a) { totalCount nodes { number customerNumber } } }";
    private static readonly string Number = $"{Sample.Customer}-202601";
    private static readonly string OtherNumber = $"{Sample.OtherCustomer}-202601";
    private FleetServer server = null!;

    public async Task InitializeAsync()
    {
        server = await FleetServer.Start("invoiceaccess");
        var fleet = server.Fleet;
        var cards = new List<string>();
        foreach (var number in new[] { Sample.Customer, Sample.OtherCustomer })
            cards.Add(await Sample.ActiveCard(fleet, await Sample.RegisterCustomer(fleet, number), Sample.Diesel($"1-INV-{cards.Count}")));
        await fleet.AdvanceTo(Instant.FromUtc(2026, 1, 12, 8, 0));   // Monday: Sunday is forbidden on these cards
        foreach (var card in cards) await fleet.Grain<ICardGrain>(card).Authorize(AuthorizationTests.Fill(card, 90, "jan", litres: 50));
        foreach (var (login, customer) in new[] { ("manager", Sample.Customer), ("other", Sample.OtherCustomer) })
            await fleet.Grain<IUserGrain>(login).Create(new UserRegistration(
                new UserProfile("VERSTRAETEN", "SOFIE", $"{login}@acme.be", "0470123456"), Enum.GetValues<FleetModule>(), [customer], null, Password));
        await fleet.AdvanceTo(Instant.FromUtc(2026, 2, 2, 0, 0));   // 2 February in Brussels: January's invoices are issued
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_bearer_token_alone_opens_no_invoice_and_the_invoice_access_is_no_bearer_token()
    {
        var manager = await server.Login("manager", Password);
        Assert.Equal("INVOICE_ACCESS_REQUIRED", Code(await server.Post(Search, new { a = (string?)null }, manager)));
        Assert.Equal("INVOICE_ACCESS_REQUIRED", Code(await server.Post(Search, new { a = manager }, manager)));   // a bearer token is no access
        Assert.Equal("AUTH_NOT_AUTHENTICATED", Code(await server.Post(Search, new { a = (string?)null })));
        foreach (var document in new[] { $"{Number}.pdf", $"{Number}.csv" })
        {
            await Refused(document, manager, null, HttpStatusCode.Forbidden, "INVOICE_ACCESS_REQUIRED");
            await Refused(document, manager, manager, HttpStatusCode.Forbidden, "INVOICE_ACCESS_REQUIRED");
            await Refused(document, null, null, HttpStatusCode.Unauthorized, "AUTH_NOT_AUTHENTICATED");
        }

        var unlocked = await InvoiceAccess.Unlock(server, manager, Password);
        // The invoice access opens invoices only: as a bearer token it is nobody.
        Assert.Equal("AUTH_NOT_AUTHENTICATED", Code(await server.Post("{ me { login } }", null, unlocked)));
        Assert.Equal("AUTH_NOT_AUTHENTICATED", Code(await server.Post(Search, new { a = unlocked }, unlocked)));
        await Refused($"{Number}.pdf", unlocked, unlocked, HttpStatusCode.Unauthorized, "AUTH_NOT_AUTHENTICATED");
        Assert.Equal(0, await server.Fleet.Scalar<int>("SELECT downloads FROM fleet_invoices WHERE number = $1", Number));   // the Original is still unused

        var found = (await server.Data(Search, new { a = unlocked }, manager)).GetProperty("fleetInvoices");
        Assert.Equal(Number, Assert.Single(found.GetProperty("nodes").EnumerateArray()).GetProperty("number").GetString());
        using var pdf = await Get($"{Number}.pdf", manager, unlocked);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Contains("ORIGINAL", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync()));
        using var csv = await Get($"{Number}.csv", manager, unlocked);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_wrong_password_is_refused_and_counts_toward_the_lockout_of_login()
    {
        var manager = await server.Login("manager", Password);
        var unlock = "mutation($p: String!) { unlockInvoices(password: $p) { token expiresAt } }";
        for (var i = 0; i < 2; i++)
            Assert.Equal("InvalidPassword", await LoginOutcome("wrong"));
        for (var i = 0; i < UserGrain.MaxFailedAttempts - 3; i++)
            Assert.Equal("INVALID_PASSWORD", Code(await server.Post(unlock, new { p = "wrong" }, manager)));
        // The fifth wrong password, given to the invoices, locks the login as the fifth at login would.
        var locked = await server.Post(unlock, new { p = "wrong" }, manager);
        Assert.Equal("LOCKED_OUT", Code(locked));
        Assert.False(string.IsNullOrEmpty(locked.GetProperty("errors")[0].GetProperty("extensions").GetProperty("lockedUntil").GetString()));
        Assert.Equal("LockedOut", await LoginOutcome(Password));
        Assert.Equal("LOCKED_OUT", Code(await server.Post(unlock, new { p = Password }, manager)));

        await server.Fleet.Advance(UserGrain.LockoutDuration);
        Assert.Equal("INVALID_PASSWORD", Code(await server.Post(unlock, new { p = "wrong" }, manager)));
        Assert.False(string.IsNullOrEmpty(await InvoiceAccess.Unlock(server, manager, Password)));
        Assert.Equal(0, (await server.Fleet.Grain<IUserGrain>("manager").Get())!.FailedAttempts);   // a right password starts again from zero
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_invoice_access_expires_after_15_minutes_while_the_login_lasts()
    {
        var manager = await server.Login("manager", Password);
        var unlocked = await server.Data("mutation { unlockInvoices(password: \"Fleet#2026\") { token expiresAt } }", null, manager);
        var token = unlocked.GetProperty("unlockInvoices").GetProperty("token").GetString()!;
        Assert.Equal((server.Fleet.Now + FleetTokens.InvoiceAccessLifetime).ToString(), unlocked.GetProperty("unlockInvoices").GetProperty("expiresAt").GetString());

        await server.Fleet.Advance(FleetTokens.InvoiceAccessLifetime - NodaTime.Duration.FromSeconds(1));
        Assert.Equal(1, (await server.Data(Search, new { a = token }, manager)).GetProperty("fleetInvoices").GetProperty("totalCount").GetInt32());
        await server.Fleet.Advance(NodaTime.Duration.FromSeconds(1));
        Assert.Equal("INVOICE_ACCESS_EXPIRED", Code(await server.Post(Search, new { a = token }, manager)));
        await Refused($"{Number}.pdf", manager, token, HttpStatusCode.Forbidden, "INVOICE_ACCESS_EXPIRED");
        Assert.Equal("manager", (await server.Data("{ me { login } }", null, manager)).GetProperty("me").GetProperty("login").GetString());

        var again = await InvoiceAccess.Unlock(server, manager, Password);   // the password again opens them again
        Assert.Equal(1, (await server.Data(Search, new { a = again }, manager)).GetProperty("fleetInvoices").GetProperty("totalCount").GetInt32());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task An_invoice_access_opens_only_the_invoices_of_its_own_login()
    {
        var (manager, other) = (await server.Login("manager", Password), await server.Login("other", Password));
        var otherAccess = await InvoiceAccess.Unlock(server, other, Password);

        var found = (await server.Data(Search, new { a = otherAccess }, other)).GetProperty("fleetInvoices");
        Assert.Equal(OtherNumber, Assert.Single(found.GetProperty("nodes").EnumerateArray()).GetProperty("number").GetString());
        using (var foreign = await Get($"{Number}.pdf", other, otherAccess))
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);   // another customer's invoice is answered as if it did not exist
        // Another login's access does not open the manager's invoices, though the manager may see them.
        Assert.Equal("INVOICE_ACCESS_REQUIRED", Code(await server.Post(Search, new { a = otherAccess }, manager)));
        await Refused($"{Number}.pdf", manager, otherAccess, HttpStatusCode.Forbidden, "INVOICE_ACCESS_REQUIRED");
        Assert.Equal(0, await server.Fleet.Scalar<int>("SELECT downloads FROM fleet_invoices WHERE number = $1", Number));
    }

    private async Task<string?> LoginOutcome(string password) =>
        (await server.Data("mutation($p: String!) { login(login: \"manager\", password: $p) { outcome } }", new { p = password }))
            .GetProperty("login").GetProperty("outcome").GetString() is { } outcome ? Pascal(outcome) : null;

    private static string Pascal(string constant) =>
        string.Concat(constant.Split('_').Select(w => w[..1] + w[1..].ToLowerInvariant()));

    private async Task<HttpResponseMessage> Get(string document, string? bearer, string? access)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, $"/fleet/invoices/{document}"));
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        if (access is not null) request.Headers.Add(FleetInvoiceAccess.Header, access);
        return await server.Http.SendAsync(request);
    }

    /// <summary>Asserts a download is refused with the status and a JSON body naming the code.</summary>
    private async Task Refused(string document, string? bearer, string? access, HttpStatusCode status, string code)
    {
        using var response = await Get(document, bearer, access);
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
    }

    private static string? Code(JsonElement response) =>
        response.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();
}

/// <summary>Fiche 11's password step, for every test that opens invoices.</summary>
internal static class InvoiceAccess
{
    /// <summary>Confirms the password of the bearer token's login and returns the invoice access token.</summary>
    public static async Task<string> Unlock(FleetServer server, string bearer, string password) =>
        (await server.Data("mutation($p: String!) { unlockInvoices(password: $p) { token } }", new { p = password }, bearer))
            .GetProperty("unlockInvoices").GetProperty("token").GetString()!;
}
