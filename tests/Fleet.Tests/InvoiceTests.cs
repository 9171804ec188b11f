using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Issue 6 item 7 (fiche 11), the grain side: a monthly invoice per customer from its cards' approved transactions.</summary>
public sealed class InvoiceTests
{
    [Fact]
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
        Assert.Contains(invoice.Lines, l => l.CardNumber == diesel && l.Product == "Diesel" && l.Quantity == 90 && l.Transactions == 2);
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
