using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Types;
using Actors.GraphQL.Language.Validation;
using Actors.GraphQL.Tests.Language;

namespace Actors.GraphQL.Tests.Validation;

public sealed class ValidatorTests
{
    private static readonly GraphQLSchema Schema =
        SchemaBuilder.Build(File.ReadAllText(ConformanceFiles.PathOf("validation-schema.graphql")));

    [Fact]
    public void Validation_stops_after_the_error_limit_like_graphql_js()
    {
        var document = Parser.Parse("{ " + string.Join(" ", Enumerable.Range(0, 150).Select(i => $"unknown{i}")) + " }");
        var errors = Validator.Validate(Schema, document);
        Assert.Equal(101, errors.Count);
        Assert.Equal("Too many validation errors, error limit reached. Validation aborted.", errors[^1].Message);
        Assert.Equal("Cannot query field \"unknown0\" on type \"QueryRoot\".", errors[0].Message);
    }

    [Fact]
    public void One_schema_validates_many_documents_at_once()
    {
        var valid = Parser.Parse("query Q($id: ID) { human(id: $id) { name pets { name ... on Dog { barks } } } }");
        var invalid = Parser.Parse("query Q { human(id: true) { nope } }");
        Parallel.For(0, 200, i =>
        {
            Assert.Empty(Validator.Validate(Schema, valid));
            Assert.Equal(2, Validator.Validate(Schema, invalid).Count);
        });
    }

    [Fact]
    public void Operations_without_a_root_are_reported_when_asked_like_graphql_js_17()
    {
        var document = Parser.Parse("query Foo { dog { name } } mutation Bar { x } subscription Baz { y }");
        var errors = Validator.Validate(Schema, document, [() => new Actors.GraphQL.Language.Validation.Rules.KnownOperationTypesRule()]);
        Assert.Equal(["The mutation operation is not supported by the schema. @ 1:28", "The subscription operation is not supported by the schema. @ 1:47"],
            errors.Select(e => $"{e.Message} @ {e.Locations[0].Line}:{e.Locations[0].Column}"));
    }
}
