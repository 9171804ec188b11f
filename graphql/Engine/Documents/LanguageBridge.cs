using Actors.GraphQL.Introspection;
using Actors.GraphQL.Types;
using LA = Actors.GraphQL.Language.Ast;
using LP = Actors.GraphQL.Language.Parsing;
using LT = Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Documents;

/// <summary>
/// Connects the engine to graphql/Language: requests are parsed and validated there (graphql-js's rules and messages),
/// against a projection of the executable schema, then converted into the engine's compact executable document.
/// </summary>
internal static class LanguageBridge
{
    /// <summary>Parses with the language parser; throws <see cref="Language.GraphQLSyntaxException"/> on bad syntax or too many tokens.</summary>
    public static LA.DocumentNode Parse(string text, int maxTokens) =>
        LP.Parser.Parse(text, new LP.ParserOptions { MaxTokens = maxTokens });

    // ---------------------------------------------------------------- documents

    public static ExecutableDocument ToExecutable(LA.DocumentNode document)
    {
        var operations = new List<OperationDefinition>();
        var fragments = new Dictionary<string, FragmentDefinition>(StringComparer.Ordinal);
        var fragmentList = new List<FragmentDefinition>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case LA.OperationDefinitionNode operation:
                    operations.Add(new OperationDefinition(
                        operation.Operation switch { LA.OperationType.Mutation => OperationKind.Mutation, LA.OperationType.Subscription => OperationKind.Subscription, _ => OperationKind.Query },
                        operation.Name?.Value,
                        operation.VariableDefinitions.Select(v => new VariableDefinition(v.Variable.Name.Value, Type(v.Type), v.DefaultValue is { } d ? Value(d) : null, At(v))).ToList(),
                        Directives(operation.Directives), SelectionSet(operation.SelectionSet), At(operation)));
                    break;
                case LA.FragmentDefinitionNode fragment:
                    var converted = new FragmentDefinition(fragment.Name.Value, fragment.TypeCondition.Name.Value, Directives(fragment.Directives), SelectionSet(fragment.SelectionSet), At(fragment));
                    fragmentList.Add(converted);
                    fragments.TryAdd(converted.Name, converted);
                    break;
            }
        }
        return new ExecutableDocument(operations, fragments, fragmentList);
    }

    private static SourceLocation At(LA.Node node) => new(node.Location.Line, node.Location.Column);

    private static SelectionSet SelectionSet(LA.SelectionSetNode set) =>
        new(set.Selections.Select(Selection).ToList(), At(set));

    private static Selection Selection(LA.SelectionNode node) => node switch
    {
        LA.FieldNode f => new FieldSelection(f.Alias?.Value, f.Name.Value, Arguments(f.Arguments), Directives(f.Directives), f.SelectionSet is { } s ? SelectionSet(s) : null, At(f)),
        LA.FragmentSpreadNode s => new FragmentSpread(s.Name.Value, Directives(s.Directives), At(s)),
        LA.InlineFragmentNode i => new InlineFragment(i.TypeCondition?.Name.Value, Directives(i.Directives), SelectionSet(i.SelectionSet), At(i)),
        _ => throw new InvalidOperationException($"Unknown selection {node.GetType().Name}"),
    };

    private static IReadOnlyList<ArgumentSyntax> Arguments(IReadOnlyList<LA.ArgumentNode> arguments) =>
        arguments.Count == 0 ? [] : arguments.Select(a => new ArgumentSyntax(a.Name.Value, Value(a.Value), At(a))).ToList();

    private static IReadOnlyList<Directive> Directives(IReadOnlyList<LA.DirectiveNode> directives) =>
        directives.Count == 0 ? [] : directives.Select(d => new Directive(d.Name.Value, Arguments(d.Arguments), At(d))).ToList();

    private static TypeSyntax Type(LA.TypeNode node) => node switch
    {
        LA.NonNullTypeNode n => new NonNullTypeSyntax(Type(n.Type)),
        LA.ListTypeNode l => new ListTypeSyntax(Type(l.Type)),
        LA.NamedTypeNode named => new NamedTypeSyntax(named.Name.Value),
        _ => throw new InvalidOperationException($"Unknown type node {node.GetType().Name}"),
    };

    public static ValueSyntax Value(LA.ValueNode node) => node switch
    {
        LA.VariableNode v => new VariableSyntax(v.Name.Value, At(v)),
        LA.IntValueNode i => new IntValueSyntax(i.Value, At(i)),
        LA.FloatValueNode f => new FloatValueSyntax(f.Value, At(f)),
        LA.StringValueNode s => new StringValueSyntax(s.Value, At(s)),
        LA.BooleanValueNode b => new BooleanValueSyntax(b.Value, At(b)),
        LA.NullValueNode n => new NullValueSyntax(At(n)),
        LA.EnumValueNode e => new EnumValueSyntax(e.Value, At(e)),
        LA.ListValueNode l => new ListValueSyntax(l.Values.Select(Value).ToList(), At(l)),
        LA.ObjectValueNode o => new ObjectValueSyntax(o.Fields.Select(f => new ObjectFieldSyntax(f.Name.Value, Value(f.Value), At(f))).ToList(), At(o)),
        _ => throw new InvalidOperationException($"Unknown value node {node.GetType().Name}"),
    };

    // ---------------------------------------------------------------- schema

    /// <summary>The executable schema as the language's type system model: same types, fields, arguments, defaults and directives.</summary>
    public static LT.GraphQLSchema Project(Schema schema)
    {
        var named = new Dictionary<string, LT.GraphQLNamedType>(StringComparer.Ordinal);
        foreach (var type in schema.Types.Values)
        {
            if (type.Name.StartsWith("__", StringComparison.Ordinal)) continue;
            named[type.Name] = type switch
            {
                ScalarType s => LT.Scalars.Find(s.Name) ?? CustomScalar(s),
                ObjectType o => new LT.GraphQLObjectType(o.Name) { Description = o.Description },
                InterfaceType i => new LT.GraphQLInterfaceType(i.Name) { Description = i.Description },
                UnionType u => new LT.GraphQLUnionType(u.Name) { Description = u.Description },
                EnumType e => Enum(e),
                InputObjectType io => new LT.GraphQLInputObjectType(io.Name) { Description = io.Description, IsOneOf = io.IsOneOf },
                _ => throw new InvalidOperationException($"Unknown type kind {type.GetType().Name}"),
            };
        }

        LT.GraphQLType Ref(GraphType type) => type switch
        {
            NonNullType n => new LT.GraphQLNonNullType(Ref(n.OfType)),
            ListType l => new LT.GraphQLListType(Ref(l.OfType)),
            NamedType n => named[n.Name],
            _ => throw new InvalidOperationException(),
        };

        T Input<T>(T value, ArgumentDefinition definition) where T : LT.GraphQLInputValue
        {
            value.Description = definition.Description;
            value.DeprecationReason = definition.DeprecationReason;
            if (definition.HasDefaultValue)
                value.DefaultValue = LP.Parser.ParseConstValue(ValuePrinter.Print(definition.DefaultValue, definition.Type));
            return value;
        }

        foreach (var type in schema.Types.Values)
        {
            if (!named.TryGetValue(type.Name, out var target)) continue;
            switch (type, target)
            {
                case (IFieldsType source, LT.GraphQLFieldsType fields):
                    foreach (var i in source.Interfaces) fields.Interfaces.Add((LT.GraphQLInterfaceType)named[i.Name]);
                    foreach (var field in source.Fields)
                    {
                        var projected = new LT.GraphQLField(field.Name, Ref(field.Type)) { Description = field.Description, DeprecationReason = field.DeprecationReason };
                        foreach (var argument in field.Arguments) projected.Arguments.Add(Input(new LT.GraphQLArgument(argument.Name, Ref(argument.Type)), argument));
                        fields.Fields.Add(projected);
                    }
                    break;
                case (UnionType union, LT.GraphQLUnionType projectedUnion):
                    foreach (var member in union.Types) projectedUnion.Types.Add((LT.GraphQLObjectType)named[member.Name]);
                    break;
                case (InputObjectType input, LT.GraphQLInputObjectType projectedInput):
                    foreach (var field in input.Fields) projectedInput.Fields.Add(Input(new LT.GraphQLInputField(field.Name, Ref(field.Type)), field));
                    break;
            }
        }

        return new LT.GraphQLSchema(
            (LT.GraphQLObjectType)named[schema.Query.Name],
            schema.Mutation is { } m ? (LT.GraphQLObjectType)named[m.Name] : null,
            schema.Subscription is { } sub ? (LT.GraphQLObjectType)named[sub.Name] : null,
            named.Values) { Description = schema.Description };
    }

    private static LT.GraphQLScalarType CustomScalar(ScalarType scalar) => new(scalar.Name)
    {
        Description = scalar.Description,
        SpecifiedByUrl = scalar.SpecifiedByUrl,
        // Validation asks the scalar whether a literal is valid; our scalar answers by coercing it.
        ParseLiteral = (literal, variables) => scalar.ParseLiteral(Value(literal)),
    };

    private static LT.GraphQLEnumType Enum(EnumType source)
    {
        var target = new LT.GraphQLEnumType(source.Name) { Description = source.Description };
        foreach (var value in source.Values)
            target.Values.Add(new LT.GraphQLEnumValue(value.Name, value.Name) { Description = value.Description, DeprecationReason = value.DeprecationReason });
        return target;
    }
}
