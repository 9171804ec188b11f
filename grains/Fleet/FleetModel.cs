using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>The life of a fuel card or an OBU. OBUs never pass through the renewal statuses.</summary>
[GenerateSerializer]
public enum CardStatus
{
    /// <summary>Ordered, not yet made: can be deleted, not blocked (fiche 09).</summary>
    New,
    /// <summary>An OBU order waiting for the vehicle's registration certificate (fiche 05).</summary>
    AwaitingCertificate,
    InProduction,
    Active,
    /// <summary>Blocked for theft, loss, not received or defective: final, nothing changes any more.</summary>
    Blocked,
    /// <summary>Not renewed at expiry, but usable until then (fiche 09/12).</summary>
    Cancelled,
    RenewalCandidate,
    InRenewal,
    /// <summary>Past its expiry without renewal.</summary>
    Expired,
    /// <summary>A New order deleted before production.</summary>
    Deleted,
}

[GenerateSerializer]
public enum BlockReason { Theft, Loss, NotReceived, Defective }

/// <summary>Fiche 13: a 4-digit card code computed by the issuer or chosen by the customer, or a personal driver code.</summary>
[GenerateSerializer]
public enum PinType { Computed, Chosen, PersonalCode }

/// <summary>What a limit breach does (fiche 03 step 4).</summary>
[GenerateSerializer]
public enum LimitBreach { Block, Notify }

[GenerateSerializer]
public enum LimitPeriod { Transaction, Day, Week, Month }

/// <summary>What a limit counts: money, litres (or units of a service), or transactions.</summary>
[GenerateSerializer]
public enum LimitUnit { Amount, Quantity, Transactions }

/// <summary>The products of the portal: the Fleet card and the toll OBUs (fiche 03, 05).</summary>
[GenerateSerializer]
public enum FleetProduct { FleetCard, Passango, LiberT }

/// <summary>
/// The modules of the main menu (fiche 02); a user holds rights per module. <see cref="TollFollowUp"/> is the seed's
/// "PASSango transacties opvolgen", a right of its own next to the daily transactions and anomalies.
/// </summary>
[GenerateSerializer]
public enum FleetModule { MyAccount, MyCardsAndObus, MyDriverCodes, DailyFollowUp, MonthlyReports, MyInvoices, PassAlert, TollFollowUp }

/// <summary>The kinds of order followed in "my requests".</summary>
[GenerateSerializer]
public enum RequestKind { Creation, Reissue, Duplicate, Renewal, PinReissue }

[GenerateSerializer]
public enum RequestStatus { New, InProduction, Done, Deleted }

/// <summary>
/// A limit on one product or service over a period, and what a breach does. <paramref name="Amount"/> is the ceiling in
/// <paramref name="Unit"/>: money (when not given), quantity, or a number of transactions.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardLimit(string Product, decimal Amount, LimitPeriod Period, LimitBreach OnBreach, LimitUnit? Unit = null);

/// <summary>Technical, time and geographic controls (fiche 03 step 5).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardControls
{
    public int TankCapacityLiters { get; init; }
    public string? VehicleType { get; init; }
    public IReadOnlyList<IsoDayOfWeek> ForbiddenDays { get; init; } = [];
    public LocalTime? AllowedFrom { get; init; }
    public LocalTime? AllowedUntil { get; init; }
    /// <summary>ISO country codes where the card may be used; empty means everywhere.</summary>
    public IReadOnlyList<string> Countries { get; init; } = [];
    public int? MaxTransactionsPerDay { get; init; }
    /// <summary>What breaking one of these controls does at a station: decline (Block, when not given) or approve and raise an anomaly (Notify).</summary>
    public LimitBreach? OnBreach { get; init; }
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record Address(string Name, string Street, string PostalCode, string City, string Country);

/// <summary>Everything a fuel card is configured with; "create copy" copies all of it but the plate and the PIN.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardSettings
{
    public string CardCategory { get; init; } = "Fleet";
    public string? Plate { get; init; }
    public string? HolderName { get; init; }
    public string? Division { get; init; }
    public string? DriverName { get; init; }
    public IReadOnlyList<string> FuelAndEnergy { get; init; } = [];
    public IReadOnlyList<string> Services { get; init; } = [];
    /// <summary>What the driver types at the pump ("saisie TPV"): e.g. mileage, none.</summary>
    public string PosEntry { get; init; } = "None";
    public IReadOnlyList<CardLimit> Limits { get; init; } = [];
    public CardControls Controls { get; init; } = new();
    public Address? ShippingAddress { get; init; }
    public PinType PinType { get; init; } = PinType.Computed;
}

/// <summary>An order for a new fuel card. <paramref name="Pin"/> is only given with <see cref="PinType.Chosen"/>.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardOrder(CardSettings Settings, string? Pin = null);

/// <summary>The vehicle and toll configuration of an OBU (fiche 05).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record ObuSettings
{
    public FleetProduct Product { get; init; } = FleetProduct.Passango;
    public string? Plate { get; init; }
    public string? HolderName { get; init; }
    public string? Division { get; init; }
    public string? AdditionalMention { get; init; }
    public string? LinkedCard { get; init; }
    public int VehicleClass { get; init; }
    public int WeightKg { get; init; }
    public int LengthCm { get; init; }
    public int WidthCm { get; init; }
    public int HeightCm { get; init; }
    public int Axles { get; init; }
    public IReadOnlyList<string> TechnicalProperties { get; init; } = [];
    public IReadOnlyList<string> TollOperators { get; init; } = [];
    public Address? ShippingAddress { get; init; }
}

/// <summary>Which workflow, at which version, decided what, and when: kept with every policy decision.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record PolicyDecision(string Workflow, string Version, string Outcome, Instant At);

/// <summary>One order in "my requests".</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetRequest(string Id, RequestKind Kind, RequestStatus Status, Instant RequestedAt, Instant UpdatedAt);

/// <summary>Where a PIN is entered first, per country (fiche 13).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record PinEntryOrder(string Country, bool DriverCodeFirst);

/// <summary>A card as the portal shows it.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardView(
    string CardNumber, string CustomerNumber, CardStatus Status, int Rank, CardSettings Settings, bool PinSet,
    LocalDate? ExpiryDate, LocalDate? LastUsedOn, BlockReason? BlockReason, IReadOnlyList<FleetRequest> Requests,
    IReadOnlyList<PinEntryOrder> PinEntryOrder, IReadOnlyList<PolicyDecision> Decisions);

/// <summary>What a change did: applied at once, or ordered a reissue (same number, rank + 1).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record ChangeOutcome(bool Reissued, IReadOnlyList<string> ChangedFields, IReadOnlyList<string> ReissuingFields);
