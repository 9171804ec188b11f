using Actors.GraphQL.Documents;

namespace Actors.GraphQL.Execution;

/// <summary>Error codes in <c>extensions.code</c>, named as Hot Chocolate and Apollo name them so clients can branch on them.</summary>
public static class ErrorCodes
{
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string OperationNotFound = "OPERATION_NOT_FOUND";
    public const string OperationNotAllowed = "OPERATION_NOT_ALLOWED";
    public const string DocumentTooLarge = "DOCUMENT_TOO_LARGE";
    public const string MaxDepthExceeded = "MAX_DEPTH_EXCEEDED";
    public const string MaxCostExceeded = "MAX_COST_EXCEEDED";
    public const string ExecutionTimeout = "EXECUTION_TIMEOUT";
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";
    public const string NotAuthorized = "AUTH_NOT_AUTHORIZED";
    public const string NotAuthenticated = "AUTH_NOT_AUTHENTICATED";
    public const string InternalError = "INTERNAL_SERVER_ERROR";
    public const string PersistedQueryNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";
}

/// <summary>One entry of a response's <c>errors</c>.</summary>
public sealed record GraphQLError(string Message)
{
    public IReadOnlyList<SourceLocation>? Locations { get; init; }
    public IReadOnlyList<object>? Path { get; init; }
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public string? Code => Extensions?.GetValueOrDefault("code") as string;

    public static GraphQLError WithCode(string message, string code, SourceLocation? location = null) => new(message)
    {
        Extensions = new Dictionary<string, object?> { ["code"] = code },
        Locations = location is { } l ? [l] : null,
    };
}

/// <summary>Thrown by resolvers (or the engine) to report an error with a code to the client.</summary>
public class GraphQLException(string message, string? code = null, IReadOnlyDictionary<string, object?>? extensions = null) : Exception(message)
{
    public string? Code { get; } = code;
    public IReadOnlyDictionary<string, object?>? ErrorExtensions { get; } = extensions;
}

/// <summary>The response to one GraphQL request (or one event of a subscription).</summary>
public sealed class ExecutionResult
{
    /// <summary>The <c>data</c> entry; meaningful only when <see cref="HasData"/>.</summary>
    public object? Data { get; init; }

    /// <summary>False for request errors (parse, validation, variables): the response carries no <c>data</c> entry.</summary>
    public bool HasData { get; init; }

    public IReadOnlyList<GraphQLError>? Errors { get; init; }
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static ExecutionResult RequestError(params GraphQLError[] errors) => new() { Errors = errors };
    public static ExecutionResult RequestError(IReadOnlyList<GraphQLError> errors) => new() { Errors = errors };
}

/// <summary>An object in the response: keys in selection order, values already serialized to JSON primitives, maps and lists.</summary>
public sealed class ResultMap(string[] keys, object?[] values, System.Text.Json.JsonEncodedText[]? encodedKeys = null)
{
    public string[] Keys { get; } = keys;

    /// <summary>The keys pre-escaped for JSON, shared by every object of one selection.</summary>
    public System.Text.Json.JsonEncodedText[]? EncodedKeys { get; } = encodedKeys;
    public object?[] Values { get; } = values;
    public int Count => Keys.Length;

    public object? this[string key]
    {
        get
        {
            for (int i = 0; i < Keys.Length; i++) if (Keys[i] == key) return Values[i];
            throw new KeyNotFoundException(key);
        }
    }
}

/// <summary>A position in the response, kept as a linked list so fields share their parents' paths.</summary>
public sealed class ResultPath
{
    private ResultPath(ResultPath? parent, string? name, int index) { Parent = parent; Name = name; Index = index; }

    public static readonly ResultPath Root = new(null, null, -1);
    public ResultPath? Parent { get; }
    public string? Name { get; }
    public int Index { get; }

    public ResultPath Append(string name) => new(this, name, -1);
    public ResultPath Append(int index) => new(this, null, index);

    public IReadOnlyList<object> ToList()
    {
        var list = new List<object>();
        for (var p = this; p is not null && p != Root; p = p.Parent) list.Add(p.Name is { } n ? n : p.Index);
        list.Reverse();
        return list;
    }

    public override string ToString() => string.Join('.', ToList());
}
