using System.Text.Json;
using Actors.GraphQL.Documents;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.Execution;

/// <summary>
/// Coerces input values (literals in the document, JSON variables) to CLR values of an input type:
/// scalars to their runtime type, enums to their CLR value, lists to <see cref="List{T}"/> of object,
/// input objects to their CLR type when bound, else to a dictionary.
/// </summary>
public static class InputCoercion
{
    /// <summary>Coerces a JSON variable value; <paramref name="path"/> names the position in messages.</summary>
    public static object? FromJson(JsonElement value, GraphType type, string path)
    {
        try { return FromJson(value, type); }
        catch (MisplacedInputException e) { throw e.At(path); }
    }

    /// <summary>
    /// Coerces a JSON value without naming its position: an error throws <see cref="MisplacedInputException"/>, which
    /// collects the path as it unwinds, so a valid value (every request's case) formats no path at all.
    /// </summary>
    internal static object? FromJson(JsonElement value, GraphType type)
    {
        if (type is NonNullType nonNull)
        {
            if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                throw new MisplacedInputException($"expected non-nullable type \"{type}\" not to be null.");
            return FromJson(value, nonNull.OfType);
        }
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        switch (type)
        {
            case ListType list:
                var items = new List<object?>();
                if (value.ValueKind == JsonValueKind.Array)
                {
                    int i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        try { items.Add(FromJson(item, list.OfType)); }
                        catch (MisplacedInputException e) { e.Within(i); throw; }
                        i++;
                    }
                }
                else items.Add(FromJson(value, list.OfType)); // a single value is a list of one
                return items;
            case ScalarType scalar:
                try { return scalar.ParseValue(value); }
                catch (InputCoercionException e) { throw new MisplacedInputException(e.Message); }
            case EnumType enumType:
                if (value.ValueKind == JsonValueKind.String && enumType.FindByName(value.GetString()!) is { } ev) return ev.Value;
                throw new MisplacedInputException($"value {value.GetRawText()} does not exist in \"{enumType.Name}\" enum.");
            case InputObjectType inputType:
                if (value.ValueKind != JsonValueKind.Object)
                    throw new MisplacedInputException($"expected type \"{inputType.Name}\" to be an object.");
                var given = new Dictionary<string, object?>(inputType.Fields.Count, StringComparer.Ordinal);
                foreach (var property in value.EnumerateObject())
                {
                    var name = property.Name;
                    var field = inputType.FindField(name)
                        ?? throw new MisplacedInputException($"field \"{name}\" is not defined by type \"{inputType.Name}\".");
                    try { given[field.Name] = FromJson(property.Value, field.Type); }
                    catch (MisplacedInputException e) { e.Within(name); throw; }
                }
                return BuildInputObject(inputType, given, null);
            default:
                throw new MisplacedInputException($"type \"{type}\" is not an input type.");
        }
    }

    /// <summary>
    /// Coerces a literal; variables are looked up in <paramref name="variables"/> (already coerced).
    /// Returns <see cref="Missing"/> when the literal is a variable that was not provided.
    /// </summary>
    public static object? FromLiteral(ValueSyntax literal, GraphType type, IReadOnlyDictionary<string, object?>? variables, string path)
    {
        if (literal is VariableSyntax variable)
        {
            if (variables is null || !variables.TryGetValue(variable.Name, out var v)) return Missing;
            if (v is null && type is NonNullType) throw new InputCoercionException($"{path}: expected non-nullable type \"{type}\" not to be null.");
            return v;
        }
        if (type is NonNullType nonNull)
        {
            if (literal is NullValueSyntax) throw new InputCoercionException($"{path}: expected non-nullable type \"{type}\" not to be null.");
            return FromLiteral(literal, nonNull.OfType, variables, path);
        }
        if (literal is NullValueSyntax) return null;
        switch (type)
        {
            case ListType list:
                var items = new List<object?>();
                if (literal is ListValueSyntax listLiteral)
                {
                    for (int i = 0; i < listLiteral.Items.Count; i++)
                    {
                        var item = FromLiteral(listLiteral.Items[i], list.OfType, variables, $"{path}[{i}]");
                        if (item == Missing)
                        {
                            if (list.OfType is NonNullType) throw new InputCoercionException($"{path}[{i}]: expected non-nullable type \"{list.OfType}\" not to be null.");
                            item = null;
                        }
                        items.Add(item);
                    }
                }
                else
                {
                    var single = FromLiteral(literal, list.OfType, variables, path);
                    items.Add(single == Missing ? null : single);
                }
                return items;
            case ScalarType scalar:
                try { return scalar.ParseLiteral(literal); }
                catch (InputCoercionException e) { throw new InputCoercionException($"{path}: {e.Message}"); }
            case EnumType enumType:
                if (literal is EnumValueSyntax enumLiteral && enumType.FindByName(enumLiteral.Name) is { } ev) return ev.Value;
                throw new InputCoercionException($"{path}: value {Describe(literal)} does not exist in \"{enumType.Name}\" enum.");
            case InputObjectType inputType:
                if (literal is not ObjectValueSyntax obj)
                    throw new InputCoercionException($"{path}: expected type \"{inputType.Name}\" to be an object.");
                var given = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var fieldLiteral in obj.Fields)
                {
                    var field = inputType.FindField(fieldLiteral.Name)
                        ?? throw new InputCoercionException($"{path}: field \"{fieldLiteral.Name}\" is not defined by type \"{inputType.Name}\".");
                    if (given.ContainsKey(fieldLiteral.Name))
                        throw new InputCoercionException($"{path}: field \"{fieldLiteral.Name}\" is given twice.");
                    var value = FromLiteral(fieldLiteral.Value, field.Type, variables, $"{path}.{fieldLiteral.Name}");
                    if (value != Missing) given[fieldLiteral.Name] = value;
                }
                return BuildInputObject(inputType, given, path);
            default:
                throw new InputCoercionException($"{path}: type \"{type}\" is not an input type.");
        }
    }

    /// <summary>Marks a variable reference to a variable the request did not provide.</summary>
    public static readonly object Missing = new();

    /// <summary>
    /// Applies defaults, checks required fields, and builds the CLR object (or keeps the dictionary). Without a
    /// <paramref name="path"/> (a JSON value) an error is a <see cref="MisplacedInputException"/>.
    /// </summary>
    private static object BuildInputObject(InputObjectType type, Dictionary<string, object?> given, string? path)
    {
        foreach (var field in type.Fields)
        {
            if (given.ContainsKey(field.Name)) continue;
            if (field.HasDefaultValue) given[field.Name] = field.DefaultValue;
            else if (field.Type is NonNullType)
                throw Invalid(path, $"field \"{type.Name}.{field.Name}\" of required type \"{field.Type}\" was not provided.");
        }
        if (type.IsOneOf && (given.Count != 1 || given.Values.Single() is null))
            throw Invalid(path, $"exactly one field of \"{type.Name}\" must be given and non-null.");
        return type.Build is null ? given : type.Build(given);
    }

    private static Exception Invalid(string? path, string reason) =>
        path is null ? new MisplacedInputException(reason) : new InputCoercionException($"{path}: {reason}");

    /// <summary>Coerces the arguments of a field or directive as written at one place in the document.</summary>
    public static Dictionary<string, object?> Arguments(
        IReadOnlyList<ArgumentDefinition> definitions, IReadOnlyList<ArgumentSyntax> given, IReadOnlyDictionary<string, object?>? variables, string owner)
    {
        var values = new Dictionary<string, object?>(definitions.Count, StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            ArgumentSyntax? syntax = null;
            foreach (var g in given) if (g.Name == definition.Name) { syntax = g; break; }
            object? value = Missing;
            if (syntax is not null) value = FromLiteral(syntax.Value, definition.Type, variables, $"Argument \"{definition.Name}\" of \"{owner}\"");
            if (value == Missing)
            {
                if (definition.HasDefaultValue) value = definition.DefaultValue;
                else if (definition.Type is NonNullType)
                    throw new InputCoercionException($"Argument \"{definition.Name}\" of required type \"{definition.Type}\" was not provided.");
                else continue;
            }
            values[definition.Name] = value;
        }
        return values;
    }

    /// <summary>Whether a literal mentions a variable anywhere (arguments without variables can be coerced once and cached).</summary>
    public static bool HasVariables(ValueSyntax literal) => literal switch
    {
        VariableSyntax => true,
        ListValueSyntax l => l.Items.Any(HasVariables),
        ObjectValueSyntax o => o.Fields.Any(f => HasVariables(f.Value)),
        _ => false,
    };

    private static string Describe(ValueSyntax literal) => literal switch
    {
        StringValueSyntax s => JsonSerializer.Serialize(s.Value),
        EnumValueSyntax e => e.Name,
        IntValueSyntax i => i.Text,
        FloatValueSyntax f => f.Text,
        BooleanValueSyntax b => b.Value ? "true" : "false",
        _ => literal.GetType().Name,
    };
}

/// <summary>
/// An invalid part of a JSON input value whose position is not known yet: each enclosing list or object adds its
/// segment while the exception unwinds, and <see cref="At"/> names it from the top (<c>$r.station.id: reason</c>).
/// </summary>
internal sealed class MisplacedInputException(string reason) : Exception(reason)
{
    private readonly List<object> _segmentsInnermostFirst = [];

    public void Within(string field) => _segmentsInnermostFirst.Add(field);

    public void Within(int index) => _segmentsInnermostFirst.Add(index);

    /// <summary>The error as the public API reports it: the position (from <paramref name="root"/>), a colon, the reason.</summary>
    public InputCoercionException At(string root)
    {
        var text = new System.Text.StringBuilder(root);
        for (int i = _segmentsInnermostFirst.Count - 1; i >= 0; i--)
            _ = _segmentsInnermostFirst[i] is int index ? text.Append('[').Append(index).Append(']') : text.Append('.').Append(_segmentsInnermostFirst[i]);
        return new InputCoercionException(text.Append(": ").Append(Message).ToString());
    }
}
