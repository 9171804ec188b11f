using System.Security.Cryptography;
using System.Text.Json;
using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>
/// Real-time authorization at a station (issue 6 items 1-3). The controls workflow (<c>FleetAuthorization</c>) and the
/// limit workflow (<c>FleetLimit</c>, once per limit on the product) decide; this code only gathers the facts, keeps
/// the counters and remembers answers by idempotency key.
/// </summary>
/// <remarks>
/// Period counters follow the Brussels calendar (the program's business calendar, as monthly reports and invoices),
/// so a card used on both sides of a border never straddles two "days"; forbidden days and hours, and wrong-PIN days,
/// are read in the station's time zone, where the driver stands.
/// </remarks>
public sealed partial class CardGrain
{
    /// <summary>
    /// How many answers a card keeps for retries. A network retries within seconds, and a card is used a few times a
    /// day; the list is part of every snapshot, so it stays short.
    /// </summary>
    public const int RememberedAnswers = 50;
    public const int MaxWrongPins = 3;
    private const string AllProducts = "*";
    private const string BillingReminder = "billing";
    private static readonly LimitPeriod[] CountedPeriods = [LimitPeriod.Day, LimitPeriod.Week, LimitPeriod.Month];

    /// <summary>
    /// Decides with the workflows, then journals the answer (<see cref="CardAuthorized"/>): the card's counters change
    /// by a small entry, not by rewriting its state, and the transaction row and anomalies commit with it.
    /// </summary>
    public async Task<AuthorizationAnswer> Authorize(AuthorizationRequest request)
    {
        var zone = ValidateRequest(request);
        var fingerprint = Fingerprint(request);
        if (State.Recall(request.IdempotencyKey) is { } remembered)
            return remembered.Request == fingerprint ? remembered.Answer(Number)
                : throw new FleetOperationException("IDEMPOTENCY_KEY_REUSED", $"Idempotency key {request.IdempotencyKey} was used for another request.");
        // Nothing is written for a card that does not exist: there is no one to count for or alert.
        if (!card.RecordExists || State.Status is CardStatus.Deleted or CardStatus.New)
            return new AuthorizationAnswer("", AuthorizationOutcome.Declined, [new AuthorizationReason("UNKNOWN_CARD", "Unknown card", true)], "Unknown card", Now);

        var now = Now;
        var local = now.InZone(zone);
        var today = FleetCalendar.Today(now);
        List<AuthorizationReason>? reasons = null;

        var driverCode = await DriverCode(request.DriverCode);
        var controls = await policies.Ask(FleetPolicies.Authorization, ("card", ControlFacts(today, local.Date, driverCode)), ("tx", TransactionFacts(request, local)));
        var configurable = (State.Settings.Controls.OnBreach ?? LimitBreach.Block) == LimitBreach.Block;
        for (var i = 0; i < controls.Results.Count; i++)
        {
            var failed = controls.Results[i];
            if (failed.IsSuccess) continue;
            var properties = failed.Rule.Properties ?? [];
            var always = properties.GetValueOrDefault("Breach")?.ToString() != "Configurable";
            (reasons ??= []).Add(new AuthorizationReason(properties.GetValueOrDefault("Code")?.ToString() ?? failed.Rule.RuleName!, failed.ExceptionMessage ?? failed.Rule.RuleName!, always || configurable));
        }
        var tx = new { request.Amount, request.Quantity };
        foreach (var limit in State.Settings.Limits)
        {
            if (limit.Product != request.Product) continue;
            var used = limit.Period == LimitPeriod.Transaction ? new PeriodUsage(today, 0, 0, 0) : Usage(State, limit.Product, limit.Period, today);
            var answer = await policies.Ask(FleetPolicies.Limit,
                ("limit", new { limit.Product, Period = limit.Period.ToString(), Unit = (limit.Unit ?? LimitUnit.Amount).ToString(), Max = limit.Amount,
                    UsedAmount = used.Amount, UsedQuantity = used.Quantity, UsedCount = (decimal)used.Count }),
                ("tx", tx));
            for (var i = 0; i < answer.Results.Count; i++)
                if (answer.Results[i] is { IsSuccess: false } failed)
                    (reasons ??= []).Add(new AuthorizationReason($"{limit.Period}_{limit.Unit ?? LimitUnit.Amount}_LIMIT".ToUpperInvariant(), failed.ExceptionMessage ?? failed.Rule.RuleName!, limit.OnBreach == LimitBreach.Block));
        }

        var approved = reasons is null || !reasons.Exists(r => r.Declines);
        var result = AuthorizationAnswer.For($"{Number}-{State.Authorizations + 1}", approved, (IReadOnlyList<AuthorizationReason>?)reasons ?? [], now);
        var firstOfMonth = approved && !State.Billing.ContainsKey(MonthKey(today));
        var firstToday = approved && (State.LastUsedOn is null || State.LastUsedOn < today);
        var entry = new CardAuthorized(request.IdempotencyKey, fingerprint, approved, now, reasons,
            request.Product, request.Quantity, request.Amount, request.PinCorrect, local.Date);

        if (firstToday) LastUsedOnChanges(today);
        Record(request, result, today);
        // The month's first use and the reminder that will bill it commit together: a crash cannot leave use unbilled.
        if (firstOfMonth) card.WakeUpAt(BillingReminder, FleetCalendar.StartOf(FleetCalendar.MonthStart(today).PlusMonths(1)));
        await card.AppendAsync(entry);
        return result;
    }

    /// <summary>
    /// What identifies the request apart from its key: a retry must ask the very same. 12 bytes of a SHA-256 of its JSON,
    /// written into a buffer kept per thread, since every authorization makes one.
    /// </summary>
    private static string Fingerprint(AuthorizationRequest request)
    {
        var buffer = fingerprintBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = fingerprintWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, request with { IdempotencyKey = "" });
        writer.Flush();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToBase64String(hash[..12]);
    }

    [ThreadStatic] private static System.Buffers.ArrayBufferWriter<byte>? fingerprintBuffer;
    [ThreadStatic] private static Utf8JsonWriter? fingerprintWriter;

    /// <summary>The card's status row shows the day of last use; it changes with the day's first approval.</summary>
    private void LastUsedOnChanges(LocalDate today) => card.Project(new ReadModelUpsert(FleetTables.Status, StatusRow() with { LastUsedOn = today }));

    /// <summary>
    /// What one answered authorization changes on the card, live and when the journal is replayed: the wrong-PIN count
    /// (per station-local day), the counters and the month's billing if approved, and the answer kept for retries.
    /// </summary>
    internal static void Apply(CardState state, CardAuthorized entry)
    {
        var today = FleetCalendar.Today(entry.DecidedAt);
        if (state.WrongPinDay != entry.PinDay) { state.WrongPinAttempts = 0; state.WrongPinDay = entry.PinDay; }
        if (!entry.PinCorrect) state.WrongPinAttempts++;
        else if (entry.Approved) state.WrongPinAttempts = 0;
        if (entry.Approved)
        {
            Count(state, entry, today);
            if (state.LastUsedOn is null || state.LastUsedOn < today) state.LastUsedOn = today;
        }
        state.Authorizations++;
        state.Remember(new RememberedAnswer(entry.Key, entry.Request, state.Authorizations, entry.Approved, entry.DecidedAt, entry.Reasons), RememberedAnswers);
    }

    private DateTimeZone ValidateRequest(AuthorizationRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.IdempotencyKey) || request.IdempotencyKey.Length > 100)
            throw FleetInput.Invalid("INVALID_IDEMPOTENCY_KEY", "idempotencyKey", "An idempotency key of 1 to 100 characters is required.");
        if (string.IsNullOrWhiteSpace(request.Station.Id)) throw FleetInput.Invalid("REQUIRED", "station.id", "The station id is required.");
        FleetInput.Country(request.Station.Country, "station.country");
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(request.Station.TimeZone ?? "")
            ?? throw FleetInput.Invalid("INVALID_TIME_ZONE", "station.timeZone", $"'{request.Station.TimeZone}' is not an IANA time zone (e.g. Europe/Brussels).");
        if (string.IsNullOrWhiteSpace(request.Product)) throw FleetInput.Invalid("REQUIRED", "product", "The product is required.");
        if (request.Quantity <= 0 || request.Quantity > 100_000) throw FleetInput.Invalid("INVALID_QUANTITY", "quantity", "The quantity must be more than 0.");
        if (request.Amount < 0 || request.Amount > 1_000_000) throw FleetInput.Invalid("INVALID_AMOUNT", "amount", "The amount must be 0 or more.");
        if (request.Odometer is < 0) throw FleetInput.Invalid("INVALID_ODOMETER", "odometer", "The odometer cannot be negative.");
        if (request.Rank < 1) throw FleetInput.Invalid("INVALID_RANK", "rank", "A rank starts at 1.");
        if (request.DriverCode is not null) FleetInput.DriverCode(request.DriverCode, "driverCode");
        return zone;
    }

    private async Task<DriverCodeView?> DriverCode(string? code) =>
        code is null || State.Settings.PinType != PinType.PersonalCode ? null
            : await GrainFactory.GetGrain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(State.CustomerNumber, code)).Get();

    private object ControlFacts(LocalDate today, LocalDate stationDay, DriverCodeView? driverCode)
    {
        var controls = State.Settings.Controls;
        var settings = SettingsFacts.Of(State.Settings, ref settingsFacts);
        return new
        {
            Status = State.Status.ToString(),
            State.Rank,
            PastExpiry = State.ExpiryDate is { } expiry && today > expiry,
            PinType = State.Settings.PinType.ToString(),
            // Wrong PINs count per station-local day: a new day there starts again from zero.
            WrongPinAttempts = State.WrongPinDay == stationDay ? State.WrongPinAttempts : 0,
            MaxWrongPins,
            DriverCodeKnown = driverCode is not null,
            DriverCodeBlocked = driverCode?.Status == DriverCodeStatus.Blocked,
            settings.Products,
            settings.Fuels,
            settings.Countries,
            settings.ForbiddenDays,
            settings.AllowedFrom,
            settings.AllowedUntil,
            controls.TankCapacityLiters,
            MaxTransactionsPerDay = controls.MaxTransactionsPerDay ?? 0,
            TransactionsToday = Usage(State, AllProducts, LimitPeriod.Day, today).Count,
        };
    }

    private SettingsFacts? settingsFacts;

    /// <summary>
    /// What the controls workflow reads of the card's settings, made once per settings: settings change a few times in a
    /// card's life, and the card answers every authorization with them.
    /// </summary>
    private sealed record SettingsFacts(CardSettings Settings, List<string> Products, List<string> Fuels, List<string> Countries,
        List<string> ForbiddenDays, int AllowedFrom, int AllowedUntil)
    {
        public static SettingsFacts Of(CardSettings settings, ref SettingsFacts? made)
        {
            if (made is { } known && ReferenceEquals(known.Settings, settings)) return known;
            var controls = settings.Controls;
            return made = new SettingsFacts(settings, [.. settings.FuelAndEnergy, .. settings.Services], [.. settings.FuelAndEnergy], [.. controls.Countries],
                [.. controls.ForbiddenDays.Select(d => d.ToString())],
                controls.AllowedFrom is { } from ? from.Hour * 60 + from.Minute : -1,
                controls.AllowedUntil is { } until ? until.Hour * 60 + until.Minute : -1);
        }
    }

    private static object TransactionFacts(AuthorizationRequest request, ZonedDateTime local) => new
    {
        request.Rank,
        request.PinCorrect,
        request.Product,
        request.Quantity,
        request.Amount,
        request.Station.Country,
        LocalDay = local.DayOfWeek.ToString(),
        LocalMinute = local.Hour * 60 + local.Minute,
    };

    /// <summary>The use of a product (or "*", the card) in the period that contains <paramref name="today"/>.</summary>
    private static PeriodUsage Usage(CardState state, string product, LimitPeriod period, LocalDate today)
    {
        var start = PeriodStart(period, today);
        return state.Usage.TryGetValue(UsageKey.Of(product, period), out var usage) && usage.Start == start ? usage : new PeriodUsage(start, 0, 0, 0);
    }

    internal static LocalDate PeriodStart(LimitPeriod period, LocalDate day) => period switch
    {
        LimitPeriod.Week => day.PlusDays(1 - (int)day.DayOfWeek),
        LimitPeriod.Month => FleetCalendar.MonthStart(day),
        _ => day,
    };

    private static string MonthKey(LocalDate day) => BillingMonth.KeyOf(day);

    /// <summary>Counts an approval in the periods the limits look at, and in the (Brussels) month's billing.</summary>
    private static void Count(CardState state, CardAuthorized use, LocalDate today)
    {
        var month = MonthKey(today);
        var products = state.Billing.TryGetValue(month, out var existing) ? existing : state.Billing[month] = [];
        var billed = products.TryGetValue(use.Product, out var known) ? known : new PeriodUsage(FleetCalendar.MonthStart(today), 0, 0, 0);
        products[use.Product] = billed.Plus(use);

        foreach (var period in CountedPeriods)
            state.Usage[UsageKey.Of(use.Product, period)] = Usage(state, use.Product, period, today).Plus(use);
        state.Usage[UsageKey.Of(AllProducts, LimitPeriod.Day)] = Usage(state, AllProducts, LimitPeriod.Day, today).Plus(use);
    }

    /// <summary>
    /// At the start of a month, each finished month's use goes to that month's invoice (fiche 11), or as a correction
    /// to the next one that is not issued yet (<see cref="InvoiceBilling"/>). Invoices never call out; a month is removed
    /// only once an invoice took it, so a failed call is retried with the next tick.
    /// </summary>
    /// <remarks>
    /// A card counts use only in the current month and sends finished months only, so a month's use is complete when
    /// it is sent and the card opens one batch per month: its id ends in 1. A retry sends the very same batch, which the
    /// invoice that has it replaces (or, issued, ignores).
    /// </remarks>
    private async Task SendBilling()
    {
        var current = FleetCalendar.MonthStart(FleetCalendar.Today(Now));
        var finished = State.Billing.Keys.Where(m => string.CompareOrdinal(m, current.ToString("yyyy-MM", null)) < 0).Order().ToList();
        foreach (var month in finished)
        {
            var lines = State.Billing[month].OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new InvoiceLine(InvoiceLineKind.Card, Number, p.Key, p.Value.Quantity, p.Value.Amount, p.Value.Count)).ToList();
            await InvoiceBilling.Send(GrainFactory, State.CustomerNumber, new InvoiceBatch(InvoiceBatch.IdOf(Number, month, 1), month, lines), Now);
            State.Billing.Remove(month);
            if (month == finished[^1]) StageNextBilling(current);
            await card.WriteStateAsync();
        }
        if (finished.Count == 0)
        {
            StageNextBilling(current);
            await card.WriteStateAsync();
        }
    }

    /// <summary>The billing reminder follows what is left to bill, in the same commit: next month start, or none.</summary>
    private void StageNextBilling(LocalDate currentMonth)
    {
        if (State.Billing.Count > 0) card.WakeUpAt(BillingReminder, FleetCalendar.StartOf(currentMonth.PlusMonths(1)));
        else card.CancelWakeUp(BillingReminder);
    }

    /// <summary>
    /// The transaction row, and per broken rule an anomaly row and event, written with the counters; both rows are written
    /// once (their ids follow the card's count of authorizations) and so are plain inserts. The transaction
    /// itself raises no event: its row is the record, and an event per fill would cost every authorization a second
    /// write that no subscriber reads; anomalies are what users follow (PASSalert).
    /// </summary>
    private void Record(AuthorizationRequest request, AuthorizationAnswer answer, LocalDate today)
    {
        var settings = State.Settings;
        var station = request.Station;
        card.Project(new ReadModelInsert(FleetTables.Transactions, new FleetTransactionRow(
            answer.TransactionId, State.CustomerNumber, Number, settings.Division, settings.DriverName, settings.Plate, station.Id, station.Country,
            request.Product, request.Quantity, request.Amount, request.Odometer, answer.Outcome.ToString(),
            answer.Reasons.Count == 0 ? [] : [.. answer.Reasons.Select(r => r.Code)], answer.Text, answer.DecidedAt, today)));
        var declined = answer.Outcome == AuthorizationOutcome.Declined;
        for (var i = 0; i < answer.Reasons.Count; i++)
        {
            var reason = answer.Reasons[i];
            var id = $"{answer.TransactionId}-{i + 1}";
            card.Project(new ReadModelInsert(FleetTables.Anomalies, new FleetAnomalyRow(
                id, answer.TransactionId, State.CustomerNumber, Number, settings.Division, reason.Code, reason.Text, declined, station.Id,
                station.Country, request.Product, request.Quantity, request.Amount, answer.DecidedAt, today)));
            card.RaiseEvent("FleetAnomalyRaised", new FleetAnomalyRaised(id, answer.TransactionId, Number, State.CustomerNumber, settings.Division,
                reason.Code, reason.Text, declined, station.Id, station.Country, request.Product, request.Quantity, request.Amount, answer.DecidedAt));
        }
    }
}
