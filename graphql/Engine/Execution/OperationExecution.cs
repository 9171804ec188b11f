using System.Collections;
using Actors.GraphQL.Types;
using Microsoft.AspNetCore.Authorization;

namespace Actors.GraphQL.Execution;

/// <summary>
/// Runs one operation per the spec's ExecuteOperation: fields of queries concurrently (resolvers that complete
/// synchronously stay on the fast path), mutation root fields one after another, null propagated through non-null.
/// </summary>
internal sealed class OperationExecution(RequestContext request, ExceptionDetails exceptionDetails, IReadOnlyList<Func<Exception, GraphQLException?>>? exceptionMappers = null)
{
    private readonly BatchScheduler? _scheduler = request.Services.GetService(typeof(BatchScheduler)) as BatchScheduler;

    // Data loader batches go out when no field is being started synchronously anywhere in this request's scope.
    private void Enter() => _scheduler?.Enter();

    private void Exit() => _scheduler?.Exit();

    /// <summary>Marks a value that became null because of an error already recorded; it propagates to the nearest nullable position.</summary>
    private static readonly object Errored = new();

    public RequestContext Request => request;

    public async ValueTask<object?> ExecuteRootAsync(ObjectType rootType, object? rootValue)
    {
        var plan = RootPlan(rootType);
        var serial = request.OperationKind == Documents.OperationKind.Mutation;
        ValueTask<object?> pending;
        Enter();
        try
        {
            pending = serial
                ? ExecuteSerialAsync(rootType, rootValue, plan, ResultPath.Root)
                : ExecuteSelectionSet(rootType, rootValue, plan, ResultPath.Root);
        }
        finally { Exit(); }
        var data = await pending;
        return data == Errored ? null : data;
    }

    /// <summary>Runs the selection set of a subscription's root field on one event of its stream.</summary>
    public async ValueTask<object?> ExecuteEventAsync(ObjectType rootType, PlannedField field, object? @event)
    {
        var path = ResultPath.Root.Append(field.ResponseKey);
        ValueTask<object?> pending;
        Enter();
        try { pending = Complete(field.Definition!.Type, field, @event, path); }
        finally { Exit(); }
        var value = await pending;
        if (value == Errored) return null;
        return new ResultMap(new[] { field.ResponseKey }, [value]);
    }

    internal SelectionPlan RootPlan(ObjectType rootType)
    {
        var operation = request.Operation;
        if (!operation.PlansAreStable)
            return FieldCollector.Collect(request.Schema, operation, rootType, [operation.Definition.SelectionSet], request.Variables);
        return operation.RootPlans.GetOrAdd(rootType, t =>
            FieldCollector.Collect(request.Schema, operation, t, [operation.Definition.SelectionSet], request.Variables));
    }

    private SelectionPlan ChildPlan(PlannedField field, ObjectType type)
    {
        var operation = request.Operation;
        IEnumerable<Documents.SelectionSet> Sets() => field.Selections.Where(s => s.SelectionSet is not null).Select(s => s.SelectionSet!);
        if (!operation.PlansAreStable) return FieldCollector.Collect(request.Schema, operation, type, Sets(), request.Variables);
        if (field.ChildPlans.TryGetValue(type, out var plan)) return plan;
        return field.ChildPlans.GetOrAdd(type, t => FieldCollector.Collect(request.Schema, operation, t, Sets(), request.Variables));
    }

    private async ValueTask<object?> ExecuteSerialAsync(ObjectType type, object? value, SelectionPlan plan, ResultPath path)
    {
        var values = new object?[plan.Fields.Length];
        for (int i = 0; i < values.Length; i++)
        {
            ValueTask<object?> field;
            Enter();
            try { field = ExecuteField(type, value, plan.Fields[i], path); }
            finally { Exit(); }
            values[i] = await field;
        }
        return Finish(plan, values);
    }

    private ValueTask<object?> ExecuteSelectionSet(ObjectType type, object? value, SelectionPlan plan, ResultPath path)
    {
        var fields = plan.Fields;
        var values = new object?[fields.Length];
        List<Task>? pending = null;
        for (int i = 0; i < fields.Length; i++)
        {
            var result = ExecuteField(type, value, fields[i], path);
            if (result.IsCompletedSuccessfully) values[i] = result.Result;
            else (pending ??= []).Add(Store(result, values, i));
        }
        if (pending is null) return new ValueTask<object?>(Finish(plan, values));
        return AwaitAll(pending, plan, values);
    }

    private static async ValueTask<object?> AwaitAll(List<Task> pending, SelectionPlan plan, object?[] values)
    {
        await Task.WhenAll(pending);
        return Finish(plan, values);
    }

    private static async Task Store(ValueTask<object?> result, object?[] values, int index) => values[index] = await result;

    private static object Finish(SelectionPlan plan, object?[] values)
    {
        foreach (var v in values) if (v == Errored) return Errored;
        return new ResultMap(plan.Keys, values, plan.EncodedKeys);
    }

    private ValueTask<object?> ExecuteField(ObjectType type, object? parent, PlannedField field, ResultPath parentPath)
    {
        var definition = field.Definition;
        if (definition is null) return new ValueTask<object?>(type.Name);
        if (definition.Getter is { } leafGetter && definition.Authorization is null && parent is not null && field.IsLeaf)
        {
            // The common case (a property holding a scalar or enum): no path, no context, unless something fails.
            object? value;
            try { value = leafGetter(parent); }
            catch (Exception e) { return new ValueTask<object?>(FieldError(e, field, parentPath.Append(field.ResponseKey), definition.Type)); }
            return new ValueTask<object?>(CompleteLeaf(definition.Type, field, value, parentPath));
        }
        var path = parentPath.Append(field.ResponseKey);
        if (definition.Getter is { } getter && definition.Authorization is null && parent is not null)
        {
            object? value;
            try { value = getter(parent); }
            catch (Exception e) { return new ValueTask<object?>(FieldError(e, field, path, definition.Type)); }
            return Complete(definition.Type, field, value, path);
        }
        return ResolveAsync(type, parent, field, path);
    }

    private async ValueTask<object?> ResolveAsync(ObjectType type, object? parent, PlannedField field, ResultPath path)
    {
        var definition = field.Definition!;
        object? value;
        try
        {
            request.Cancellation.ThrowIfCancellationRequested();
            if (definition.Authorization is { } rule) await AuthorizeAsync(rule);
            if (definition.Getter is { } getter) value = parent is null ? null : getter(parent);
            else
            {
                var arguments = field.Arguments(request.Variables);
                var context = new ResolverContext(request, type, definition, field.First, field.Selections, parent, arguments, path);
                value = definition.Resolver is { } resolver ? await resolver(context) : null;
            }
        }
        catch (Exception e)
        {
            return FieldError(e, field, path, definition.Type);
        }
        ValueTask<object?> completion;
        Enter();
        try { completion = Complete(definition.Type, field, value, path); }
        finally { Exit(); }
        return await completion;
    }

    internal async ValueTask AuthorizeAsync(AuthorizationRule rule)
    {
        var user = request.User;
        bool authenticated = user.Identity?.IsAuthenticated == true;
        if (!authenticated)
            throw new GraphQLException("The current user is not authenticated.", ErrorCodes.NotAuthenticated);
        if (rule.Roles.Count > 0 && !rule.Roles.Any(user.IsInRole))
            throw new GraphQLException("The current user is not authorized to access this resource.", ErrorCodes.NotAuthorized);
        if (rule.Policy is { } policy)
        {
            var service = request.Services.GetService(typeof(IAuthorizationService)) as IAuthorizationService
                ?? throw new InvalidOperationException("A field requires an authorization policy but no IAuthorizationService is registered (call AddAuthorization()).");
            var result = await service.AuthorizeAsync(user, policy);
            if (!result.Succeeded)
                throw new GraphQLException("The current user is not authorized to access this resource.", ErrorCodes.NotAuthorized);
        }
    }

    /// <summary>Completes a value of <paramref name="type"/>; returns <see cref="Errored"/> only for non-null types.</summary>
    private ValueTask<object?> Complete(GraphType type, PlannedField field, object? value, ResultPath path)
    {
        if (type is NonNullType nonNull)
        {
            var inner = CompleteNullable(nonNull.OfType, field, value, path);
            if (inner.IsCompletedSuccessfully) return new ValueTask<object?>(CheckNonNull(inner.Result, field, path));
            return AwaitNonNull(inner, field, path);
        }
        var result = CompleteNullable(type, field, value, path);
        if (result.IsCompletedSuccessfully) return new ValueTask<object?>(result.Result == Errored ? null : result.Result);
        return AwaitNullable(result);
    }

    private async ValueTask<object?> AwaitNonNull(ValueTask<object?> inner, PlannedField field, ResultPath path) =>
        CheckNonNull(await inner, field, path);

    private static async ValueTask<object?> AwaitNullable(ValueTask<object?> inner)
    {
        var v = await inner;
        return v == Errored ? null : v;
    }

    private object? CheckNonNull(object? value, PlannedField field, ResultPath path)
    {
        if (value is not null) return value;
        var parentName = field.Definition is { } d ? $"{field.ParentType.Name}.{d.Name}" : field.ResponseKey;
        AddError(new GraphQLError($"Cannot return null for non-nullable field {parentName}.")
        {
            Locations = [field.First.Location],
            Path = path.ToList(),
        });
        return Errored;
    }

    /// <summary>Completes a scalar or enum value (possibly non-null), building the path only for an error.</summary>
    private object? CompleteLeaf(GraphType type, PlannedField field, object? value, ResultPath parentPath)
    {
        var nullable = type is NonNullType nonNull ? nonNull.OfType : type;
        object? completed = null;
        if (value is not null)
        {
            try
            {
                completed = nullable is ScalarType scalar ? scalar.Serialize(value)
                    : ((EnumType)nullable).FindByValue(value)?.Name ?? (value is string s ? ((EnumType)nullable).FindByName(s)?.Name : null)
                      ?? throw new GraphQLException($"Enum \"{nullable.Named.Name}\" cannot represent value: {value}");
            }
            catch (Exception e) { return FieldError(e, field, parentPath.Append(field.ResponseKey), type); }
        }
        return type is NonNullType ? CheckNonNull(completed, field, completed is null ? parentPath.Append(field.ResponseKey) : parentPath) : completed;
    }

    private ValueTask<object?> CompleteNullable(GraphType type, PlannedField field, object? value, ResultPath path)
    {
        if (value is null) return new ValueTask<object?>((object?)null);
        switch (type)
        {
            case ScalarType scalar:
                try { return new ValueTask<object?>(scalar.Serialize(value)); }
                catch (Exception e) { return new ValueTask<object?>(FieldError(e, field, path, NonNullMarker)); }
            case EnumType enumType:
                var enumValue = enumType.FindByValue(value) ?? (value is string s ? enumType.FindByName(s) : null);
                if (enumValue is not null) return new ValueTask<object?>(enumValue.Name);
                return new ValueTask<object?>(FieldError(new GraphQLException($"Enum \"{enumType.Name}\" cannot represent value: {value}"), field, path, NonNullMarker));
            case ListType list:
                return CompleteList(list, field, value, path);
            case ObjectType objectType:
                return ExecuteSelectionSet(objectType, value, ChildPlan(field, objectType), path);
            default:
                var resolved = request.Schema.ResolveObjectType(type.Named, value);
                if (resolved is null)
                    return new ValueTask<object?>(FieldError(new GraphQLException(
                        $"Abstract type \"{type.Named.Name}\" must resolve to an Object type at runtime for field \"{field.Definition?.Name}\"; {value.GetType().Name} matches none."),
                        field, path, NonNullMarker));
                return ExecuteSelectionSet(resolved, value, ChildPlan(field, resolved), path);
        }
    }

    private ValueTask<object?> CompleteList(ListType list, PlannedField field, object value, ResultPath path)
    {
        if (value is not IEnumerable items || value is string)
            return new ValueTask<object?>(FieldError(new GraphQLException($"Expected a list for field \"{field.Definition?.Name}\" but got {value.GetType().Name}."), field, path, NonNullMarker));
        var results = items is ICollection c ? new List<object?>(c.Count) : [];
        List<Task>? pending = null;
        int index = 0;
        bool leaf = field.IsLeafList;
        foreach (var item in items)
        {
            if (leaf)
            {
                results.Add(CompleteLeaf(list.OfType, field, item, path, index));
                index++;
                continue;
            }
            var completed = Complete(list.OfType, field, item, path.Append(index));
            if (completed.IsCompletedSuccessfully) results.Add(completed.Result);
            else
            {
                results.Add(null);
                (pending ??= []).Add(StoreInList(completed, results, index));
            }
            index++;
        }
        if (pending is null) return new ValueTask<object?>(FinishList(results));
        return AwaitList(pending, results);
    }

    private object? CompleteLeaf(GraphType itemType, PlannedField field, object? item, ResultPath listPath, int index)
    {
        // Items of a leaf list: same as a leaf field, with the index as the last path segment on error.
        var nullable = itemType is NonNullType nonNull ? nonNull.OfType : itemType;
        object? completed = null;
        if (item is not null)
        {
            try
            {
                completed = nullable is ScalarType scalar ? scalar.Serialize(item)
                    : ((EnumType)nullable).FindByValue(item)?.Name ?? throw new GraphQLException($"Enum \"{nullable.Named.Name}\" cannot represent value: {item}");
            }
            catch (Exception e) { return FieldError(e, field, listPath.Append(index), itemType); }
        }
        return itemType is NonNullType ? CheckNonNull(completed, field, listPath.Append(index)) : completed;
    }

    private static async Task StoreInList(ValueTask<object?> result, List<object?> results, int index)
    {
        var v = await result;
        lock (results) results[index] = v;
    }

    private static async ValueTask<object?> AwaitList(List<Task> pending, List<object?> results)
    {
        await Task.WhenAll(pending);
        return FinishList(results);
    }

    private static object FinishList(List<object?> results)
    {
        foreach (var item in results) if (item == Errored) return Errored;
        return results;
    }

    // A type that makes FieldError answer Errored: the caller's Complete turns it into null at nullable positions.
    private static readonly GraphType NonNullMarker = new NonNullType(Scalars.String);

    private object? FieldError(Exception exception, PlannedField field, ResultPath path, GraphType fieldType)
    {
        AddError(ToError(exception, field, path));
        return fieldType is NonNullType ? Errored : null;
    }

    private GraphQLError ToError(Exception exception, PlannedField field, ResultPath path)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerException!;
        if (exception is not (GraphQLException or InputCoercionException or OperationCanceledException) && exceptionMappers is not null)
            foreach (var map in exceptionMappers)
                if (map(exception) is { } mapped) { exception = mapped; break; }
        var extensions = new Dictionary<string, object?>();
        string message;
        switch (exception)
        {
            case GraphQLException g:
                message = g.Message;
                if (g.ErrorExtensions is not null) foreach (var (k, v) in g.ErrorExtensions) extensions[k] = v;
                if (g.Code is not null) extensions["code"] = g.Code;
                break;
            case InputCoercionException c:
                message = c.Message;
                extensions["code"] = ErrorCodes.BadUserInput;
                break;
            case OperationCanceledException when request.Cancellation.IsCancellationRequested:
                message = "The request was cancelled or exceeded its execution time.";
                extensions["code"] = ErrorCodes.ExecutionTimeout;
                break;
            default:
                message = "Unexpected Execution Error";
                exceptionDetails.Describe(exception, extensions, path);
                break;
        }
        return new GraphQLError(message)
        {
            Locations = [field.First.Location],
            Path = path.ToList(),
            Extensions = extensions.Count == 0 ? null : extensions,
        };
    }

    private void AddError(GraphQLError error) => request.AddError(error);
}

/// <summary>Decides how much of an unexpected exception a client sees: only in Development the message and stack trace.</summary>
public sealed class ExceptionDetails(bool include, Microsoft.Extensions.Logging.ILogger? logger = null)
{
    public bool Include { get; } = include;

    public void Describe(Exception exception, Dictionary<string, object?> extensions, ResultPath? path = null)
    {
        if (logger is not null)
            Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, exception, "Resolver failed at {Path}", path?.ToString());
        extensions["code"] = ErrorCodes.InternalError;
        if (!Include) return;
        extensions["message"] = exception.Message;
        extensions["exception"] = exception.GetType().FullName;
        extensions["stackTrace"] = exception.StackTrace;
    }
}
