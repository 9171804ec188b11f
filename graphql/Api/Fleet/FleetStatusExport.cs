using System.Globalization;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Actors.Api.Fleet;

/// <summary>
/// Fiche 06's "export (spreadsheet)": one row per card or OBU with its general info, limits and controls, as an .xlsx
/// workbook with a bold, frozen header row and filters.
/// </summary>
public static class FleetStatusExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly string[] Columns =
    [
        "Card/OBU", "Customer number", "Product", "Plate", "Name", "Status", "Rank", "Division", "Driver", "PIN type", "Linked product",
        "Last use", "Expiry date", "Fuel/energy", "Services", "Limits", "Tank capacity (l)", "Vehicle type", "Forbidden days",
        "Allowed hours", "Countries", "Max transactions/day", "Vehicle class", "Weight (kg)", "Axles", "Toll operators",
    ];

    public static void Write(IEnumerable<FleetStatusItem> items, Stream output)
    {
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook();
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();
        var sheetPart = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        foreach (var column in Columns) header.Append(Cell(column, bold: true));
        data.Append(header);
        uint rowIndex = 1;
        foreach (var item in items)
        {
            var row = new Row { RowIndex = ++rowIndex };
            foreach (var value in Values(item)) row.Append(value is int number ? Number(number) : Cell(value as string));
            data.Append(row);
        }
        var lastColumn = ColumnName(Columns.Length);
        sheetPart.Worksheet = new Worksheet(
            new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen })
                { TabSelected = true, WorkbookViewId = 0 }),
            new Columns(Enumerable.Range(1, Columns.Length).Select(i => new Column { Min = (uint)i, Max = (uint)i, Width = 18, CustomWidth = true })),
            data,
            new AutoFilter { Reference = $"A1:{lastColumn}{rowIndex}" });
        workbook.Workbook.Append(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Fleet status" }));
        workbook.Workbook.Append(new DefinedNames(new DefinedName($"'Fleet status'!$A$1:${lastColumn}${rowIndex}")
            { Name = "_xlnm._FilterDatabase", LocalSheetId = 0, Hidden = true }));
        workbook.Workbook.Save();
    }

    private static IEnumerable<object?> Values(FleetStatusItem item)
    {
        var s = item.Settings;
        var controls = Property(s, "controls");
        yield return item.Number;
        yield return item.CustomerNumber;
        yield return item.Product;
        yield return item.Plate;
        yield return item.HolderName;
        yield return item.Status;
        yield return item.Rank;
        yield return item.Division;
        yield return item.DriverName;
        yield return item.PinType;
        yield return item.LinkedNumber;
        yield return item.LastUsedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        yield return item.ExpiryDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        yield return List(Property(s, "fuelAndEnergy"));
        yield return List(Property(s, "services"));
        yield return Property(s, "limits") is { ValueKind: JsonValueKind.Array } limits
            ? string.Join("; ", limits.EnumerateArray().Select(l =>
                $"{Text(l, "product")} {Text(l, "amount")}/{Text(l, "period")} ({(Text(l, "onBreach") == "Block" ? "block" : "notify")})"))
            : null;
        yield return controls is null ? null : Text(controls.Value, "tankCapacityLiters");
        yield return controls is null ? null : Text(controls.Value, "vehicleType");
        yield return List(controls is null ? null : Property(controls.Value, "forbiddenDays"));
        yield return controls is null || Text(controls.Value, "allowedFrom") is null ? null
            : $"{Text(controls.Value, "allowedFrom")}-{Text(controls.Value, "allowedUntil")}";
        yield return List(controls is null ? null : Property(controls.Value, "countries"));
        yield return controls is null ? null : Text(controls.Value, "maxTransactionsPerDay");
        yield return Text(s, "vehicleClass");
        yield return Text(s, "weightKg");
        yield return Text(s, "axles");
        yield return List(Property(s, "tollOperators"));
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement element, string name) => Property(element, name) is { } value
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
        : null;

    private static string? List(JsonElement? array) => array is { ValueKind: JsonValueKind.Array } a
        ? string.Join(", ", a.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()))
        : null;

    private static Cell Cell(string? text, bool bold = false) => new()
    {
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(text ?? "") { Space = SpaceProcessingModeValues.Preserve }),
        StyleIndex = bold ? 1u : 0u,
    };

    private static Cell Number(int value) => new() { DataType = CellValues.Number, CellValue = new CellValue(value) };

    private static string ColumnName(int index)
    {
        var name = "";
        for (; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    /// <summary>The smallest stylesheet Excel accepts, with a second font (bold) for the header.</summary>
    private static Stylesheet Stylesheet() => new(
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(new CellFormat(), new CellFormat { FontId = 1, ApplyFont = true }) { Count = 2 });
}
