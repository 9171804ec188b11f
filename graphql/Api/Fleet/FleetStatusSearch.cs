using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Api.Fleet;

/// <summary>
/// What fiche 06's search asks for. <see cref="CustomerNumbers"/> is the tenancy boundary: only rows of these customer
/// numbers are ever read, so the API passes the numbers granted to the user and nothing else.
/// </summary>
public sealed record FleetStatusFilter(IReadOnlyList<string> CustomerNumbers)
{
    /// <summary>Card or OBU number, exact.</summary>
    public string? Number { get; init; }
    /// <summary>Plate, by prefix.</summary>
    public string? Plate { get; init; }
    public IReadOnlyList<string>? Statuses { get; init; }
    /// <summary>FleetCard, Passango or LiberT.</summary>
    public string? Product { get; init; }
    public string? Division { get; init; }
    /// <summary>Driver name, contained, case-insensitive.</summary>
    public string? Driver { get; init; }
    public LocalDate? LastUsedFrom { get; init; }
    public LocalDate? LastUsedTo { get; init; }
    /// <summary>True: only cards never used.</summary>
    public bool? NeverUsed { get; init; }
    public LocalDate? ExpiresBefore { get; init; }
}

/// <summary>The orders the fleet status can be sorted by.</summary>
public enum FleetStatusOrder { Number, Plate, Status, LastUsedOn, Division, DriverName, ExpiryDate }

/// <summary>One card or OBU of the fleet status.</summary>
public sealed record FleetStatusItem(
    string Number, string CustomerNumber, string Product, string? Plate, string? HolderName, string Status, int Rank, string? Division,
    string? DriverName, LocalDate? LastUsedOn, LocalDate? ExpiryDate, string? PinType, string? LinkedNumber, JsonElement Settings);

/// <summary>A page of the fleet status in Relay's terms: opaque cursors, whether more follow, and the total.</summary>
public sealed record FleetStatusPage(IReadOnlyList<(string Cursor, FleetStatusItem Item)> Edges, bool HasNextPage, bool HasPreviousPage, int TotalCount)
{
    public string? StartCursor => Edges.Count > 0 ? Edges[0].Cursor : null;
    public string? EndCursor => Edges.Count > 0 ? Edges[^1].Cursor : null;
}

/// <summary>Searches the fleet status read model (table fleet_status) with the filter, order and paging of fiche 06.</summary>
public sealed class FleetStatusSearch(NpgsqlDataSource dataSource)
{
    public const int MaxPageSize = 500;

    public async Task<FleetStatusPage> Search(FleetStatusFilter filter, FleetStatusOrder order = FleetStatusOrder.Number, bool descending = false,
        int first = 50, string? after = null, CancellationToken cancellation = default)
    {
        if (first is < 1 or > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(first), $"first is between 1 and {MaxPageSize}.");
        var offset = after is null ? 0 : OffsetOf(after) + 1;
        var (where, parameters) = Where(filter);
        var column = Column(order);
        var direction = descending ? "DESC" : "ASC";
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT number, customer_number, product, plate, holder_name, status, rank, division, driver_name, last_used_on, expiry_date,
                   pin_type, linked_number, settings::text, count(*) OVER () AS total
            FROM fleet_status WHERE {where}
            ORDER BY {column} {direction} NULLS LAST, number {direction}
            LIMIT {first + 1} OFFSET {offset}
            """);
        command.Parameters.AddRange(parameters.ToArray());
        var items = new List<FleetStatusItem>();
        var total = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation))
            {
                items.Add(Read(reader));
                total = (int)reader.GetInt64(14);
            }
        if (items.Count == 0 && offset > 0) total = await Count(filter, cancellation);
        var page = items.Take(first).Select((item, i) => (CursorOf(offset + i), item)).ToList();
        return new FleetStatusPage(page, items.Count > first, offset > 0, total);
    }

    /// <summary>Every row matching the filter, in number order (the export).</summary>
    public async IAsyncEnumerable<FleetStatusItem> All(FleetStatusFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var (where, parameters) = Where(filter);
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT number, customer_number, product, plate, holder_name, status, rank, division, driver_name, last_used_on, expiry_date,
                   pin_type, linked_number, settings::text
            FROM fleet_status WHERE {where} ORDER BY number
            """);
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) yield return Read(reader);
    }

    private async Task<int> Count(FleetStatusFilter filter, CancellationToken cancellation)
    {
        var (where, parameters) = Where(filter);
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM fleet_status WHERE {where}");
        command.Parameters.AddRange(parameters.ToArray());
        return (int)(long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    private static (string Where, List<NpgsqlParameter> Parameters) Where(FleetStatusFilter filter)
    {
        var conditions = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        void Add(string condition, object value, NpgsqlDbType type)
        {
            parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            conditions.Add(condition.Replace("@", $"${parameters.Count}", StringComparison.Ordinal));
        }
        Add("customer_number = ANY(@)", filter.CustomerNumbers.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        if (filter.Number is not null) Add("number = @", filter.Number, NpgsqlDbType.Text);
        if (filter.Plate is not null) Add("plate LIKE @", Escape(filter.Plate) + "%", NpgsqlDbType.Text);
        if (filter.Statuses is { Count: > 0 }) Add("status = ANY(@)", filter.Statuses.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        if (filter.Product is not null) Add("product = @", filter.Product, NpgsqlDbType.Text);
        if (filter.Division is not null) Add("division = @", filter.Division, NpgsqlDbType.Text);
        if (filter.Driver is not null) Add("driver_name ILIKE @", "%" + Escape(filter.Driver) + "%", NpgsqlDbType.Text);
        if (filter.LastUsedFrom is { } from) Add("last_used_on >= @", from.ToDateOnly(), NpgsqlDbType.Date);
        if (filter.LastUsedTo is { } to) Add("last_used_on <= @", to.ToDateOnly(), NpgsqlDbType.Date);
        if (filter.NeverUsed is { } never) conditions.Add(never ? "last_used_on IS NULL" : "last_used_on IS NOT NULL");
        if (filter.ExpiresBefore is { } expires) Add("expiry_date < @", expires.ToDateOnly(), NpgsqlDbType.Date);
        return (string.Join(" AND ", conditions), parameters);
    }

    private static string Escape(string pattern) => pattern.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private static string Column(FleetStatusOrder order) => order switch
    {
        FleetStatusOrder.Number => "number",
        FleetStatusOrder.Plate => "plate",
        FleetStatusOrder.Status => "status",
        FleetStatusOrder.LastUsedOn => "last_used_on",
        FleetStatusOrder.Division => "division",
        FleetStatusOrder.DriverName => "driver_name",
        FleetStatusOrder.ExpiryDate => "expiry_date",
        _ => throw new ArgumentOutOfRangeException(nameof(order)),
    };

    private static FleetStatusItem Read(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        LocalDate? Date(int i) => r.IsDBNull(i) ? null : LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(i));
        return new FleetStatusItem(r.GetString(0), r.GetString(1), r.GetString(2), Text(3), Text(4), r.GetString(5), r.GetInt32(6), Text(7),
            Text(8), Date(9), Date(10), Text(11), Text(12), JsonDocument.Parse(r.GetString(13)).RootElement.Clone());
    }

    /// <summary>Cursors are opaque to clients (Relay): the row's position, base64-encoded.</summary>
    public static string CursorOf(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("fleet:" + offset.ToString(CultureInfo.InvariantCulture)));

    public static int OffsetOf(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("fleet:", StringComparison.Ordinal) && int.TryParse(text[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                return offset;
        }
        catch (FormatException) { }
        throw new Actors.Grains.Fleet.FleetValidationException("INVALID_CURSOR", "after", $"'{cursor}' is not a cursor of this connection.");
    }
}
