using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// What a resolver sees of the field being executed. The execution engine implements this (and may extend it with
/// its own interface); the language layer only names the neutral parts so the schema model can carry resolvers.
/// </summary>
public interface IFieldContext
{
    /// <summary>The parent value: the result of the parent field, or the root value.</summary>
    object? Source { get; }
    /// <summary>Coerced argument values by name (defaults applied).</summary>
    IReadOnlyDictionary<string, object?> Arguments { get; }
    GraphQLField Field { get; }
    GraphQLObjectType ParentType { get; }
    GraphQLSchema Schema { get; }
    /// <summary>All field nodes merged into this response key.</summary>
    IReadOnlyList<FieldNode> FieldNodes { get; }
    /// <summary>Coerced variable values of the operation.</summary>
    IReadOnlyDictionary<string, object?> Variables { get; }
    /// <summary>Response path: field names and list indexes.</summary>
    IReadOnlyList<object> Path { get; }
    /// <summary>Request services (ASP.NET Core's request services under HTTP), if any.</summary>
    IServiceProvider? Services { get; }
    CancellationToken CancellationToken { get; }
}

/// <summary>Produces a field's value. Throw <see cref="GraphQLException"/> (or any exception) to report a field error.</summary>
public delegate ValueTask<object?> FieldResolver(IFieldContext context);

/// <summary>Produces the event stream of a subscription root field; each event is then resolved with the field's <see cref="FieldResolver"/>.</summary>
public delegate ValueTask<IAsyncEnumerable<object?>> SubscriptionSource(IFieldContext context);

/// <summary>Picks the concrete object type of a value of an interface or union type; null when it cannot tell.</summary>
public delegate GraphQLObjectType? TypeResolver(object value, IFieldContext context);

/// <summary>Whether a value belongs to an object type; used for abstract types without a <see cref="TypeResolver"/>.</summary>
public delegate bool IsTypeOfCheck(object value, IFieldContext context);

/// <summary>Result coercion: an internal value to its JSON-able output. Throws <see cref="GraphQLException"/> when it cannot.</summary>
public delegate object? ScalarSerializer(object? value);

/// <summary>Input coercion of a variable value (JSON-ish .NET values or <c>System.Text.Json.JsonElement</c>). Throws <see cref="GraphQLException"/> when invalid.</summary>
public delegate object? ScalarValueParser(object? value);

/// <summary>Input coercion of a literal in the document; variables are given when the literal may hold them. Throws <see cref="GraphQLException"/> when invalid.</summary>
public delegate object? ScalarLiteralParser(ValueNode literal, IReadOnlyDictionary<string, object?>? variables);
