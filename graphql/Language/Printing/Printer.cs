using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Printing;

/// <summary>Prints AST nodes back to GraphQL text, formatted like graphql-js's <c>print</c>.</summary>
public static class Printer
{
    /// <summary>Any node as GraphQL text.</summary>
    public static string Print(Node node) => DocumentWriter.P(node);
}
