using Actors.Testing;
using Actors.Grains.Fleet;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// Over random fuel use and toll passages, reported with random delays (some months late, some twice): every amount
/// recorded is invoiced exactly once, on the invoice of its month or as a correction naming that month.
/// </summary>
public sealed class BillingProperties
{
    private enum Use { Fill, Passage }

    /// <summary>One use: when (hours after the start), how much, how late its report comes, which product or toll domain.</summary>
    private sealed record Step(Use Use, int AtHour, int Cents, int DelayHours, int Choice, bool ReportedTwice);

    private static readonly string[] Products = ["Diesel", "AdBlue", "CarWash"];
    private static readonly (string Domain, string Country)[] Domains = [("Viapass", "BE"), ("ASFINAG", "AT"), ("Toll Collect", "DE")];

    private static readonly Gen<Step> Steps =
        from use in Gen.Elements(Use.Fill, Use.Passage)
        from at in Gen.Choose(0, 24 * 70)
        from cents in Gen.Choose(1, 50_000)
        from late in Gen.Elements(false, true)
        from delay in late ? Gen.Choose(0, 24 * 60) : Gen.Choose(0, 6)   // most within hours, some up to two months
        from choice in Gen.Choose(0, 2)
        from twice in Gen.Elements(false, false, true)
        select new Step(use, at, cents, delay, choice, twice);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Whatever_the_use_and_the_reporting_delays_every_recorded_amount_is_invoiced_exactly_once()
    {
        await using var fleet = await FleetHarness.Start("billingprops");
        var customers = 0;
        Prop.ForAll(Gen.ListOf(Steps).Select(s => s.Take(16).ToArray()).ToArbitrary(), steps =>
            Run(fleet, $"{700_000 + ++customers}", steps).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure();
    }

    /// <summary>One customer, a card and an OBU; the steps run in the order they are reported, then months pass.</summary>
    private static async Task Run(FleetHarness fleet, string customer, Step[] steps)
    {
        var (card, obu) = await Billing.CardAndObu(fleet, customer);
        var start = fleet.Now;
        var recorded = new Dictionary<(string Month, InvoiceLineKind Kind), (decimal Amount, int Count)>();
        var reports = new List<(Instant At, Func<Task> Report)>();
        foreach (var (step, i) in steps.Select((s, i) => (s, i)))
        {
            var at = start + Duration.FromHours(step.AtHour) + Duration.FromMinutes(i);
            var amount = step.Cents / 100m;
            var kind = step.Use == Use.Fill ? InvoiceLineKind.Card : InvoiceLineKind.Toll;
            var month = FleetCalendar.Today(at).ToString("yyyy-MM", null);
            var sum = recorded.GetValueOrDefault((month, kind));
            recorded[(month, kind)] = (sum.Amount + amount, sum.Count + 1);
            if (step.Use == Use.Fill)
            {
                var fill = AuthorizationTests.Fill(card, amount, $"f{i}", litres: 1 + step.Cents % 300, product: Products[step.Choice]);
                reports.Add((at, async () =>
                {
                    var answer = await fleet.Grain<ICardGrain>(card).Authorize(fill);
                    Assert.True(answer.Outcome == AuthorizationOutcome.Approved, string.Join(", ", answer.Reasons));
                }));
                continue;
            }
            var (domain, country) = Domains[step.Choice];
            var passage = Billing.Passage(obu, $"p{i}", at, amount, km: step.Cents % 2000 / 10m, domain: domain, country: country);
            var reportAt = at + Duration.FromHours(step.DelayHours);
            reports.Add((reportAt, () => fleet.Grain<IObuGrain>(obu).ReportTollPassage(passage, "prop")));
            if (step.ReportedTwice) reports.Add((reportAt + Duration.FromHours(1), () => fleet.Grain<IObuGrain>(obu).ReportTollPassage(passage, "prop")));
        }
        foreach (var (at, report) in reports.OrderBy(r => r.At))
        {
            await fleet.AdvanceTo(at);
            await report();
        }
        // Month by month, as a healthy system lives them: every month's billing, then its invoice's issue.
        var last = FleetCalendar.MonthStart(FleetCalendar.Today(fleet.Now));
        for (var k = 1; k <= 3; k++)
        {
            await fleet.AdvanceTo(FleetCalendar.StartOf(last.PlusMonths(k)) + Duration.FromHours(1));
            await fleet.AdvanceTo(FleetCalendar.StartOf(last.PlusMonths(k)) + InvoiceGrain.IssueDelay + Duration.FromHours(1));
        }

        var invoiced = new Dictionary<(string Month, InvoiceLineKind Kind), (decimal Amount, int Count)>();
        var totals = 0m;
        foreach (var month in await Months(fleet, customer))
        {
            var invoice = (await Billing.Invoice(fleet, customer, InvoiceBilling.ParseMonth(month)))!;
            Assert.Equal(InvoiceStatus.Issued, invoice.Status);
            totals += invoice.Total;
            foreach (var line in invoice.Lines)
            {
                var sum = invoiced.GetValueOrDefault((line.ForMonth ?? invoice.Month, line.Kind));
                invoiced[(line.ForMonth ?? invoice.Month, line.Kind)] = (sum.Amount + line.Amount, sum.Count + line.Transactions);
            }
        }
        Assert.Equal(recorded.OrderBy(r => r.Key), invoiced.OrderBy(r => r.Key));
        var inReadModel = await fleet.Scalar<decimal>(
            """
            SELECT (SELECT coalesce(sum(amount), 0) FROM fleet_transactions WHERE customer_number = $1 AND outcome = 'Approved')
                 + (SELECT coalesce(sum(amount), 0) FROM fleet_toll_transactions WHERE customer_number = $1)
            """, customer);
        Assert.Equal(inReadModel, totals);
        Assert.Equal(recorded.Values.Sum(r => r.Amount), totals);
        Assert.Equal(0, await Billing.Reminders(fleet, card) + await Billing.Reminders(fleet, obu));
    }

    private static async Task<List<string>> Months(FleetHarness fleet, string customer)
    {
        await using var command = fleet.DataSource.CreateCommand("SELECT month FROM fleet_invoices WHERE customer_number = $1 ORDER BY month");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = customer });
        var months = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) months.Add(reader.GetString(0));
        return months;
    }
}
