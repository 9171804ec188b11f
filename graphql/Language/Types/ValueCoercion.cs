using System.Globalization;
using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Types;

/// <summary>Turns literals of a document into .NET values.</summary>
public static class ValueCoercion
{
    /// <summary>
    /// A literal as plain .NET values without a type: ints as int (long, then decimal when larger), floats as double,
    /// strings, booleans, enum values as their name, lists as <c>List&lt;object?&gt;</c>, objects as
    /// <c>Dictionary&lt;string, object?&gt;</c>; variables are looked up (missing ones are null).
    /// </summary>
    public static object? ValueFromAstUntyped(ValueNode literal, IReadOnlyDictionary<string, object?>? variables) => literal switch
    {
        NullValueNode => null,
        IntValueNode i => int.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l
            : double.Parse(i.Value, CultureInfo.InvariantCulture),
        FloatValueNode f => double.Parse(f.Value, CultureInfo.InvariantCulture),
        StringValueNode s => s.Value,
        BooleanValueNode b => b.Value,
        EnumValueNode e => e.Value,
        ListValueNode list => list.Values.Select(v => ValueFromAstUntyped(v, variables)).ToList(),
        ObjectValueNode obj => obj.Fields.ToDictionary(f => f.Name.Value, f => ValueFromAstUntyped(f.Value, variables), StringComparer.Ordinal),
        VariableNode v => variables?.GetValueOrDefault(v.Name.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(literal)),
    };

    /// <summary>
    /// A literal coerced to an input type (graphql-js <c>valueFromAST</c>): false when the literal is not valid for the type.
    /// Variables hold already-coerced values; a variable missing from <paramref name="variables"/> makes the literal invalid
    /// unless it sits in a nullable position inside a list or object where it is simply left out.
    /// Input objects become <c>Dictionary&lt;string, object?&gt;</c> (defaults applied), lists <c>List&lt;object?&gt;</c>.
    /// </summary>
    public static bool TryValueFromAst(ValueNode? literal, GraphQLType type, IReadOnlyDictionary<string, object?>? variables, out object? value)
    {
        value = null;
        if (literal is null) return false;
        if (literal is VariableNode variable)
        {
            if (variables is null || !variables.TryGetValue(variable.Name.Value, out value)) return false;
            if (value is null && type is GraphQLNonNullType) return false;
            return true;
        }
        if (type is GraphQLNonNullType nonNull)
            return literal is not NullValueNode && TryValueFromAst(literal, nonNull.OfType, variables, out value);
        if (literal is NullValueNode) return true;
        switch (type)
        {
            case GraphQLListType list:
                if (literal is ListValueNode items)
                {
                    var result = new List<object?>(items.Values.Count);
                    foreach (var item in items.Values)
                    {
                        if (IsMissingVariable(item, variables))
                        {
                            if (list.OfType is GraphQLNonNullType) return false;
                            result.Add(null);
                            continue;
                        }
                        if (!TryValueFromAst(item, list.OfType, variables, out var itemValue)) return false;
                        result.Add(itemValue);
                    }
                    value = result;
                    return true;
                }
                if (!TryValueFromAst(literal, list.OfType, variables, out var single)) return false;
                value = new List<object?> { single };
                return true;
            case GraphQLInputObjectType inputObject:
                if (literal is not ObjectValueNode obj) return false;
                var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                var given = new Dictionary<string, ObjectFieldNode>(StringComparer.Ordinal);
                foreach (var f in obj.Fields) given.TryAdd(f.Name.Value, f);
                foreach (var field in inputObject.Fields)
                {
                    if (!given.TryGetValue(field.Name, out var fieldNode) || IsMissingVariable(fieldNode.Value, variables))
                    {
                        if (field.DefaultValue is not null)
                        {
                            if (!TryValueFromAst(field.DefaultValue, field.Type, null, out var dv)) return false;
                            fields[field.Name] = dv;
                        }
                        else if (field.Type is GraphQLNonNullType) return false;
                        continue;
                    }
                    if (!TryValueFromAst(fieldNode.Value, field.Type, variables, out var fieldValue)) return false;
                    fields[field.Name] = fieldValue;
                }
                foreach (var f in obj.Fields)
                    if (!inputObject.Fields.Contains(f.Name.Value)) return false;
                if (inputObject.IsOneOf && (fields.Count != 1 || fields.Values.First() is null)) return false;
                value = fields;
                return true;
            case GraphQLEnumType enumType:
                if (literal is not EnumValueNode e || enumType.Values[e.Value] is not { } ev) return false;
                value = ev.Value;
                return true;
            case GraphQLScalarType scalar:
                try
                {
                    value = scalar.ParseLiteral(literal, variables);
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            default:
                return false;
        }
    }

    private static bool IsMissingVariable(ValueNode node, IReadOnlyDictionary<string, object?>? variables) =>
        node is VariableNode v && (variables is null || !variables.ContainsKey(v.Name.Value));

    /// <summary>
    /// An internal value as a literal of the given input type (graphql-js <c>astFromValue</c>), e.g. to give a
    /// code-first argument's C# default a <see cref="GraphQLInputValue.DefaultValue"/>. Null when the value cannot be
    /// represented (or is a null for a non-null type).
    /// </summary>
    public static ValueNode? AstFromValue(object? value, GraphQLType type)
    {
        if (type is GraphQLNonNullType nonNull)
        {
            var inner = AstFromValue(value, nonNull.OfType);
            return inner is NullValueNode ? null : inner;
        }
        if (value is null) return new NullValueNode();
        switch (type)
        {
            case GraphQLListType list:
                if (value is System.Collections.IEnumerable items and not string and not System.Collections.IDictionary)
                {
                    var nodes = new List<ValueNode>();
                    foreach (var item in items)
                        if (AstFromValue(item, list.OfType) is { } node) nodes.Add(node);
                    return new ListValueNode(nodes);
                }
                return AstFromValue(value, list.OfType);
            case GraphQLInputObjectType inputObject:
                IReadOnlyDictionary<string, object?>? fields = value switch
                {
                    IReadOnlyDictionary<string, object?> d => d,
                    IDictionary<string, object?> d => d.ToDictionary(p => p.Key, p => p.Value),
                    _ => null,
                };
                if (fields is null) return null;
                var objectFields = new List<ObjectFieldNode>();
                foreach (var field in inputObject.Fields)
                    if (fields.TryGetValue(field.Name, out var fieldValue) && AstFromValue(fieldValue, field.Type) is { } node)
                        objectFields.Add(new ObjectFieldNode(new NameNode(field.Name), node));
                return new ObjectValueNode(objectFields);
            case GraphQLEnumType enumType:
                try { return new EnumValueNode(enumType.Serialize(value)); }
                catch (GraphQLException) { return null; }
            case GraphQLScalarType scalar:
                var serialized = scalar.Serialize(value);
                switch (serialized)
                {
                    case null: return null;
                    case bool b: return new BooleanValueNode(b);
                    case string s:
                        if (ReferenceEquals(scalar, Scalars.ID) && IsIntegerText(s)) return new IntValueNode(s);
                        return new StringValueNode(s);
                    default:
                        if (!Scalars.TryNumber(serialized, out var d) || !double.IsFinite(d)) return null;
                        var text = Printing.ValuePrinter.FormatNumber(serialized);
                        return IsIntegerText(text) ? new IntValueNode(text) : new FloatValueNode(text);
                }
            default:
                return null;
        }
    }

    private static bool IsIntegerText(string s)
    {
        var i = s.StartsWith('-') ? 1 : 0;
        if (i >= s.Length) return false;
        if (s[i] == '0') return s.Length == i + 1;
        for (; i < s.Length; i++)
            if (!char.IsAsciiDigit(s[i])) return false;
        return true;
    }
}
