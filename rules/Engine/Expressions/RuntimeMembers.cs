using System.Collections;
using System.Dynamic;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Actors.Rules.Expressions;

/// <summary>
/// Late-bound helpers that compiled expressions call when a value's type is only known at run time
/// (an input passed as <c>null</c>/object, JSON values): member reads, equality and conversions.
/// </summary>
public static class RuntimeMembers
{
    /// <summary>Reads member <paramref name="name"/> of a value typed <c>object</c>; null stays null.</summary>
    public static object? Get(object? target, string name, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        switch (target)
        {
            case null: return null;
            case IDictionary<string, object?> dict:
                if (dict.TryGetValue(name, out var v)) return Unwrap(v);
                foreach (var pair in dict) if (string.Equals(pair.Key, name, comparison)) return Unwrap(pair.Value);
                throw new InvalidOperationException($"No member '{name}' on the input.");
            case JsonElement { ValueKind: JsonValueKind.Object } element:
                foreach (var p in element.EnumerateObject()) if (string.Equals(p.Name, name, comparison)) return Unwrap(p.Value);
                throw new InvalidOperationException($"No member '{name}' on the JSON object.");
            case JsonObject obj:
                foreach (var p in obj) if (string.Equals(p.Key, name, comparison)) return Unwrap(p.Value);
                throw new InvalidOperationException($"No member '{name}' on the JSON object.");
        }
        var flags = BindingFlags.Public | BindingFlags.Instance | (ignoreCase ? BindingFlags.IgnoreCase : 0);
        var type = target.GetType();
        MemberInfo member = (MemberInfo?)type.GetProperty(name, flags) ?? type.GetField(name, flags)
            ?? throw new InvalidOperationException($"No property or field '{name}' exists in type '{type.Name}'.");
        SecurityPolicy.CheckMember(member);
        return member is PropertyInfo prop ? prop.GetValue(target) : ((FieldInfo)member).GetValue(target);
    }

    /// <summary>JSON values become plain .NET values so they compare and convert like typed inputs.</summary>
    public static object? Unwrap(object? value) => value switch
    {
        JsonElement e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => e,
        },
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : v.GetValue<double>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        },
        _ => value,
    };

    /// <summary>Equality between late-bound values: numbers by value whatever their type, strings ordinally.</summary>
    public static bool AreEqual(object? left, object? right)
    {
        left = Unwrap(left);
        right = Unwrap(right);
        if (left is null || right is null) return left is null && right is null;
        if (IsNumber(left) && IsNumber(right))
            return Convert.ToDecimal(left, CultureInfo.InvariantCulture) == Convert.ToDecimal(right, CultureInfo.InvariantCulture);
        if (left is Enum || right is Enum)
        {
            if (left is string s1) return string.Equals(right.ToString(), s1, StringComparison.Ordinal);
            if (right is string s2) return string.Equals(left.ToString(), s2, StringComparison.Ordinal);
            return Convert.ToInt64(left, CultureInfo.InvariantCulture) == Convert.ToInt64(right, CultureInfo.InvariantCulture);
        }
        return left.Equals(right);
    }

    /// <summary>Ordering between late-bound values (numbers, strings, dates).</summary>
    public static int Compare(object? left, object? right)
    {
        left = Unwrap(left);
        right = Unwrap(right);
        if (left is null || right is null) throw new InvalidOperationException("Cannot compare a null value.");
        if (IsNumber(left) && IsNumber(right))
            return Convert.ToDecimal(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(right, CultureInfo.InvariantCulture));
        if (left is IComparable comparable) return comparable.CompareTo(Convert.ChangeType(right, left.GetType(), CultureInfo.InvariantCulture));
        throw new InvalidOperationException($"Values of type '{left.GetType().Name}' cannot be ordered.");
    }

    /// <summary>Converts a late-bound value to <typeparamref name="T"/> (used when a typed context needs an object).</summary>
    public static T ConvertTo<T>(object? value)
    {
        value = Unwrap(value);
        if (value is T t) return t;
        if (value is null) return default!;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (target.IsEnum) return (T)(value is string s ? Enum.Parse(target, s, true) : Enum.ToObject(target, value));
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    /// <summary>Dynamic LINQ's <c>String(x)</c>: the value's text, null stays null.</summary>
    public static string? ToText(object? value) => Unwrap(value) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    /// <summary>Builds the record that <c>new (x as A, y as B)</c> produces: readable by name and through <c>dynamic</c>.</summary>
    public static ExpandoObject NewRecord(string[] names, object?[] values)
    {
        var record = new ExpandoObject();
        IDictionary<string, object?> dict = record;
        for (var i = 0; i < names.Length; i++) dict[names[i]] = values[i];
        return record;
    }

    /// <summary>Converts JSON and other late-bound values for <c>Convert.ToXxx(object)</c> calls.</summary>
    public static object? ForConvert(object? value) => Unwrap(value);

    static bool IsNumber(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;
}
