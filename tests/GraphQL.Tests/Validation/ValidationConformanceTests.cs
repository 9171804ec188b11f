using System.Text.Json;
using Actors.GraphQL.Language;
using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Types;
using Actors.GraphQL.Language.Validation;
using Actors.GraphQL.Tests.Language;

namespace Actors.GraphQL.Tests.Validation;

/// <summary>
/// graphql-js's validation cases against its test schema: for each document, the errors of the rule under test alone
/// and of all specified rules — same messages, same locations, same order.
/// </summary>
public sealed class ValidationConformanceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        ConformanceFiles.Load("validation-cases.json").RootElement.GetProperty("cases").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.Clone()));

    private static readonly Lazy<GraphQLSchema> Schema = new(() =>
        SchemaBuilder.Build(File.ReadAllText(ConformanceFiles.PathOf("validation-schema.graphql"))));

    public static TheoryData<string> CaseIds() => [.. Cases.Value.Keys];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_matches_graphql_js(string id)
    {
        var c = Cases.Value[id];
        var document = Parser.Parse(c.GetProperty("query").GetString()!);
        var ruleName = c.GetProperty("rule").GetString()!;
        var rule = Validator.SpecifiedRules.Single(f => f().GetType().Name == ruleName);

        Assert.Equal(Expected(c.GetProperty("ruleErrors")), Actual(Validator.Validate(Schema.Value, document, [rule])));
        Assert.Equal(Expected(c.GetProperty("allRulesErrors")), Actual(Validator.Validate(Schema.Value, document)));
    }

    private static List<string> Expected(JsonElement errors) =>
        errors.EnumerateArray().Select(e => e.GetProperty("message").GetString() + " @ " + string.Join(", ",
            e.GetProperty("locations").EnumerateArray().Select(l => $"{l.GetProperty("line").GetInt32()}:{l.GetProperty("column").GetInt32()}"))).ToList();

    private static List<string> Actual(IReadOnlyList<GraphQLError> errors) =>
        errors.Select(e => e.Message + " @ " + string.Join(", ", e.Locations.Select(l => $"{l.Line}:{l.Column}"))).ToList();
}
