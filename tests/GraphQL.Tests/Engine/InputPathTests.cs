using System.Text.Json;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.Tests.Engine;

/// <summary>
/// JSON input errors name the position of the invalid part (<c>root.field[index].field: reason</c>), although a valid
/// value is coerced without building any path.
/// </summary>
public sealed class InputPathTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static readonly InputObjectType Leg = Input("Leg", ("count", new NonNullType(Scalars.Int)), ("colour", Colours()));
    private static readonly InputObjectType Trip = Input("Trip", ("name", Scalars.String), ("legs", new ListType(new NonNullType(Leg))));

    private static InputObjectType Input(string name, params (string Name, GraphType Type)[] fields)
    {
        var type = new InputObjectType(name);
        foreach (var (field, fieldType) in fields) type.Fields.Add(new ArgumentDefinition(field, fieldType));
        return type;
    }

    private static EnumType Colours()
    {
        var colours = new EnumType("Colour");
        colours.Add(new EnumValueDefinition("RED", "red"));
        return colours;
    }

    private static string ErrorOf(string json) =>
        Assert.Throws<InputCoercionException>(() => InputCoercion.FromJson(JsonDocument.Parse(json).RootElement, Trip, "$t")).Message;

    [Fact]
    public void A_valid_value_is_coerced()
    {
        var trip = (IReadOnlyDictionary<string, object?>)InputCoercion.FromJson(
            JsonDocument.Parse("""{"name":"n","legs":[{"count":1,"colour":"RED"},{"count":2}]}""").RootElement, Trip, "$t")!;
        Assert.Equal("n", trip["name"]);
        var legs = (List<object?>)trip["legs"]!;
        Assert.Equal("red", ((IReadOnlyDictionary<string, object?>)legs[0]!)["colour"]);
        Assert.Equal(2, ((IReadOnlyDictionary<string, object?>)legs[1]!)["count"]);
    }

    [Fact]
    public void Errors_name_fields_and_list_indexes_from_the_root()
    {
        var intMessage = Assert.Throws<InputCoercionException>(() => Scalars.Int.ParseValue(JsonDocument.Parse("\"x\"").RootElement)).Message;
        Assert.Equal("$t.legs[1].count: " + intMessage, ErrorOf("""{"legs":[{"count":1},{"count":"x"}]}"""));
        Assert.Equal("$t.legs[0].colour: value \"BLUE\" does not exist in \"Colour\" enum.", ErrorOf("""{"legs":[{"count":1,"colour":"BLUE"}]}"""));
        Assert.Equal("$t.legs[0]: field \"Leg.count\" of required type \"Int!\" was not provided.", ErrorOf("""{"legs":[{}]}"""));
        Assert.Equal("$t.legs[2]: expected non-nullable type \"Leg!\" not to be null.", ErrorOf("""{"legs":[{"count":1},{"count":1},null]}"""));
        Assert.Equal("$t.legs[0]: field \"size\" is not defined by type \"Leg\".", ErrorOf("""{"legs":[{"count":1,"size":3}]}"""));
        Assert.Equal("$t: expected type \"Trip\" to be an object.", ErrorOf("[]"));
        Assert.Equal("$t.legs: expected type \"Leg\" to be an object.", ErrorOf("""{"legs":7}"""));
    }

    [Fact]
    public async Task A_variable_error_quotes_the_value_then_the_position()
    {
        var result = await fixture.Run("mutation($in: AddBookInput!) { addBook(input: $in) { title } }",
            new { @in = new { title = "x", authorId = "a1", genre = "NOPE" } });
        Assert.False(result.TryGetProperty("data", out _));
        var error = result.GetProperty("errors")[0];
        Assert.Equal("""Variable "$in" got invalid value {"title":"x","authorId":"a1","genre":"NOPE"}.genre: value "NOPE" does not exist in "Genre" enum.""",
            error.GetProperty("message").GetString());
        Assert.Equal("BAD_USER_INPUT", error.GetProperty("extensions").GetProperty("code").GetString());
    }
}
