using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language;

/// <summary>
/// An error as GraphQL responses report it: a message, the source locations it concerns, and for execution errors
/// the response path. Syntax errors, validation errors, coercion errors and field errors all take this shape.
/// </summary>
public sealed class GraphQLError
{
    public GraphQLError(string message, IReadOnlyList<SourceLocation>? locations = null,
        IReadOnlyList<object>? path = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        Message = message;
        Locations = locations ?? [];
        Path = path;
        Extensions = extensions;
    }

    /// <summary>An error located at the start of each of the given nodes (nodes without a location are skipped).</summary>
    public GraphQLError(string message, params ReadOnlySpan<Node?> nodes) : this(message, LocationsOf(nodes)) { }

    public string Message { get; }
    public IReadOnlyList<SourceLocation> Locations { get; }
    /// <summary>Response path of field errors (names and list indexes); null for request errors.</summary>
    public IReadOnlyList<object>? Path { get; }
    public IReadOnlyDictionary<string, object?>? Extensions { get; }

    public override string ToString() =>
        Locations.Count == 0 ? Message : $"{Message} ({string.Join(", ", Locations.Select(l => $"{l.Line}:{l.Column}"))})";

    private static SourceLocation[] LocationsOf(ReadOnlySpan<Node?> nodes)
    {
        var list = new List<SourceLocation>(nodes.Length);
        foreach (var node in nodes)
            if (node is { Location.Line: > 0 }) list.Add(node.Location.ToSourceLocation());
        return [.. list];
    }
}

/// <summary>Carries a <see cref="GraphQLError"/>: thrown by the parser, by scalar coercions and by schema construction.</summary>
public class GraphQLException : Exception
{
    public GraphQLException(GraphQLError error) : base(error.Message) => Error = error;
    public GraphQLException(string message) : this(new GraphQLError(message)) { }
    public GraphQLException(string message, params ReadOnlySpan<Node?> nodes) : this(new GraphQLError(message, nodes)) { }

    public GraphQLError Error { get; }
}

/// <summary>A document that does not follow the grammar; the message reads "Syntax Error: ..." like graphql-js.</summary>
public sealed class GraphQLSyntaxException(string description, int line, int column)
    : GraphQLException(new GraphQLError("Syntax Error: " + description, [new SourceLocation(line, column)]))
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}
