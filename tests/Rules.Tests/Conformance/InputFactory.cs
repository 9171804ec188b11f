using System.Dynamic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Actors.Rules.Tests.Conformance;

/// <summary>Builds the input values a case describes (expando, anonymous, typed, dictionary, JSON ...).</summary>
public static class InputFactory
{
    static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, Converters = { new JsonStringEnumConverter() } };

    static readonly (string Prefix, Type Type)[] TypedShapes =
    [
        ("List<RuleTestClass>", typeof(List<RuleTestClass>)), ("RuleTestClass", typeof(RuleTestClass)),
        ("Transazione", typeof(Transazione)), ("MyObject", typeof(MyObject)), ("Issue513Support.Record", typeof(Issue513Record)),
        ("MyParam", typeof(MyParam)), ("Line", typeof(Line)), ("AppData", typeof(AppData)), ("WithNullableDate", typeof(WithNullableDate)),
        ("Nested", typeof(Nested)), ("Inner", typeof(Inner)), ("SimpleInput", typeof(SimpleInput)),
    ];

    public static object? Build(JsonElement input)
    {
        var kind = input.GetProperty("kind").GetString();
        var value = input.TryGetProperty("value", out var v) ? v : default;
        switch (kind)
        {
            case "null": return null;
            case "string": return value.GetString();
            case "int": return value.GetInt32();
            case "bool": return value.GetBoolean();
            case "expando-newtonsoft": return Expando(value, newtonsoftNumbers: true);
            case "expando": return ExpandoWithClrTypes(input, value);
            case "expando-jsonelement":
                {
                    var e = new ExpandoObject();
                    IDictionary<string, object?> d = e;
                    foreach (var p in value.EnumerateObject()) d[p.Name] = p.Value.Clone();
                    return e;
                }
            case "dictionary":
                return value.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value, false));
            case "newtonsoft-jobject": return JsonNode.Parse(value.GetRawText());
            case "object-instance": return new TestInstanceUtils();
            case "anonymous":
                if (input.TryGetProperty("clrTypes", out var clr) && clr.GetRawText().Contains("JsonElement"))
                    return new WithJsonData { Data = value.GetProperty("Data").Clone() };
                return InputShapes.ToTyped(Plain(value, false));
            case "anonymous-list": return InputShapes.ToTyped(Plain(value, false));
            case "typed":
            case "typed-list":
                {
                    var clrType = input.GetProperty("clrType").GetString()!;
                    var type = TypedShapes.First(t => clrType.StartsWith(t.Prefix, StringComparison.Ordinal)).Type;
                    if (type == typeof(WithNullableDate) && value.TryGetProperty("Dt", out var dt) && dt.ValueKind == JsonValueKind.String)
                        return new WithNullableDate { Dt = DateTime.Now.AddDays(-1) };
                    return value.Deserialize(type, Options);
                }
            default: throw new NotSupportedException($"input kind {kind}");
        }
    }

    static object? ExpandoWithClrTypes(JsonElement input, JsonElement value)
    {
        var clrTypes = input.TryGetProperty("clrTypes", out var c) ? c : default;
        var e = new ExpandoObject();
        IDictionary<string, object?> d = e;
        foreach (var p in value.EnumerateObject())
        {
            var declared = clrTypes.ValueKind == JsonValueKind.Object && clrTypes.TryGetProperty(p.Name, out var t) ? t.GetString() : null;
            d[p.Name] = declared switch
            {
                "Func<bool> (() => true)" => new Func<bool>(() => true),
                "Int64" => p.Value.GetInt64(),
                "anonymous { string TestProperty }" => InputShapes.ToTyped(Plain(p.Value, false)),
                _ => Plain(p.Value, false) is IDictionary<string, object?> nested ? ToExpando(nested) : Plain(p.Value, false),
            };
        }
        return e;
    }

    static ExpandoObject ToExpando(IDictionary<string, object?> values)
    {
        var e = new ExpandoObject();
        IDictionary<string, object?> d = e;
        foreach (var (k, v) in values) d[k] = v is IDictionary<string, object?> n ? ToExpando(n) : v;
        return e;
    }

    /// <summary>Like Newtonsoft's ExpandoObjectConverter: integers as long, reals as double, nested objects as ExpandoObject.</summary>
    static object? Expando(JsonElement value, bool newtonsoftNumbers) => value.ValueKind switch
    {
        JsonValueKind.Object => ToExpando(value.EnumerateObject().ToDictionary(p => p.Name, p => Expando(p.Value, newtonsoftNumbers))),
        JsonValueKind.Array => value.EnumerateArray().Select(x => Expando(x, newtonsoftNumbers)).ToList(),
        _ => Plain(value, newtonsoftNumbers),
    };

    /// <summary>JSON as plain values: dictionaries, lists, strings, int (or long), double, bool.</summary>
    public static object? Plain(JsonElement value, bool longs) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value, longs)),
        JsonValueKind.Array => value.EnumerateArray().Select(x => Plain(x, longs)).ToList(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt32(out var i) && !value.GetRawText().Contains('.') => longs ? (long)i : i,
        JsonValueKind.Number when value.TryGetInt64(out var l) && !value.GetRawText().Contains('.') => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public static Type CustomType(string description)
    {
        var name = description.Split(' ', '(')[0];
        return name switch
        {
            "TestInstanceUtils" => typeof(TestInstanceUtils),
            "System.Func<bool>" => typeof(Func<bool>),
            "System.Text.Json.JsonElement" => typeof(JsonElement),
            "Transazione" => typeof(Transazione),
            "System.DateTime" => typeof(DateTime),
            "Issue714Counter" => typeof(Issue714Counter),
            "SimpleInput" => typeof(SimpleInput),
            "ReturnTypeForIssue717" => typeof(ReturnTypeForIssue717),
            "FunctionsForIssue717" => typeof(FunctionsForIssue717),
            // Newtonsoft is not referenced here: System.Text.Json's nodes stand in for JObject/JToken/JArray.
            "JObject" => typeof(JsonObject),
            "JToken" => typeof(JsonNode),
            "JArray" => typeof(JsonArray),
            _ => throw new NotSupportedException("custom type " + description),
        };
    }
}
