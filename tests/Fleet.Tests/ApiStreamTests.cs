using Actors.Testing;
using static Actors.Fleet.Tests.WebSocketMessages;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Subscriptions over graphql-transport-ws and the .xlsx export over HTTP, each only for the customers a user holds.</summary>
public sealed class ApiStreamTests : IAsyncLifetime
{
    private FleetServer server = null!;

    public async Task InitializeAsync()
    {
        server = await FleetServer.Start("apistream");
        await Sample.RegisterCustomer(server.Fleet);
        await Sample.RegisterCustomer(server.Fleet, Sample.OtherCustomer);
        await server.Fleet.Grain<IUserGrain>("manager").Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", "sofie@acme.be", "0470123456"), Enum.GetValues<FleetModule>(), [Sample.Customer], null, "Fleet#2026"));
        await server.Fleet.Grain<IUserGrain>("other").Create(new UserRegistration(
            new UserProfile("OTHER", "OTTO", "otto@other.be", "0470999999"), Enum.GetValues<FleetModule>(), [Sample.OtherCustomer], null, "Other#2026"));
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<ClientWebSocket> Connect(string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        await socket.ConnectAsync(server.WebSocketUrl, CancellationToken.None);
        await Send(socket, new { type = "connection_init", payload = new { Authorization = $"Bearer {token}" } });
        Assert.Equal("connection_ack", (await Receive(socket)).GetProperty("type").GetString());
        return socket;
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Item10_a_manager_follows_card_and_request_status_changes_of_their_customer_over_graphql_transport_ws()
    {
        var socket = await Connect(await server.Login("manager", "Fleet#2026"));
        await Send(socket, new
        {
            id = "1", type = "subscribe",
            payload = new { query = "subscription { fleetStatusChanged(customerNumber: \"100200\") { kind number from to rank requestKind } }" },
        });
        // The server answers messages in order: after the pong, the subscription has been received.
        await Send(socket, new { type = "ping" });
        Assert.Equal("pong", (await Receive(socket)).GetProperty("type").GetString());

        await server.Fleet.Grain<ICustomerGrain>(Sample.OtherCustomer).CreateCard(new CardOrder(Sample.Diesel("9-OTH-001")));
        var number = await server.Fleet.Grain<ICustomerGrain>(Sample.Customer).CreateCard(new CardOrder(Sample.Diesel()));
        await server.Fleet.Advance(Duration.FromHours(24));

        // The card's creation may race the subscription's start; the move into production 24 h later cannot.
        var seen = new List<JsonElement>();
        static bool InProduction(JsonElement e, string kind) => e.GetProperty("kind").GetString() == kind && e.GetProperty("to").GetString() == "InProduction";
        while (!(seen.Any(e => InProduction(e, "CARD")) && seen.Any(e => InProduction(e, "REQUEST"))))
        {
            var message = await Receive(socket);
            Assert.Equal("next", message.GetProperty("type").GetString());
            seen.Add(message.GetProperty("payload").GetProperty("data").GetProperty("fleetStatusChanged"));
        }
        Assert.All(seen, e => Assert.Equal(number, e.GetProperty("number").GetString())); // never the other customer's card
        Assert.Equal(1, seen.Single(e => InProduction(e, "CARD")).GetProperty("rank").GetInt32());
        socket.Dispose();
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Item10_another_customers_user_cannot_subscribe()
    {
        var socket = await Connect(await server.Login("other", "Other#2026"));
        await Send(socket, new { id = "1", type = "subscribe", payload = new { query = "subscription { fleetStatusChanged(customerNumber: \"100200\") { number } }" } });
        var message = await Receive(socket);
        Assert.Equal("error", message.GetProperty("type").GetString());
        Assert.Equal("UNKNOWN_CUSTOMER", message.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        socket.Dispose();
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche06_the_export_downloads_a_valid_workbook_of_the_callers_cards_only()
    {
        await server.Fleet.Grain<ICustomerGrain>(Sample.Customer).CreateCard(new CardOrder(Sample.Diesel()));
        await server.Fleet.Grain<ICustomerGrain>(Sample.OtherCustomer).CreateCard(new CardOrder(Sample.Diesel("9-OTH-001")));
        var exportUrl = new Uri(server.Url, "/fleet/export.xlsx");

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync(exportUrl)).StatusCode);
        async Task<List<string>> Plates(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, exportUrl);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(FleetStatusExport.ContentType, response.Content.Headers.ContentType!.MediaType);
            using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
            Assert.Empty(new OpenXmlValidator().Validate(document));
            var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Skip(1);
            return [.. rows.Select(r => r.Elements<DocumentFormat.OpenXml.Spreadsheet.Cell>().ElementAt(3).InnerText)];
        }
        Assert.Equal(["1-ABC-123"], await Plates(await server.Login("manager", "Fleet#2026")));
        Assert.Equal(["9-OTH-001"], await Plates(await server.Login("other", "Other#2026")));
    }
}
