using System.Globalization;
using System.Text.Json;
using Actors.GraphQL.Documents;

namespace Actors.GraphQL.Types;

/// <summary>A value that cannot be coerced to the expected input type.</summary>
public sealed class InputCoercionException(string message) : Exception(message);

/// <summary>
/// A leaf type: turns CLR values into JSON primitives for responses, and literals or JSON variables into CLR values.
/// </summary>
public abstract class ScalarType(string name) : NamedType(name)
{
    public override TypeKind Kind => TypeKind.Scalar;
    public string? SpecifiedByUrl { get; init; }

    /// <summary>The CLR type that input values of this scalar become.</summary>
    public abstract Type RuntimeType { get; }

    /// <summary>Turns a resolved value into a string, bool, int, long, double or decimal; throws when it cannot.</summary>
    public abstract object Serialize(object value);

    /// <summary>Coerces a literal from the document; throws <see cref="InputCoercionException"/> when invalid.</summary>
    public abstract object ParseLiteral(ValueSyntax literal);

    /// <summary>Coerces a variable value from the request's JSON; throws <see cref="InputCoercionException"/> when invalid.</summary>
    public abstract object ParseValue(JsonElement value);

    /// <summary>Prints a CLR value as a GraphQL literal (for default values in introspection).</summary>
    public virtual string PrintLiteral(object value) => Serialize(value) switch
    {
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "null",
    };

    protected InputCoercionException Invalid(object? shown) => new($"{Name} cannot represent {shown}.");
    protected InputCoercionException Invalid(ValueSyntax literal) => new($"{Name} cannot represent a non-{Name} value: {LiteralText(literal)}");
    protected InputCoercionException Invalid(JsonElement json) => new($"{Name} cannot represent a non-{Name} value: {json.GetRawText()}");

    private static string LiteralText(ValueSyntax literal) => literal switch
    {
        IntValueSyntax i => i.Text,
        FloatValueSyntax f => f.Text,
        StringValueSyntax s => JsonSerializer.Serialize(s.Value),
        BooleanValueSyntax b => b.Value ? "true" : "false",
        EnumValueSyntax e => e.Name,
        NullValueSyntax => "null",
        ListValueSyntax => "[...]",
        ObjectValueSyntax => "{...}",
        _ => literal.ToString(),
    };
}

/// <summary>A scalar that travels as a JSON string (IDs, dates, durations...).</summary>
public abstract class StringBackedScalar<T>(string name) : ScalarType(name) where T : notnull
{
    public override Type RuntimeType => typeof(T);
    protected abstract bool TryParse(string text, out T value);
    protected abstract string Format(T value);

    public override object Serialize(object value) => value is T typed ? Format(typed) : throw Invalid(value);

    public override object ParseLiteral(ValueSyntax literal) =>
        literal is StringValueSyntax s && TryParse(s.Value, out var v) ? v : throw Invalid(literal);

    public override object ParseValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && TryParse(value.GetString()!, out var v) ? v : throw Invalid(value);
}

/// <summary>The scalars every schema has, and the extra ones the code-first builder maps CLR types to.</summary>
public static class Scalars
{
    public static readonly ScalarType Int = new IntScalar();
    public static readonly ScalarType Float = new FloatScalar();
    public static readonly ScalarType String = new StringScalar();
    public static readonly ScalarType Boolean = new BooleanScalar();
    public static readonly ScalarType ID = new IdScalar();
    public static readonly ScalarType Long = new LongScalar();
    public static readonly ScalarType Decimal = new DecimalScalar();
    public static readonly ScalarType Uuid = new UuidScalar();
    public static readonly ScalarType DateTime = new DateTimeScalar();
    public static readonly ScalarType Date = new DateScalar();
    public static readonly ScalarType Instant = new NodaScalars.InstantScalar();
    public static readonly ScalarType LocalDate = new NodaScalars.LocalDateScalar();
    public static readonly ScalarType LocalTime = new NodaScalars.LocalTimeScalar();
    public static readonly ScalarType Duration = new NodaScalars.DurationScalar();

    /// <summary>The five scalars of the GraphQL specification.</summary>
    public static readonly IReadOnlyList<ScalarType> Specified = [Int, Float, String, Boolean, ID];

    public static bool IsSpecified(NamedType type) => type is ScalarType && Specified.Contains(type);

    private sealed class IntScalar() : ScalarType("Int")
    {
        public override Type RuntimeType => typeof(int);
        public override object Serialize(object value) => value switch
        {
            int i => i,
            short or byte or sbyte or ushort => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            uint u when u <= int.MaxValue => (int)u,
            _ => throw Invalid(value),
        };
        public override object ParseLiteral(ValueSyntax literal) =>
            literal is IntValueSyntax i && int.TryParse(i.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw Invalid(literal);
        public override object ParseValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var v) ? v
            : value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d
            : throw Invalid(value);
    }

    private sealed class LongScalar() : ScalarType("Long")
    {
        public override Type RuntimeType => typeof(long);
        public override object Serialize(object value) => value switch
        {
            long l => l,
            int or short or byte or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            _ => throw Invalid(value),
        };
        public override object ParseLiteral(ValueSyntax literal) =>
            literal is IntValueSyntax i && long.TryParse(i.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : throw Invalid(literal);
        public override object ParseValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var v) ? v : throw Invalid(value);
    }

    private sealed class FloatScalar() : ScalarType("Float")
    {
        public override Type RuntimeType => typeof(double);
        public override object Serialize(object value) => value switch
        {
            double d when double.IsFinite(d) => d,
            float f when float.IsFinite(f) => (double)f,
            int or long or short or byte => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            decimal m => (double)m,
            _ => throw Invalid(value),
        };
        public override object ParseLiteral(ValueSyntax literal) => literal switch
        {
            IntValueSyntax i => double.Parse(i.Text, CultureInfo.InvariantCulture),
            FloatValueSyntax f when double.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
            _ => throw Invalid(literal),
        };
        public override object ParseValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw Invalid(value);
    }

    private sealed class DecimalScalar() : ScalarType("Decimal")
    {
        public override Type RuntimeType => typeof(decimal);
        public override object Serialize(object value) => value switch
        {
            decimal m => m,
            int or long or short => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            _ => throw Invalid(value),
        };
        public override object ParseLiteral(ValueSyntax literal) => literal switch
        {
            IntValueSyntax i when decimal.TryParse(i.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) => m,
            FloatValueSyntax f when decimal.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) => m,
            _ => throw Invalid(literal),
        };
        public override object ParseValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var m) ? m : throw Invalid(value);
    }

    private sealed class StringScalar() : ScalarType("String")
    {
        public override Type RuntimeType => typeof(string);
        public override object Serialize(object value) => value switch
        {
            string s => s,
            char c => c.ToString(),
            _ => throw Invalid(value),
        };
        public override object ParseLiteral(ValueSyntax literal) => literal is StringValueSyntax s ? s.Value : throw Invalid(literal);
        public override object ParseValue(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(value);
    }

    private sealed class BooleanScalar() : ScalarType("Boolean")
    {
        public override Type RuntimeType => typeof(bool);
        public override object Serialize(object value) => value is bool b ? b : throw Invalid(value);
        public override object ParseLiteral(ValueSyntax literal) => literal is BooleanValueSyntax b ? b.Value : throw Invalid(literal);
        public override object ParseValue(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(value),
        };
    }

    /// <summary>IDs are opaque strings; integer input is accepted and turned into its decimal string, as the spec allows.</summary>
    private sealed class IdScalar() : ScalarType("ID")
    {
        public override Type RuntimeType => typeof(string);
        public override object Serialize(object value) => value switch
        {
            string s => s,
            int or long or Guid => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            _ => throw Invalid(value),
        };
        public override object ParseLiteral(ValueSyntax literal) => literal switch
        {
            StringValueSyntax s => s.Value,
            IntValueSyntax i => i.Text,
            _ => throw Invalid(literal),
        };
        public override object ParseValue(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number when value.TryGetInt64(out var l) => l.ToString(CultureInfo.InvariantCulture),
            _ => throw Invalid(value),
        };
    }

    private sealed class UuidScalar() : StringBackedScalar<Guid>("UUID")
    {
        protected override bool TryParse(string text, out Guid value) => Guid.TryParse(text, out value);
        protected override string Format(Guid value) => value.ToString("D");
    }

    private sealed class DateScalar() : StringBackedScalar<DateOnly>("Date")
    {
        protected override bool TryParse(string text, out DateOnly value) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        protected override string Format(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private sealed class DateTimeScalar() : StringBackedScalar<DateTimeOffset>("DateTime")
    {
        protected override bool TryParse(string text, out DateTimeOffset value) =>
            DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
        protected override string Format(DateTimeOffset value) => value.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
    }
}
