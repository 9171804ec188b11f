using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Printing;

namespace Actors.GraphQL.Tests.Language;

/// <summary>Document printing equals graphql-js 17's print for the same source.</summary>
public sealed class PrinterTests
{
    [Theory]
    [InlineData(PrintDocumentFixtures.KitchenSinkQuerySource, PrintDocumentFixtures.KitchenSinkQueryExpected)]
    [InlineData(PrintDocumentFixtures.DescribedOperationsSource, PrintDocumentFixtures.DescribedOperationsExpected)]
    [InlineData(PrintDocumentFixtures.KitchenSinkSdlSource, PrintDocumentFixtures.KitchenSinkSdlExpected)]
    public void Prints_like_graphql_js(string source, string expected)
    {
        var printed = Printer.Print(Parser.Parse(source));
        Assert.Equal(expected, printed);
        Assert.Equal(printed, Printer.Print(Parser.Parse(printed)));
    }
}
