using System.Text.Json;
using Actors.GraphQL.Language;
using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Tests.Language;

public sealed class TypeSystemTests
{
    private const string Sdl = """
        interface Node { id: ID! }
        interface Pet implements Node { id: ID! name: String }
        type Dog implements Pet & Node { id: ID! name: String barks: Boolean }
        type Cat implements Pet & Node { id: ID! name: String }
        union Animal = Dog
        extend union Animal = Cat
        enum Color { RED GREEN }
        input Filter { color: Color = RED, name: String! }
        type Query { pets(filter: Filter): [Pet!]! }
        type Mutation { noop: Boolean }
        extend type Query { animal: Animal }
        """;

    [Fact]
    public void Sdl_builds_roots_extensions_and_possible_types()
    {
        var schema = SchemaBuilder.Build(Sdl);
        Assert.Equal("Query", schema.QueryType!.Name);
        Assert.Equal("Mutation", schema.MutationType!.Name);
        Assert.Null(schema.SubscriptionType);
        Assert.NotNull(schema.QueryType.GetField("animal"));
        var pet = (GraphQLInterfaceType)schema.GetType("Pet")!;
        var animal = (GraphQLUnionType)schema.GetType("Animal")!;
        var dog = (GraphQLObjectType)schema.GetType("Dog")!;
        Assert.Equal(["Dog", "Cat"], schema.GetPossibleTypes(pet).Select(t => t.Name));
        Assert.Equal(["Dog", "Cat"], animal.Types.Select(t => t.Name));
        Assert.True(schema.IsSubType(animal, dog));
        Assert.True(schema.IsSubType((GraphQLInterfaceType)schema.GetType("Node")!, pet));
        Assert.Equal("[Pet!]!", schema.QueryType.GetField("pets")!.Type.ToString());
        Assert.Same(schema.TypeNameMetaField, schema.GetFieldDefinition(dog, "__typename"));
        Assert.Same(schema.SchemaMetaField, schema.GetFieldDefinition(schema.QueryType, "__schema"));
        Assert.Null(schema.GetFieldDefinition(dog, "__schema"));
        Assert.NotNull(schema.GetType("__Type"));
        Assert.Equal(["include", "skip", "deprecated", "specifiedBy", "oneOf"], schema.Directives.Select(d => d.Name));
    }

    [Fact]
    public void Unknown_types_in_sdl_are_reported_with_their_location()
    {
        var ex = Assert.Throws<GraphQLException>(() => SchemaBuilder.Build("type Query {\n  a: Missing\n}"));
        Assert.Equal("Unknown type \"Missing\".", ex.Message);
        Assert.Equal(new SourceLocation(2, 6), ex.Error.Locations[0]);
    }

    [Fact]
    public void Sdl_directives_are_checked_before_building_like_graphql_js()
    {
        var ex = Assert.Throws<GraphQLException>(() => SchemaBuilder.Build("type Query { a: Int @foo @deprecated(reasn: \"x\") }"));
        Assert.Equal("Unknown directive \"@foo\".\n\nUnknown argument \"reasn\" on directive \"@deprecated\". Did you mean \"reason\"?", ex.Message);
        Assert.Equal(new SourceLocation(1, 21), ex.Error.Locations[0]);
    }

    [Fact]
    public void Literals_coerce_to_input_types_with_defaults()
    {
        var schema = SchemaBuilder.Build(Sdl);
        var filter = schema.GetType("Filter")!;
        Assert.True(ValueCoercion.TryValueFromAst(Parser.ParseValue("{ name: \"rex\" }"), filter, null, out var value));
        var fields = Assert.IsType<Dictionary<string, object?>>(value);
        Assert.Equal("RED", fields["color"]);
        Assert.Equal("rex", fields["name"]);
        Assert.False(ValueCoercion.TryValueFromAst(Parser.ParseValue("{ color: BLUE, name: \"x\" }"), filter, null, out _));
        Assert.False(ValueCoercion.TryValueFromAst(Parser.ParseValue("{ color: RED }"), filter, null, out _));
        Assert.True(ValueCoercion.TryValueFromAst(Parser.ParseValue("$v"), new GraphQLListType(Scalars.Int),
            new Dictionary<string, object?> { ["v"] = null }, out var nullList));
        Assert.Null(nullList);
        Assert.True(ValueCoercion.TryValueFromAst(Parser.ParseValue("7"), new GraphQLListType(Scalars.Int), null, out var single));
        Assert.Equal([7], Assert.IsType<List<object?>>(single));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2.0, 2)]
    [InlineData(true, 1)]
    [InlineData("12", 12)]
    public void Int_serializes_integral_values(object input, int expected) => Assert.Equal(expected, Scalars.Int.Serialize(input));

    [Fact]
    public void Built_in_scalars_refuse_what_the_spec_refuses_with_graphql_js_messages()
    {
        Assert.Equal("Int cannot represent non-integer value: 1.5", Assert.Throws<GraphQLException>(() => Scalars.Int.Serialize(1.5)).Message);
        Assert.Equal("Int cannot represent non 32-bit signed integer value: 3000000000",
            Assert.Throws<GraphQLException>(() => Scalars.Int.Serialize(3_000_000_000L)).Message);
        Assert.Equal("Int cannot represent non-integer value: \"1\"", Assert.Throws<GraphQLException>(() => Scalars.Int.ParseValue("1")).Message);
        Assert.Equal("String cannot represent a non string value: 1", Assert.Throws<GraphQLException>(() => Scalars.String.ParseValue(1)).Message);
        Assert.Equal("Boolean cannot represent a non boolean value: 0", Assert.Throws<GraphQLException>(() => Scalars.Boolean.ParseValue(0)).Message);
        Assert.Equal("ID cannot represent value: true", Assert.Throws<GraphQLException>(() => Scalars.ID.ParseValue(true)).Message);
        Assert.Equal("Float cannot represent non numeric value: NaN", Assert.Throws<GraphQLException>(() => Scalars.Float.ParseValue(double.NaN)).Message);
        Assert.Equal("String cannot represent value: { a: 1 }",
            Assert.Throws<GraphQLException>(() => Scalars.String.Serialize(new Dictionary<string, object?> { ["a"] = 1 })).Message);
    }

    [Fact]
    public void Built_in_scalars_accept_json_elements_from_variables()
    {
        using var json = JsonDocument.Parse("""{ "i": 5, "f": 1.25, "s": "x", "b": true, "id": 42 }""");
        var root = json.RootElement;
        Assert.Equal(5, Scalars.Int.ParseValue(root.GetProperty("i")));
        Assert.Equal(1.25, Scalars.Float.ParseValue(root.GetProperty("f")));
        Assert.Equal("x", Scalars.String.ParseValue(root.GetProperty("s")));
        Assert.Equal(true, Scalars.Boolean.ParseValue(root.GetProperty("b")));
        Assert.Equal("42", Scalars.ID.ParseValue(root.GetProperty("id")));
    }

    [Fact]
    public void Enums_map_names_to_internal_values_and_suggest_close_names()
    {
        var color = new GraphQLEnumType("Color");
        color.Values.Add(new GraphQLEnumValue("RED", 1));
        color.Values.Add(new GraphQLEnumValue("GREEN", 2));
        Assert.Equal("GREEN", color.Serialize(2));
        Assert.Equal(1, color.ParseValue("RED"));
        Assert.Equal(2, color.ParseLiteral(new EnumValueNode("GREEN")));
        Assert.Equal("Value \"red\" does not exist in \"Color\" enum. Did you mean the enum value \"RED\"?",
            Assert.Throws<GraphQLException>(() => color.ParseLiteral(new EnumValueNode("red"))).Message);
    }
}
