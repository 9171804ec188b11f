using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Parsing;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// Builds a <see cref="GraphQLSchema"/> from SDL, like graphql-js's <c>buildASTSchema</c>: type definitions and
/// their extensions in the same document, directive definitions, <c>schema {}</c> or the conventional root names
/// Query/Mutation/Subscription. Custom scalars get identity coercions; enum values' internal values are their names.
/// Built-in scalars and directives are used unless the document defines its own.
/// </summary>
public static class SchemaBuilder
{
    /// <summary>Parses and builds.</summary>
    public static GraphQLSchema Build(string sdl) => Build(Parser.Parse(sdl));

    public static GraphQLSchema Build(DocumentNode document)
    {
        AssertValidSdl(document);
        var definitions = new List<TypeDefinitionNode>();
        var extensions = new Dictionary<string, List<TypeExtensionNode>>(StringComparer.Ordinal);
        var directiveDefinitions = new List<DirectiveDefinitionNode>();
        SchemaDefinitionNode? schemaDefinition = null;
        var schemaExtensions = new List<SchemaExtensionNode>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case TypeDefinitionNode t: definitions.Add(t); break;
                case TypeExtensionNode e:
                    if (!extensions.TryGetValue(e.Name.Value, out var list)) extensions[e.Name.Value] = list = [];
                    list.Add(e);
                    break;
                case DirectiveDefinitionNode d: directiveDefinitions.Add(d); break;
                case SchemaDefinitionNode s:
                    if (schemaDefinition is not null) throw new GraphQLException("Must provide only one schema definition.", s);
                    schemaDefinition = s;
                    break;
                case SchemaExtensionNode se: schemaExtensions.Add(se); break;
            }
        }

        var types = new Dictionary<string, GraphQLNamedType>(StringComparer.Ordinal);
        var ordered = new List<GraphQLNamedType>();
        foreach (var definition in definitions)
        {
            var name = definition.Name.Value;
            if (types.ContainsKey(name))
                throw new GraphQLException($"There can be only one type named \"{name}\".", definition.Name);
            GraphQLNamedType type = definition switch
            {
                ScalarTypeDefinitionNode => new GraphQLScalarType(name),
                ObjectTypeDefinitionNode => new GraphQLObjectType(name),
                InterfaceTypeDefinitionNode => new GraphQLInterfaceType(name),
                UnionTypeDefinitionNode => new GraphQLUnionType(name),
                EnumTypeDefinitionNode => new GraphQLEnumType(name),
                InputObjectTypeDefinitionNode => new GraphQLInputObjectType(name),
                _ => throw new GraphQLException($"Unknown definition of \"{name}\".", definition),
            };
            type.AstNode = definition;
            type.Description = definition.Description?.Value;
            types[name] = type;
            ordered.Add(type);
        }
        foreach (var (name, list) in extensions)
            if (!types.ContainsKey(name))
                throw new GraphQLException($"Cannot extend type \"{name}\" because it is not defined.", list[0].Name);

        GraphQLNamedType Named(NamedTypeNode node) =>
            types.GetValueOrDefault(node.Name.Value) ?? Scalars.Find(node.Name.Value)
            ?? throw new GraphQLException($"Unknown type \"{node.Name.Value}\".", node);

        GraphQLType TypeOf(TypeNode node) => node switch
        {
            NamedTypeNode n => Named(n),
            ListTypeNode l => new GraphQLListType(TypeOf(l.Type)),
            NonNullTypeNode nn => new GraphQLNonNullType(TypeOf(nn.Type)),
            _ => throw new ArgumentOutOfRangeException(nameof(node)),
        };

        T InputValue<T>(InputValueDefinitionNode node, Func<string, GraphQLType, T> create) where T : GraphQLInputValue
        {
            var value = create(node.Name.Value, TypeOf(node.Type));
            value.Description = node.Description?.Value;
            value.DefaultValue = node.DefaultValue;
            value.DeprecationReason = DeprecationReason(node.Directives);
            value.AppliedDirectives = node.Directives;
            value.AstNode = node;
            return value;
        }

        void AddFields(GraphQLFieldsType owner, IFieldsContainerNode node)
        {
            foreach (var i in node.Interfaces)
                owner.Interfaces.Add(Named(i) as GraphQLInterfaceType
                    ?? throw new GraphQLException($"Type {owner.Name} must only implement Interface types, it cannot implement {i.Name.Value}.", i));
            foreach (var f in node.Fields)
            {
                var field = new GraphQLField(f.Name.Value, TypeOf(f.Type))
                {
                    Description = f.Description?.Value,
                    DeprecationReason = DeprecationReason(f.Directives),
                    AppliedDirectives = f.Directives,
                    AstNode = f,
                };
                foreach (var a in f.Arguments) field.Arguments.Add(InputValue(a, (n, t) => new GraphQLArgument(n, t)));
                AddOrThrow(() => owner.Fields.Add(field), $"Field \"{owner.Name}.{field.Name}\" can only be defined once.", f.Name);
            }
        }

        foreach (var type in ordered)
        {
            var definition = type.AstNode!;
            var typeExtensions = extensions.GetValueOrDefault(type.Name) ?? [];
            type.ExtensionAstNodes = typeExtensions;
            var allNodes = new List<ITypeDefinitionOrExtension> { definition };
            allNodes.AddRange(typeExtensions);
            type.AppliedDirectives = allNodes.SelectMany(n => n.Directives).ToList();
            foreach (var node in allNodes)
            {
                switch (type, node)
                {
                    case (GraphQLFieldsType fieldsType, IFieldsContainerNode container):
                        AddFields(fieldsType, container);
                        break;
                    case (GraphQLUnionType union, UnionTypeDefinitionNode or UnionTypeExtensionNode):
                        var members = node is UnionTypeDefinitionNode ud ? ud.Types : ((UnionTypeExtensionNode)node).Types;
                        foreach (var m in members)
                            union.Types.Add(Named(m) as GraphQLObjectType
                                ?? throw new GraphQLException($"Union type {union.Name} can only include Object types, it cannot include {m.Name.Value}.", m));
                        break;
                    case (GraphQLEnumType enumType, EnumTypeDefinitionNode or EnumTypeExtensionNode):
                        var values = node is EnumTypeDefinitionNode ed ? ed.Values : ((EnumTypeExtensionNode)node).Values;
                        foreach (var v in values)
                        {
                            var value = new GraphQLEnumValue(v.Name.Value, v.Name.Value)
                            {
                                Description = v.Description?.Value,
                                DeprecationReason = DeprecationReason(v.Directives),
                                AppliedDirectives = v.Directives,
                                AstNode = v,
                            };
                            AddOrThrow(() => enumType.Values.Add(value), $"Enum value \"{enumType.Name}.{value.Name}\" can only be defined once.", v.Name);
                        }
                        break;
                    case (GraphQLInputObjectType inputType, InputObjectTypeDefinitionNode or InputObjectTypeExtensionNode):
                        var fields = node is InputObjectTypeDefinitionNode id ? id.Fields : ((InputObjectTypeExtensionNode)node).Fields;
                        foreach (var f in fields)
                        {
                            var field = InputValue(f, (n, t) => new GraphQLInputField(n, t));
                            AddOrThrow(() => inputType.Fields.Add(field), $"Field \"{inputType.Name}.{field.Name}\" can only be defined once.", f.Name);
                        }
                        if (node.Directives.Any(d => d.Name.Value == "oneOf")) inputType.IsOneOf = true;
                        break;
                    case (GraphQLScalarType scalar, ScalarTypeDefinitionNode or ScalarTypeExtensionNode):
                        var url = SpecifiedByUrl(node.Directives);
                        if (url is not null) scalar.SpecifiedByUrl = url;
                        break;
                    default:
                        throw new GraphQLException($"Cannot extend non-matching type \"{type.Name}\".", (Node)node);
                }
            }
        }

        var directives = new List<GraphQLDirective>();
        foreach (var d in directiveDefinitions)
        {
            var locations = new List<DirectiveLocation>();
            foreach (var l in d.Locations)
                if (DirectiveLocations.TryParse(l.Value, out var location)) locations.Add(location);
            var directive = new GraphQLDirective(d.Name.Value, locations)
            {
                Description = d.Description?.Value,
                IsRepeatable = d.Repeatable,
                AstNode = d,
            };
            foreach (var a in d.Arguments) directive.Arguments.Add(InputValue(a, (n, t) => new GraphQLArgument(n, t)));
            directives.Add(directive);
        }
        // The specified directives stay available unless the document redefines them.
        foreach (var specified in SpecifiedDirectives.All())
            if (!directives.Any(d => d.Name == specified.Name)) directives.Add(specified);

        GraphQLObjectType? query = null, mutation = null, subscription = null;
        var operationTypes = (schemaDefinition?.OperationTypes ?? []).Concat(schemaExtensions.SelectMany(e => e.OperationTypes)).ToList();
        if (schemaDefinition is null && schemaExtensions.Count == 0)
        {
            query = types.GetValueOrDefault("Query") as GraphQLObjectType;
            mutation = types.GetValueOrDefault("Mutation") as GraphQLObjectType;
            subscription = types.GetValueOrDefault("Subscription") as GraphQLObjectType;
        }
        foreach (var op in operationTypes)
        {
            var root = Named(op.Type) as GraphQLObjectType
                ?? throw new GraphQLException(op.Operation == OperationType.Query
                    ? $"Query root type must be Object type, it cannot be {op.Type.Name.Value}."
                    : $"{op.Operation} root type must be Object type if provided, it cannot be {op.Type.Name.Value}.", op.Type);
            switch (op.Operation)
            {
                case OperationType.Query: query = root; break;
                case OperationType.Mutation: mutation = root; break;
                default: subscription = root; break;
            }
        }

        return new GraphQLSchema(query, mutation, subscription, ordered, directives)
        {
            Description = schemaDefinition?.Description?.Value,
            AstNode = schemaDefinition,
            ExtensionAstNodes = schemaExtensions,
            AppliedDirectives = (schemaDefinition?.Directives ?? []).Concat(schemaExtensions.SelectMany(e => e.Directives)).ToList(),
        };
    }

    private static readonly Func<Validation.ValidationRule>[] SdlRules =
    [
        () => new Validation.Rules.KnownTypeNamesRule(),
        () => new Validation.Rules.KnownDirectivesRule(),
        () => new Validation.Rules.UniqueDirectivesPerLocationRule(),
        () => new Validation.Rules.KnownArgumentNamesRule(),
        () => new Validation.Rules.UniqueArgumentNamesRule(),
        () => new Validation.Rules.UniqueInputFieldNamesRule(),
        () => new Validation.Rules.ProvidedRequiredArgumentsRule(),
    ];

    /// <summary>
    /// The document-level SDL checks graphql-js runs before building (unknown types and directives, directive
    /// arguments); all problems are reported together, separated by blank lines, located at the first.
    /// </summary>
    private static void AssertValidSdl(DocumentNode document)
    {
        var errors = Validation.Validator.Validate(new GraphQLSchema(null), document, SdlRules);
        if (errors.Count == 0) return;
        throw new GraphQLException(new GraphQLError(string.Join("\n\n", errors.Select(e => e.Message)), errors[0].Locations));
    }

    /// <summary>The reason of an applied <c>@deprecated</c>, with the spec's default; null when not deprecated.</summary>
    public static string? DeprecationReason(IReadOnlyList<DirectiveNode> directives)
    {
        foreach (var d in directives)
        {
            if (d.Name.Value != "deprecated") continue;
            foreach (var a in d.Arguments)
                if (a.Name.Value == "reason" && a.Value is StringValueNode s) return s.Value;
            return SpecifiedDirectives.DefaultDeprecationReason;
        }
        return null;
    }

    private static string? SpecifiedByUrl(IReadOnlyList<DirectiveNode> directives)
    {
        foreach (var d in directives)
            if (d.Name.Value == "specifiedBy")
                foreach (var a in d.Arguments)
                    if (a.Name.Value == "url" && a.Value is StringValueNode s) return s.Value;
        return null;
    }

    private static void AddOrThrow(Action add, string message, Node node)
    {
        try { add(); }
        catch (GraphQLException) { throw new GraphQLException(message, node); }
    }
}
