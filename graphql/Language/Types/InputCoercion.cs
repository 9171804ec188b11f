using System.Collections;
using System.Text;
using System.Text.Json;
using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Validation;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// Coerces request inputs to internal values as the specification says, with graphql-js 17's error messages:
/// variable values (JSON-ish .NET values or <see cref="JsonElement"/>) and field or directive arguments (literals).
/// Input objects become <c>Dictionary&lt;string, object?&gt;</c> (defaults applied), lists <c>List&lt;object?&gt;</c>.
/// </summary>
public static class InputCoercion
{
    /// <summary>Reports a problem at a path inside the value (field names and list indexes).</summary>
    public delegate void ErrorSink(IReadOnlyList<object> path, string message);

    private const string OneOfMessage = "Within OneOf Input Object type \"{0}\", exactly one field must be specified, and the value for that field must be non-null.";

    /// <summary>
    /// The operation's variable values (graphql-js <c>getVariableValues</c>): defaults applied, each value coerced.
    /// Returns false with the errors (located at the variable definition) when any variable is invalid.
    /// </summary>
    public static bool TryCoerceVariableValues(GraphQLSchema schema, IReadOnlyList<VariableDefinitionNode> definitions,
        IReadOnlyDictionary<string, object?>? inputs, out Dictionary<string, object?> values, out List<GraphQLError> errors)
    {
        values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var found = new List<GraphQLError>();
        foreach (var definition in definitions)
        {
            var name = definition.Variable.Name.Value;
            var type = schema.TypeFromAst(definition.Type);
            if (type is not { IsInputType: true })
            {
                found.Add(new GraphQLError($"Variable \"${name}\" expected value of type \"{Printer.Print(definition.Type)}\" which cannot be used as an input type.", definition.Type));
                continue;
            }
            void Report(IReadOnlyList<object> path, string message) =>
                found.Add(new GraphQLError($"Variable \"${name}\" has invalid value{At(path)}: {message}", definition));
            if (inputs is null || !inputs.TryGetValue(name, out var input))
            {
                if (definition.DefaultValue is not null)
                    values[name] = CoerceLiteral(definition.DefaultValue, type, null, Report);
                else if (type is GraphQLNonNullType)
                    Report([], $"Expected a value of non-null type \"{type}\" to be provided.");
                continue;
            }
            var before = found.Count;
            var coerced = CoerceValue(input, type, Report);
            if (found.Count == before) values[name] = coerced;
        }
        errors = found;
        return errors.Count == 0;
    }

    /// <summary>One runtime input value coerced to an input type; problems go to <paramref name="onError"/>.</summary>
    public static object? CoerceValue(object? input, GraphQLType type, ErrorSink onError) => Value(input, type, onError, []);

    /// <summary>
    /// One literal coerced to an input type, variables looked up in already-coerced <paramref name="variables"/>
    /// (a variable absent from them counts as not provided); problems go to <paramref name="onError"/>.
    /// </summary>
    public static object? CoerceLiteral(ValueNode literal, GraphQLType type, IReadOnlyDictionary<string, object?>? variables, ErrorSink onError) =>
        Literal(literal, type, variables, onError, []);

    /// <summary>
    /// Argument values of a field or directive (graphql-js <c>getArgumentValues</c>); <paramref name="coordinate"/> names
    /// the owner in messages, e.g. <c>Query.user</c> or <c>@include</c>. Throws <see cref="GraphQLException"/> at the first problem.
    /// </summary>
    public static Dictionary<string, object?> GetArgumentValues(string coordinate, IReadOnlyList<GraphQLArgument> definitions,
        IReadOnlyList<ArgumentNode> arguments, IReadOnlyDictionary<string, object?>? variables)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var name = definition.Name;
            var type = definition.Type;
            ArgumentNode? argument = null;
            foreach (var a in arguments)
                if (a.Name.Value == name) { argument = a; break; }
            var missing = argument is null
                || (argument.Value is VariableNode v && (variables is null || !variables.ContainsKey(v.Name.Value)));
            if (missing)
            {
                if (definition.DefaultValue is not null)
                {
                    values[name] = CoerceLiteral(definition.DefaultValue, type, null, (_, _) => { });
                    continue;
                }
                if (type is not GraphQLNonNullType) continue;
                if (argument is null)
                    throw new GraphQLException($"Argument \"{coordinate}({name}:)\" of required type \"{type}\" was not provided.");
            }
            GraphQLError? error = null;
            var node = argument!.Value;
            var coerced = CoerceLiteral(node, type, variables, (path, message) =>
                error ??= new GraphQLError($"Argument \"{coordinate}({name}:)\" has invalid value{At(path)}: {message}", node));
            if (error is not null) throw new GraphQLException(error);
            values[name] = coerced;
        }
        return values;
    }

    private static object? Value(object? input, GraphQLType type, ErrorSink onError, List<object> path)
    {
        if (type is GraphQLNonNullType nonNull)
        {
            if (!IsNull(input)) return Value(input, nonNull.OfType, onError, path);
            onError([.. path], $"Expected value of non-null type \"{type}\" not to be null.");
            return null;
        }
        if (IsNull(input)) return null;
        switch (type)
        {
            case GraphQLListType list:
                if (AsList(input) is not { } items) return new List<object?> { Value(input, list.OfType, onError, path) };
                var result = new List<object?>();
                var index = 0;
                foreach (var item in items)
                {
                    path.Add(index++);
                    result.Add(Value(item, list.OfType, onError, path));
                    path.RemoveAt(path.Count - 1);
                }
                return result;
            case GraphQLInputObjectType inputObject:
                if (AsObject(input) is not { } fields)
                {
                    onError([.. path], $"Expected value of type \"{inputObject.Name}\" to be an object, found: {ValuePrinter.Inspect(input)}.");
                    return null;
                }
                var coerced = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var field in inputObject.Fields)
                {
                    if (!fields.TryGetValue(field.Name, out var fieldValue))
                    {
                        if (field.DefaultValue is not null) coerced[field.Name] = CoerceLiteral(field.DefaultValue, field.Type, null, (_, _) => { });
                        else if (field.Type is GraphQLNonNullType)
                            onError([.. path], $"Expected value of type \"{inputObject.Name}\" to include required field \"{field.Name}\", found: {ValuePrinter.Inspect(input)}.");
                        continue;
                    }
                    path.Add(field.Name);
                    coerced[field.Name] = Value(fieldValue, field.Type, onError, path);
                    path.RemoveAt(path.Count - 1);
                }
                foreach (var key in fields.Keys)
                    if (!inputObject.Fields.Contains(key))
                        onError([.. path], UnknownField(inputObject, key, ValuePrinter.Inspect(input)));
                if (inputObject.IsOneOf && (fields.Count != 1 || IsNull(fields.First().Value)))
                    onError([.. path], string.Format(System.Globalization.CultureInfo.InvariantCulture, OneOfMessage, inputObject.Name));
                return coerced;
            case GraphQLEnumType enumType:
                try { return enumType.ParseValue(input); }
                catch (GraphQLException ex) { onError([.. path], ex.Message); return null; }
            case GraphQLScalarType scalar:
                try { return scalar.ParseValue(Unwrap(input)); }
                catch (GraphQLException ex) { onError([.. path], ex.Message); return null; }
                catch (Exception ex) { onError([.. path], $"Expected value of type \"{scalar.Name}\", found: {ValuePrinter.Inspect(input)}; {ex.Message}"); return null; }
            default:
                onError([.. path], $"Expected an input type, found \"{type}\".");
                return null;
        }
    }

    private static object? Literal(ValueNode node, GraphQLType type, IReadOnlyDictionary<string, object?>? variables, ErrorSink onError, List<object> path)
    {
        if (node is VariableNode variable)
        {
            var name = variable.Name.Value;
            if (variables is null || !variables.TryGetValue(name, out var value))
            {
                if (type is GraphQLNonNullType)
                    onError([.. path], $"Expected variable \"${name}\" provided to type \"{type}\" to provide a runtime value.");
                return null;
            }
            if (value is null && type is GraphQLNonNullType)
                onError([.. path], $"Expected variable \"${name}\" provided to non-null type \"{type}\" not to be null.");
            return value;
        }
        if (type is GraphQLNonNullType nonNull)
        {
            if (node is not NullValueNode) return Literal(node, nonNull.OfType, variables, onError, path);
            onError([.. path], $"Expected value of non-null type \"{type}\" not to be null.");
            return null;
        }
        if (node is NullValueNode) return null;
        switch (type)
        {
            case GraphQLListType list:
                if (node is not ListValueNode items) return new List<object?> { Literal(node, list.OfType, variables, onError, path) };
                var result = new List<object?>(items.Values.Count);
                for (var i = 0; i < items.Values.Count; i++)
                {
                    path.Add(i);
                    result.Add(Literal(items.Values[i], list.OfType, variables, onError, path));
                    path.RemoveAt(path.Count - 1);
                }
                return result;
            case GraphQLInputObjectType inputObject:
                if (node is not ObjectValueNode obj)
                {
                    onError([.. path], $"Expected value of type \"{inputObject.Name}\" to be an object, found: {Printer.Print(node)}.");
                    return null;
                }
                var given = new Dictionary<string, ObjectFieldNode>(StringComparer.Ordinal);
                foreach (var f in obj.Fields) given.TryAdd(f.Name.Value, f);
                var coerced = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var field in inputObject.Fields)
                {
                    var absent = !given.TryGetValue(field.Name, out var fieldNode)
                        || (fieldNode.Value is VariableNode fv && (variables is null || !variables.ContainsKey(fv.Name.Value)));
                    if (absent)
                    {
                        if (field.DefaultValue is not null) coerced[field.Name] = Literal(field.DefaultValue, field.Type, null, (_, _) => { }, []);
                        else if (field.Type is GraphQLNonNullType)
                            onError([.. path], $"Expected value of type \"{inputObject.Name}\" to include required field \"{field.Name}\", found: {Printer.Print(node)}.");
                        continue;
                    }
                    path.Add(field.Name);
                    coerced[field.Name] = Literal(fieldNode!.Value, field.Type, variables, onError, path);
                    path.RemoveAt(path.Count - 1);
                }
                foreach (var f in obj.Fields)
                    if (!inputObject.Fields.Contains(f.Name.Value))
                        onError([.. path], UnknownField(inputObject, f.Name.Value, Printer.Print(node)));
                if (inputObject.IsOneOf && (coerced.Count != 1 || coerced.First().Value is null))
                    onError([.. path], string.Format(System.Globalization.CultureInfo.InvariantCulture, OneOfMessage, inputObject.Name));
                return coerced;
            case GraphQLEnumType enumType:
                try { return enumType.ParseLiteral(node); }
                catch (GraphQLException ex) { onError([.. path], ex.Message); return null; }
            case GraphQLScalarType scalar:
                try { return scalar.ParseLiteral(node, variables); }
                catch (GraphQLException ex) { onError([.. path], ex.Message); return null; }
                catch (Exception ex) { onError([.. path], $"Expected value of type \"{scalar.Name}\", found: {Printer.Print(node)}; {ex.Message}"); return null; }
            default:
                onError([.. path], $"Expected an input type, found \"{type}\".");
                return null;
        }
    }

    private static string UnknownField(GraphQLInputObjectType type, string field, string found)
    {
        var suggestion = Suggestions.DidYouMean(Suggestions.List(field, type.Fields.Select(f => f.Name)));
        return suggestion.Length == 0
            ? $"Expected value of type \"{type.Name}\" not to include unknown field \"{field}\", found: {found}."
            : $"Expected value of type \"{type.Name}\" not to include unknown field \"{field}\".{suggestion} Found: {found}.";
    }

    private static string At(IReadOnlyList<object> path)
    {
        if (path.Count == 0) return "";
        var sb = new StringBuilder(" at ");
        foreach (var key in path)
            if (key is int i) sb.Append('[').Append(i).Append(']');
            else sb.Append('.').Append(key);
        return sb.ToString();
    }

    private static bool IsNull(object? value) => value is null or JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined };

    // Built-in scalars read JsonElement themselves; custom scalars get plain .NET values for JSON primitives.
    private static object? Unwrap(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.String } j => j.GetString(),
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement { ValueKind: JsonValueKind.Number } j => j.TryGetInt32(out var i) ? i : j.TryGetInt64(out var l) ? l : j.GetDouble(),
        _ => value,
    };

    private static IEnumerable<object?>? AsList(object? value) => value switch
    {
        string => null,
        JsonElement { ValueKind: JsonValueKind.Array } j => j.EnumerateArray().Select(e => (object?)e),
        JsonElement => null,
        IDictionary or IEnumerable<KeyValuePair<string, object?>> => null,
        IEnumerable e => e.Cast<object?>(),
        _ => null,
    };

    private static IReadOnlyDictionary<string, object?>? AsObject(object? value)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> d: return d;
            case IDictionary<string, object?> d: return d.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            case JsonElement { ValueKind: JsonValueKind.Object } j:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in j.EnumerateObject()) result[p.Name] = p.Value;
                return result;
            default: return null;
        }
    }
}
