namespace Actors.GraphQL.Language.Parsing;

/// <summary>Limits and switches for <see cref="Parser"/>.</summary>
public sealed record ParserOptions
{
    public static ParserOptions Default { get; } = new();

    /// <summary>Skip source locations on nodes (slightly faster; errors from validation then have no locations).</summary>
    public bool NoLocations { get; init; }

    /// <summary>Refuse documents with more tokens than this (graphql-js's <c>maxTokens</c>); unlimited when null.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Refuse nesting (selection sets, list and object values, list types) deeper than this, so hostile input cannot exhaust the stack.</summary>
    public int MaxDepth { get; init; } = 256;
}
