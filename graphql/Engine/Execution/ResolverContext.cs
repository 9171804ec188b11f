using System.Collections.Concurrent;
using System.Security.Claims;
using Actors.GraphQL.Documents;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.Execution;

/// <summary>Computes a field's value.</summary>
public delegate ValueTask<object?> FieldResolver(ResolverContext context);

/// <summary>Opens the event stream of a subscription root field.</summary>
public delegate ValueTask<IAsyncEnumerable<object?>> SubscribeResolver(ResolverContext context);

/// <summary>What one request shares among its resolvers: services, principal, cancellation, and per-request state such as data loaders.</summary>
public sealed class RequestContext
{
    internal RequestContext(Schema schema, IServiceProvider services, ClaimsPrincipal user, IReadOnlyDictionary<string, object?> variables,
        PreparedOperation operation, CancellationToken cancellation)
    {
        Schema = schema;
        Services = services;
        User = user;
        Variables = variables;
        Operation = operation;
        Cancellation = cancellation;
    }

    public Schema Schema { get; }

    /// <summary>The request's service scope (scoped services live as long as the request or the subscription).</summary>
    public IServiceProvider Services { get; }

    public ClaimsPrincipal User { get; }
    public IReadOnlyDictionary<string, object?> Variables { get; }
    internal PreparedOperation Operation { get; }
    public OperationKind OperationKind => Operation.Definition.Kind;
    public CancellationToken Cancellation { get; }

    /// <summary>The same request under another cancellation token (with its own error list).</summary>
    internal RequestContext With(CancellationToken cancellation)
    {
        var copy = new RequestContext(Schema, Services, User, Variables, Operation, cancellation);
        if (_items is { } items)
            foreach (var (k, v) in items) copy.Items[k] = v;
        return copy;
    }

    /// <summary>Per-request state keyed by name (data loaders keep their batches here).</summary>
    /// <remarks>Made when first asked for: most requests (a station's authorization) never use it.</remarks>
    public ConcurrentDictionary<string, object> Items =>
        _items ?? Interlocked.CompareExchange(ref _items, new(StringComparer.Ordinal), null) ?? _items;

    private ConcurrentDictionary<string, object>? _items;

    private readonly List<GraphQLError> _errors = [];

    internal void AddError(GraphQLError error)
    {
        lock (_errors) _errors.Add(error);
    }

    internal IReadOnlyList<GraphQLError>? TakeErrors()
    {
        lock (_errors) return _errors.Count == 0 ? null : [.. _errors];
    }
}

/// <summary>Everything a resolver may need about the field it resolves.</summary>
public sealed class ResolverContext
{
    internal ResolverContext(RequestContext request, ObjectType objectType, FieldDefinition field, FieldSelection selection,
        IReadOnlyList<FieldSelection> selections, object? parent, IReadOnlyDictionary<string, object?> arguments, ResultPath path)
    {
        Request = request;
        ObjectType = objectType;
        Field = field;
        Selection = selection;
        Selections = selections;
        Parent = parent;
        Arguments = arguments;
        Path = path;
    }

    public RequestContext Request { get; }
    public ObjectType ObjectType { get; }
    public FieldDefinition Field { get; }

    /// <summary>The first selection of this field in the document.</summary>
    public FieldSelection Selection { get; }

    /// <summary>All selections merged into this response key.</summary>
    public IReadOnlyList<FieldSelection> Selections { get; }

    public object? Parent { get; }
    public IReadOnlyDictionary<string, object?> Arguments { get; }
    public ResultPath Path { get; }

    public ClaimsPrincipal User => Request.User;
    public IServiceProvider Services => Request.Services;
    public CancellationToken Cancellation => Request.Cancellation;

    public T ParentAs<T>() => (T)Parent!;

    /// <summary>The coerced value of an argument; default when not given.</summary>
    public T? Argument<T>(string name) => Arguments.TryGetValue(name, out var v) && v is T t ? t : default;

    public bool HasArgument(string name) => Arguments.ContainsKey(name);

    public T Service<T>() where T : notnull =>
        (T)(Services.GetService(typeof(T)) ?? throw new InvalidOperationException($"No service of type {typeof(T)} is registered."));

    /// <summary>Whether the selection set of this field selects <paramref name="fieldName"/> directly (fragments included).</summary>
    public bool SelectsField(string fieldName)
    {
        foreach (var selection in Selections)
            if (selection.SelectionSet is { } set && SelectsField(set, fieldName, 0)) return true;
        return false;
    }

    private bool SelectsField(SelectionSet set, string fieldName, int depth)
    {
        if (depth > 16) return false;
        foreach (var s in set.Selections)
        {
            switch (s)
            {
                case FieldSelection f when f.Name == fieldName: return true;
                case InlineFragment i when SelectsField(i.SelectionSet, fieldName, depth + 1): return true;
                case FragmentSpread spread when Request.Operation.Document.Fragments.TryGetValue(spread.Name, out var fragment)
                                                && SelectsField(fragment.SelectionSet, fieldName, depth + 1): return true;
            }
        }
        return false;
    }
}
