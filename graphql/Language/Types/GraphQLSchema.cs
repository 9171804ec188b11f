using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// A schema: root operation types, every named type reachable from them (plus extra ones given), and directives.
/// Build types first, then construct the schema; afterwards treat everything as read-only (it is then safe to share
/// across threads). The introspection types (<c>__Schema</c>, <c>__Type</c>, ...) and the meta fields
/// <see cref="SchemaMetaField"/>, <see cref="TypeMetaField"/>, <see cref="TypeNameMetaField"/> are created per schema
/// so an engine can attach resolvers to them without affecting other schemas.
/// </summary>
public sealed class GraphQLSchema
{
    private readonly Dictionary<string, GraphQLNamedType> _types = new(StringComparer.Ordinal);
    private readonly List<GraphQLNamedType> _typeOrder = [];
    private readonly Dictionary<string, GraphQLDirective> _directives = new(StringComparer.Ordinal);
    private readonly Dictionary<GraphQLNamedType, HashSet<GraphQLObjectType>> _possibleTypes = [];
    private readonly Dictionary<GraphQLInterfaceType, (List<GraphQLObjectType> Objects, List<GraphQLInterfaceType> Interfaces)> _implementations = [];

    /// <param name="query">The query root; null only for schemas used as SDL fragments.</param>
    /// <param name="types">Types to include even when no root reaches them; their order decides SDL printing order.</param>
    /// <param name="directives">Directive definitions; null means the specified ones (skip, include, deprecated, specifiedBy, oneOf).</param>
    public GraphQLSchema(GraphQLObjectType? query, GraphQLObjectType? mutation = null, GraphQLObjectType? subscription = null,
        IEnumerable<GraphQLNamedType>? types = null, IEnumerable<GraphQLDirective>? directives = null)
    {
        QueryType = query;
        MutationType = mutation;
        SubscriptionType = subscription;
        Directives = directives?.ToList() ?? SpecifiedDirectives.All();
        foreach (var d in Directives) _directives[d.Name] = d;

        var introspection = Introspection = IntrospectionTypes.Create();
        SchemaMetaField = introspection.SchemaField;
        TypeMetaField = introspection.TypeField;
        TypeNameMetaField = introspection.TypeNameField;

        // Same collection order as graphql-js, so SDL printing keeps the author's order.
        var given = types?.ToList() ?? [];
        var seen = new HashSet<GraphQLNamedType>(given);
        foreach (var t in given)
            if (!_types.ContainsKey(t.Name) || !ReferenceEquals(_types[t.Name], t)) Collect(t, seen, given: true);
        if (query is not null) Collect(query, seen);
        if (mutation is not null) Collect(mutation, seen);
        if (subscription is not null) Collect(subscription, seen);
        foreach (var d in Directives)
            foreach (var a in d.Arguments) Collect(a.Type, seen);
        Collect(introspection.Schema, seen);

        foreach (var type in _typeOrder)
        {
            switch (type)
            {
                case GraphQLUnionType union:
                    _possibleTypes[union] = [.. union.Types];
                    break;
                case GraphQLFieldsType fieldsType:
                    foreach (var iface in fieldsType.Interfaces)
                    {
                        if (!_implementations.TryGetValue(iface, out var impl))
                            _implementations[iface] = impl = ([], []);
                        if (fieldsType is GraphQLObjectType obj) impl.Objects.Add(obj);
                        else impl.Interfaces.Add((GraphQLInterfaceType)fieldsType);
                    }
                    break;
            }
        }
        foreach (var type in _typeOrder)
            if (type is GraphQLInterfaceType iface)
                _possibleTypes[iface] = _implementations.TryGetValue(iface, out var impl) ? [.. impl.Objects] : [];
    }

    public string? Description { get; set; }
    /// <summary>This schema's own introspection types.</summary>
    public IntrospectionTypes Introspection { get; }
    public GraphQLObjectType? QueryType { get; }
    public GraphQLObjectType? MutationType { get; }
    public GraphQLObjectType? SubscriptionType { get; }
    public IReadOnlyList<GraphQLDirective> Directives { get; }

    /// <summary>Directives applied to the schema in SDL.</summary>
    public IReadOnlyList<DirectiveNode> AppliedDirectives { get; set; } = [];
    public SchemaDefinitionNode? AstNode { get; set; }
    public IReadOnlyList<SchemaExtensionNode> ExtensionAstNodes { get; set; } = [];

    private Dictionary<string, object?>? _features;
    /// <summary>Free-form data attached by the engine.</summary>
    public IDictionary<string, object?> Features => _features ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary><c>__schema: __Schema!</c> on the query root.</summary>
    public GraphQLField SchemaMetaField { get; }
    /// <summary><c>__type(name: String!): __Type</c> on the query root.</summary>
    public GraphQLField TypeMetaField { get; }
    /// <summary><c>__typename: String!</c> on every composite type.</summary>
    public GraphQLField TypeNameMetaField { get; }

    /// <summary>Every named type, in collection order (as written in SDL, then those found by reference).</summary>
    public IReadOnlyList<GraphQLNamedType> Types => _typeOrder;

    public GraphQLNamedType? GetType(string name) => _types.GetValueOrDefault(name);
    public GraphQLDirective? GetDirective(string name) => _directives.GetValueOrDefault(name);

    public GraphQLObjectType? GetRootType(OperationType operation) => operation switch
    {
        OperationType.Query => QueryType,
        OperationType.Mutation => MutationType,
        _ => SubscriptionType,
    };

    /// <summary>The object types a value of an abstract type may have (union members, or implementations of an interface).</summary>
    public IReadOnlyCollection<GraphQLObjectType> GetPossibleTypes(GraphQLNamedType abstractType) =>
        _possibleTypes.TryGetValue(abstractType, out var set) ? set : [];

    /// <summary>The object and interface types that implement an interface.</summary>
    public (IReadOnlyList<GraphQLObjectType> Objects, IReadOnlyList<GraphQLInterfaceType> Interfaces) GetImplementations(GraphQLInterfaceType iface) =>
        _implementations.TryGetValue(iface, out var impl) ? (impl.Objects, impl.Interfaces) : ([], []);

    /// <summary>Whether <paramref name="maybeSubType"/> is a member of the union, or implements the interface.</summary>
    public bool IsSubType(GraphQLNamedType abstractType, GraphQLNamedType maybeSubType) => abstractType switch
    {
        GraphQLUnionType => maybeSubType is GraphQLObjectType o && _possibleTypes[abstractType].Contains(o),
        GraphQLInterfaceType iface => maybeSubType switch
        {
            GraphQLObjectType o => _possibleTypes[abstractType].Contains(o),
            GraphQLInterfaceType i => _implementations.TryGetValue(iface, out var impl) && impl.Interfaces.Contains(i),
            _ => false,
        },
        _ => false,
    };

    /// <summary>The field definition for a field name on a parent type, including the meta fields.</summary>
    public GraphQLField? GetFieldDefinition(GraphQLNamedType parentType, string fieldName)
    {
        if (fieldName == "__typename" && parentType.IsCompositeType) return TypeNameMetaField;
        if (ReferenceEquals(parentType, QueryType))
        {
            if (fieldName == "__schema") return SchemaMetaField;
            if (fieldName == "__type") return TypeMetaField;
        }
        return parentType is GraphQLFieldsType f ? f.GetField(fieldName) : null;
    }

    /// <summary>A type reference in a document resolved against this schema; null when a named type is unknown.</summary>
    public GraphQLType? TypeFromAst(TypeNode node) => node switch
    {
        NamedTypeNode named => GetType(named.Name.Value),
        ListTypeNode list => TypeFromAst(list.Type) is { } inner ? new GraphQLListType(inner) : null,
        NonNullTypeNode nonNull => TypeFromAst(nonNull.Type) is { } inner ? new GraphQLNonNullType(inner) : null,
        _ => null,
    };

    // Given types keep their order, each followed by the types it first references (as graphql-js orders its type map).
    private void Collect(GraphQLType type, HashSet<GraphQLNamedType> seen, bool given = false)
    {
        var named = type.NamedType;
        if (!given && !seen.Add(named)) return;

        if (_types.TryGetValue(named.Name, out var existing) && !ReferenceEquals(existing, named))
            throw new GraphQLException($"Schema must contain uniquely named types but contains multiple types named \"{named.Name}\".");
        _types[named.Name] = named;
        _typeOrder.Add(named);
        switch (named)
        {
            case GraphQLUnionType union:
                foreach (var member in union.Types) Collect(member, seen);
                break;
            case GraphQLFieldsType fieldsType:
                foreach (var iface in fieldsType.Interfaces) Collect(iface, seen);
                foreach (var field in fieldsType.Fields)
                {
                    Collect(field.Type, seen);
                    foreach (var arg in field.Arguments) Collect(arg.Type, seen);
                }
                break;
            case GraphQLInputObjectType input:
                foreach (var field in input.Fields) Collect(field.Type, seen);
                break;
        }
    }
}
