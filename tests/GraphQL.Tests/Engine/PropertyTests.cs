using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using FsCheck;
using FsCheck.Fluent;

namespace Actors.GraphQL.Tests.Engine;

public sealed class PropertyTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public void Any_query_text_gets_an_answer_never_an_exception()
    {
        var fragments = new[] { "{", "}", "hello", "(", ")", "name:", "\"x\"", "$v", "...", "on", "Book", "@skip(if: true)", "query", "fragment", "[", "]", "1.5e3", "#c\n", "\"\"\"b\"\"\"", "book(id: \"b1\")" };
        var gen = Gen.ArrayOf(Gen.Elements(fragments)).Select(parts => string.Join(' ', parts));
        Prop.ForAll(gen.ToArbitrary(), text =>
        {
            var result = fixture.Engine.ExecuteAsync(new GraphQLRequest(text), fixture.Services).GetAwaiter().GetResult();
            var json = ResultJson.ToJson(result);
            return result.HasData || result.Errors is { Count: > 0 } && json.Contains("\"errors\"");
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Int_lists_round_trip_through_variables()
    {
        Prop.ForAll<int[]>(values =>
        {
            var result = fixture.Engine.ExecuteAsync(GraphQLRequest.Create("query($v: [Int!]!) { echoList(values: $v) }", new { v = values }), fixture.Services).GetAwaiter().GetResult();
            var echoed = ((System.Collections.IEnumerable)((ResultMap)result.Data!)["echoList"]!).Cast<int>();
            return echoed.SequenceEqual(values);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Global_ids_decode_to_what_was_encoded()
    {
        Prop.ForAll<NonEmptyString, string>((typeName, key) =>
        {
            var name = new string(typeName.Get.Where(char.IsAsciiLetter).ToArray());
            if (name.Length == 0 || key is null) return true;
            return GlobalId.TryDecode(GlobalId.Encode(name, key), out var t, out var k) && t == name && k == key;
        }).QuickCheckThrowOnFailure();
    }
}
