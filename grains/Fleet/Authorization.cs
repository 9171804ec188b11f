using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>Where a card is used: the station's id, its ISO country and its IANA time zone (forbidden days and hours are local).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record Station(string Id, string Country, string TimeZone);

/// <summary>
/// A station network's request to authorize one fill or service. The network verifies the PIN block itself (as card
/// networks do) and sends the result in <see cref="PinCorrect"/>; cards with personal codes send the driver's 4 digits.
/// The same <see cref="IdempotencyKey"/> always gets the same answer and counts once.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record AuthorizationRequest
{
    public string CardNumber { get; init; } = "";
    public int Rank { get; init; }
    public bool PinCorrect { get; init; }
    public string? DriverCode { get; init; }
    public Station Station { get; init; } = new("", "", "");
    public string Product { get; init; } = "";
    public decimal Quantity { get; init; }
    public decimal Amount { get; init; }
    public int? Odometer { get; init; }
    public string IdempotencyKey { get; init; } = "";
}

[GenerateSerializer]
public enum AuthorizationOutcome { Approved, Declined }

/// <summary>One rule a request broke: its code, the workflow's text, and whether it declined the request.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record AuthorizationReason(string Code, string Text, bool Declines);

/// <summary>The answer to the station: approved or declined, why, and a text for the pump's display.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record AuthorizationAnswer(string TransactionId, AuthorizationOutcome Outcome, IReadOnlyList<AuthorizationReason> Reasons, string Text, Instant DecidedAt)
{
    /// <summary>The answer for the broken rules: declined by the first that declines, else approved (noting the others).</summary>
    public static AuthorizationAnswer For(string transactionId, bool approved, IReadOnlyList<AuthorizationReason> reasons, Instant decidedAt)
    {
        var text = approved
            ? reasons.Count == 0 ? "Approved" : $"Approved; notified: {string.Join("; ", reasons.Select(r => r.Text))}"
            : reasons.First(r => r.Declines).Text;
        return new AuthorizationAnswer(transactionId, approved ? AuthorizationOutcome.Approved : AuthorizationOutcome.Declined, reasons, text, decidedAt);
    }
}

/// <summary>A card's use of one product over one period (or of the card, product "*"), from <see cref="Start"/>.</summary>
/// <remarks>A value, not an object: counting a use replaces it inside the card's dictionaries without allocating.</remarks>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public readonly record struct PeriodUsage(LocalDate Start, decimal Amount, decimal Quantity, int Count)
{
    /// <summary>This use with one more authorization counted.</summary>
    public PeriodUsage Plus(CardAuthorized use) => this with { Amount = Amount + use.Amount, Quantity = Quantity + use.Quantity, Count = Count + 1 };
}

/// <summary>
/// The keys of a card's usage counters ("Diesel|Day"), made once per product and period: a card looks up several per
/// authorization. Products come from card settings, a small set; past a bound keys are simply made each time.
/// </summary>
internal static class UsageKey
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Product, LimitPeriod Period), string> Made = new();

    public static string Of(string product, LimitPeriod period) =>
        Made.TryGetValue((product, period), out var key) ? key
        : Made.Count < 4096 ? Made.GetOrAdd((product, period), static p => $"{p.Product}|{p.Period}") : $"{product}|{period}";
}

/// <summary>The key of a Brussels month in a card's billing ("2026-11"); the current month's key is kept.</summary>
internal static class BillingMonth
{
    private sealed record Made(LocalDate Month, string Key);
    private static Made? last;

    public static string KeyOf(LocalDate day)
    {
        var month = FleetCalendar.MonthStart(day);
        if (Volatile.Read(ref last) is { } known && known.Month == month) return known.Key;
        var made = new Made(month, month.ToString("yyyy-MM", null));
        Volatile.Write(ref last, made);
        return made.Key;
    }
}

/// <summary>
/// An answer kept for retries: the key, a hash of what was asked (to refuse a key reused for another request) and
/// what the answer is made of. It is part of every snapshot of the card, so only what cannot be derived is kept: the
/// transaction's sequence number rather than its id, no text, and reasons only when there were any.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RememberedAnswer(string Key, string Request, long Sequence, bool Approved, Instant DecidedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<AuthorizationReason>? Reasons)
{
    /// <summary>The answer as it was given, for the card numbered <paramref name="cardNumber"/>.</summary>
    public AuthorizationAnswer Answer(string cardNumber) =>
        AuthorizationAnswer.For($"{cardNumber}-{Sequence}", Approved, Reasons ?? [], DecidedAt);
}

/// <summary>
/// The card's journal entry for one answered authorization: what the card keeps of it (the answer for retries, the
/// counted use, the wrong-PIN count). Its transaction number is the card's count of authorizations, and its Brussels
/// day follows from <see cref="DecidedAt"/>; <see cref="PinDay"/> is the station-local day.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardAuthorized(string Key, string Request, bool Approved, Instant DecidedAt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<AuthorizationReason>? Reasons,
    string Product, decimal Quantity, decimal Amount, bool PinCorrect, LocalDate PinDay);

/// <summary>The authorization as the daily follow-up shows it (event and read-model row).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetTransactionRow(
    string TransactionId, string CustomerNumber, string CardNumber, string? Division, string? DriverName, string? Plate,
    string StationId, string Country, string Product, decimal Quantity, decimal Amount, int? Odometer, string Outcome,
    string[] ReasonCodes, string Text, Instant At, LocalDate Day);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetTransactionKey(string TransactionId);

/// <summary>A breached limit or control: declined, or approved and only notified (fiche 03 step 4, PASSalert).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetAnomalyRow(
    string AnomalyId, string TransactionId, string CustomerNumber, string CardNumber, string? Division, string Code, string Text,
    bool Declined, string StationId, string Country, string Product, decimal Quantity, decimal Amount, Instant At, LocalDate Day);

/// <summary>Event: an anomaly, pushed to subscribed users and mailed (PASSalert).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetAnomalyRaised(string AnomalyId, string TransactionId, string CardNumber, string CustomerNumber, string? Division,
    string Code, string Text, bool Declined, string StationId, string Country, string Product, decimal Quantity, decimal Amount, Instant At);
