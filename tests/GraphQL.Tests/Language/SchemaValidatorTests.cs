using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Tests.Language;

/// <summary>Schema validation gives graphql-js 17.1.0's validateSchema messages (printed by it for the same SDL).</summary>
public sealed class SchemaValidatorTests
{
    [Theory]
    [InlineData("type Query { a: Int } type Empty interface I { x: Int }", "Type Empty must define one or more fields.")]
    [InlineData("type Query { a: Int } interface I { x: Int, y(a: Int): String } type T implements I { y(b: Int): Int }",
        "Interface field I.x expected but T does not provide it.",
        "Interface field I.y expects type String but T.y is type Int.",
        "Interface field argument I.y(a:) expected but T.y does not provide it.")]
    [InlineData("type Query { a: Int } interface I { x(a: Int!): [Int] } type T implements I { x(a: Int, b: Int!): [Int!] }",
        "Interface field argument I.x(a:) expects type Int! but T.x(a:) is type Int.",
        "Argument \"T.x(b:)\" must not be required type \"Int!\" if not provided by the Interface field \"I.x\".")]
    [InlineData("type Query { a: Int } interface A { x: Int } interface B implements A { x: Int } type T implements B { x: Int }",
        "Type T must implement A because it is implemented by B.")]
    [InlineData("type Query { a: Int } union U enum E input In",
        "Union type U must define one or more member types.",
        "Enum type E must define one or more values.",
        "Input Object type In must define one or more fields.")]
    [InlineData("type Query { a: Int } input In @oneOf { a: Int!, b: Int = 1 } input Rec { r: Rec!, s: Int } input R2 { a: R3! } input R3 { b: R2! }",
        "OneOf input field In.a must be nullable.",
        "OneOf input field In.b cannot have a default value.",
        "Input Object Rec cannot be provided a finite value because it references itself through fields: Rec.r.",
        "Input Object R2 cannot be provided a finite value because it references itself through fields: R2.a, R3.b.")]
    [InlineData("type Query { a(x: Int! @deprecated): Int } input In { a: Int! @deprecated }",
        "Required argument Query.a(x:) cannot be deprecated.",
        "Required input field In.a cannot be deprecated.")]
    [InlineData("type Query { __bad: Int } type __Bad { a: Int }",
        "Name \"__bad\" must not begin with \"__\", which is reserved by GraphQL introspection.",
        "Name \"__Bad\" must not begin with \"__\", which is reserved by GraphQL introspection.")]
    [InlineData("type Foo { a: Int }", "Query root type must be provided.")]
    public void Invalid_schemas_are_reported_like_graphql_js(string sdl, params string[] expected) =>
        Assert.Equal(expected, SchemaValidator.Validate(SchemaBuilder.Build(sdl)).Select(e => e.Message));

    [Fact]
    public void Valid_schemas_have_no_errors()
    {
        Assert.Empty(SchemaValidator.Validate(SchemaBuilder.Build(PrintSchemaFixtures.KitchenSinkSdl)));
        Assert.Empty(SchemaValidator.Validate(SchemaBuilder.Build(File.ReadAllText(ConformanceFiles.PathOf("validation-schema.graphql")))));
    }

    [Fact]
    public void Roots_that_are_not_object_types_are_refused_while_building()
    {
        var ex = Assert.Throws<Actors.GraphQL.Language.GraphQLException>(() =>
            SchemaBuilder.Build("schema { query: Query mutation: In } type Query { a: Int } input In { a: Int }"));
        Assert.Equal("Mutation root type must be Object type if provided, it cannot be In.", ex.Message);
    }
}
