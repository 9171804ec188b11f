using System.Text.Json;
using Actors.GraphQL.Language;
using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Printing;

namespace Actors.GraphQL.Tests.Language;

/// <summary>graphql-js's parser and lexer cases: same acceptance, same message, same line and column.</summary>
public sealed class ParserConformanceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        ConformanceFiles.Load("parser-cases.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Clone()));

    public static TheoryData<string> CaseIds() => [.. Cases.Value.Keys];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_matches_graphql_js(string id)
    {
        var c = Cases.Value[id];
        var source = ConformanceFiles.RawString(c.GetProperty("source"));
        if (c.GetProperty("kind").GetString() == "valid")
        {
            var document = Parser.Parse(source);
            Assert.NotEmpty(document.Definitions);
            // What we print must parse again to the same text.
            var printed = Printer.Print(document);
            Assert.Equal(printed, Printer.Print(Parser.Parse(printed)));
            return;
        }
        var error = c.GetProperty("error");
        var ex = Assert.ThrowsAny<GraphQLSyntaxException>(() => Parser.Parse(source));
        Assert.Equal(error.GetProperty("message").GetString(), ex.Message);
        var location = error.GetProperty("locations")[0];
        Assert.Equal((location.GetProperty("line").GetInt32(), location.GetProperty("column").GetInt32()), (ex.Line, ex.Column));
    }
}
