using System.Text.Json;
using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Types;
using Actors.GraphQL.Language.Validation;
using Actors.GraphQL.Tests.Language;

namespace Actors.GraphQL.Tests.Validation;

/// <summary>
/// Mutated conformance queries (fields, arguments and types swapped or dropped) validated by graphql-js 17.1.0:
/// all rules together must give the same errors, in the same order, at the same places.
/// </summary>
public sealed class ValidationDifferentialTests
{
    private static readonly Lazy<List<JsonElement>> Cases = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "GraphQL.Tests", "Validation", "validation-differential.json");
            if (File.Exists(path))
                return JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToList();
        }
        throw new FileNotFoundException("tests/GraphQL.Tests/Validation/validation-differential.json not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<GraphQLSchema> Schema = new(() =>
        SchemaBuilder.Build(File.ReadAllText(ConformanceFiles.PathOf("validation-schema.graphql"))));

    public static TheoryData<int> CaseIndexes() => [.. Enumerable.Range(0, Cases.Value.Count)];

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Same_errors_as_graphql_js(int index)
    {
        var c = Cases.Value[index];
        var expected = c.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        var actual = Validator.Validate(Schema.Value, Parser.Parse(c.GetProperty("doc").GetString()!))
            .Select(e => e.Message + " @ " + string.Join(", ", e.Locations.Select(l => $"{l.Line}:{l.Column}"))).ToList();
        Assert.Equal(expected, actual);
    }
}
