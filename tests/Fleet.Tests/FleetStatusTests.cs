using Actors.Testing;
using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Fiche 06 on the demo fleet: search by card, plate, status, last use, division, driver; paging; the .xlsx export.</summary>
public sealed class FleetStatusTests : IAsyncLifetime
{
    private FleetHarness fleet = null!;
    private FleetStatusSearch search = null!;
    private static readonly FleetStatusFilter Both = new(FleetDemoData.CustomerNumbers);

    public async Task InitializeAsync()
    {
        fleet = await FleetHarness.Start("status");
        Assert.True(await FleetDemoData.Load(fleet.Grains, fleet.Time));
        search = new FleetStatusSearch(fleet.DataSource);
    }

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_demo_fleet_has_200_cards_in_every_status_and_loading_twice_changes_nothing()
    {
        Assert.False(await FleetDemoData.Load(fleet.Grains, fleet.Time));
        var cards = await search.Search(Both with { Product = "FleetCard" }, first: 1);
        Assert.Equal(FleetDemoData.CardCount, cards.TotalCount);
        foreach (var status in new[] { "New", "InProduction", "Active", "Blocked", "Cancelled", "RenewalCandidate", "InRenewal", "Expired" })
            Assert.True((await search.Search(Both with { Statuses = [status] }, first: 1)).TotalCount > 0, status);
        Assert.Equal(10, (await search.Search(Both with { Product = "Passango" }, first: 50)).TotalCount
            + (await search.Search(Both with { Product = "LiberT" }, first: 50)).TotalCount);
        Assert.Equal(LoginOutcome.Succeeded, (await fleet.Grain<IUserGrain>(FleetDemoData.Login).Login(FleetDemoData.Password)).Outcome);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Search_by_plate_division_driver_status_and_last_use_stays_within_the_customer_numbers_given()
    {
        var one = new FleetStatusFilter([FleetDemoData.CustomerNumbers[0]]);
        var all = await AllOf(one);
        Assert.All(all, item => Assert.Equal(FleetDemoData.CustomerNumbers[0], item.CustomerNumber));
        Assert.Empty(await AllOf(new FleetStatusFilter(["999999"])));

        var byPlate = await search.Search(one with { Plate = all[3].Plate![..4] });
        Assert.All(byPlate.Edges, e => Assert.StartsWith(all[3].Plate![..4], e.Item.Plate));
        Assert.Contains(byPlate.Edges, e => e.Item.Number == all[3].Number);

        var trucksOfPiet = await AllOf(one with { Division = "Trucks", Driver = "janssens" });
        Assert.NotEmpty(trucksOfPiet);
        Assert.All(trucksOfPiet, i => Assert.Equal(("Trucks", "JANSSENS Piet"), (i.Division, i.DriverName)));

        var today = FleetCalendar.Today(fleet.Now);
        var recent = await AllOf(one with { LastUsedFrom = today.PlusDays(-7) });
        Assert.NotEmpty(recent);
        Assert.All(recent, i => Assert.True(i.LastUsedOn >= today.PlusDays(-7)));
        Assert.All(await AllOf(one with { NeverUsed = true }), i => Assert.Null(i.LastUsedOn));

        var byNumber = Assert.Single((await search.Search(Both with { Number = all[0].Number })).Edges);
        Assert.Equal(all[0], byNumber.Item with { Settings = all[0].Settings });
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Pages_follow_each_other_in_the_order_asked_without_gaps_or_repeats()
    {
        var seen = new List<FleetStatusItem>();
        string? after = null;
        FleetStatusPage page;
        do
        {
            page = await search.Search(Both, FleetStatusOrder.LastUsedOn, descending: true, first: 37, after: after);
            seen.AddRange(page.Edges.Select(e => e.Item));
            after = page.EndCursor;
        } while (page.HasNextPage);
        Assert.Equal(210, seen.Count);
        Assert.Equal(seen.Count, seen.Select(i => i.Number).Distinct().Count());
        var used = seen.Where(i => i.LastUsedOn is not null).Select(i => i.LastUsedOn!.Value).ToList();
        Assert.Equal(used.OrderDescending(), used);
        Assert.True(seen.SkipWhile(i => i.LastUsedOn is not null).All(i => i.LastUsedOn is null), "never-used cards come last");
        var bad = await Assert.ThrowsAsync<FleetValidationException>(() => search.Search(Both, after: "not a cursor"));
        Assert.Equal(("INVALID_CURSOR", "after"), (bad.Code, bad.Field));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_export_is_a_valid_workbook_with_general_info_limits_and_controls_per_card()
    {
        var items = await AllOf(Both);
        using var stream = new MemoryStream();
        FleetStatusExport.Write(items, stream);
        stream.Position = 0;
        using var document = SpreadsheetDocument.Open(stream, false);
        Assert.Empty(new OpenXmlValidator().Validate(document));
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        Assert.Equal(items.Count + 1, rows.Count);
        string CellText(Row row, string column) => row.Elements<Cell>().ElementAt(Array.IndexOf(FleetStatusExport.Columns, column)).InnerText;
        Assert.Equal("Limits", CellText(rows[0], "Limits"));
        var card = items.First(i => i.Product == "FleetCard" && i.Status == "Active");
        var row = rows.Single(r => CellText(r, "Card/OBU") == card.Number);
        Assert.Equal(card.Plate, CellText(row, "Plate"));
        Assert.Matches(@"^(Diesel|Petrol95|Electricity) \d+/Day \((block|notify)\)$", CellText(row, "Limits"));
        Assert.NotEqual("", CellText(row, "Tank capacity (l)"));
        var obu = rows.First(r => CellText(r, "Product") == "Passango");
        Assert.Contains("Viapass", CellText(obu, "Toll operators"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task My_requests_driver_codes_and_users_are_listed_per_customer_number()
    {
        var lists = new FleetLists(fleet.DataSource);
        var mine = FleetDemoData.CustomerNumbers[..1];
        var open = await lists.Requests(mine, open: true);
        Assert.NotEmpty(open);
        Assert.All(open, r => Assert.True(r.CustomerNumber == mine[0] && r.Status is "New" or "InProduction"));
        Assert.Equal(open.OrderByDescending(r => r.RequestedAt).Select(r => r.RequestId), open.Select(r => r.RequestId));

        var codes = await lists.DriverCodes(mine);
        Assert.Equal(10, codes.Count);
        Assert.Contains(codes, c => c.Status == "Blocked");
        Assert.All(await lists.DriverCodes(mine, division: "Trucks"), c => Assert.Equal("Trucks", c.Division));

        var users = await lists.Users(mine);
        Assert.Equal(FleetDemoData.Login, Assert.Single(users).Login);
        Assert.Empty(await lists.Users(["999999"]));
        Assert.Empty(await lists.Requests(["999999"]));
        Assert.Empty(await lists.DriverCodes(["999999"]));
    }

    private async Task<List<FleetStatusItem>> AllOf(FleetStatusFilter filter)
    {
        var items = new List<FleetStatusItem>();
        await foreach (var item in search.All(filter)) items.Add(item);
        return items;
    }
}
