using System.Globalization;
using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>
/// A toll charger's report of one passage of a PASSango OBU (issue 6 item 5): where (toll domain, country, entry and
/// exit point or one segment), how far, at which tariff class, what it cost (EUR incl. VAT) and when. The toll
/// charger's <see cref="PassageId"/> is the idempotency key: the same id always gets the same receipt and counts once.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TollPassage
{
    public string ObuNumber { get; init; } = "";
    public string PassageId { get; init; } = "";
    /// <summary>The toll domain or road operator that charges (Viapass, ASFINAG, Telepass ...).</summary>
    public string TollDomain { get; init; } = "";
    /// <summary>ISO country code of the toll domain.</summary>
    public string Country { get; init; } = "";
    /// <summary>The entry point, or the segment for a single-point (gantry) passage.</summary>
    public string EntryPoint { get; init; } = "";
    /// <summary>The exit point; none for a segment passage.</summary>
    public string? ExitPoint { get; init; }
    public decimal DistanceKm { get; init; }
    /// <summary>The tariff class the toll charger applied, as it names it.</summary>
    public string TariffClass { get; init; } = "";
    /// <summary>Euro, VAT included.</summary>
    public decimal Amount { get; init; }
    public Instant PassedAt { get; init; }
}

/// <summary>What the toll charger gets back: the passage as recorded, on which Brussels day, for which customer.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TollPassageReceipt(string PassageId, string ObuNumber, string CustomerNumber, LocalDate Day, decimal Amount, Instant RecordedAt);

/// <summary>
/// Toll of one Brussels month (yyyy-MM) an OBU has not billed yet, sent as invoice batch number <see cref="Batch"/>.
/// <see cref="Sealed"/> once its sending started: its content is then fixed, and later passages of the month open a new
/// batch.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UnbilledToll(string Month, long Batch, bool Sealed, IReadOnlyList<TollUse> Lines);

/// <summary>Passages on one toll domain of one country at one applied tariff class: one invoice line.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TollUse(string Country, string TollDomain, string TariffClass, decimal DistanceKm, decimal Amount, int Passages)
{
    /// <summary>The invoice line's product, e.g. "Toll BE Viapass Heavy4Axles".</summary>
    public static string Product(TollUse use) => $"Toll {use.Country} {use.TollDomain} {use.TariffClass}";
}

/// <summary>A recorded passage kept for retries: its id, a fingerprint of its content and when it was recorded.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RememberedPassage(string PassageId, string Fingerprint, Instant RecordedAt);

/// <summary>One toll passage in the daily follow-up (read-model row of <c>fleet_toll_transactions</c>).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetTollTransactionRow(
    string ObuNumber, string PassageId, string CustomerNumber, string Product, string? Plate, string? Division, string TollDomain,
    string Country, string EntryPoint, string? ExitPoint, decimal DistanceKm, string TariffClass, string ObuTariffClass, decimal Amount,
    Instant PassedAt, LocalDate Day, string ReportedBy, Instant RecordedAt)
{
    /// <summary>The read-model table (DDL in graphql/Api/Fleet/ReadModel/0004_fleet_toll_transactions.sql).</summary>
    public const string Table = "fleet_toll_transactions";
}

/// <summary>Event: a toll passage was recorded on an OBU.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TollPassageRecorded(
    string ObuNumber, string PassageId, string CustomerNumber, string TollDomain, string Country, decimal DistanceKm, string TariffClass,
    decimal Amount, Instant PassedAt, LocalDate Day, string ReportedBy);

/// <summary>The checks on a reported passage, each failing with a code and the field's name (bad input, nothing written).</summary>
public static class TollPassageChecks
{
    public const int MaxTextLength = 100;
    public const decimal MaxAmount = 100_000m;
    public const decimal MaxDistanceKm = 10_000m;
    /// <summary>Clocks of roadside equipment drift: a passage a few minutes "in the future" is skew, not fiction.</summary>
    public static readonly Duration ClockSkew = Duration.FromMinutes(5);

    /// <summary>
    /// The countries with a toll domain a PASSango OBU can serve (the European Electronic Toll Service area: EU, EEA,
    /// Switzerland, the United Kingdom). Any other code, well-formed or not, is unknown.
    /// </summary>
    public static readonly IReadOnlySet<string> Countries = new HashSet<string>(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI",
        "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
    };

    public static void Check(TollPassage passage, Instant now)
    {
        Text(passage.ObuNumber, "passage.obuNumber");
        Text(passage.PassageId, "passage.passageId");
        Text(passage.TollDomain, "passage.tollDomain");
        if (passage.Country is null || !Countries.Contains(passage.Country))
            throw FleetInput.Invalid("INVALID_COUNTRY", "passage.country",
                $"'{passage.Country}' is not the ISO code of a country with a toll domain ({string.Join(", ", Countries.Order(StringComparer.Ordinal))}).");
        Text(passage.EntryPoint, "passage.entryPoint");
        if (passage.ExitPoint is not null) Text(passage.ExitPoint, "passage.exitPoint");
        Text(passage.TariffClass, "passage.tariffClass");
        if (passage.DistanceKm < 0 || passage.DistanceKm > MaxDistanceKm || decimal.Round(passage.DistanceKm, 3) != passage.DistanceKm)
            throw FleetInput.Invalid("INVALID_DISTANCE", "passage.distanceKm", $"The distance is 0 to {MaxDistanceKm} km, to the metre at most.");
        if (passage.Amount < 0 || passage.Amount > MaxAmount || decimal.Round(passage.Amount, 2) != passage.Amount)
            throw FleetInput.Invalid("INVALID_AMOUNT", "passage.amount", $"The amount is 0 to {MaxAmount} EUR, in cents at most.");
        if (passage.PassedAt > now + ClockSkew)
            throw FleetInput.Invalid("PASSAGE_IN_FUTURE", "passage.passedAt", $"The passage at {passage.PassedAt} lies in the future.");
    }

    /// <summary>
    /// What identifies the content of a passage, whatever the id: numbers without trailing zeros, so 12.5 and 12.50
    /// are the same retry.
    /// </summary>
    public static string Fingerprint(TollPassage p)
    {
        var text = string.Join('\u001f', p.ObuNumber, p.TollDomain, p.Country, p.EntryPoint, p.ExitPoint ?? "\u0000", Number(p.DistanceKm),
            p.TariffClass, Number(p.Amount), p.PassedAt.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture));
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)), 0, 18);
    }

    /// <summary>The number without trailing zeros (12.50 → 12.5), so a retry's receipt reads exactly as the first.</summary>
    public static decimal Plain(decimal value) => decimal.Parse(Number(value), CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static void Text(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw FleetInput.Invalid("REQUIRED", field, $"{field} is required.");
        if (value.Length > MaxTextLength) throw FleetInput.Invalid("TOO_LONG", field, $"{field} has at most {MaxTextLength} characters.");
    }
}
