using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Tests.Language;

public sealed class AstFromValueTests
{
    private static readonly GraphQLSchema Schema = SchemaBuilder.Build("""
        enum Color { RED GREEN }
        input In { a: Int, b: [Color!], c: String }
        type Query { f(i: In): Int }
        """);

    [Theory]
    [InlineData(1, "Int", "1")]
    [InlineData(1.0, "Float", "1")]
    [InlineData(1.5, "Float", "1.5")]
    [InlineData("x\"y", "String", "\"x\\\"y\"")]
    [InlineData("123", "ID", "123")]
    [InlineData("abc", "ID", "\"abc\"")]
    [InlineData(true, "Boolean", "true")]
    [InlineData("GREEN", "Color", "GREEN")]
    public void Leaf_values_become_literals_like_graphql_js(object value, string typeName, string expected) =>
        Assert.Equal(expected, Printer.Print(ValueCoercion.AstFromValue(value, (GraphQLType?)Scalars.Find(typeName) ?? Schema.GetType(typeName)!)!));

    [Fact]
    public void Input_objects_and_lists_become_literals_without_missing_fields()
    {
        var value = new Dictionary<string, object?> { ["a"] = 3, ["b"] = new[] { "RED", "GREEN" } };
        Assert.Equal("{ a: 3, b: [RED, GREEN] }", Printer.Print(ValueCoercion.AstFromValue(value, Schema.GetType("In")!)!));
        Assert.Null(ValueCoercion.AstFromValue(null, new GraphQLNonNullType(Scalars.Int)));
        Assert.Equal("null", Printer.Print(ValueCoercion.AstFromValue(null, Scalars.Int)!));
        Assert.Null(ValueCoercion.AstFromValue("BLUE", Schema.GetType("Color")!));
    }
}
