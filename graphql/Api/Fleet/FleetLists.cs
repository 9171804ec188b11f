using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Api.Fleet;

/// <summary>One order of "my requests" (fiche 03/04/05 step 8).</summary>
public sealed record FleetRequestItem(string RequestId, string CustomerNumber, string Number, string Product, string Kind, string Status,
    Instant RequestedAt, Instant UpdatedAt);

public sealed record DriverCodeItem(string CustomerNumber, string Code, string DriverName, string? Division, string Status);

public sealed record FleetUserItem(string Login, string Name, string FirstName, string Email, IReadOnlyList<string> CustomerNumbers,
    IReadOnlyList<string> Modules, LocalDate? ValidUntil, string Status);

/// <summary>
/// The other lists of the portal, read from the fleet read model: my requests, driver codes (fiche 13's search) and users
/// (fiche 10's "Zoek gebruikers"). Like the fleet status, each reads only the customer numbers it is given.
/// </summary>
public sealed class FleetLists(NpgsqlDataSource dataSource)
{
    /// <summary>Newest first; <paramref name="open"/> true keeps the requests not done yet.</summary>
    public async Task<IReadOnlyList<FleetRequestItem>> Requests(IReadOnlyList<string> customerNumbers, bool open = false, int limit = 200)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT request_id, customer_number, number, product, kind, status, requested_at, updated_at FROM fleet_requests
            WHERE customer_number = ANY($1) AND (NOT $2 OR status IN ('New', 'InProduction'))
            ORDER BY requested_at DESC, request_id LIMIT $3
            """);
        command.Parameters.Add(Customers(customerNumbers));
        command.Parameters.Add(new NpgsqlParameter { Value = open });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var items = new List<FleetRequestItem>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
            items.Add(new FleetRequestItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                Instant.FromDateTimeUtc(r.GetDateTime(6)), Instant.FromDateTimeUtc(r.GetDateTime(7))));
        return items;
    }

    public async Task<IReadOnlyList<DriverCodeItem>> DriverCodes(IReadOnlyList<string> customerNumbers, string? division = null, string? status = null)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT customer_number, code, driver_name, division, status FROM fleet_driver_codes
            WHERE customer_number = ANY($1) AND ($2::text IS NULL OR division = $2) AND ($3::text IS NULL OR status = $3)
            ORDER BY customer_number, code
            """);
        command.Parameters.Add(Customers(customerNumbers));
        command.Parameters.Add(Text(division));
        command.Parameters.Add(Text(status));
        var items = new List<DriverCodeItem>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
            items.Add(new DriverCodeItem(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)));
        return items;
    }

    /// <summary>Users granted at least one of the customer numbers.</summary>
    public async Task<IReadOnlyList<FleetUserItem>> Users(IReadOnlyList<string> customerNumbers)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT login, name, first_name, email, customer_numbers, modules, valid_until, status FROM fleet_users
            WHERE customer_numbers && $1 ORDER BY name, first_name, login
            """);
        command.Parameters.Add(Customers(customerNumbers));
        var items = new List<FleetUserItem>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
            items.Add(new FleetUserItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4),
                r.GetFieldValue<string[]>(5), r.IsDBNull(6) ? null : LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(6)), r.GetString(7)));
        return items;
    }

    private static NpgsqlParameter Customers(IReadOnlyList<string> numbers) =>
        new() { Value = numbers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
