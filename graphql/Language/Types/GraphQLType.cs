using System.Collections;
using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// A type of the schema: a named type, or a list / non-null wrapper around another type.
/// </summary>
/// <remarks>
/// The model is built once (from SDL by <c>SchemaBuilder</c> or code-first by the engine), then read concurrently:
/// build and mutate it before handing it to a <see cref="GraphQLSchema"/>, and treat it as frozen afterwards.
/// Execution hooks (resolvers, coercions, type resolution) are settable delegate properties typed in neutral terms
/// (<see cref="IFieldContext"/>, <c>object?</c>); anything else an engine wants to attach goes in
/// <see cref="SchemaElement.Features"/>.
/// </remarks>
public abstract class GraphQLType
{
    /// <summary>The type without list and non-null wrappers.</summary>
    public GraphQLNamedType NamedType => this switch
    {
        GraphQLNamedType named => named,
        GraphQLListType list => list.OfType.NamedType,
        GraphQLNonNullType nonNull => nonNull.OfType.NamedType,
        _ => throw new InvalidOperationException("Unknown type wrapper."),
    };

    /// <summary>The type without a non-null wrapper.</summary>
    public GraphQLType Nullable => this is GraphQLNonNullType nn ? nn.OfType : this;

    public bool IsInputType => NamedType is GraphQLScalarType or GraphQLEnumType or GraphQLInputObjectType;
    public bool IsOutputType => NamedType is GraphQLScalarType or GraphQLEnumType or GraphQLObjectType or GraphQLInterfaceType or GraphQLUnionType;
    public bool IsLeafType => this is GraphQLScalarType or GraphQLEnumType;
    public bool IsCompositeType => this is GraphQLObjectType or GraphQLInterfaceType or GraphQLUnionType;
    public bool IsAbstractType => this is GraphQLInterfaceType or GraphQLUnionType;

    /// <summary>The type as written in GraphQL: <c>[Name!]</c>.</summary>
    public abstract override string ToString();

    /// <summary>Same type structure and same named type.</summary>
    public bool IsEqualType(GraphQLType other) => (this, other) switch
    {
        (GraphQLNonNullType a, GraphQLNonNullType b) => a.OfType.IsEqualType(b.OfType),
        (GraphQLListType a, GraphQLListType b) => a.OfType.IsEqualType(b.OfType),
        _ => ReferenceEquals(this, other),
    };
}

/// <summary><c>[T]</c>.</summary>
public sealed class GraphQLListType(GraphQLType ofType) : GraphQLType
{
    public GraphQLType OfType { get; } = ofType;
    public override string ToString() => $"[{OfType}]";
}

/// <summary><c>T!</c>.</summary>
public sealed class GraphQLNonNullType : GraphQLType
{
    public GraphQLNonNullType(GraphQLType ofType)
    {
        if (ofType is GraphQLNonNullType) throw new ArgumentException("Non-null of non-null is not a type.", nameof(ofType));
        OfType = ofType;
    }

    public GraphQLType OfType { get; }
    public override string ToString() => $"{OfType}!";
}

/// <summary>What every named schema element has: a name, a description, the AST it came from, and a bag for engine data.</summary>
public abstract class SchemaElement(string name)
{
    public string Name { get; } = name;
    public string? Description { get; set; }

    private Dictionary<string, object?>? _features;
    /// <summary>Free-form data attached by the engine or the schema author (e.g. the CLR member a field maps to).</summary>
    public IDictionary<string, object?> Features => _features ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Directives applied in SDL (kept so they can be read back; e.g. custom schema directives).</summary>
    public IReadOnlyList<DirectiveNode> AppliedDirectives { get; set; } = [];

    public override string ToString() => Name;
}

/// <summary>Scalars, objects, interfaces, unions, enums and input objects.</summary>
public abstract class GraphQLNamedType(string name) : GraphQLType
{
    public string Name { get; } = name;
    public string? Description { get; set; }

    private Dictionary<string, object?>? _features;
    /// <summary>Free-form data attached by the engine or the schema author (e.g. the CLR type this maps to).</summary>
    public IDictionary<string, object?> Features => _features ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Directives applied in SDL, definition and extensions together.</summary>
    public IReadOnlyList<DirectiveNode> AppliedDirectives { get; set; } = [];
    /// <summary>The SDL definition this type was built from, if any.</summary>
    public TypeDefinitionNode? AstNode { get; set; }
    /// <summary>The SDL extensions applied to this type, if any.</summary>
    public IReadOnlyList<TypeExtensionNode> ExtensionAstNodes { get; set; } = [];

    /// <summary>Whether this is one of the types the specification defines (Int, Float, String, Boolean, ID, and the eight introspection types).</summary>
    public bool IsBuiltIn => Scalars.IsSpecified(Name) || IsIntrospectionName(Name);

    private static bool IsIntrospectionName(string name) => name is "__Schema" or "__Directive" or "__DirectiveLocation" or "__Type"
        or "__Field" or "__InputValue" or "__EnumValue" or "__TypeKind";

    public override string ToString() => Name;
}

/// <summary>An ordered collection of named items (fields, arguments, enum values) with lookup by name.</summary>
public sealed class NamedCollection<T> : IReadOnlyList<T> where T : class
{
    private readonly List<T> _items = [];
    private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
    private readonly Func<T, string> _nameOf;

    public NamedCollection(Func<T, string> nameOf) => _nameOf = nameOf;

    /// <summary>Adds an item; throws when the name is taken.</summary>
    public void Add(T item)
    {
        if (!_byName.TryAdd(_nameOf(item), item))
            throw new GraphQLException($"Duplicate name \"{_nameOf(item)}\".");
        _items.Add(item);
    }

    public T? this[string name] => _byName.GetValueOrDefault(name);
    public bool TryGet(string name, out T item) => _byName.TryGetValue(name, out item!);
    public bool Contains(string name) => _byName.ContainsKey(name);
    public T this[int index] => _items[index];
    public int Count => _items.Count;
    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Object and interface types: both have fields and may implement interfaces.</summary>
public abstract class GraphQLFieldsType(string name) : GraphQLNamedType(name)
{
    public NamedCollection<GraphQLField> Fields { get; } = new(f => f.Name);
    public List<GraphQLInterfaceType> Interfaces { get; } = [];

    public GraphQLField? GetField(string name) => Fields[name];
}

/// <summary>An object type.</summary>
public sealed class GraphQLObjectType(string name) : GraphQLFieldsType(name)
{
    /// <summary>Optional check used to find the concrete type of an abstract type's value when it has no <see cref="TypeResolver"/>.</summary>
    public IsTypeOfCheck? IsTypeOf { get; set; }
}

/// <summary>An interface type.</summary>
public sealed class GraphQLInterfaceType(string name) : GraphQLFieldsType(name)
{
    /// <summary>Finds the object type of a value; when null the engine falls back to <see cref="GraphQLObjectType.IsTypeOf"/>.</summary>
    public TypeResolver? ResolveType { get; set; }
}

/// <summary>A union type.</summary>
public sealed class GraphQLUnionType(string name) : GraphQLNamedType(name)
{
    public List<GraphQLObjectType> Types { get; } = [];
    /// <summary>Finds the object type of a value; when null the engine falls back to <see cref="GraphQLObjectType.IsTypeOf"/>.</summary>
    public TypeResolver? ResolveType { get; set; }
}

/// <summary>A field of an object or interface type.</summary>
public sealed class GraphQLField(string name, GraphQLType type) : SchemaElement(name)
{
    /// <summary>Output type; settable so recursive types can be wired after creation.</summary>
    public GraphQLType Type { get; set; } = type;
    public NamedCollection<GraphQLArgument> Arguments { get; } = new(a => a.Name);
    /// <summary>Null when not deprecated.</summary>
    public string? DeprecationReason { get; set; }
    public bool IsDeprecated => DeprecationReason is not null;
    /// <summary>Produces the field's value; when null the engine uses its default (e.g. property of the parent by name).</summary>
    public FieldResolver? Resolver { get; set; }
    /// <summary>For subscription root fields: the source event stream.</summary>
    public SubscriptionSource? Subscriber { get; set; }
    public FieldDefinitionNode? AstNode { get; set; }

    public GraphQLArgument? GetArgument(string name) => Arguments[name];
}

/// <summary>An argument of a field or directive, or a field of an input object.</summary>
public abstract class GraphQLInputValue(string name, GraphQLType type) : SchemaElement(name)
{
    /// <summary>Input type; settable so recursive types can be wired after creation.</summary>
    public GraphQLType Type { get; set; } = type;
    /// <summary>The default as a literal (null when none). Coerce it with <c>ValueCoercion.ValueFromAst</c>.</summary>
    public ValueNode? DefaultValue { get; set; }
    public bool HasDefaultValue => DefaultValue is not null;
    public string? DeprecationReason { get; set; }
    public bool IsDeprecated => DeprecationReason is not null;
    /// <summary>Non-null and without a default.</summary>
    public bool IsRequired => Type is GraphQLNonNullType && DefaultValue is null;
    public InputValueDefinitionNode? AstNode { get; set; }
}

/// <summary>An argument of a field or of a directive.</summary>
public sealed class GraphQLArgument(string name, GraphQLType type) : GraphQLInputValue(name, type);

/// <summary>A field of an input object type.</summary>
public sealed class GraphQLInputField(string name, GraphQLType type) : GraphQLInputValue(name, type);

/// <summary>An input object type.</summary>
public sealed class GraphQLInputObjectType(string name) : GraphQLNamedType(name)
{
    public NamedCollection<GraphQLInputField> Fields { get; } = new(f => f.Name);
    /// <summary>Marked <c>@oneOf</c>: exactly one field must be given, and it must not be null.</summary>
    public bool IsOneOf { get; set; }
}

/// <summary>An enum type. Each value has a name (as in GraphQL) and an internal value (as the resolvers see it).</summary>
public sealed class GraphQLEnumType(string name) : GraphQLNamedType(name)
{
    public NamedCollection<GraphQLEnumValue> Values { get; } = new(v => v.Name);

    /// <summary>Internal value to its name; throws <see cref="GraphQLException"/> when the value is not one of this enum's.</summary>
    public string Serialize(object? value)
    {
        foreach (var v in Values)
            if (Equals(v.Value, value)) return v.Name;
        if (value is string s && Values.Contains(s)) return s;
        if (value is Enum e && Values.Contains(e.ToString())) return e.ToString();
        throw new GraphQLException($"Enum \"{Name}\" cannot represent value: {Printing.ValuePrinter.Inspect(value)}");
    }

    /// <summary>A variable value (the value's name as a string) to the internal value.</summary>
    public object? ParseValue(object? input)
    {
        var name = input switch
        {
            string s => s,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } j => j.GetString(),
            _ => null,
        };
        if (name is null)
        {
            var text = Printing.ValuePrinter.Inspect(input);
            throw new GraphQLException($"Enum \"{Name}\" cannot represent non-string value: {text}." + DidYouMeanValue(text));
        }
        if (Values[name] is { } value) return value.Value;
        throw new GraphQLException($"Value \"{name}\" does not exist in \"{Name}\" enum." + DidYouMeanValue(name));
    }

    /// <summary>A literal to the internal value; errors carry graphql-js's "Did you mean" hints.</summary>
    public object? ParseLiteral(ValueNode literal)
    {
        if (literal is not EnumValueNode e)
        {
            var text = Printing.Printer.Print(literal);
            throw new GraphQLException($"Enum \"{Name}\" cannot represent non-enum value: {text}." + DidYouMeanValue(text), literal);
        }
        if (Values[e.Value] is { } value) return value.Value;
        throw new GraphQLException($"Value \"{e.Value}\" does not exist in \"{Name}\" enum." + DidYouMeanValue(e.Value), literal);
    }

    private string DidYouMeanValue(string text) =>
        Validation.Suggestions.DidYouMean("the enum value", Validation.Suggestions.List(text, Values.Select(v => v.Name)));
}

/// <summary>One value of an enum type.</summary>
public sealed class GraphQLEnumValue(string name, object? value) : SchemaElement(name)
{
    /// <summary>What resolvers get and return for this value; the name itself unless the schema author says otherwise.</summary>
    public object? Value { get; set; } = value;
    public string? DeprecationReason { get; set; }
    public bool IsDeprecated => DeprecationReason is not null;
    public EnumValueDefinitionNode? AstNode { get; set; }
}

/// <summary>A scalar type with its three coercions.</summary>
public sealed class GraphQLScalarType(string name) : GraphQLNamedType(name)
{
    /// <summary>URL of the scalar's specification (<c>@specifiedBy</c>).</summary>
    public string? SpecifiedByUrl { get; set; }
    /// <summary>Result coercion; identity when not set (custom scalars from SDL).</summary>
    public ScalarSerializer Serialize { get; set; } = static v => v;
    /// <summary>Variable coercion; identity when not set.</summary>
    public ScalarValueParser ParseValue { get; set; } = static v => v;
    /// <summary>Literal coercion; by default converts the literal to plain .NET values (see <c>ValueCoercion.ValueFromAstUntyped</c>).</summary>
    public ScalarLiteralParser ParseLiteral { get; set; } = static (literal, variables) => ValueCoercion.ValueFromAstUntyped(literal, variables);
}
