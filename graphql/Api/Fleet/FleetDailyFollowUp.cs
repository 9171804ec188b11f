using System.Security.Claims;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Api.Fleet;

/// <summary>One answered authorization in the daily follow-up.</summary>
public sealed record FleetTransactionItem(
    string TransactionId, string CustomerNumber, string CardNumber, string? Division, string? DriverName, string? Plate, string StationId,
    string Country, string Product, decimal Quantity, decimal Amount, int? Odometer, AuthorizationOutcome Outcome, IReadOnlyList<string> ReasonCodes,
    string Text, Instant At, LocalDate Day);

/// <summary>One anomaly (PASSalert) in the daily follow-up.</summary>
public sealed record FleetAnomalyItem(
    string AnomalyId, string TransactionId, string CustomerNumber, string CardNumber, string? Division, string Code, string Text, bool Declined,
    string StationId, string Country, string Product, decimal Quantity, decimal Amount, Instant At, LocalDate Day);

/// <summary>One PASSango toll passage in the daily follow-up.</summary>
public sealed record FleetTollTransactionItem(
    string PassageId, string ObuNumber, string CustomerNumber, string Product, string? Plate, string? Division, string TollDomain, string Country,
    string EntryPoint, string? ExitPoint, decimal DistanceKm, string TariffClass, string ObuTariffClass, decimal Amount, Instant PassedAt,
    LocalDate Day, Instant RecordedAt);

/// <summary>
/// Issue 6 item 5: the daily follow-up, per customer the caller holds with Daily follow-up (transactions, anomalies)
/// or Toll follow-up (PASSango toll passages). A span of days (Brussels calendar, at most 31) is read from the read
/// model; where, order and paging work within it.
/// </summary>
[ExtendObjectType("Query")]
public sealed class FleetDailyFollowUp
{
    public const int MaxDays = 31;

    [UsePaging(DefaultPageSize = 50, MaxPageSize = 500)]
    [UseFiltering]
    [UseSorting]
    public async Task<IReadOnlyList<FleetTransactionItem>> FleetTransactions(ClaimsPrincipal user, LocalDate from, LocalDate to,
        [Service] FleetAccess access, [Service] NpgsqlDataSource dataSource)
    {
        return await Read(dataSource, await Customers(user, access, FleetModule.DailyFollowUp, from, to), from, to,
            """
            SELECT transaction_id, customer_number, card_number, division, driver_name, plate, station_id, country, product, quantity, amount,
                   odometer, outcome, reason_codes, text, at, day
            FROM fleet_transactions WHERE customer_number = ANY($1) AND day BETWEEN $2 AND $3 ORDER BY at, transaction_id
            """,
            r => new FleetTransactionItem(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), Text(r, 4), Text(r, 5), r.GetString(6),
                r.GetString(7), r.GetString(8), r.GetDecimal(9), r.GetDecimal(10), r.IsDBNull(11) ? null : r.GetInt32(11),
                Enum.Parse<AuthorizationOutcome>(r.GetString(12)), r.GetFieldValue<string[]>(13), r.GetString(14),
                Instant.FromDateTimeUtc(r.GetDateTime(15)), LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(16))));
    }

    [UsePaging(DefaultPageSize = 50, MaxPageSize = 500)]
    [UseFiltering]
    [UseSorting]
    public async Task<IReadOnlyList<FleetAnomalyItem>> FleetAnomalies(ClaimsPrincipal user, LocalDate from, LocalDate to,
        [Service] FleetAccess access, [Service] NpgsqlDataSource dataSource)
    {
        return await Read(dataSource, await Customers(user, access, FleetModule.DailyFollowUp, from, to), from, to,
            """
            SELECT anomaly_id, transaction_id, customer_number, card_number, division, code, text, declined, station_id, country, product,
                   quantity, amount, at, day
            FROM fleet_anomalies WHERE customer_number = ANY($1) AND day BETWEEN $2 AND $3 ORDER BY at, anomaly_id
            """,
            r => new FleetAnomalyItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Text(r, 4), r.GetString(5), r.GetString(6),
                r.GetBoolean(7), r.GetString(8), r.GetString(9), r.GetString(10), r.GetDecimal(11), r.GetDecimal(12),
                Instant.FromDateTimeUtc(r.GetDateTime(13)), LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(14))));
    }

    /// <summary>The toll passages of the caller's customers (Toll follow-up), by the Brussels day of the passage.</summary>
    [UsePaging(DefaultPageSize = 50, MaxPageSize = 500)]
    [UseFiltering]
    [UseSorting]
    public async Task<IReadOnlyList<FleetTollTransactionItem>> FleetTollTransactions(ClaimsPrincipal user, LocalDate from, LocalDate to,
        [Service] FleetAccess access, [Service] NpgsqlDataSource dataSource)
    {
        return await Read(dataSource, await Customers(user, access, FleetModule.TollFollowUp, from, to), from, to,
            """
            SELECT passage_id, obu_number, customer_number, product, plate, division, toll_domain, country, entry_point, exit_point, distance_km,
                   tariff_class, obu_tariff_class, amount, passed_at, day, recorded_at
            FROM fleet_toll_transactions WHERE customer_number = ANY($1) AND day BETWEEN $2 AND $3 ORDER BY passed_at, obu_number, passage_id
            """,
            r => new FleetTollTransactionItem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Text(r, 4), Text(r, 5),
                r.GetString(6), r.GetString(7), r.GetString(8), Text(r, 9), r.GetDecimal(10), r.GetString(11), r.GetString(12), r.GetDecimal(13),
                Instant.FromDateTimeUtc(r.GetDateTime(14)), LocalDate.FromDateOnly(r.GetFieldValue<DateOnly>(15)),
                Instant.FromDateTimeUtc(r.GetDateTime(16))));
    }

    private static async Task<IReadOnlyList<string>> Customers(ClaimsPrincipal user, FleetAccess access, FleetModule module, LocalDate from, LocalDate to)
    {
        if (to < from) throw new FleetValidationException("INVALID_PERIOD", "to", "The last day comes before the first.");
        if (Period.Between(from, to, PeriodUnits.Days).Days >= MaxDays)
            throw new FleetValidationException("INVALID_PERIOD", "to", $"The daily follow-up shows at most {MaxDays} days at once.");
        return await access.Customers(user, module);
    }

    /// <summary>The rows of one follow-up table for the customers and days asked (<c>$1</c>, <c>$2</c>, <c>$3</c> in <paramref name="sql"/>).</summary>
    private static async Task<IReadOnlyList<T>> Read<T>(NpgsqlDataSource dataSource, IReadOnlyList<string> customers, LocalDate from, LocalDate to,
        string sql, Func<NpgsqlDataReader, T> item)
    {
        if (customers.Count == 0) return [];
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
        var items = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) items.Add(item(reader));
        return items;
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
