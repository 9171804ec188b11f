using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// The introspection types of the specification (<c>__Schema</c>, <c>__Type</c>, <c>__Field</c>, <c>__InputValue</c>,
/// <c>__EnumValue</c>, <c>__Directive</c>, <c>__TypeKind</c>, <c>__DirectiveLocation</c>) and the three meta fields,
/// without resolvers: the engine attaches those. <c>__TypeKind</c>'s internal values are its names;
/// <c>__DirectiveLocation</c>'s are <see cref="DirectiveLocation"/> values.
/// </summary>
public sealed class IntrospectionTypes
{
    public required GraphQLObjectType Schema { get; init; }
    public required GraphQLObjectType Type { get; init; }
    public required GraphQLObjectType Field { get; init; }
    public required GraphQLObjectType InputValue { get; init; }
    public required GraphQLObjectType EnumValue { get; init; }
    public required GraphQLObjectType Directive { get; init; }
    public required GraphQLEnumType TypeKind { get; init; }
    public required GraphQLEnumType DirectiveLocation { get; init; }
    public required GraphQLField SchemaField { get; init; }
    public required GraphQLField TypeField { get; init; }
    public required GraphQLField TypeNameField { get; init; }

    /// <summary>Fresh instances (one set per schema).</summary>
    public static IntrospectionTypes Create()
    {
        GraphQLType NonNull(GraphQLType t) => new GraphQLNonNullType(t);
        GraphQLType ListOfNonNull(GraphQLType t) => new GraphQLListType(new GraphQLNonNullType(t));
        var str = Scalars.String;
        var boolean = Scalars.Boolean;

        var schema = new GraphQLObjectType("__Schema") { Description = "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations." };
        var type = new GraphQLObjectType("__Type") { Description = "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types." };
        var field = new GraphQLObjectType("__Field") { Description = "Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type." };
        var inputValue = new GraphQLObjectType("__InputValue") { Description = "Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value." };
        var enumValue = new GraphQLObjectType("__EnumValue") { Description = "One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string." };
        var directive = new GraphQLObjectType("__Directive") { Description = "A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor." };
        var typeKind = new GraphQLEnumType("__TypeKind") { Description = "An enum describing what kind of type a given `__Type` is." };
        var location = new GraphQLEnumType("__DirectiveLocation") { Description = "A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies." };

        static GraphQLField F(GraphQLFieldsType owner, string name, GraphQLType t, string? description = null)
        {
            var f = new GraphQLField(name, t) { Description = description };
            owner.Fields.Add(f);
            return f;
        }
        static void IncludeDeprecated(GraphQLField f) =>
            f.Arguments.Add(new GraphQLArgument("includeDeprecated", Scalars.Boolean) { DefaultValue = new BooleanValueNode(false) });

        F(schema, "description", str);
        F(schema, "types", NonNull(ListOfNonNull(type)), "A list of all types supported by this server.");
        F(schema, "queryType", NonNull(type), "The type that query operations will be rooted at.");
        F(schema, "mutationType", type, "If this server supports mutation, the type that mutation operations will be rooted at.");
        F(schema, "subscriptionType", type, "If this server support subscription, the type that subscription operations will be rooted at.");
        F(schema, "directives", NonNull(ListOfNonNull(directive)), "A list of all directives supported by this server.");

        F(type, "kind", NonNull(typeKind));
        F(type, "name", str);
        F(type, "description", str);
        F(type, "specifiedByURL", str);
        IncludeDeprecated(F(type, "fields", ListOfNonNull(field)));
        F(type, "interfaces", ListOfNonNull(type));
        F(type, "possibleTypes", ListOfNonNull(type));
        IncludeDeprecated(F(type, "enumValues", ListOfNonNull(enumValue)));
        IncludeDeprecated(F(type, "inputFields", ListOfNonNull(inputValue)));
        F(type, "ofType", type);
        F(type, "isOneOf", boolean);

        F(field, "name", NonNull(str));
        F(field, "description", str);
        IncludeDeprecated(F(field, "args", NonNull(ListOfNonNull(inputValue))));
        F(field, "type", NonNull(type));
        F(field, "isDeprecated", NonNull(boolean));
        F(field, "deprecationReason", str);

        F(inputValue, "name", NonNull(str));
        F(inputValue, "description", str);
        F(inputValue, "type", NonNull(type));
        F(inputValue, "defaultValue", str, "A GraphQL-formatted string representing the default value for this input value.");
        F(inputValue, "isDeprecated", NonNull(boolean));
        F(inputValue, "deprecationReason", str);

        F(enumValue, "name", NonNull(str));
        F(enumValue, "description", str);
        F(enumValue, "isDeprecated", NonNull(boolean));
        F(enumValue, "deprecationReason", str);

        F(directive, "name", NonNull(str));
        F(directive, "description", str);
        F(directive, "isRepeatable", NonNull(boolean));
        F(directive, "locations", NonNull(ListOfNonNull(location)));
        IncludeDeprecated(F(directive, "args", NonNull(ListOfNonNull(inputValue))));

        foreach (var (name, description) in new[]
        {
            ("SCALAR", "Indicates this type is a scalar."),
            ("OBJECT", "Indicates this type is an object. `fields` and `interfaces` are valid fields."),
            ("INTERFACE", "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields."),
            ("UNION", "Indicates this type is a union. `possibleTypes` is a valid field."),
            ("ENUM", "Indicates this type is an enum. `enumValues` is a valid field."),
            ("INPUT_OBJECT", "Indicates this type is an input object. `inputFields` is a valid field."),
            ("LIST", "Indicates this type is a list. `ofType` is a valid field."),
            ("NON_NULL", "Indicates this type is a non-null. `ofType` is a valid field."),
        })
            typeKind.Values.Add(new GraphQLEnumValue(name, name) { Description = description });

        string[] locationDescriptions =
        [
            "Location adjacent to a query operation.", "Location adjacent to a mutation operation.",
            "Location adjacent to a subscription operation.", "Location adjacent to a field.",
            "Location adjacent to a fragment definition.", "Location adjacent to a fragment spread.",
            "Location adjacent to an inline fragment.", "Location adjacent to a variable definition.",
            "Location adjacent to a schema definition.", "Location adjacent to a scalar definition.",
            "Location adjacent to an object type definition.", "Location adjacent to a field definition.",
            "Location adjacent to an argument definition.", "Location adjacent to an interface definition.",
            "Location adjacent to a union definition.", "Location adjacent to an enum definition.",
            "Location adjacent to an enum value definition.", "Location adjacent to an input object type definition.",
            "Location adjacent to an input object field definition.",
        ];
        foreach (var loc in Enum.GetValues<Types.DirectiveLocation>())
            location.Values.Add(new GraphQLEnumValue(loc.ToGraphQLName(), loc) { Description = locationDescriptions[(int)loc] });

        var typeField = new GraphQLField("__type", type) { Description = "Request the type information of a single type." };
        typeField.Arguments.Add(new GraphQLArgument("name", NonNull(str)));

        return new IntrospectionTypes
        {
            Schema = schema, Type = type, Field = field, InputValue = inputValue, EnumValue = enumValue, Directive = directive,
            TypeKind = typeKind, DirectiveLocation = location,
            SchemaField = new GraphQLField("__schema", NonNull(schema)) { Description = "Access the current type schema of this server." },
            TypeField = typeField,
            TypeNameField = new GraphQLField("__typename", NonNull(str)) { Description = "The name of the current Object type at runtime." },
        };
    }
}
