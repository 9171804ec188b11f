using System.Text.Json;
using Actors.GraphQL.Language;
using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Tests.Language;

/// <summary>Variable and argument coercion give graphql-js 17.1.0's messages (expected texts were printed by it for the same inputs).</summary>
public sealed class InputCoercionTests
{
    private static readonly GraphQLSchema Schema = SchemaBuilder.Build("""
        input In { a: Int!, b: [String] = ["x"], c: Color, l: [Int!] }
        enum Color { RED GREEN }
        input One @oneOf { x: Int y: String }
        type Query { f(i: In, n: Int!, l: [Int], o: One, d: Int = 5): Int }
        """);

    private static readonly OperationDefinitionNode Operation = (OperationDefinitionNode)Parser.Parse(
        "query ($i: In, $n: Int!, $l: [Int], $o: One, $m: String!) { f(i: $i, n: $n) }").Definitions[0];

    [Theory]
    [InlineData("""{ "n": 1, "i": { "a": 1 } }""", "Variable \"$m\" has invalid value: Expected a value of non-null type \"String!\" to be provided.")]
    [InlineData("""{ "n": null, "m": "x" }""", "Variable \"$n\" has invalid value: Expected value of non-null type \"Int!\" not to be null.")]
    [InlineData("""{ "n": "1", "m": "x" }""", "Variable \"$n\" has invalid value: Int cannot represent non-integer value: \"1\"")]
    [InlineData("""{ "i": { "a": 1.5, "c": "BLUE", "d": 1 }, "n": 2, "m": "x" }""",
        "Variable \"$i\" has invalid value at .a: Int cannot represent non-integer value: 1.5",
        "Variable \"$i\" has invalid value at .c: Value \"BLUE\" does not exist in \"Color\" enum.",
        "Variable \"$i\" has invalid value: Expected value of type \"In\" not to include unknown field \"d\". Did you mean \"a\", \"b\", \"c\", or \"l\"? Found: { a: 1.5, c: \"BLUE\", d: 1 }.")]
    [InlineData("""{ "n": 1, "l": [1, "2", 3], "m": "x" }""", "Variable \"$l\" has invalid value at [1]: Int cannot represent non-integer value: \"2\"")]
    [InlineData("""{ "n": 1, "o": { "x": 1, "y": "a" }, "m": "x" }""",
        "Variable \"$o\" has invalid value: Within OneOf Input Object type \"One\", exactly one field must be specified, and the value for that field must be non-null.")]
    [InlineData("""{ "n": 1, "i": "str", "m": "x" }""", "Variable \"$i\" has invalid value: Expected value of type \"In\" to be an object, found: \"str\".")]
    [InlineData("""{ "n": 1, "i": { "c": "red" }, "m": "x" }""",
        "Variable \"$i\" has invalid value: Expected value of type \"In\" to include required field \"a\", found: { c: \"red\" }.",
        "Variable \"$i\" has invalid value at .c: Value \"red\" does not exist in \"Color\" enum. Did you mean the enum value \"RED\"?")]
    [InlineData("""{ "n": 3000000000, "m": "x" }""", "Variable \"$n\" has invalid value: Int cannot represent non 32-bit signed integer value: 3000000000")]
    [InlineData("""{ "i": { "a": 1, "l": [1, null] }, "n": 1, "m": "x" }""", "Variable \"$i\" has invalid value at .l[1]: Expected value of non-null type \"Int!\" not to be null.")]
    public void Invalid_variables_are_reported_like_graphql_js(string json, params string[] expected)
    {
        var inputs = Inputs(json);
        Assert.False(InputCoercion.TryCoerceVariableValues(Schema, Operation.VariableDefinitions, inputs, out _, out var errors));
        Assert.Equal(expected, errors.Select(e => e.Message));
        Assert.All(errors, e => Assert.NotEmpty(e.Locations));
    }

    [Fact]
    public void Valid_variables_are_coerced_with_defaults()
    {
        Assert.True(InputCoercion.TryCoerceVariableValues(Schema, Operation.VariableDefinitions,
            Inputs("""{ "n": 2, "m": "x", "i": { "a": 1, "c": "GREEN" }, "l": 7, "o": { "y": "z" } }"""), out var values, out var errors), string.Join("; ", errors));
        Assert.Equal(2, values["n"]);
        var i = Assert.IsType<Dictionary<string, object?>>(values["i"]);
        Assert.Equal(1, i["a"]);
        Assert.Equal("GREEN", i["c"]);
        Assert.Equal(["x"], Assert.IsType<List<object?>>(i["b"]));
        Assert.Equal([7], Assert.IsType<List<object?>>(values["l"]));
        Assert.False(values.ContainsKey("$i"));
    }

    [Theory]
    [InlineData("{ f }", "Argument \"Query.f(n:)\" of required type \"Int!\" was not provided.")]
    [InlineData("{ f(n: null) }", "Argument \"Query.f(n:)\" has invalid value: Expected value of non-null type \"Int!\" not to be null.")]
    [InlineData("{ f(n: \"x\") }", "Argument \"Query.f(n:)\" has invalid value: Int cannot represent non-integer value: \"x\"")]
    [InlineData("query($v: Int) { f(n: $v) }", "Argument \"Query.f(n:)\" has invalid value: Expected variable \"$v\" provided to type \"Int!\" to provide a runtime value.")]
    [InlineData("{ f(n: 1, i: {}) }", "Argument \"Query.f(i:)\" has invalid value: Expected value of type \"In\" to include required field \"a\", found: {  }.")]
    [InlineData("{ f(n: 1, i: \"x\") }", "Argument \"Query.f(i:)\" has invalid value: Expected value of type \"In\" to be an object, found: \"x\".")]
    [InlineData("{ f(n: 1, i: {a: 1, aa: 2}) }", "Argument \"Query.f(i:)\" has invalid value: Expected value of type \"In\" not to include unknown field \"aa\". Did you mean \"a\"? Found: { a: 1, aa: 2 }.")]
    [InlineData("{ f(n: 1, i: {a: 1, l: [\"x\"]}) }", "Argument \"Query.f(i:)\" has invalid value at .l[0]: Int cannot represent non-integer value: \"x\"")]
    [InlineData("{ f(n: 1, o: {x: 1, y: \"a\"}) }", "Argument \"Query.f(o:)\" has invalid value: Within OneOf Input Object type \"One\", exactly one field must be specified, and the value for that field must be non-null.")]
    public void Invalid_arguments_are_reported_like_graphql_js(string document, string expected)
    {
        var field = (FieldNode)((OperationDefinitionNode)Parser.Parse(document).Definitions[0]).SelectionSet.Selections[0];
        var ex = Assert.Throws<GraphQLException>(() => InputCoercion.GetArgumentValues("Query.f",
            Schema.QueryType!.GetField("f")!.Arguments, field.Arguments, new Dictionary<string, object?>()));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Arguments_take_defaults_when_a_variable_is_not_provided()
    {
        var field = (FieldNode)((OperationDefinitionNode)Parser.Parse("query($v: Int) { f(n: 1, d: $v, l: [1, $v]) }").Definitions[0]).SelectionSet.Selections[0];
        var values = InputCoercion.GetArgumentValues("Query.f", Schema.QueryType!.GetField("f")!.Arguments, field.Arguments, new Dictionary<string, object?>());
        Assert.Equal(1, values["n"]);
        Assert.Equal(5, values["d"]);
        Assert.Equal([1, null], Assert.IsType<List<object?>>(values["l"]));
    }

    private static Dictionary<string, object?> Inputs(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
    }
}
