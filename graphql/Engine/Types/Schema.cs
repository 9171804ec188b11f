using System.Collections.Concurrent;
using Actors.GraphQL.Introspection;

namespace Actors.GraphQL.Types;

/// <summary>
/// An executable schema: root types, every named type reachable from them, and the directives.
/// Immutable once created; safe to share across requests.
/// </summary>
public sealed class Schema
{
    private readonly Dictionary<string, NamedType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<NamedType, ObjectType[]> _possibleTypes = [];
    private readonly ConcurrentDictionary<(NamedType, Type), ObjectType?> _clrResolution = new();

    private Schema(ObjectType query, ObjectType? mutation, ObjectType? subscription, string? description)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Description = description;
    }

    public ObjectType Query { get; }
    public ObjectType? Mutation { get; }
    public ObjectType? Subscription { get; }
    public string? Description { get; }
    public IReadOnlyDictionary<string, NamedType> Types => _types;
    public IReadOnlyList<DirectiveDefinition> Directives { get; private set; } = [];

    /// <summary>The meta-fields <c>__schema</c> and <c>__type</c> of the query root.</summary>
    internal IntrospectionFields Introspection { get; private set; } = null!;

    /// <summary>Builds a schema from its root types, collecting every type reachable from them and from <paramref name="additionalTypes"/>.</summary>
    public static Schema Create(ObjectType query, ObjectType? mutation = null, ObjectType? subscription = null,
        IEnumerable<NamedType>? additionalTypes = null, string? description = null)
    {
        var schema = new Schema(query, mutation, subscription, description);
        schema.Directives = BuiltInDirectives.All;
        schema.Introspection = new IntrospectionFields();
        foreach (var scalar in Scalars.Specified) schema.Collect(scalar);
        schema.Collect(query);
        if (mutation is not null) schema.Collect(mutation);
        if (subscription is not null) schema.Collect(subscription);
        foreach (var type in additionalTypes ?? []) schema.Collect(type);
        foreach (var type in schema.Introspection.Types) schema.Collect(type);
        foreach (var directive in schema.Directives)
            foreach (var argument in directive.Arguments) schema.Collect(argument.Type.Named);
        schema.ComputePossibleTypes();
        return schema;
    }

    private void Collect(NamedType type)
    {
        if (_types.TryGetValue(type.Name, out var existing))
        {
            if (!ReferenceEquals(existing, type)) throw new InvalidOperationException($"Two different types are named \"{type.Name}\".");
            return;
        }
        _types[type.Name] = type;
        switch (type)
        {
            case IFieldsType fields:
                foreach (var i in fields.Interfaces) Collect(i);
                foreach (var field in fields.Fields)
                {
                    Collect(field.Type.Named);
                    foreach (var argument in field.Arguments) Collect(argument.Type.Named);
                }
                break;
            case UnionType union:
                foreach (var member in union.Types) Collect(member);
                break;
            case InputObjectType input:
                foreach (var field in input.Fields) Collect(field.Type.Named);
                break;
        }
    }

    private void ComputePossibleTypes()
    {
        var byInterface = new Dictionary<NamedType, List<ObjectType>>();
        foreach (var type in _types.Values.OfType<ObjectType>())
            foreach (var i in type.Interfaces)
            {
                if (!byInterface.TryGetValue(i, out var list)) byInterface[i] = list = [];
                list.Add(type);
            }
        foreach (var type in _types.Values)
        {
            if (type is InterfaceType i) _possibleTypes[i] = byInterface.TryGetValue(i, out var l) ? [.. l] : [];
            else if (type is UnionType u) _possibleTypes[u] = [.. u.Types];
        }
    }

    public NamedType? FindType(string name) => _types.GetValueOrDefault(name);

    /// <summary>The object types that may appear where <paramref name="type"/> is expected.</summary>
    public IReadOnlyList<ObjectType> PossibleTypes(NamedType type) => type switch
    {
        ObjectType o => [o],
        _ => _possibleTypes.TryGetValue(type, out var list) ? list : [],
    };

    public bool IsPossibleType(NamedType abstractType, ObjectType objectType) =>
        ReferenceEquals(abstractType, objectType) || PossibleTypes(abstractType).Contains(objectType);

    /// <summary>The object type of a value in an abstract position: by IsTypeOf, else by the value's CLR type (cached).</summary>
    public ObjectType? ResolveObjectType(NamedType abstractType, object value)
    {
        var candidates = PossibleTypes(abstractType);
        foreach (var candidate in candidates)
            if (candidate.IsTypeOf is { } isTypeOf && isTypeOf(value)) return candidate;
        return _clrResolution.GetOrAdd((abstractType, value.GetType()), static (key, candidates) =>
        {
            for (var clr = key.Item2; clr is not null; clr = clr.BaseType)
                foreach (var candidate in candidates)
                    if (candidate.ClrType == clr) return candidate;
            foreach (var candidate in candidates)
                if (candidate.ClrType is { } t && t.IsAssignableFrom(key.Item2)) return candidate;
            return null;
        }, candidates);
    }

    /// <summary>Resolves a type as written in a variable definition; null when its named type is unknown.</summary>
    public GraphType? TypeFromSyntax(Documents.TypeSyntax syntax) => syntax switch
    {
        Documents.NamedTypeSyntax n => FindType(n.Name),
        Documents.ListTypeSyntax l => TypeFromSyntax(l.OfType) is { } inner ? new ListType(inner) : null,
        Documents.NonNullTypeSyntax nn => TypeFromSyntax(nn.OfType) is { } inner ? new NonNullType(inner) : null,
        _ => null,
    };

    public ObjectType? RootType(Documents.OperationKind kind) => kind switch
    {
        Documents.OperationKind.Query => Query,
        Documents.OperationKind.Mutation => Mutation,
        _ => Subscription,
    };
}

/// <summary>The directives of the GraphQL specification.</summary>
public static class BuiltInDirectives
{
    public static readonly DirectiveDefinition Skip = Conditional("skip", "Directs the executor to skip this field or fragment when the `if` argument is true.");
    public static readonly DirectiveDefinition Include = Conditional("include", "Directs the executor to include this field or fragment only when the `if` argument is true.");

    public static readonly DirectiveDefinition Deprecated = Make("deprecated", ["FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE"],
        "Marks an element of a GraphQL schema as no longer supported.",
        new ArgumentDefinition("reason", Scalars.String) { HasDefaultValue = true, DefaultValue = "No longer supported" });

    public static readonly DirectiveDefinition SpecifiedBy = Make("specifiedBy", ["SCALAR"],
        "Exposes a URL that specifies the behavior of this scalar.", new ArgumentDefinition("url", Scalars.String.NonNull()));

    public static readonly DirectiveDefinition OneOf = Make("oneOf", ["INPUT_OBJECT"],
        "Indicates exactly one field must be supplied and this field must not be `null`.");

    public static readonly IReadOnlyList<DirectiveDefinition> All = [Include, Skip, Deprecated, SpecifiedBy, OneOf];

    private static DirectiveDefinition Conditional(string name, string description) =>
        Make(name, ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"], description, new ArgumentDefinition("if", Scalars.Boolean.NonNull()) { Description = "Included when true." });

    private static DirectiveDefinition Make(string name, string[] locations, string description, params ArgumentDefinition[] arguments)
    {
        var directive = new DirectiveDefinition(name, locations) { Description = description };
        directive.Arguments.AddRange(arguments);
        return directive;
    }
}
