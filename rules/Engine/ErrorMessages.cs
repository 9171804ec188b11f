using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Actors.Rules;

/// <summary>Fills <c>$(name)</c> and <c>$(name.Member.Member)</c> in a failed rule's ErrorMessage from its inputs.</summary>
static partial class ErrorMessages
{
    [GeneratedRegex(@"\$\(([^)]+)\)")]
    private static partial Regex Placeholder();

    static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    public static string Format(string template, IReadOnlyDictionary<string, object?> inputs) =>
        Placeholder().Replace(template, match =>
        {
            var path = match.Groups[1].Value.Split('.');
            if (!inputs.TryGetValue(path[0], out var value)) return match.Value;
            if (path.Length == 1) return value is null ? match.Value : Serialize(value);
            foreach (var member in path.Skip(1))
            {
                if (value is null) return match.Value;
                if (!TryRead(value, member, out value)) return match.Value;
            }
            return value?.ToString() ?? "";
        });

    static string Serialize(object value)
    {
        try { return JsonSerializer.Serialize(value, value.GetType(), Json); }
        catch (NotSupportedException) { return value.ToString() ?? ""; }
    }

    static bool TryRead(object target, string name, out object? value)
    {
        if (target is IDictionary<string, object?> dict)
        {
            var key = dict.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            value = key is null ? null : dict[key];
            return key is not null;
        }
        if (target is IDictionary legacy && legacy.Contains(name)) { value = legacy[name]; return true; }
        var flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase;
        var type = target.GetType();
        if (type.GetProperty(name, flags) is { } p && p.GetIndexParameters().Length == 0) { value = p.GetValue(target); return true; }
        if (type.GetField(name, flags) is { } f) { value = f.GetValue(target); return true; }
        value = null;
        return false;
    }
}
