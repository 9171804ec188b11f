using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NodaTime;
using NodaTime.Text;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Api.Fleet;

/// <summary>
/// One card's month: fuel in litres, amount, kilometres between its first and last fill with an odometer, litres per
/// 100 km (the litres of every fill after the first, over those kilometres), and its budget (monthly amount limits).
/// </summary>
[GraphQLName("FleetCardConsumption")]
public sealed record CardConsumption(string CardNumber, string CustomerNumber, string? Plate, string? Division, decimal Litres, decimal Amount,
    int Transactions, int? Kilometres, decimal? LitresPer100Km, decimal? Budget, decimal? BudgetUsedPercent);

/// <summary>A division's month: the sums of its cards, and litres per 100 km over the kilometres the cards reported.</summary>
[GraphQLName("FleetDivisionConsumption")]
public sealed record DivisionConsumption(string CustomerNumber, string? Division, int Cards, decimal Litres, decimal Amount, int Transactions,
    int Kilometres, decimal? LitresPer100Km, decimal? Budget, decimal? BudgetUsedPercent);

[GraphQLName("FleetMonthlyReport")]
public sealed record MonthlyReport(string Month, IReadOnlyList<CardConsumption> Cards, IReadOnlyList<DivisionConsumption> Divisions);

/// <summary>Issue 6 item 6: monthly reports per card and per division from the approved transactions (Brussels calendar).</summary>
public sealed class FleetMonthlyReports(NpgsqlDataSource dataSource)
{
    private sealed record ApprovedFill(string Card, string Customer, string? Plate, string? Division, bool Fuel, decimal Quantity, decimal Amount, int? Odometer, string Settings);

    public static YearMonth ParseMonth(string month) => YearMonthPattern.Iso.Parse(month) is { Success: true } parsed ? parsed.Value
        : throw new FleetValidationException("INVALID_MONTH", "month", $"'{month}' is not a month (yyyy-MM).");

    public async Task<MonthlyReport> Build(IReadOnlyList<string> customers, YearMonth month, CancellationToken cancellation = default)
    {
        var fills = new List<ApprovedFill>();
        if (customers.Count > 0)
        {
            await using var command = dataSource.CreateCommand(
                """
                SELECT t.card_number, t.customer_number, t.plate, t.division, coalesce(jsonb_exists(s.settings->'fuelAndEnergy', t.product), false),
                       t.quantity, t.amount, t.odometer, coalesce(s.settings, '{}'::jsonb)::text
                FROM fleet_transactions t LEFT JOIN fleet_status s ON s.number = t.card_number
                WHERE t.customer_number = ANY($1) AND t.outcome = 'Approved' AND t.day >= $2 AND t.day < $3
                ORDER BY t.card_number, t.at, t.transaction_id
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = customers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = month.OnDayOfMonth(1).ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
            command.Parameters.Add(new NpgsqlParameter { Value = month.PlusMonths(1).OnDayOfMonth(1).ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
            await using var r = await command.ExecuteReaderAsync(cancellation);
            while (await r.ReadAsync(cancellation))
                fills.Add(new ApprovedFill(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetBoolean(4),
                    r.GetDecimal(5), r.GetDecimal(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetString(8)));
        }
        var cards = fills.GroupBy(f => f.Card).Select(Card).ToList();
        var divisions = cards.GroupBy(c => (c.CustomerNumber, c.Division)).Select(g =>
        {
            var km = g.Sum(c => c.Kilometres ?? 0);
            var litresDriven = g.Where(c => c.Kilometres > 0).Sum(c => c.LitresPer100Km!.Value * c.Kilometres!.Value / 100);
            var budget = g.Any(c => c.Budget is not null) ? g.Sum(c => c.Budget ?? 0) : (decimal?)null;
            var amount = g.Sum(c => c.Amount);
            return new DivisionConsumption(g.Key.CustomerNumber, g.Key.Division, g.Count(), g.Sum(c => c.Litres), amount, g.Sum(c => c.Transactions), km,
                km > 0 ? Math.Round(litresDriven * 100 / km, 2) : null, budget, Percent(amount, budget));
        }).OrderBy(d => d.CustomerNumber).ThenBy(d => d.Division).ToList();
        return new MonthlyReport(month.ToString("yyyy-MM", CultureInfo.InvariantCulture), cards, divisions);
    }

    private static CardConsumption Card(IGrouping<string, ApprovedFill> card)
    {
        var first = card.First();
        var fuel = card.Where(f => f.Fuel).ToList();
        var measured = fuel.Where(f => f.Odometer is not null).ToList();
        int? km = measured.Count >= 2 ? measured.Max(f => f.Odometer!.Value) - measured.Min(f => f.Odometer!.Value) : null;
        decimal? per100 = km > 0 ? Math.Round(measured.Skip(1).Sum(f => f.Quantity) * 100 / km.Value, 2) : null;
        var amount = card.Sum(f => f.Amount);
        var budget = Budget(first.Settings);
        return new CardConsumption(card.Key, first.Customer, first.Plate, first.Division, fuel.Sum(f => f.Quantity), amount, card.Count(), km, per100,
            budget, Percent(amount, budget));
    }

    /// <summary>The card's budget: the sum of its monthly limits in money, or null when it has none.</summary>
    private static decimal? Budget(string settings)
    {
        using var json = JsonDocument.Parse(settings);
        if (!json.RootElement.TryGetProperty("limits", out var limits) || limits.ValueKind != JsonValueKind.Array) return null;
        var monthly = limits.EnumerateArray().Where(l => l.GetProperty("period").GetString() == nameof(LimitPeriod.Month)
            && (!l.TryGetProperty("unit", out var unit) || unit.ValueKind == JsonValueKind.Null || unit.GetString() == nameof(LimitUnit.Amount))).ToList();
        return monthly.Count == 0 ? null : monthly.Sum(l => l.GetProperty("amount").GetDecimal());
    }

    private static decimal? Percent(decimal amount, decimal? budget) => budget > 0 ? Math.Round(amount * 100 / budget.Value, 1) : null;

    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The report as .xlsx: a sheet per card and a sheet per division, bold header rows.</summary>
    public static void Write(MonthlyReport report, Stream output)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = new Stylesheet(
            new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border()) { Count = 1 },
            new CellStyleFormats(new CellFormat()) { Count = 1 },
            new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });
        var sheets = new Sheets();
        workbook.Workbook.Append(sheets);
        Sheet(workbook, sheets, 1, $"Cards {report.Month}",
            ["Card", "Customer number", "Plate", "Division", "Litres", "Amount", "Transactions", "Km", "l/100 km", "Budget", "Budget used %"],
            report.Cards.Select(c => new object?[] { c.CardNumber, c.CustomerNumber, c.Plate, c.Division, c.Litres, c.Amount, c.Transactions, c.Kilometres, c.LitresPer100Km, c.Budget, c.BudgetUsedPercent }));
        Sheet(workbook, sheets, 2, $"Divisions {report.Month}",
            ["Customer number", "Division", "Cards", "Litres", "Amount", "Transactions", "Km", "l/100 km", "Budget", "Budget used %"],
            report.Divisions.Select(d => new object?[] { d.CustomerNumber, d.Division, d.Cards, d.Litres, d.Amount, d.Transactions, d.Kilometres, d.LitresPer100Km, d.Budget, d.BudgetUsedPercent }));
        workbook.Workbook.Save();
    }

    private static void Sheet(WorkbookPart workbook, Sheets sheets, uint id, string name, string[] header, IEnumerable<object?[]> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        data.Append(new Row(header.Select(h => Text(h, bold: true))) { RowIndex = 1 });
        uint index = 1;
        foreach (var values in rows)
            data.Append(new Row(values.Select(v => v switch
            {
                null => Text(""),
                string s => Text(s),
                IFormattable number => new Cell { DataType = CellValues.Number, CellValue = new CellValue(number.ToString(null, CultureInfo.InvariantCulture)) },
                _ => Text(v.ToString()),
            })) { RowIndex = ++index });
        part.Worksheet = new Worksheet(data);
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Cell Text(string? text, bool bold = false) => new()
    {
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text ?? "") { Space = SpaceProcessingModeValues.Preserve }),
        StyleIndex = bold ? 1u : 0u,
    };
}

/// <summary>Issue 6 item 6 in the schema: the caller's monthly report (module Monthly reports).</summary>
[ExtendObjectType("Query")]
public sealed class FleetMonthlyReportQueries
{
    /// <summary>Consumption and budget per card and division for <paramref name="month"/> (yyyy-MM), optionally one customer.</summary>
    public async Task<MonthlyReport> FleetMonthlyReport(ClaimsPrincipal user, string month, string? customerNumber,
        [Service] FleetAccess access, [Service] FleetMonthlyReports reports)
    {
        var period = FleetMonthlyReports.ParseMonth(month);
        if (customerNumber is not null) await access.RequireCustomer(user, customerNumber, FleetModule.MonthlyReports);
        var customers = customerNumber is not null ? [customerNumber] : await access.Customers(user, FleetModule.MonthlyReports);
        return await reports.Build(customers, period);
    }
}
