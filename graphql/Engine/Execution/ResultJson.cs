using System.Collections;
using System.Text.Json;
using Actors.GraphQL.Documents;

namespace Actors.GraphQL.Execution;

/// <summary>Writes execution results as JSON without an intermediate document: errors first, then data, then extensions.</summary>
public static class ResultJson
{
    public static void Write(Utf8JsonWriter writer, ExecutionResult result)
    {
        writer.WriteStartObject();
        if (result.Errors is { Count: > 0 } errors)
        {
            writer.WritePropertyName("errors");
            WriteErrors(writer, errors);
        }
        if (result.HasData)
        {
            writer.WritePropertyName("data");
            WriteValue(writer, result.Data);
        }
        if (result.Extensions is { Count: > 0 } extensions)
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, extensions);
        }
        writer.WriteEndObject();
    }

    public static void WriteErrors(Utf8JsonWriter writer, IReadOnlyList<GraphQLError> errors)
    {
        writer.WriteStartArray();
        foreach (var error in errors) WriteError(writer, error);
        writer.WriteEndArray();
    }

    public static void WriteError(Utf8JsonWriter writer, GraphQLError error)
    {
        writer.WriteStartObject();
        writer.WriteString("message", error.Message);
        if (error.Locations is { Count: > 0 } locations)
        {
            writer.WriteStartArray("locations");
            foreach (var l in locations)
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", l.Line);
                writer.WriteNumber("column", l.Column);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (error.Path is { Count: > 0 } path)
        {
            writer.WritePropertyName("path");
            WriteValue(writer, path);
        }
        if (error.Extensions is { Count: > 0 } extensions)
        {
            writer.WritePropertyName("extensions");
            WriteValue(writer, extensions);
        }
        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case ResultMap map:
                writer.WriteStartObject();
                var keys = map.Keys;
                var values = map.Values;
                if (map.EncodedKeys is { } encoded)
                    for (int k = 0; k < encoded.Length; k++)
                    {
                        writer.WritePropertyName(encoded[k]);
                        WriteValue(writer, values[k]);
                    }
                else
                    for (int k = 0; k < keys.Length; k++)
                    {
                        writer.WritePropertyName(keys[k]);
                        WriteValue(writer, values[k]);
                    }
                writer.WriteEndObject();
                break;
            case object?[] array:
                writer.WriteStartArray();
                foreach (var item in array) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            case IEnumerable<KeyValuePair<string, object?>> dictionary:
                writer.WriteStartObject();
                foreach (var (k, v) in dictionary)
                {
                    writer.WritePropertyName(k);
                    WriteValue(writer, v);
                }
                writer.WriteEndObject();
                break;
            case SourceLocation location:
                writer.WriteStartObject();
                writer.WriteNumber("line", location.Line);
                writer.WriteNumber("column", location.Column);
                writer.WriteEndObject();
                break;
            case JsonElement element: element.WriteTo(writer); break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default: JsonSerializer.Serialize(writer, value, value.GetType()); break;
        }
    }

    /// <summary>The result as a UTF-8 JSON string (for tests and logs).</summary>
    public static string ToJson(ExecutionResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) Write(writer, result);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
