using NodaTime;

namespace Actors.Grains.Fleet;

public enum InvoiceStatus { Open, Issued }

/// <summary>Fiche 11: the first download of an issued invoice is the Original; every later one a Duplicate.</summary>
public enum InvoiceCopy { Original, Duplicate }

/// <summary>One card's use of one product in the invoiced month.</summary>
public sealed record InvoiceLine(string CardNumber, string Product, decimal Quantity, decimal Amount, int Transactions);

public sealed record InvoiceView(string Number, string CustomerNumber, string Month, InvoiceStatus Status, IReadOnlyList<InvoiceLine> Lines,
    decimal Total, Instant? IssuedAt, int Downloads);

/// <summary>A download: the invoice and which copy this one is.</summary>
public sealed record InvoiceDownload(InvoiceView Invoice, InvoiceCopy Copy);

/// <summary>Event: an invoice can be downloaded (the notification to the customer's invoice users).</summary>
public sealed record InvoiceAvailable(string Number, string CustomerNumber, string Month, decimal Total);

public sealed record InvoiceRow(string Number, string CustomerNumber, string Month, string Status, decimal Total, int Lines, Instant? IssuedAt,
    int Downloads, Instant UpdatedAt);

/// <summary>
/// The monthly invoice of one customer number (key: <c>customer/yyyy-MM</c>), fiche 11. Each card sends its month's
/// totals at the start of the next month (the card's <c>billing</c> reminder); a day later this grain's reminder issues it.
/// It never calls out, so cards may call it from any turn.
/// </summary>
public interface IInvoiceGrain : IGrain
{
    /// <summary>A card's lines for the month; sending the same card again replaces its lines (a repeated reminder).</summary>
    Task AddCard(string cardNumber, IReadOnlyList<InvoiceLine> lines);
    [ReadOnly] Task<InvoiceView?> Get();
    /// <summary>An issued invoice: the first call answers the Original, every later one a Duplicate.</summary>
    Task<InvoiceDownload> Download();
}

public sealed class InvoiceState
{
    public Dictionary<string, List<InvoiceLine>> Cards { get; set; } = [];
    public InvoiceStatus Status { get; set; }
    public Instant? IssuedAt { get; set; }
    public int Downloads { get; set; }
    /// <summary>Lines of cards that reported after the invoice was issued: for the next invoice's corrections.</summary>
    public List<InvoiceLine> Late { get; set; } = [];
}

[GrainType("fleet.invoice")]
public sealed class InvoiceGrain : Grain<InvoiceState>, IInvoiceGrain, IRemindable
{
    /// <summary>Cards report at the start of the month; the invoice waits a day for late reminders.</summary>
    public static readonly Duration IssueDelay = Duration.FromDays(1);
    private const string IssueReminder = "issue";

    public static string KeyOf(string customerNumber, YearMonth month) => $"{customerNumber}/{month:yyyy-MM}";

    private string CustomerNumber => Key[..Key.IndexOf('/')];
    private YearMonth Month => NodaTime.Text.YearMonthPattern.Iso.Parse(Key[(Key.IndexOf('/') + 1)..]).Value;
    private string Number => $"{CustomerNumber}-{Month:yyyyMM}";

    public async Task AddCard(string cardNumber, IReadOnlyList<InvoiceLine> lines)
    {
        if (State.Status == InvoiceStatus.Issued) State.Late.AddRange(lines);
        else State.Cards[cardNumber] = [.. lines];
        Project(new ReadModelUpsert(FleetTables.Invoices, Row()));
        if (State.Status == InvoiceStatus.Open)
            ScheduleWithState(IssueReminder, FleetCalendar.StartOf(Month.PlusMonths(1).OnDayOfMonth(1)) + IssueDelay);
        await WriteStateAsync();
    }

    [ReadOnly]
    public Task<InvoiceView?> Get() => Task.FromResult(RecordExists ? View() : null);

    public async Task<InvoiceDownload> Download()
    {
        if (!RecordExists || State.Status != InvoiceStatus.Issued)
            throw new FleetOperationException("INVOICE_NOT_ISSUED", $"Invoice {Number} is not issued yet.");
        var copy = State.Downloads == 0 ? InvoiceCopy.Original : InvoiceCopy.Duplicate;
        State.Downloads++;
        Project(new ReadModelUpsert(FleetTables.Invoices, Row()));
        await WriteStateAsync();
        return new InvoiceDownload(View(), copy);
    }

    public async Task ReceiveReminder(ReminderTick tick)
    {
        if (tick.Name != IssueReminder || State.Status == InvoiceStatus.Issued) return;
        State.Status = InvoiceStatus.Issued;
        State.IssuedAt = Now;
        var view = View();
        RaiseEvent("InvoiceAvailable", new InvoiceAvailable(view.Number, CustomerNumber, view.Month, view.Total));
        Project(new ReadModelUpsert(FleetTables.Invoices, Row()));
        UnregisterWithState(IssueReminder);
        await WriteStateAsync();
    }

    private InvoiceView View()
    {
        var lines = State.Cards.OrderBy(c => c.Key, StringComparer.Ordinal).SelectMany(c => c.Value).ToList();
        return new InvoiceView(Number, CustomerNumber, Month.ToString("yyyy-MM", null), State.Status, lines, lines.Sum(l => l.Amount), State.IssuedAt, State.Downloads);
    }

    private InvoiceRow Row()
    {
        var view = View();
        return new InvoiceRow(view.Number, CustomerNumber, view.Month, State.Status.ToString(), view.Total, view.Lines.Count, State.IssuedAt, State.Downloads, Now);
    }
}
