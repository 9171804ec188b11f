using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Actors.Postgres.Serialization;

/// <summary>How grain state and event payloads are written to jsonb: camelCase, enums as names, NodaTime as ISO text.</summary>
public static class GrainJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new PatternConverter<Instant>(InstantPattern.ExtendedIso));
        options.Converters.Add(new PatternConverter<LocalDate>(LocalDatePattern.Iso));
        options.Converters.Add(new PatternConverter<LocalTime>(LocalTimePattern.ExtendedIso));
        options.Converters.Add(new PatternConverter<LocalDateTime>(LocalDateTimePattern.ExtendedIso));
        options.Converters.Add(new PatternConverter<Duration>(DurationPattern.Roundtrip));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes a NodaTime value as the text of one of its patterns, so stored JSON stays readable.</summary>
    private sealed class PatternConverter<T>(IPattern<T> pattern) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? throw new JsonException($"A {typeof(T).Name} cannot be null.");
            var result = pattern.Parse(text);
            return result.Success ? result.Value : throw new JsonException($"'{text}' is not a valid {typeof(T).Name}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(pattern.Format(value));
    }
}
