using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Actors.GraphQL.Documents;
using Actors.GraphQL.Types;
using Actors.GraphQL.Validation;

namespace Actors.GraphQL.Execution;

/// <summary>The outcome of preparing a request: an operation to run, or the request errors that prevent it.</summary>
public readonly record struct Preparation(PreparedOperation? Operation, ExecutionResult? Failure);

/// <summary>
/// Parses, validates and runs GraphQL requests against one schema. Transport-agnostic: HTTP and WebSocket both use it.
/// Parsed and validated documents are cached by query text.
/// </summary>
public sealed class GraphQLEngine
{
    private readonly ConcurrentDictionary<string, CachedDocument> _documents = new(StringComparer.Ordinal);
    private readonly ExceptionDetails _exceptionDetails;
    private readonly Lazy<Language.Types.GraphQLSchema> _languageSchema;

    /// <param name="logger">Receives unexpected resolver exceptions (clients see only "Unexpected Execution Error" outside Development).</param>
    public GraphQLEngine(Schema schema, GraphQLOptions options, bool isDevelopment = false, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        Schema = schema;
        Options = options;
        _languageSchema = new Lazy<Language.Types.GraphQLSchema>(() => LanguageBridge.Project(schema));
        _exceptionDetails = new ExceptionDetails(options.IncludeExceptionDetails ?? isDevelopment, logger);
    }

    /// <summary>Checks the schema against the type system rules (graphql-js's validateSchema); throws listing every problem.</summary>
    public void ValidateSchema()
    {
        var errors = Language.Types.SchemaValidator.Validate(_languageSchema.Value);
        if (errors.Count > 0)
            throw new InvalidOperationException("The GraphQL schema is invalid:\n" + string.Join("\n", errors.Select(e => "  " + e.Message)));
    }

    public Schema Schema { get; }
    public GraphQLOptions Options { get; }

    private sealed record CachedDocument(ExecutableDocument? Document, IReadOnlyList<GraphQLError> Errors)
    {
        public readonly ConcurrentDictionary<string, PreparedOperation> Operations = new(StringComparer.Ordinal);
    }

    /// <summary>Parses and validates the query and picks the operation to run.</summary>
    public Preparation Prepare(string? query, string? operationName)
    {
        if (string.IsNullOrWhiteSpace(query))
            return Fail(GraphQLError.WithCode("The request carries no query.", ErrorCodes.ParseFailed));
        if (query.Length > Options.MaxDocumentLength)
            return Fail(GraphQLError.WithCode($"The query is {query.Length} characters long; the limit is {Options.MaxDocumentLength}.", ErrorCodes.DocumentTooLarge));

        if (!_documents.TryGetValue(query, out var cached))
        {
            cached = ParseAndValidate(query);
            if (_documents.Count >= Options.DocumentCacheSize) _documents.Clear();
            _documents[query] = cached;
        }
        if (cached.Errors.Count > 0) return new Preparation(null, ExecutionResult.RequestError(cached.Errors));

        var document = cached.Document!;
        var key = operationName ?? "";
        if (cached.Operations.TryGetValue(key, out var prepared)) return new Preparation(prepared, null);

        OperationDefinition? definition;
        if (string.IsNullOrEmpty(operationName))
        {
            if (document.Operations.Count != 1)
                return Fail(GraphQLError.WithCode("Must provide operation name if query contains multiple operations.", ErrorCodes.OperationNotFound));
            definition = document.Operations[0];
        }
        else
        {
            definition = document.Operations.FirstOrDefault(o => o.Name == operationName);
            if (definition is null) return Fail(GraphQLError.WithCode($"Unknown operation named \"{operationName}\".", ErrorCodes.OperationNotFound));
        }
        prepared = cached.Operations.GetOrAdd(key, _ => new PreparedOperation(document, definition));
        return new Preparation(prepared, null);
    }

    /// <summary>Parses and validates with graphql/Language (graphql-js's rules and messages), then converts for execution.</summary>
    private CachedDocument ParseAndValidate(string query)
    {
        Language.Ast.DocumentNode node;
        try { node = LanguageBridge.Parse(query, Options.MaxDocumentTokens); }
        catch (Language.GraphQLException e)
        {
            var code = e.Message.Contains("tokens. Parsing aborted", StringComparison.Ordinal) ? ErrorCodes.DocumentTooLarge : ErrorCodes.ParseFailed;
            return new CachedDocument(null, [Convert(e.Error, code)]);
        }
        var errors = Language.Validation.Validator.Validate(_languageSchema.Value, node, ValidationRules);
        if (errors.Count > 0) return new CachedDocument(null, errors.Select(e => Convert(e, ErrorCodes.ValidationFailed)).ToList());
        var document = LanguageBridge.ToExecutable(node);
        if (!Options.EnableIntrospection && IntrospectionGuard.Check(document) is { Count: > 0 } refused) return new CachedDocument(null, refused);
        return new CachedDocument(document, []);
    }

    // graphql-js's specified rules, plus its v17 check that operations use a root the schema has.
    private static readonly IReadOnlyList<Func<Language.Validation.ValidationRule>> ValidationRules =
        [.. Language.Validation.Validator.SpecifiedRules, () => new Language.Validation.Rules.KnownOperationTypesRule()];

    private static GraphQLError Convert(Language.GraphQLError error, string code) => new(error.Message)
    {
        Locations = error.Locations.Count == 0 ? null : error.Locations.Select(l => new SourceLocation(l.Line, l.Column)).ToList(),
        Extensions = new Dictionary<string, object?> { ["code"] = code },
    };

    private static Preparation Fail(GraphQLError error) => new(null, ExecutionResult.RequestError(error));

    /// <summary>Parses, validates and runs a request (a query or mutation; a subscription answers its first event only).</summary>
    public async Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, IServiceProvider services, ClaimsPrincipal? user = null, CancellationToken cancellation = default)
    {
        var preparation = Prepare(request.Query, request.OperationName);
        if (preparation.Failure is { } failure) return failure;
        if (preparation.Operation!.Kind == OperationKind.Subscription)
        {
            await foreach (var first in SubscribeAsync(preparation.Operation, request.Variables, services, user, cancellation)) return first;
            return new ExecutionResult { HasData = true };
        }
        return await ExecuteAsync(preparation.Operation, request.Variables, services, user, cancellation);
    }

    /// <summary>The schema in SDL, printed as graphql-js's printSchema prints it.</summary>
    public string PrintSchema() => Language.Printing.SchemaPrinter.Print(_languageSchema.Value);

    /// <summary>Runs a prepared query or mutation.</summary>
    public async Task<ExecutionResult> ExecuteAsync(PreparedOperation operation, JsonElement? variables, IServiceProvider services,
        ClaimsPrincipal? user, CancellationToken cancellation, object? rootValue = null)
    {
        // One source for the timeout and the caller's cancellation (a registration, not a second, linked source).
        using var linked = new CancellationTokenSource(Options.ExecutionTimeout, Options.TimeProvider);
        using var callerCancels = cancellation.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), linked);
        var start = Start(operation, variables, services, user, linked.Token, out var context);
        if (start is not null) return start;
        var root = Schema.RootType(operation.Kind)!;
        var request = context!;
        var execution = new OperationExecution(request, _exceptionDetails, Options.ExceptionMappers);
        object? data;
        try
        {
            var task = execution.ExecuteRootAsync(root, rootValue);
            data = task.IsCompletedSuccessfully ? task.Result : await task.AsTask().WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            return new ExecutionResult
            {
                HasData = true,
                Data = null,
                Errors = [GraphQLError.WithCode($"The operation exceeded the execution timeout of {Options.ExecutionTimeout.TotalSeconds:0.###} s.", ErrorCodes.ExecutionTimeout)],
            };
        }
        return new ExecutionResult { Data = data, HasData = true, Errors = request.TakeErrors() };
    }

    /// <summary>Runs a prepared subscription: one result per event of its source stream, or a single result with the errors that stop it.</summary>
    public async IAsyncEnumerable<ExecutionResult> SubscribeAsync(PreparedOperation operation, JsonElement? variables, IServiceProvider services,
        ClaimsPrincipal? user, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var results = await OpenSubscriptionAsync(operation, variables, services, user, cancellation);
        await foreach (var result in results.WithCancellation(cancellation)) yield return result;
    }

    /// <summary>
    /// Opens a prepared subscription now: checks its variables and rules and opens its source stream (the subscription
    /// field's resolver runs), so that events raised from here on reach it. The stream returned yields one result per
    /// event, or a single result with the errors that stop it.
    /// </summary>
    public async Task<IAsyncEnumerable<ExecutionResult>> OpenSubscriptionAsync(PreparedOperation operation, JsonElement? variables,
        IServiceProvider services, ClaimsPrincipal? user, CancellationToken cancellation)
    {
        var start = Start(operation, variables, services, user, cancellation, out var context);
        if (start is not null) return Single(start);
        var root = Schema.Subscription!;
        var execution = new OperationExecution(context!, _exceptionDetails, Options.ExceptionMappers);
        var plan = execution.RootPlan(root);
        var field = plan.Fields[0];
        try
        {
            if (field.Definition?.Subscriber is not { } subscriber)
                throw new GraphQLException($"Field \"{field.Definition?.Name}\" has no event stream.");
            // The stream is opened only for principals the field admits; each event's fields check their own rules.
            if (field.Definition.Authorization is { } rule) await execution.AuthorizeAsync(rule);
            var arguments = field.Arguments(context!.Variables);
            var resolverContext = new ResolverContext(context, root, field.Definition, field.First, field.Selections, null, arguments, ResultPath.Root.Append(field.ResponseKey));
            return Events(context, root, field, await subscriber(resolverContext), cancellation);
        }
        catch (Exception e) when (e is GraphQLException or InputCoercionException)
        {
            return Single(ExecutionResult.RequestError(new GraphQLError(e.Message)
            {
                Locations = [field.First.Location],
                Path = [field.ResponseKey],
                Extensions = (e as GraphQLException)?.Code is { } code ? new Dictionary<string, object?> { ["code"] = code } : null,
            }));
        }
    }

    private async IAsyncEnumerable<ExecutionResult> Events(RequestContext context, ObjectType root, PlannedField field, IAsyncEnumerable<object?> stream,
        [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var @event in stream.WithCancellation(cancellation))
        {
            // Each event runs with its own error list, as a fresh execution of the selection set.
            var eventContext = context.With(cancellation);
            var eventExecution = new OperationExecution(eventContext, _exceptionDetails, Options.ExceptionMappers);
            var data = await eventExecution.ExecuteEventAsync(root, field, @event);
            yield return new ExecutionResult { Data = data, HasData = true, Errors = eventContext.TakeErrors() };
        }
    }

    private static IAsyncEnumerable<ExecutionResult> Single(ExecutionResult result) => new[] { result }.ToAsyncEnumerable();

    /// <summary>Coerces variables and checks the limits; returns the request error, or null with a context to run.</summary>
    private ExecutionResult? Start(PreparedOperation operation, JsonElement? variables, IServiceProvider services, ClaimsPrincipal? user,
        CancellationToken cancellation, out RequestContext? context)
    {
        context = null;
        if (Schema.RootType(operation.Kind) is null)
            return ExecutionResult.RequestError(GraphQLError.WithCode(
                $"The schema has no {operation.Kind.ToString().ToLowerInvariant()} type.", ErrorCodes.ValidationFailed, operation.Definition.Location));
        var coerced = CoerceVariables(operation.Definition, variables, out var variableErrors);
        if (variableErrors is not null) return ExecutionResult.RequestError(variableErrors);

        var measure = operation.CachedMeasure ?? OperationComplexity.Of(Schema, operation.Document, operation.Definition, coerced);
        if (operation.Definition.Variables.Count == 0) operation.CachedMeasure = measure; // no variable can change the page sizes
        if (measure.Depth > Options.MaxDepth)
            return ExecutionResult.RequestError(GraphQLError.WithCode(
                $"The operation is nested {measure.Depth} levels deep; the limit is {Options.MaxDepth}.", ErrorCodes.MaxDepthExceeded, operation.Definition.Location));
        if (measure.Cost > Options.MaxCost)
            return ExecutionResult.RequestError(GraphQLError.WithCode(
                $"The operation costs {measure.Cost}; the limit is {Options.MaxCost}.", ErrorCodes.MaxCostExceeded, operation.Definition.Location));

        context = new RequestContext(Schema, services, user ?? new ClaimsPrincipal(new ClaimsIdentity()), coerced, operation, cancellation);
        return null;
    }

    private Dictionary<string, object?> CoerceVariables(OperationDefinition operation, JsonElement? given, out List<GraphQLError>? errors)
    {
        errors = null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (operation.Variables.Count == 0) return values;
        foreach (var definition in operation.Variables)
        {
            var type = Schema.TypeFromSyntax(definition.Type)!;
            try
            {
                if (given is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(definition.Name, out var value))
                {
                    // The message quotes the value: formatted only when the value is invalid.
                    try { values[definition.Name] = InputCoercion.FromJson(value, type); }
                    catch (MisplacedInputException e) { throw e.At($"Variable \"${definition.Name}\" got invalid value {Shorten(value)}"); }
                }
                else if (definition.DefaultValue is { } defaultValue)
                    values[definition.Name] = InputCoercion.FromLiteral(defaultValue, type, null, $"Variable \"${definition.Name}\"");
                else if (type is NonNullType)
                    throw new InputCoercionException($"Variable \"${definition.Name}\" of required type \"{definition.Type}\" was not provided.");
            }
            catch (InputCoercionException e)
            {
                (errors ??= []).Add(GraphQLError.WithCode(e.Message, ErrorCodes.BadUserInput, definition.Location));
            }
        }
        return values;
    }

    private static string Shorten(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length > 100 ? text[..100] + "..." : text;
    }
}
