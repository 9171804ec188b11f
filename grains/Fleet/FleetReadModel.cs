using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>
/// The rows of the fleet read model (DDL in graphql/Api/Fleet/ReadModel): written with the grain's state in one
/// transaction, so fleet status searches never disagree with the grains.
/// </summary>
public static class FleetTables
{
    public const string Status = "fleet_status";
    public const string Requests = "fleet_requests";
    public const string DriverCodes = "fleet_driver_codes";
    public const string Users = "fleet_users";
    public const string Transactions = "fleet_transactions";
    public const string Anomalies = "fleet_anomalies";
    public const string Invoices = "fleet_invoices";
}

/// <summary>One card or OBU in the fleet status (fiche 06): what is searched, sorted and exported.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetStatusRow(
    string Number, string CustomerNumber, string Product, string? Plate, string? HolderName, string Status, int Rank,
    string? Division, string? DriverName, LocalDate? LastUsedOn, LocalDate? ExpiryDate, string? PinType, string? LinkedNumber,
    object Settings, Instant UpdatedAt);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetStatusKey(string Number);

/// <summary>One order in "my requests".</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record FleetRequestRow(
    string RequestId, string CustomerNumber, string Number, string Product, string Kind, string Status, Instant RequestedAt, Instant UpdatedAt);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record DriverCodeRow(string CustomerNumber, string Code, string DriverName, string? Division, string Status, Instant UpdatedAt);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UserRow(
    string Login, string Name, string FirstName, string Email, string[] CustomerNumbers, string[] Modules, LocalDate? ValidUntil,
    string Status, Instant UpdatedAt);

/// <summary>A card's or OBU's status changed (subscriptions per customer).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record StatusChanged(string Number, string CustomerNumber, string Product, CardStatus From, CardStatus To, int Rank);

/// <summary>An order in "my requests" moved on.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RequestChanged(string Number, string CustomerNumber, string RequestId, RequestKind Kind, RequestStatus Status);
