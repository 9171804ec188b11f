using Actors.Testing;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// Issue 6 item 7 with toll: OBUs bill their passages per Brussels month of passage, invoice lines arrive as batches
/// with an id (a retried reminder replaces, a later batch adds), and use that reaches an issued invoice is billed on the
/// next one as corrections naming their month.
/// </summary>
public sealed class InvoiceBillingTests
{
    private static readonly YearMonth October = new(2026, 10);
    private static readonly YearMonth November = new(2026, 11);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Toll_and_fuel_of_one_month_are_on_one_invoice_with_the_right_total()
    {
        await using var fleet = await FleetHarness.Start("tollinvoice", Billing.At(2026, 10, 5, 9));
        var (card, obu) = await Billing.CardAndObu(fleet, Sample.Customer);
        var fuel = fleet.Grain<ICardGrain>(card);
        await fuel.Authorize(AuthorizationTests.Fill(card, 90, "1", litres: 50));
        await fuel.Authorize(AuthorizationTests.Fill(card, 72.5m, "2", litres: 40));
        await fuel.Authorize(AuthorizationTests.Fill(card, 15, "3", litres: 1, product: "CarWash"));
        var toll = fleet.Grain<IObuGrain>(obu);
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-1", fleet.Now - Duration.FromHours(2), 12.34m, km: 42.5m), "viapass");
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-2", fleet.Now - Duration.FromHours(1), 3.10m, km: 10.125m), "viapass");
        await toll.ReportTollPassage(Billing.Passage(obu, "as-1", fleet.Now, 30m, km: 100m, domain: "ASFINAG", country: "AT"), "asfinag");
        // Either side of midnight in Brussels (22:30 and 23:30 UTC): the month of passage decides the invoice.
        await fleet.AdvanceTo(Billing.At(2026, 10, 31, 23, 40));
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-3", Billing.At(2026, 10, 31, 23, 30), 5m, km: 1.5m), "viapass");
        await fleet.AdvanceTo(Billing.At(2026, 11, 1, 0, 40));
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-4", Billing.At(2026, 11, 1, 0, 30), 7m, km: 2m), "viapass");

        await fleet.AdvanceTo(Billing.At(2026, 11, 2, 12));
        var october = (await Billing.Invoice(fleet, Sample.Customer, October))!;
        Assert.Equal(InvoiceStatus.Issued, october.Status);
        Assert.Equal(
        [
            new InvoiceLine(InvoiceLineKind.Card, card, "CarWash", 1, 15, 1),
            new InvoiceLine(InvoiceLineKind.Card, card, "Diesel", 90, 162.5m, 2),
            new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll AT ASFINAG Heavy4Axles", 100, 30, 1),
            new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll BE Viapass Heavy4Axles", 54.125m, 20.44m, 3),
        ], october.Lines);
        Assert.Equal(227.94m, october.Total);
        Assert.Equal(227.94m, await fleet.Scalar<decimal>("SELECT total FROM fleet_invoices WHERE number = $1", october.Number));
        Assert.Equal(4, await fleet.Scalar<int>("SELECT lines FROM fleet_invoices WHERE number = $1", october.Number));
        Assert.Equal(227.94m, Assert.Single(await fleet.Events("InvoiceAvailable")).GetProperty("total").GetDecimal());

        await fleet.AdvanceTo(Billing.At(2026, 12, 2, 12));
        var november = (await Billing.Invoice(fleet, Sample.Customer, November))!;
        Assert.Equal([new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll BE Viapass Heavy4Axles", 2, 7, 1)], november.Lines);
        Assert.Equal(0, await Billing.Reminders(fleet, obu));   // nothing left to bill: no reminder either
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_passage_of_October_reported_on_3_November_after_the_October_invoice_was_issued_is_a_correction_on_the_November_invoice()
    {
        await using var fleet = await FleetHarness.Start("tollcorrection", Billing.At(2026, 10, 5, 9));
        var (card, obu) = await Billing.CardAndObu(fleet, Sample.Customer);
        await fleet.Grain<ICardGrain>(card).Authorize(AuthorizationTests.Fill(card, 90, "oct", litres: 50));
        var toll = fleet.Grain<IObuGrain>(obu);
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-1", fleet.Now, 12.34m), "viapass");

        await fleet.AdvanceTo(Billing.At(2026, 11, 3, 10));
        var issued = (await Billing.Invoice(fleet, Sample.Customer, October))!;
        Assert.Equal(InvoiceStatus.Issued, issued.Status);
        Assert.Equal(102.34m, issued.Total);

        var late = await toll.ReportTollPassage(Billing.Passage(obu, "vp-late", Billing.At(2026, 10, 30, 14), 20m, km: 60m), "viapass");
        Assert.Equal(new LocalDate(2026, 10, 30), late.Day);
        await fleet.AdvanceTo(Billing.At(2026, 11, 4, 10));
        var fill = await fleet.Grain<ICardGrain>(card).Authorize(AuthorizationTests.Fill(card, 30, "nov", litres: 20));
        Assert.True(fill.Outcome == AuthorizationOutcome.Approved, string.Join(", ", fill.Reasons));
        await fleet.AdvanceTo(Billing.At(2026, 11, 5, 10));   // the late toll went out the night after it was reported

        // The issued October invoice does not change; the open November invoice already holds the correction.
        var october = (await Billing.Invoice(fleet, Sample.Customer, October))!;
        Assert.Equal((issued.Total, issued.IssuedAt), (october.Total, october.IssuedAt));
        Assert.Equal(issued.Lines, october.Lines);
        var open = (await Billing.Invoice(fleet, Sample.Customer, November))!;
        Assert.Equal(InvoiceStatus.Open, open.Status);
        Assert.Equal([new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll BE Viapass Heavy4Axles", 60, 20, 1, ForMonth: "2026-10")], open.Lines);
        Assert.Equal(0, await Billing.Reminders(fleet, obu));

        // Step by step: the card bills November on 1 December, the invoice is issued on the 2nd. (Delivered in one go,
        // as after an outage, the issue could come first and November's fuel would be a correction in December.)
        await fleet.AdvanceTo(Billing.At(2026, 12, 1, 1));
        await fleet.AdvanceTo(Billing.At(2026, 12, 2, 12));
        var november = (await Billing.Invoice(fleet, Sample.Customer, November))!;
        Assert.Equal(InvoiceStatus.Issued, november.Status);
        Assert.Equal(
        [
            new InvoiceLine(InvoiceLineKind.Card, card, "Diesel", 20, 30, 1),
            new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll BE Viapass Heavy4Axles", 60, 20, 1, ForMonth: "2026-10"),
        ], november.Lines);
        Assert.Equal(50m, november.Total);
        Assert.Equal([102.34m, 50m], (await fleet.Events("InvoiceAvailable")).Select(e => e.GetProperty("total").GetDecimal()));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_correction_for_a_month_without_an_invoice_creates_that_invoice_and_it_is_issued_at_once()
    {
        await using var fleet = await FleetHarness.Start("tollnoinvoice", Billing.At(2026, 10, 5, 9));
        var (_, obu) = await Billing.CardAndObu(fleet, Sample.Customer);
        var toll = fleet.Grain<IObuGrain>(obu);
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-1", fleet.Now, 10m), "viapass");
        await fleet.AdvanceTo(Billing.At(2026, 12, 10, 10));
        Assert.Null(await Billing.Invoice(fleet, Sample.Customer, November));   // no use in November: no invoice

        // October's toll, reported in December: October is issued, November gets an invoice for the correction, which
        // is past its issue date and so is issued as soon as it exists.
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-2", Billing.At(2026, 10, 20, 8), 4m), "viapass");
        await fleet.AdvanceTo(Billing.At(2026, 12, 11, 0));   // the night after: sent, and the new invoice issued with it
        var november = (await Billing.Invoice(fleet, Sample.Customer, November))!;
        Assert.Equal(InvoiceStatus.Issued, november.Status);
        // Issued when the night's billing ran: a reminder wakes a grain at its date or within a retry period after it.
        Assert.InRange(november.IssuedAt!.Value, Billing.At(2026, 12, 11, 0), Billing.At(2026, 12, 11, 0, 1));
        Assert.Equal([new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll BE Viapass Heavy4Axles", 42.5m, 4, 1, ForMonth: "2026-10")], november.Lines);
        Assert.Equal(10m, (await Billing.Invoice(fleet, Sample.Customer, October))!.Total);
        Assert.Null(await Billing.Invoice(fleet, Sample.Customer, new YearMonth(2026, 12)));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_batch_sent_again_replaces_itself_another_batch_adds_and_an_issued_invoice_takes_none()
    {
        await using var fleet = await FleetHarness.Start("invoicebatch", Billing.At(2026, 11, 1, 9));
        var invoice = fleet.Grain<IInvoiceGrain>(InvoiceGrain.KeyOf(Sample.Customer, October));
        InvoiceBatch Batch(int sequence, decimal amount, string month = "2026-10") =>
            new(InvoiceBatch.IdOf("OBU1", month, sequence), month, [new InvoiceLine(InvoiceLineKind.Toll, "OBU1", "Toll BE Viapass Heavy4Axles", 10, amount, 1)]);

        Assert.Equal(InvoiceBatchOutcome.Billed, await invoice.Bill(Batch(1, 5)));
        Assert.Equal(InvoiceBatchOutcome.AlreadyBilled, await invoice.Bill(Batch(1, 5)));
        Assert.Equal(5m, (await invoice.Get())!.Total);
        Assert.Equal(InvoiceBatchOutcome.Billed, await invoice.Bill(Batch(1, 6)));   // the same batch, grown: replaces
        Assert.Equal(6m, (await invoice.Get())!.Total);
        Assert.Equal(InvoiceBatchOutcome.Billed, await invoice.Bill(Batch(2, 4)));   // a later batch of the month: adds
        Assert.Equal([new InvoiceLine(InvoiceLineKind.Toll, "OBU1", "Toll BE Viapass Heavy4Axles", 20, 10, 2)], (await invoice.Get())!.Lines);
        await Assert.ThrowsAsync<ArgumentException>(() => invoice.Bill(Batch(3, 1, month: "2026-11")));   // not before its month

        await fleet.AdvanceTo(Billing.At(2026, 11, 2, 1));
        Assert.Equal(InvoiceBatchOutcome.AlreadyBilled, await invoice.Bill(Batch(2, 4)));
        Assert.Equal(InvoiceBatchOutcome.InvoiceIssued, await invoice.Bill(Batch(3, 7)));
        var issued = (await invoice.Get())!;
        Assert.Equal((InvoiceStatus.Issued, 10m), (issued.Status, issued.Total));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_repeated_billing_reminder_after_a_failed_commit_does_not_double_lines()
    {
        await using var fleet = await FleetHarness.Start("billingretry", Billing.At(2026, 10, 5, 9));
        var (card, obu) = await Billing.CardAndObu(fleet, Sample.Customer);
        await fleet.Grain<ICardGrain>(card).Authorize(AuthorizationTests.Fill(card, 90, "oct", litres: 50));
        await fleet.Grain<IObuGrain>(obu).ReportTollPassage(Billing.Passage(obu, "vp-1", fleet.Now, 12.34m), "viapass");
        await Billing.FailBilledCommits(fleet, card, on: true);
        await Billing.FailBilledCommits(fleet, obu, on: true);

        await fleet.AdvanceTo(Billing.At(2026, 11, 1, 0, 10));
        var october = fleet.Grain<IInvoiceGrain>(InvoiceGrain.KeyOf(Sample.Customer, October));
        Assert.Equal(102.34m, (await october.Get())!.Total);    // the invoice took both batches ...
        Assert.Equal(1, await Billing.Reminders(fleet, card));   // ... but neither grain recorded it: their reminders retry
        Assert.Equal(1, await Billing.Reminders(fleet, obu));

        await Billing.FailBilledCommits(fleet, card, on: false);
        await Billing.FailBilledCommits(fleet, obu, on: false);
        await fleet.Advance(Duration.FromMinutes(1));
        Assert.Equal(0, await Billing.Reminders(fleet, card));
        Assert.Equal(0, await Billing.Reminders(fleet, obu));
        await fleet.AdvanceTo(Billing.At(2026, 11, 2, 1));
        var invoice = (await october.Get())!;
        Assert.Equal(InvoiceStatus.Issued, invoice.Status);
        Assert.Equal(
        [
            new InvoiceLine(InvoiceLineKind.Card, card, "Diesel", 50, 90, 1),
            new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll BE Viapass Heavy4Axles", 42.5m, 12.34m, 1),
        ], invoice.Lines);
        Assert.Equal(102.34m, invoice.Total);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_passage_arriving_while_a_sent_batch_is_not_recorded_as_billed_is_billed_in_a_batch_of_its_own()
    {
        await using var fleet = await FleetHarness.Start("billingseal", Billing.At(2026, 10, 5, 9));
        var (_, obu) = await Billing.CardAndObu(fleet, Sample.Customer);
        var toll = fleet.Grain<IObuGrain>(obu);
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-1", fleet.Now, 12.34m), "viapass");
        await Billing.FailBilledCommits(fleet, obu, on: true);
        await fleet.AdvanceTo(Billing.At(2026, 11, 1, 0, 10));   // October's batch is on its invoice, the OBU does not know
        await fleet.AdvanceTo(Billing.At(2026, 11, 2, 1));       // and the invoice is issued meanwhile
        var issued = (await Billing.Invoice(fleet, Sample.Customer, October))!;
        Assert.Equal((InvoiceStatus.Issued, 12.34m), (issued.Status, issued.Total));
        Assert.Equal(1, await Billing.Reminders(fleet, obu));

        // A late October passage must not grow the batch the issued invoice already holds: it would answer "already
        // billed" to the grown batch, and the passage would be lost.
        await toll.ReportTollPassage(Billing.Passage(obu, "vp-late", Billing.At(2026, 10, 31, 10), 5m), "viapass");
        await Billing.FailBilledCommits(fleet, obu, on: false);
        await fleet.AdvanceTo(Billing.At(2026, 11, 3, 1));
        Assert.Equal(12.34m, (await Billing.Invoice(fleet, Sample.Customer, October))!.Total);
        Assert.Equal([new InvoiceLine(InvoiceLineKind.Toll, obu, "Toll BE Viapass Heavy4Axles", 42.5m, 5, 1, ForMonth: "2026-10")],
            (await Billing.Invoice(fleet, Sample.Customer, November))!.Lines);
        Assert.Equal(0, await Billing.Reminders(fleet, obu));
    }
}

/// <summary>A card and an OBU that bill, passages, and the Brussels clock for the billing tests.</summary>
internal static class Billing
{
    /// <summary>A card without forbidden days or limits, so any fill at any hour is approved and billed.</summary>
    public static CardSettings Unlimited(string plate) => Sample.Diesel(plate) with
    {
        Limits = [],
        Controls = Sample.Diesel().Controls with { ForbiddenDays = [] },
    };

    /// <summary>An Active card and an Active OBU of a newly registered customer (three days pass).</summary>
    public static async Task<(string Card, string Obu)> CardAndObu(FleetHarness fleet, string customerNumber)
    {
        var customer = await Sample.RegisterCustomer(fleet, customerNumber);
        var card = await customer.CreateCard(new CardOrder(Unlimited($"1-C{customerNumber}")));
        var obu = await customer.CreateObu(Sample.Truck($"1-T{customerNumber}"));
        await fleet.Grain<IObuGrain>(obu).UploadRegistrationCertificate("grijze-kaart.pdf", [1, 2, 3]);
        await fleet.Advance(Duration.FromDays(3));
        return (card, obu);
    }

    public static TollPassage Passage(string obu, string id, Instant at, decimal amount, decimal km = 42.5m, string domain = "Viapass",
        string country = "BE") => new()
    {
        ObuNumber = obu, PassageId = id, TollDomain = domain, Country = country, EntryPoint = "E40 Brussel", ExitPoint = "E40 Gent",
        DistanceKm = km, TariffClass = "Heavy4Axles", Amount = amount, PassedAt = at,
    };

    /// <summary>A moment given in Brussels time.</summary>
    public static Instant At(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).InZoneStrictly(FleetCalendar.Brussels).ToInstant();

    public static Task<InvoiceView?> Invoice(FleetHarness fleet, string customerNumber, YearMonth month) =>
        fleet.Grain<IInvoiceGrain>(InvoiceGrain.KeyOf(customerNumber, month)).Get();

    /// <summary>The billing dates a card or OBU keeps: 1 while it has use to bill, 0 once an invoice took all of it.</summary>
    public static async Task<long> Reminders(FleetHarness fleet, string number) =>
        await fleet.Scalar<long>("SELECT count(*) FROM grain_state WHERE grain_key = $1 AND wake_ups ? 'billing'", number);

    /// <summary>
    /// While on, every commit of the card or OBU that drops billed use (its unbilled months or batches shrink) fails:
    /// the commit after an invoice took a batch, as a crash there would lose it. Its billing reminder is then retried.
    /// </summary>
    public static async Task FailBilledCommits(FleetHarness fleet, string number, bool on)
    {
        await using var command = fleet.DataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS failing_commits (grain_key text PRIMARY KEY);
            CREATE OR REPLACE FUNCTION unbilled(state jsonb) RETURNS bigint LANGUAGE sql AS $$
                SELECT coalesce(jsonb_array_length(state->'unbilledToll'), 0) + (SELECT count(*) FROM jsonb_object_keys(coalesce(state->'billing', '{}')))
            $$;
            -- A card journals its authorizations: months of approved use since its snapshot are unbilled too.
            CREATE OR REPLACE FUNCTION journaled_months(key text, state jsonb) RETURNS bigint LANGUAGE sql AS $$
                SELECT count(DISTINCT to_char((entry::jsonb->>'decidedAt')::timestamptz AT TIME ZONE 'Europe/Brussels', 'YYYY-MM'))
                FROM grain_journal WHERE grain_key = key AND (entry::jsonb->>'approved')::boolean
                  AND NOT coalesce(state->'billing', '{}') ? to_char((entry::jsonb->>'decidedAt')::timestamptz AT TIME ZONE 'Europe/Brussels', 'YYYY-MM')
            $$;
            CREATE OR REPLACE FUNCTION fail_billed_commits() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM failing_commits WHERE grain_key = NEW.grain_key)
                   AND unbilled(NEW.state) < unbilled(OLD.state) + journaled_months(OLD.grain_key, OLD.state) THEN
                    RAISE EXCEPTION 'test: the commit after an invoice took the batch fails';
                END IF;
                RETURN NEW;
            END $$;
            CREATE OR REPLACE TRIGGER fail_billed_commits BEFORE UPDATE ON grain_state FOR EACH ROW EXECUTE FUNCTION fail_billed_commits();
            """);
        await command.ExecuteNonQueryAsync();
        await using var switching = fleet.DataSource.CreateCommand(
            on ? "INSERT INTO failing_commits VALUES ($1) ON CONFLICT DO NOTHING" : "DELETE FROM failing_commits WHERE grain_key = $1");
        switching.Parameters.Add(new Npgsql.NpgsqlParameter { Value = number });
        await switching.ExecuteNonQueryAsync();
    }
}

/// <summary>Toll and correction lines over the real API: the invoice query, the signed PDF and the billing data file.</summary>
public sealed class InvoiceDocumentTests
{
    private const string Password = "Fleet#2026";
    private const string Query = """
        query($n: String!, $a: String) { fleetInvoice(number: $n, access: $a) {
          number month status total lines { kind cardOrObuNumber product quantity amount transactions forMonth } } }
        """;

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Toll_and_correction_lines_show_in_the_invoice_query_the_signed_pdf_and_the_billing_data_file()
    {
        await using var server = await FleetServer.Start("tolldocuments");
        var fleet = server.Fleet;
        var (card, obu) = await Billing.CardAndObu(fleet, Sample.Customer);
        var (_, otherObu) = await Billing.CardAndObu(fleet, Sample.OtherCustomer);
        await fleet.Grain<IObuGrain>(otherObu).ReportTollPassage(Billing.Passage(otherObu, "other-1", fleet.Now, 9m), "viapass");
        await fleet.Grain<IUserGrain>("manager").Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", "manager@acme.be", "0470123456"), Enum.GetValues<FleetModule>(), [Sample.Customer], null, Password));
        var toll = fleet.Grain<IObuGrain>(obu);
        await toll.ReportTollPassage(Billing.Passage(obu, "jan-1", fleet.Now, 12.34m), "viapass");
        await fleet.AdvanceTo(Billing.At(2026, 2, 3, 10));   // January is issued
        await toll.ReportTollPassage(Billing.Passage(obu, "jan-late", Billing.At(2026, 1, 30, 15), 20m, km: 60m), "viapass");
        await fleet.AdvanceTo(Billing.At(2026, 2, 5, 10));
        await fleet.Grain<ICardGrain>(card).Authorize(AuthorizationTests.Fill(card, 30, "feb", litres: 20));
        await fleet.AdvanceTo(Billing.At(2026, 3, 1, 1));
        await fleet.AdvanceTo(Billing.At(2026, 3, 2, 12));   // February is issued, with January's late toll

        var manager = await server.Login("manager", Password);
        var access = await InvoiceAccess.Unlock(server, manager, Password);
        var (january, february) = ($"{Sample.Customer}-202601", $"{Sample.Customer}-202602");
        var janView = (await server.Data(Query, new { n = january, a = access }, manager)).GetProperty("fleetInvoice");
        Assert.Equal(12.34m, janView.GetProperty("total").GetDecimal());
        var janToll = Assert.Single(janView.GetProperty("lines").EnumerateArray());
        Assert.Equal(("TOLL", obu, "Toll BE Viapass Heavy4Axles"), (janToll.GetProperty("kind").GetString(), janToll.GetProperty("cardOrObuNumber").GetString(),
            janToll.GetProperty("product").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, janToll.GetProperty("forMonth").ValueKind);

        var febView = (await server.Data(Query, new { n = february, a = access }, manager)).GetProperty("fleetInvoice");
        Assert.Equal(("ISSUED", 50m), (febView.GetProperty("status").GetString(), febView.GetProperty("total").GetDecimal()));
        var lines = febView.GetProperty("lines").EnumerateArray()
            .Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("amount").GetDecimal(), l.GetProperty("forMonth").GetString())).ToList();
        Assert.Equal([("CARD", 30m, null), ("TOLL", 20m, "2026-01")], lines);
        Assert.Equal("INVOICE_ACCESS_REQUIRED",
            (await server.Post(Query, new { n = february, a = (string?)null }, manager)).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(9m, (await Billing.Invoice(fleet, Sample.OtherCustomer, new YearMonth(2026, 1)))!.Total);   // it exists, but is not hers
        var foreign = await server.Data(Query, new { n = $"{Sample.OtherCustomer}-202601", a = access }, manager);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, foreign.GetProperty("fleetInvoice").ValueKind);

        using var verifier = System.Security.Cryptography.ECDsa.Create();
        verifier.ImportFromPem(await server.Http.GetStringAsync(new Uri(server.Url, "/fleet/invoices/signing-key.pem")));
        using var pdfResponse = await Download(server, $"{february}.pdf", manager, access);
        var pdf = await pdfResponse.Content.ReadAsByteArrayAsync();
        Assert.True(verifier.VerifyData(pdf, Convert.FromBase64String(pdfResponse.Headers.GetValues("Invoice-Signature").Single()),
            System.Security.Cryptography.HashAlgorithmName.SHA256));
        var text = PdfTools.Text(pdf);
        Assert.Contains("CORRECTIONS", text);
        Assert.Matches($@"{obu}\s+Toll BE Viapass Heavy4Axles \(2026-01\)", text);
        Assert.Matches(@"TOTAL including VAT\s+50\.00", text);
        using var janPdf = await Download(server, $"{january}.pdf", manager, access);
        var janText = PdfTools.Text(await janPdf.Content.ReadAsByteArrayAsync());
        Assert.Matches($@"{obu}\s+Toll BE Viapass Heavy4Axles", janText);
        Assert.DoesNotContain("CORRECTIONS", janText);

        using var csvResponse = await Download(server, $"{february}.csv", manager, access);
        var csv = await csvResponse.Content.ReadAsStringAsync();
        Assert.Equal(
            $"""
            invoice;month;card_or_obu;product;quantity;amount;transactions;kind;for_month
            {february};2026-02;{card};Diesel;20.00;30.00;1;CARD;
            {february};2026-02;{obu};Toll BE Viapass Heavy4Axles;60.00;20.00;1;TOLL;2026-01

            """.ReplaceLineEndings("\n"), csv);
    }

    private static async Task<HttpResponseMessage> Download(FleetServer server, string document, string bearer, string access)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, $"/fleet/invoices/{document}"));
        request.Headers.Authorization = new("Bearer", bearer);
        request.Headers.Add(Actors.Api.Fleet.FleetInvoiceAccess.Header, access);
        var response = await server.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
