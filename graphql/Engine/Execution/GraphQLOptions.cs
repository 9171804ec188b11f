namespace Actors.GraphQL.Execution;

/// <summary>Limits and switches of the engine and its transports; every limit answers with a clear error when exceeded.</summary>
public sealed class GraphQLOptions
{
    /// <summary>Longest accepted query text, in characters.</summary>
    public int MaxDocumentLength { get; set; } = 100_000;

    /// <summary>Most lexical tokens accepted in one document.</summary>
    public int MaxDocumentTokens { get; set; } = 15_000;

    /// <summary>Deepest nesting of selection sets in an operation.</summary>
    public int MaxDepth { get; set; } = 32;

    /// <summary>Highest operation cost (field weights times the page sizes above them).</summary>
    public long MaxCost { get; set; } = 1_000_000;

    /// <summary>How long one query or mutation may run (subscriptions run until the client completes them).</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool EnableIntrospection { get; set; } = true;

    /// <summary>Whether unexpected exceptions show message and stack trace to clients; null means "only in Development".</summary>
    public bool? IncludeExceptionDetails { get; set; }

    /// <summary>How many parsed and validated documents are kept, by query text.</summary>
    public int DocumentCacheSize { get; set; } = 1000;

    /// <summary>How long a WebSocket may stay open without connection_init before it is closed with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for timeouts; tests replace it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Turns exceptions that resolvers let escape into client errors (like Hot Chocolate's error filters): the first mapper
    /// that returns a <see cref="GraphQLException"/> decides message and code; unmapped exceptions stay "Unexpected Execution Error".
    /// </summary>
    public List<Func<Exception, GraphQLException?>> ExceptionMappers { get; } = [];

    /// <summary>Whether GET /graphql with Accept: text/html serves the GraphiQL page.</summary>
    public bool EnableGraphiQL { get; set; } = true;
}
