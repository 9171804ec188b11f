using System.Text.Json;
using Actors.GraphQL.Language;
using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Printing;

namespace Actors.GraphQL.Tests.Language;

/// <summary>
/// Generated documents (mangled valid documents and token soups) that graphql-js 17.1.0 either printed or refused:
/// we must print the same text, or refuse with the same message at the same place.
/// </summary>
public sealed class ParserDifferentialTests
{
    private static readonly Lazy<List<JsonElement>> Cases = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "GraphQL.Tests", "Language", "parser-differential.json");
            if (File.Exists(path))
                return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
        }
        throw new FileNotFoundException("tests/GraphQL.Tests/Language/parser-differential.json not found above " + AppContext.BaseDirectory);
    });

    public static TheoryData<int> CaseIndexes() => [.. Enumerable.Range(0, Cases.Value.Count)];

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Same_outcome_as_graphql_js(int index)
    {
        var c = Cases.Value[index];
        var source = ConformanceFiles.RawString(c.GetProperty("doc"));
        if (c.TryGetProperty("ok", out var printed))
        {
            Assert.Equal(printed.GetString(), Printer.Print(Parser.Parse(source)));
            return;
        }
        var ex = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(source));
        Assert.Equal(c.GetProperty("error").GetString(), $"{ex.Message} @ {ex.Line}:{ex.Column}");
    }
}
