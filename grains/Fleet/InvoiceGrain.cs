using NodaTime;

namespace Actors.Grains.Fleet;

[GenerateSerializer]
public enum InvoiceStatus { Open, Issued }

/// <summary>Fiche 11: the first download of an issued invoice is the Original; every later one a Duplicate.</summary>
[GenerateSerializer]
public enum InvoiceCopy { Original, Duplicate }

/// <summary>What an invoice line bills: the use of a fuel card (fuel, energy, services) or the toll passages of an OBU.</summary>
[GenerateSerializer]
public enum InvoiceLineKind { Card, Toll }

/// <summary>
/// One card's use of one product, or one OBU's toll on one toll domain at one tariff class. <see cref="Quantity"/> is the
/// product's quantity for a card and kilometres for toll; <see cref="Transactions"/> counts fills or passages.
/// <see cref="ForMonth"/> (yyyy-MM) is set on a correction: use of an earlier month that reached that month's invoice
/// only after it was issued, so it is billed here.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record InvoiceLine(InvoiceLineKind Kind, string CardOrObuNumber, string Product, decimal Quantity, decimal Amount, int Transactions,
    string? ForMonth = null);

/// <summary>
/// A card's or an OBU's use of one Brussels month (<see cref="Month"/>, yyyy-MM), sent to an invoice under an
/// <see cref="Id"/> that stays the same when the sender retries: an invoice that has the batch replaces it, so a
/// repeated billing reminder never bills twice, and another batch of the same month adds to it.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record InvoiceBatch(string Id, string Month, IReadOnlyList<InvoiceLine> Lines)
{
    /// <summary>The id of the <paramref name="sequence"/>th batch a card or OBU opened, for the month it bills.</summary>
    public static string IdOf(string cardOrObuNumber, string month, long sequence) => $"{cardOrObuNumber}/{month}/{sequence}";
}

/// <summary>What an invoice did with a batch.</summary>
[GenerateSerializer]
public enum InvoiceBatchOutcome
{
    /// <summary>The invoice bills it (added, or replaced the batch of the same id).</summary>
    Billed,
    /// <summary>The invoice had this batch already: nothing changed.</summary>
    AlreadyBilled,
    /// <summary>The invoice is issued and does not have the batch: send it to the next month's invoice.</summary>
    InvoiceIssued,
}

/// <summary>
/// An invoice: its lines are those of its own month first, then the corrections (lines with <c>ForMonth</c>);
/// <see cref="Total"/> is the sum of all of them.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record InvoiceView(string Number, string CustomerNumber, string Month, InvoiceStatus Status, IReadOnlyList<InvoiceLine> Lines,
    decimal Total, Instant? IssuedAt, int Downloads);

/// <summary>A download: the invoice and which copy this one is.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record InvoiceDownload(InvoiceView Invoice, InvoiceCopy Copy);

/// <summary>Event: an invoice can be downloaded (the notification to the customer's invoice users).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record InvoiceAvailable(string Number, string CustomerNumber, string Month, decimal Total);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record InvoiceRow(string Number, string CustomerNumber, string Month, string Status, decimal Total, int Lines, Instant? IssuedAt,
    int Downloads, Instant UpdatedAt);

/// <summary>
/// The monthly invoice of one customer number (key: <c>customer/yyyy-MM</c>), fiche 11. Cards and OBUs send their use
/// as batches (<see cref="InvoiceBatch"/>) after the month; a day after the month this grain's reminder issues it.
/// It never calls out, so cards and OBUs may call it from any turn.
/// </summary>
public interface IInvoiceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Bills a batch of this month or, as a correction, of an earlier one. An open invoice (also one that does not
    /// exist yet) takes it, replacing a batch of the same id; an issued invoice takes nothing and answers whether it
    /// already has the batch or the sender must go on to the next month's invoice (see <see cref="InvoiceBilling"/>).
    /// </summary>
    Task<InvoiceBatchOutcome> Bill(InvoiceBatch batch);
    [ReadOnly] Task<InvoiceView?> Get();
    /// <summary>An issued invoice: the first call answers the Original, every later one a Duplicate.</summary>
    Task<InvoiceDownload> Download();
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class InvoiceState
{
    /// <summary>The batches billed here by id: of this month, and corrections of earlier months.</summary>
    public Dictionary<string, InvoiceBatch> Batches { get; set; } = [];
    public InvoiceStatus Status { get; set; }
    public Instant? IssuedAt { get; set; }
    public int Downloads { get; set; }
}

[GrainType("fleet.invoice")]
public sealed class InvoiceGrain(
    [DurableState("invoice")] IDurableState<InvoiceState> invoice,
    IClock clock) : Grain, IInvoiceGrain, IRemindable
{
    private InvoiceState State { get => invoice.State; set => invoice.State = value; }
    private Instant Now => clock.GetCurrentInstant();

    /// <summary>Cards report at the start of the month; the invoice waits a day for late reminders.</summary>
    public static readonly Duration IssueDelay = Duration.FromDays(1);
    private const string IssueReminder = "issue";

    public static string KeyOf(string customerNumber, YearMonth month) => $"{customerNumber}/{month:yyyy-MM}";

    private string Key => this.GetPrimaryKeyString();
    private string CustomerNumber => Key[..Key.IndexOf('/')];
    private YearMonth Month => InvoiceBilling.ParseMonth(Key[(Key.IndexOf('/') + 1)..]);
    private string MonthText => Month.ToString("yyyy-MM", null);
    private string Number => $"{CustomerNumber}-{Month:yyyyMM}";

    public async Task<InvoiceBatchOutcome> Bill(InvoiceBatch batch)
    {
        if (InvoiceBilling.ParseMonth(batch.Month) > Month)
            throw new ArgumentException($"Batch {batch.Id} of {batch.Month} cannot be billed on the invoice of {MonthText}.", nameof(batch));
        var held = State.Batches.GetValueOrDefault(batch.Id);
        if (State.Status == InvoiceStatus.Issued) return held is null ? InvoiceBatchOutcome.InvoiceIssued : InvoiceBatchOutcome.AlreadyBilled;
        if (held is not null && held.Month == batch.Month && held.Lines.SequenceEqual(batch.Lines)) return InvoiceBatchOutcome.AlreadyBilled;

        State.Batches[batch.Id] = batch with { Lines = [.. batch.Lines] };
        invoice.Project(new ReadModelUpsert(FleetTables.Invoices, Row()));
        // Also when the invoice is created after its issue date (a correction for a month that had no invoice): it is
        // then due now, and issued as of now.
        var issueDate = FleetCalendar.StartOf(Month.PlusMonths(1).OnDayOfMonth(1)) + IssueDelay;
        invoice.WakeUpAt(IssueReminder, issueDate > Now ? issueDate : Now);
        await invoice.WriteStateAsync();
        return InvoiceBatchOutcome.Billed;
    }

    [ReadOnly]
    public Task<InvoiceView?> Get() => Task.FromResult(invoice.RecordExists ? View() : null);

    public async Task<InvoiceDownload> Download()
    {
        if (!invoice.RecordExists || State.Status != InvoiceStatus.Issued)
            throw new FleetOperationException("INVOICE_NOT_ISSUED", $"Invoice {Number} is not issued yet.");
        var copy = State.Downloads == 0 ? InvoiceCopy.Original : InvoiceCopy.Duplicate;
        State.Downloads++;
        invoice.Project(new ReadModelUpsert(FleetTables.Invoices, Row()));
        await invoice.WriteStateAsync();
        return new InvoiceDownload(View(), copy);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => invoice.OnWakeUp(reminderName, due => WakeUp(reminderName, due));

    /// <summary>The invoice is issued as of its issue date, whenever a silo gets to it (after an outage, later).</summary>
    private async Task WakeUp(string reminder, Instant due)
    {
        if (reminder != IssueReminder || !invoice.RecordExists || State.Status == InvoiceStatus.Issued) return;
        State.Status = InvoiceStatus.Issued;
        State.IssuedAt = due;
        var view = View();
        invoice.RaiseEvent("InvoiceAvailable", new InvoiceAvailable(view.Number, CustomerNumber, view.Month, view.Total));
        invoice.Project(new ReadModelUpsert(FleetTables.Invoices, Row()));
        invoice.CancelWakeUp(IssueReminder);
        await invoice.WriteStateAsync();
    }

    /// <summary>
    /// One line per month, card or OBU and product, whatever the batches it came in: a month billed in two batches (a
    /// late passage) reads as one line. The invoice's own month first, then corrections by month.
    /// </summary>
    private InvoiceView View()
    {
        var month = MonthText;
        var lines = State.Batches.Values
            .SelectMany(b => b.Lines.Select(l => l with { ForMonth = b.Month == month ? null : b.Month }))
            .GroupBy(l => (l.ForMonth, l.Kind, l.CardOrObuNumber, l.Product))
            .Select(g => g.First() with { Quantity = g.Sum(l => l.Quantity), Amount = g.Sum(l => l.Amount), Transactions = g.Sum(l => l.Transactions) })
            .OrderBy(l => l.ForMonth is not null).ThenBy(l => l.ForMonth, StringComparer.Ordinal).ThenBy(l => l.Kind)
            .ThenBy(l => l.CardOrObuNumber, StringComparer.Ordinal).ThenBy(l => l.Product, StringComparer.Ordinal)
            .ToList();
        return new InvoiceView(Number, CustomerNumber, month, State.Status, lines, lines.Sum(l => l.Amount), State.IssuedAt, State.Downloads);
    }

    private InvoiceRow Row()
    {
        var view = View();
        return new InvoiceRow(view.Number, CustomerNumber, view.Month, State.Status.ToString(), view.Total, view.Lines.Count, State.IssuedAt, State.Downloads, Now);
    }
}

/// <summary>
/// How a card or OBU bills a batch: on the invoice of the batch's month, or, when that one is already issued, on the
/// next month's invoice that is not, as correction lines naming the batch's month. The first invoice that is not issued
/// takes it, also one that does not exist yet: it is created and issued at its usual time (at once, if that has passed).
/// Only invoices strictly before the current month can be issued, so the walk ends at the current month's invoice
/// at the latest.
/// </summary>
public static class InvoiceBilling
{
    /// <summary>Sends <paramref name="batch"/>; returns the month of the invoice that bills it.</summary>
    public static async Task<YearMonth> Send(IGrainFactory grains, string customerNumber, InvoiceBatch batch, Instant now)
    {
        var current = FleetCalendar.Today(now).ToYearMonth();
        for (var month = ParseMonth(batch.Month); month <= current; month = month.PlusMonths(1))
            if (await grains.GetGrain<IInvoiceGrain>(InvoiceGrain.KeyOf(customerNumber, month)).Bill(batch) != InvoiceBatchOutcome.InvoiceIssued)
                return month;
        throw new InvalidOperationException($"Every invoice of customer {customerNumber} from {batch.Month} to {current:yyyy-MM} is issued: batch {batch.Id} has nowhere to go.");
    }

    /// <summary>A month as the invoices name it (yyyy-MM).</summary>
    public static YearMonth ParseMonth(string month) => NodaTime.Text.YearMonthPattern.Iso.Parse(month).GetValueOrThrow();
}
