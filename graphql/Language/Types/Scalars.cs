using System.Globalization;
using System.Text.Json;
using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Printing;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// The five built-in scalars with the specification's coercion rules and graphql-js's error messages.
/// Internal values: Int is <see cref="int"/>, Float <see cref="double"/>, String and ID <see cref="string"/>, Boolean <see cref="bool"/>.
/// These instances are shared by every schema: do not mutate them.
/// </summary>
public static class Scalars
{
    public static GraphQLScalarType Int { get; } = new("Int")
    {
        Description = "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.",
        Serialize = SerializeInt,
        ParseValue = ParseIntValue,
        ParseLiteral = static (literal, _) => literal switch
        {
            IntValueNode i when int.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            IntValueNode i => throw new GraphQLException($"Int cannot represent non 32-bit signed integer value: {i.Value}", literal),
            _ => throw new GraphQLException($"Int cannot represent non-integer value: {Printer.Print(literal)}", literal),
        },
    };

    public static GraphQLScalarType Float { get; } = new("Float")
    {
        Description = "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).",
        Serialize = SerializeFloat,
        ParseValue = static input => TryNumber(input, out var d) && double.IsFinite(d)
            ? d
            : throw new GraphQLException($"Float cannot represent non numeric value: {ValuePrinter.Inspect(input)}"),
        ParseLiteral = static (literal, _) => literal switch
        {
            IntValueNode i => double.Parse(i.Value, CultureInfo.InvariantCulture),
            FloatValueNode f => double.Parse(f.Value, CultureInfo.InvariantCulture),
            _ => throw new GraphQLException($"Float cannot represent non numeric value: {Printer.Print(literal)}", literal),
        },
    };

    public static GraphQLScalarType String { get; } = new("String")
    {
        Description = "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.",
        Serialize = static value => value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            char c => c.ToString(),
            Enum e => e.ToString(),
            Guid g => g.ToString(),
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
            _ when TryNumber(value, out var d) && double.IsFinite(d) => ValuePrinter.FormatNumber(value!),
            _ => throw new GraphQLException($"String cannot represent value: {ValuePrinter.Inspect(value)}"),
        },
        ParseValue = static input => input switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
            _ => throw new GraphQLException($"String cannot represent a non string value: {ValuePrinter.Inspect(input)}"),
        },
        ParseLiteral = static (literal, _) => literal is StringValueNode s
            ? s.Value
            : throw new GraphQLException($"String cannot represent a non string value: {Printer.Print(literal)}", literal),
    };

    public static GraphQLScalarType Boolean { get; } = new("Boolean")
    {
        Description = "The `Boolean` scalar type represents `true` or `false`.",
        Serialize = static value => value switch
        {
            bool b => b,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            JsonElement { ValueKind: JsonValueKind.False } => false,
            _ when TryNumber(value, out var d) && double.IsFinite(d) => d != 0,
            _ => throw new GraphQLException($"Boolean cannot represent a non boolean value: {ValuePrinter.Inspect(value)}"),
        },
        ParseValue = static input => input switch
        {
            bool b => b,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            JsonElement { ValueKind: JsonValueKind.False } => false,
            _ => throw new GraphQLException($"Boolean cannot represent a non boolean value: {ValuePrinter.Inspect(input)}"),
        },
        ParseLiteral = static (literal, _) => literal is BooleanValueNode b
            ? b.Value
            : throw new GraphQLException($"Boolean cannot represent a non boolean value: {Printer.Print(literal)}", literal),
    };

    public static GraphQLScalarType ID { get; } = new("ID")
    {
        Description = "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.",
        Serialize = static value => value switch
        {
            string s => s,
            Guid g => g.ToString(),
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
            _ when TryInteger(value, out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => throw new GraphQLException($"ID cannot represent value: {ValuePrinter.Inspect(value)}"),
        },
        ParseValue = static input => input switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
            _ when TryInteger(input, out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => throw new GraphQLException($"ID cannot represent value: {ValuePrinter.Inspect(input)}"),
        },
        ParseLiteral = static (literal, _) => literal switch
        {
            StringValueNode s => s.Value,
            IntValueNode i => i.Value,
            _ => throw new GraphQLException($"ID cannot represent a non-string and non-integer value: {Printer.Print(literal)}", literal),
        },
    };

    /// <summary>Int, Float, String, Boolean, ID.</summary>
    public static IReadOnlyList<GraphQLScalarType> Specified { get; } = [String, Int, Float, Boolean, ID];

    public static bool IsSpecified(string name) => name is "Int" or "Float" or "String" or "Boolean" or "ID";

    public static GraphQLScalarType? Find(string name) => name switch
    {
        "Int" => Int, "Float" => Float, "String" => String, "Boolean" => Boolean, "ID" => ID, _ => null,
    };

    private static object SerializeInt(object? value)
    {
        if (value is bool b) return b ? 1 : 0;
        if (value is JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } jb) return jb.GetBoolean() ? 1 : 0;
        double number;
        if (value is string s && s.Length > 0)
        {
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                throw new GraphQLException($"Int cannot represent non-integer value: {ValuePrinter.Inspect(value)}");
        }
        else if (!TryNumber(value, out number))
            throw new GraphQLException($"Int cannot represent non-integer value: {ValuePrinter.Inspect(value)}");
        if (!double.IsFinite(number) || Math.Floor(number) != number)
            throw new GraphQLException($"Int cannot represent non-integer value: {ValuePrinter.Inspect(value)}");
        if (number > int.MaxValue || number < int.MinValue)
            throw new GraphQLException($"Int cannot represent non 32-bit signed integer value: {ValuePrinter.Inspect(value)}");
        return (int)number;
    }

    private static object ParseIntValue(object? input)
    {
        if (!TryNumber(input, out var number) || !double.IsFinite(number) || Math.Floor(number) != number)
            throw new GraphQLException($"Int cannot represent non-integer value: {ValuePrinter.Inspect(input)}");
        if (number > int.MaxValue || number < int.MinValue)
            throw new GraphQLException($"Int cannot represent non 32-bit signed integer value: {ValuePrinter.FormatNumber(input!)}");
        return (int)number;
    }

    private static object SerializeFloat(object? value)
    {
        if (value is bool b) return b ? 1d : 0d;
        double number;
        if (value is string s && s.Length > 0)
        {
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out number))
                throw new GraphQLException($"Float cannot represent non numeric value: {ValuePrinter.Inspect(value)}");
        }
        else if (!TryNumber(value, out number))
            throw new GraphQLException($"Float cannot represent non numeric value: {ValuePrinter.Inspect(value)}");
        if (!double.IsFinite(number))
            throw new GraphQLException($"Float cannot represent non numeric value: {ValuePrinter.Inspect(value)}");
        return number;
    }

    /// <summary>Any .NET number (or JSON number) as a double.</summary>
    public static bool TryNumber(object? value, out double number)
    {
        switch (value)
        {
            case int i: number = i; return true;
            case long l: number = l; return true;
            case double d: number = d; return true;
            case float f: number = f; return true;
            case decimal m: number = (double)m; return true;
            case short s: number = s; return true;
            case byte b: number = b; return true;
            case sbyte sb: number = sb; return true;
            case ushort us: number = us; return true;
            case uint ui: number = ui; return true;
            case ulong ul: number = ul; return true;
            case JsonElement { ValueKind: JsonValueKind.Number } j: number = j.GetDouble(); return true;
            default: number = 0; return false;
        }
    }

    /// <summary>Any .NET integral value (or integral JSON number) as a long.</summary>
    public static bool TryInteger(object? value, out long integer)
    {
        switch (value)
        {
            case int i: integer = i; return true;
            case long l: integer = l; return true;
            case short s: integer = s; return true;
            case byte b: integer = b; return true;
            case sbyte sb: integer = sb; return true;
            case ushort us: integer = us; return true;
            case uint ui: integer = ui; return true;
            case ulong ul when ul <= long.MaxValue: integer = (long)ul; return true;
            case JsonElement { ValueKind: JsonValueKind.Number } j when j.TryGetInt64(out var jl): integer = jl; return true;
            case double d when double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9.007199254740992e15: integer = (long)d; return true;
            case decimal m when decimal.Truncate(m) == m && m is >= long.MinValue and <= long.MaxValue: integer = (long)m; return true;
            default: integer = 0; return false;
        }
    }
}
