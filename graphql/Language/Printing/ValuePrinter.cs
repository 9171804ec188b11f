using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Actors.GraphQL.Language.Printing;

/// <summary>Renders .NET values the way graphql-js's <c>inspect</c> renders JavaScript values in error messages.</summary>
public static class ValuePrinter
{
    public static string Inspect(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    /// <summary>A number as JavaScript prints it (<c>1</c>, <c>1.5</c>, <c>1e+21</c>).</summary>
    public static string FormatNumber(object value) => value switch
    {
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        JsonElement j => j.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string FormatDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        if (Math.Floor(d) == d && Math.Abs(d) < 1e21) return d.ToString("0", CultureInfo.InvariantCulture);
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        return r.Replace("E+", "e+").Replace("E-", "e-");
    }

    private static void Write(StringBuilder sb, object? value, int depth)
    {
        switch (value)
        {
            case null: sb.Append("null"); return;
            case string s: WriteJsonString(sb, s); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case JsonElement j: WriteJson(sb, j, depth); return;
            case Enum e: sb.Append(e.ToString()); return;
            case IDictionary dict:
                if (depth > 2) { sb.Append("[Object]"); return; }
                if (dict.Count == 0) { sb.Append("{}"); return; }
                sb.Append("{ ");
                var first = true;
                foreach (DictionaryEntry entry in dict)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(entry.Key).Append(": ");
                    Write(sb, entry.Value, depth + 1);
                }
                sb.Append(" }");
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                Write(sb, pairs.ToDictionary(p => p.Key, p => p.Value), depth);
                return;
            case IEnumerable list:
                if (depth > 2) { sb.Append("[Array]"); return; }
                sb.Append('[');
                var firstItem = true;
                foreach (var item in list)
                {
                    if (!firstItem) sb.Append(", ");
                    firstItem = false;
                    Write(sb, item, depth + 1);
                }
                sb.Append(']');
                return;
            default:
                if (Types.Scalars.TryNumber(value, out _)) { sb.Append(FormatNumber(value)); return; }
                sb.Append(value.ToString());
                return;
        }
    }

    private static void WriteJson(StringBuilder sb, JsonElement j, int depth)
    {
        switch (j.ValueKind)
        {
            case JsonValueKind.String: WriteJsonString(sb, j.GetString()!); break;
            case JsonValueKind.Number: sb.Append(j.GetRawText()); break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Array:
                Write(sb, j.EnumerateArray().Select(e => (object?)e).ToList(), depth);
                break;
            case JsonValueKind.Object:
                var dict = new Dictionary<string, object?>();
                foreach (var p in j.EnumerateObject()) dict[p.Name] = p.Value;
                Write(sb, dict, depth);
                break;
            default: sb.Append("null"); break;
        }
    }

    /// <summary>A string as <c>JSON.stringify</c> writes it.</summary>
    public static void WriteJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
