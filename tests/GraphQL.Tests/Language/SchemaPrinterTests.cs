using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Tests.Language;

/// <summary>Our SDL export equals graphql-js 17's printSchema for the same SDL.</summary>
public sealed class SchemaPrinterTests
{
    [Fact]
    public void Kitchen_sink_prints_like_graphql_js() =>
        Assert.Equal(PrintSchemaFixtures.KitchenSinkExpected, SchemaPrinter.Print(SchemaBuilder.Build(PrintSchemaFixtures.KitchenSinkSdl)));

    [Fact]
    public void Descriptions_print_like_graphql_js() =>
        Assert.Equal(PrintSchemaFixtures.DescriptionsExpected, SchemaPrinter.Print(SchemaBuilder.Build(PrintSchemaFixtures.DescriptionsSdl)));

    [Fact]
    public void Validation_schema_prints_like_graphql_js() =>
        Assert.Equal(PrintSchemaFixtures.ValidationSchemaExpected,
            SchemaPrinter.Print(SchemaBuilder.Build(File.ReadAllText(ConformanceFiles.PathOf("validation-schema.graphql")))));

    [Fact]
    public void Printed_sdl_builds_the_same_schema_again()
    {
        var printed = SchemaPrinter.Print(SchemaBuilder.Build(PrintSchemaFixtures.KitchenSinkSdl));
        Assert.Equal(printed, SchemaPrinter.Print(SchemaBuilder.Build(printed)));
    }
}
