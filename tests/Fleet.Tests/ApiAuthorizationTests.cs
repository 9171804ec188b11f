using Actors.Testing;
using static Actors.Fleet.Tests.WebSocketMessages;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Fleet.Tests;

/// <summary>Issue 6 items 1 and 4 over the real API: the station network's authorize mutation, alerts pushed and mailed.</summary>
public sealed class ApiAuthorizationTests : IAsyncLifetime
{
    private const string Authorize = """
        mutation($r: AuthorizationRequestInput!) { authorize(request: $r) { transactionId outcome text reasons { code text declines } } }
        """;
    private FleetServer server = null!;
    private string card = null!;
    private string network = null!;

    public async Task InitializeAsync()
    {
        server = await FleetServer.Start("apiauth");
        var customer = await Sample.RegisterCustomer(server.Fleet);
        card = await Sample.ActiveCard(server.Fleet, customer);
        foreach (var (login, mail) in new[] { ("manager", "sofie@acme.be"), ("watcher", "wim@acme.be") })
            await server.Fleet.Grain<IUserGrain>(login).Create(new UserRegistration(
                new UserProfile("VERSTRAETEN", "SOFIE", mail, "0470123456"), Enum.GetValues<FleetModule>(), [Sample.Customer], null, "Fleet#2026"));
        network = server.Services.GetRequiredService<FleetTokens>().IssueStationNetwork("station-network-be");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private object Request(decimal amount, string key, string country = "BE") => new
    {
        cardNumber = card, rank = 1, pinCorrect = true, product = "Diesel", quantity = 40, amount, odometer = 150_000, idempotencyKey = key,
        station = new { id = $"{country}-0001", country, timeZone = "Europe/Brussels" },
    };

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_station_network_gets_approve_or_decline_with_reasons_and_nobody_else_may_ask()
    {
        var approved = (await server.Data(Authorize, new { r = Request(200, "a1") }, network)).GetProperty("authorize");
        Assert.Equal("APPROVED", approved.GetProperty("outcome").GetString());
        Assert.Equal("Approved", approved.GetProperty("text").GetString());
        var declined = (await server.Data(Authorize, new { r = Request(150, "a2") }, network)).GetProperty("authorize");
        Assert.Equal("DECLINED", declined.GetProperty("outcome").GetString());
        var reason = Assert.Single(declined.GetProperty("reasons").EnumerateArray());
        Assert.Equal("DAY_AMOUNT_LIMIT", reason.GetProperty("code").GetString());
        Assert.True(reason.GetProperty("declines").GetBoolean());
        // The retry answers the same transaction.
        Assert.Equal(approved.GetProperty("transactionId").GetString(),
            (await server.Data(Authorize, new { r = Request(200, "a1") }, network)).GetProperty("authorize").GetProperty("transactionId").GetString());

        var manager = await server.Login("manager", "Fleet#2026");
        Assert.Equal("AUTH_NOT_AUTHORIZED", Code(await server.Post(Authorize, new { r = Request(10, "u1") }, manager)));
        Assert.Equal("AUTH_NOT_AUTHORIZED", Code(await server.Post(Authorize, new { r = Request(10, "u2") })));
        Assert.Equal("AUTH_NOT_AUTHENTICATED", Code(await server.Post("query { me { login } }", null, network)));
        var invalid = await server.Post(Authorize, new { r = Request(-5, "bad") }, network);
        Assert.Equal("INVALID_AMOUNT", Code(invalid));
        Assert.Equal(2L, await server.Fleet.Scalar<long>("SELECT count(*) FROM fleet_transactions"));
    }

    private static string? Code(JsonElement response) =>
        response.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Anomalies_are_pushed_and_mailed_to_the_users_who_follow_their_codes()
    {
        var manager = await server.Login("manager", "Fleet#2026");
        await server.Data("mutation { changeMyAlertSettings(codes: [\"DAY_AMOUNT_LIMIT\"], push: true, email: true) { codes } }", null, manager);
        await server.Data("mutation { changeMyAlertSettings(codes: [\"COUNTRY_NOT_ALLOWED\"], push: false, email: true) { codes } }", null,
            await server.Login("watcher", "Fleet#2026"));

        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(server.WebSocketUrl, CancellationToken.None);
        await Send(socket, new { type = "connection_init", payload = new { Authorization = $"Bearer {manager}" } });
        Assert.Equal("connection_ack", (await Receive(socket)).GetProperty("type").GetString());
        await Send(socket, new { id = "1", type = "subscribe", payload = new { query = $"subscription {{ fleetAnomalies(customerNumber: \"{Sample.Customer}\") {{ code cardNumber declined text }} }}" } });
        await Send(socket, new { type = "ping" });
        Assert.Equal("pong", (await Receive(socket)).GetProperty("type").GetString());

        await server.Data(Authorize, new { r = Request(20, "fr", "FR") }, network);  // followed by the watcher only, by mail
        await server.Data(Authorize, new { r = Request(310, "big") }, network);

        // The manager follows only the daily limit: the country anomaly, raised first, is not pushed to them.
        var pushed = await Receive(socket);
        var anomaly = pushed.GetProperty("payload").GetProperty("data").GetProperty("fleetAnomalies");
        Assert.Equal("DAY_AMOUNT_LIMIT", anomaly.GetProperty("code").GetString());
        Assert.Equal(card, anomaly.GetProperty("cardNumber").GetString());
        Assert.True(anomaly.GetProperty("declined").GetBoolean());

        var mails = await Mails(2);
        Assert.Contains(mails, m => m.GetProperty("login").GetString() == "manager" && m.GetProperty("code").GetString() == "DAY_AMOUNT_LIMIT");
        Assert.Contains(mails, m => m.GetProperty("login").GetString() == "watcher" && m.GetProperty("code").GetString() == "COUNTRY_NOT_ALLOWED");
        Assert.Equal(2L, await server.Fleet.Scalar<long>("SELECT count(*) FROM fleet_anomalies WHERE customer_number = $1", Sample.Customer));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task An_anomaly_raised_while_no_silo_serves_is_mailed_once_one_does()
    {
        await server.Data("mutation { changeMyAlertSettings(codes: [\"*\"], push: false, email: true) { codes } }", null,
            await server.Login("manager", "Fleet#2026"));
        await server.Data(Authorize, new { r = Request(20, "before", "FR") }, network);
        Assert.Single(await Mails(1), m => m.GetProperty("login").GetString() == "manager"); // the dispatcher runs, with a checkpoint

        // No host serves (no relay, no dispatcher) while the card raises an anomaly through the silo.
        server = await server.Restart(async fleet =>
            await fleet.Grain<ICardGrain>(card).Authorize(new AuthorizationRequest
            {
                CardNumber = card, Rank = 1, PinCorrect = true, Product = "Diesel", Quantity = 40, Amount = 20, IdempotencyKey = "while-down",
                Station = new Station("FR-0001", "FR", "Europe/Paris"),
            }));

        var mails = (await Mails(2)).Where(m => m.GetProperty("login").GetString() == "manager").ToList();
        Assert.Equal(2, mails.Count);
        Assert.Equal(2, mails.Select(m => m.GetProperty("anomalyId").GetString()).Distinct().Count()); // each anomaly once
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_daily_follow_up_lists_transactions_and_anomalies_with_where_and_order_only_of_the_callers_customers()
    {
        await server.Data(Authorize, new { r = Request(120, "d1") }, network);
        await server.Data(Authorize, new { r = Request(20, "d2", "FR") }, network);
        await server.Data(Authorize, new { r = Request(90, "d3") }, network);
        var manager = await server.Login("manager", "Fleet#2026");
        var day = Actors.Grains.Fleet.FleetCalendar.Today(server.Fleet.Now).ToString("yyyy-MM-dd", null);
        var data = await server.Data($$"""
            { approved: fleetTransactions(from: "{{day}}", to: "{{day}}", where: { outcome: { eq: APPROVED } }, order: [{ amount: DESC }]) {
                totalCount nodes { amount cardNumber reasonCodes } }
              all: fleetTransactions(from: "{{day}}", to: "{{day}}", first: 1) { totalCount pageInfo { hasNextPage } }
              anomalies: fleetAnomalies(from: "{{day}}", to: "{{day}}", where: { code: { eq: "COUNTRY_NOT_ALLOWED" } }) { totalCount nodes { declined country } } }
            """, null, manager);
        Assert.Equal(2, data.GetProperty("approved").GetProperty("totalCount").GetInt32());
        Assert.Equal([120m, 90m], data.GetProperty("approved").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("amount").GetDecimal()));
        Assert.Equal(3, data.GetProperty("all").GetProperty("totalCount").GetInt32());
        Assert.True(data.GetProperty("all").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal("FR", data.GetProperty("anomalies").GetProperty("nodes")[0].GetProperty("country").GetString());

        await server.Fleet.Grain<IUserGrain>("outsider").Create(new UserRegistration(
            new UserProfile("OTHER", "OTTO", "otto@other.be", "0470999999"), Enum.GetValues<FleetModule>(), [], null, "Other#2026"));
        var outsider = await server.Data($$"""{ fleetTransactions(from: "{{day}}", to: "{{day}}") { totalCount } }""", null, await server.Login("outsider", "Other#2026"));
        Assert.Equal(0, outsider.GetProperty("fleetTransactions").GetProperty("totalCount").GetInt32());
        var tooLong = await server.Post("""{ fleetTransactions(from: "2026-01-01", to: "2026-03-01") { totalCount } }""", null, manager);
        Assert.Equal("INVALID_PERIOD", Code(tooLong));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_monthly_report_gives_litres_per_100_km_and_budget_per_card_and_division_and_exports_xlsx()
    {
        object Fill(string product, decimal litres, decimal amount, int odometer, string key) => new
        {
            cardNumber = card, rank = 1, pinCorrect = true, product, quantity = litres, amount, odometer, idempotencyKey = key,
            station = new { id = "BE-0001", country = "BE", timeZone = "Europe/Brussels" },
        };
        await server.Data(Authorize, new { r = Fill("Diesel", 50, 90, 10_000, "m1") }, network);
        await server.Fleet.Advance(NodaTime.Duration.FromDays(1));
        network = server.Services.GetRequiredService<FleetTokens>().IssueStationNetwork("station-network-be");   // tokens live 8 h
        await server.Data(Authorize, new { r = Fill("Diesel", 40, 72, 10_500, "m2") }, network);
        await server.Data(Authorize, new { r = Fill("CarWash", 1, 15, 10_510, "m3") }, network);
        await server.Fleet.Advance(NodaTime.Duration.FromDays(1));
        network = server.Services.GetRequiredService<FleetTokens>().IssueStationNetwork("station-network-be");   // tokens live 8 h
        await server.Data(Authorize, new { r = Fill("Diesel", 35, 63, 11_000, "m4") }, network);
        await server.Data(Authorize, new { r = Fill("Diesel", 999, 63, 11_000, "over-tank") }, network);   // declined: not in the report

        var manager = await server.Login("manager", "Fleet#2026");
        var report = (await server.Data("""
            { fleetMonthlyReport(month: "2026-01") {
                cards { cardNumber litres amount transactions kilometres litresPer100Km budget budgetUsedPercent }
                divisions { division cards litres kilometres litresPer100Km } } }
            """, null, manager)).GetProperty("fleetMonthlyReport");
        var row = Assert.Single(report.GetProperty("cards").EnumerateArray());
        Assert.Equal(125m, row.GetProperty("litres").GetDecimal());
        Assert.Equal(240m, row.GetProperty("amount").GetDecimal());
        Assert.Equal(4, row.GetProperty("transactions").GetInt32());
        Assert.Equal(1000, row.GetProperty("kilometres").GetInt32());
        Assert.Equal(7.5m, row.GetProperty("litresPer100Km").GetDecimal());   // the 75 l after the first fill over 1,000 km
        Assert.Equal(40m, row.GetProperty("budget").GetDecimal());            // the monthly CarWash limit
        Assert.Equal(600m, row.GetProperty("budgetUsedPercent").GetDecimal());
        var division = Assert.Single(report.GetProperty("divisions").EnumerateArray());
        Assert.Equal("Trucks", division.GetProperty("division").GetString());
        Assert.Equal(7.5m, division.GetProperty("litresPer100Km").GetDecimal());
        Assert.Equal(0, (await server.Data("""{ fleetMonthlyReport(month: "2026-02") { cards { cardNumber } } }""", null, manager))
            .GetProperty("fleetMonthlyReport").GetProperty("cards").GetArrayLength());
        Assert.Equal("INVALID_MONTH", Code(await server.Post("""{ fleetMonthlyReport(month: "January") { month } }""", null, manager)));

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, "/fleet/monthly-report.xlsx?month=2026-01"));
        request.Headers.Authorization = new("Bearer", manager);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var xlsx = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(xlsx));
        Assert.Equal(2, xlsx.WorkbookPart!.WorksheetParts.Count());
        Assert.Contains(xlsx.WorkbookPart.WorksheetParts, p => p.Worksheet.InnerText.Contains(card, StringComparison.Ordinal));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Invoices_are_searched_by_status_and_number_and_download_as_signed_original_then_duplicates()
    {
        await server.Data("mutation { changeMyAlertSettings(codes: [], push: false, email: false, invoiceMail: true) { invoiceMail } }", null,
            await server.Login("manager", "Fleet#2026"));
        await server.Data(Authorize, new { r = Request(120, "i1") }, network);
        await server.Data(Authorize, new { r = Request(80.25m, "i2") }, network);
        await server.Fleet.AdvanceTo(NodaTime.Instant.FromUtc(2026, 2, 2, 0, 0));   // 2 February 01:00 in Brussels: January is issued
        var manager = await server.Login("manager", "Fleet#2026");
        var unlocked = await InvoiceAccess.Unlock(server, manager, "Fleet#2026");   // fiche 11: the password again
        var number = $"{Sample.Customer}-202601";
        var found = (await server.Data($$"""
            { issued: fleetInvoices(access: "{{unlocked}}", where: { status: { eq: ISSUED }, number: { eq: "{{number}}" } }) { totalCount nodes { number total month downloads } }
              open: fleetInvoices(access: "{{unlocked}}", where: { status: { eq: OPEN } }) { totalCount } }
            """, null, manager));
        var invoice = Assert.Single(found.GetProperty("issued").GetProperty("nodes").EnumerateArray());
        Assert.Equal(200.25m, invoice.GetProperty("total").GetDecimal());
        Assert.Equal(0, found.GetProperty("open").GetProperty("totalCount").GetInt32());

        var publicKey = await server.Http.GetStringAsync(new Uri(server.Url, "/fleet/invoices/signing-key.pem"));
        using var verifier = System.Security.Cryptography.ECDsa.Create();
        verifier.ImportFromPem(publicKey);
        async Task<(byte[] Pdf, byte[] Signature)> Download(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, $"/fleet/invoices/{number}.pdf"));
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Add(FleetInvoiceAccess.Header, unlocked);
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadAsByteArrayAsync(), Convert.FromBase64String(response.Headers.GetValues("Invoice-Signature").Single()));
        }
        var (original, signature) = await Download(manager);
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(original));
        var text = PdfTools.Text(original);
        Assert.Contains("ORIGINAL", text);
        Assert.Contains("ACME LOGISTICS (100200)", text);
        Assert.Contains(card, text);
        Assert.Matches(@"TOTAL including VAT\s+200\.25", text);
        Assert.True(verifier.VerifyData(original, signature, System.Security.Cryptography.HashAlgorithmName.SHA256));
        var tampered = (byte[])original.Clone();
        tampered[^20] ^= 1;
        Assert.False(verifier.VerifyData(tampered, signature, System.Security.Cryptography.HashAlgorithmName.SHA256));
        for (var i = 0; i < 2; i++)
        {
            var (duplicate, duplicateSignature) = await Download(manager);
            Assert.Contains("DUPLICATE", PdfTools.Text(duplicate));
            Assert.True(verifier.VerifyData(duplicate, duplicateSignature, System.Security.Cryptography.HashAlgorithmName.SHA256));
        }

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, $"/fleet/invoices/{number}.csv"));
        csvRequest.Headers.Authorization = new("Bearer", manager);
        csvRequest.Headers.Add(FleetInvoiceAccess.Header, unlocked);
        var csv = await (await server.Http.SendAsync(csvRequest)).Content.ReadAsStringAsync();
        Assert.Contains($"{number};2026-01;{card};Diesel;80.00;200.25;2", csv);

        await server.Fleet.Grain<IUserGrain>("outsider").Create(new UserRegistration(
            new UserProfile("OTHER", "OTTO", "otto@other.be", "0470999999"), Enum.GetValues<FleetModule>(), [], null, "Other#2026"));
        using var foreign = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, $"/fleet/invoices/{number}.pdf"));
        var outsider = await server.Login("outsider", "Other#2026");
        foreign.Headers.Authorization = new("Bearer", outsider);
        foreign.Headers.Add(FleetInvoiceAccess.Header, await InvoiceAccess.Unlock(server, outsider, "Other#2026"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await server.Http.SendAsync(foreign)).StatusCode);
        Assert.Equal(3, await server.Fleet.Scalar<int>("SELECT downloads FROM fleet_invoices WHERE number = $1", number));

        // The invoice-available notification: only the user who selected it (the watcher did not).
        var mails = await Events("InvoiceMailRequested", 1);
        var mail = Assert.Single(mails);
        Assert.Equal("manager", mail.GetProperty("login").GetString());
        Assert.Equal(number, mail.GetProperty("number").GetString());
    }

    /// <summary>The relay mails after it pushes; polls the outbox a bounded number of times.</summary>
    private Task<List<JsonElement>> Mails(int expected) => Events("AlertMailRequested", expected);

    private async Task<List<JsonElement>> Events(string type, int expected)
    {
        for (var i = 0; ; i++)
        {
            var mails = await server.Fleet.Events(type);
            if (mails.Count >= expected || i == 200) return mails;
            await Task.Delay(25);
        }
    }
}
