using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.GraphQL.Execution;

/// <summary>
/// Collects the data loaders of one request (one service scope) and dispatches their batches when execution has
/// started every field it can without waiting: the executor reports when its synchronous work drains.
/// </summary>
public sealed class BatchScheduler
{
    private readonly List<IBatchDispatcher> _pending = [];
    private int _completing;
    private int _running;

    /// <summary>The executor is starting fields synchronously; keys asked for meanwhile wait for <see cref="Exit"/>.</summary>
    internal void Enter() => Interlocked.Increment(ref _running);

    /// <summary>The executor stopped starting fields; when nothing else is starting any, the batches go out.</summary>
    internal void Exit()
    {
        if (Interlocked.Decrement(ref _running) == 0) Dispatch();
    }

    // While a batch hands out its results, the resolvers it resumes queue new keys; dispatching waits until all are handed out.
    internal void BeginCompleting() => Interlocked.Increment(ref _completing);

    internal void EndCompleting()
    {
        if (Interlocked.Decrement(ref _completing) == 0) Dispatch();
    }

    internal void Enqueue(IBatchDispatcher loader)
    {
        lock (_pending) if (!_pending.Contains(loader)) _pending.Add(loader);
        // A resolver that awaited something else first asks outside any synchronous pass: nobody will call Exit,
        // so dispatch from the thread pool, which lets other resolvers resuming at the same time join the batch.
        if (Volatile.Read(ref _running) == 0 && Volatile.Read(ref _completing) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static scheduler => { if (Volatile.Read(ref scheduler._running) == 0) scheduler.Dispatch(); }, this, preferLocal: false);
    }

    /// <summary>Starts every pending batch; loaders enqueue again when their results start more work.</summary>
    public void Dispatch()
    {
        IBatchDispatcher[] due;
        lock (_pending)
        {
            if (_pending.Count == 0 || Volatile.Read(ref _completing) > 0 || Volatile.Read(ref _running) > 0) return;
            due = [.. _pending];
            _pending.Clear();
        }
        foreach (var loader in due) loader.DispatchBatch();
    }

    internal bool HasPending { get { lock (_pending) return _pending.Count > 0; } }
}

internal interface IBatchDispatcher
{
    void DispatchBatch();
}

/// <summary>
/// Loads values by key in batches, once per key per request (Hot Chocolate's BatchDataLoader): resolvers call
/// <see cref="LoadAsync"/>, and all keys asked for in one execution wave reach <see cref="LoadBatchAsync"/> together.
/// Register with <c>services.AddDataLoader&lt;TLoader&gt;()</c> and take it as a resolver parameter.
/// </summary>
public abstract class BatchDataLoader<TKey, TValue>(BatchScheduler scheduler) : IBatchDispatcher where TKey : notnull
{
    private readonly Dictionary<TKey, TaskCompletionSource<TValue?>> _cache = [];
    private List<(TKey Key, TaskCompletionSource<TValue?> Result)> _batch = [];
    private readonly Lock _lock = new();

    /// <summary>Loads the values of a batch of distinct keys; keys missing from the answer load as default (null).</summary>
    protected abstract Task<IReadOnlyDictionary<TKey, TValue>> LoadBatchAsync(IReadOnlyList<TKey> keys, CancellationToken cancellation);

    public Task<TValue?> LoadAsync(TKey key, CancellationToken cancellation = default)
    {
        lock (_lock)
        {
            if (_cache.TryGetValue(key, out var known)) return known.Task;
            var result = new TaskCompletionSource<TValue?>(TaskCreationOptions.None);
            _cache[key] = result;
            _batch.Add((key, result));
        }
        scheduler.Enqueue(this);
        return _cache[key].Task;
    }

    public async Task<IReadOnlyList<TValue?>> LoadAsync(IReadOnlyList<TKey> keys, CancellationToken cancellation = default)
    {
        var tasks = keys.Select(k => LoadAsync(k, cancellation)).ToArray();
        return await Task.WhenAll(tasks);
    }

    void IBatchDispatcher.DispatchBatch()
    {
        List<(TKey Key, TaskCompletionSource<TValue?> Result)> batch;
        lock (_lock)
        {
            if (_batch.Count == 0) return;
            batch = _batch;
            _batch = [];
        }
        _ = RunBatchAsync(batch);
    }

    private async Task RunBatchAsync(List<(TKey Key, TaskCompletionSource<TValue?> Result)> batch)
    {
        IReadOnlyDictionary<TKey, TValue>? values = null;
        Exception? failure = null;
        try { values = await LoadBatchAsync(batch.Select(b => b.Key).ToList(), CancellationToken.None); }
        catch (Exception e) { failure = e; }
        // Completing runs the waiting resolvers inline; what they start is dispatched once all results are out.
        scheduler.BeginCompleting();
        try
        {
            foreach (var (key, result) in batch)
            {
                if (failure is not null) result.TrySetException(failure);
                else result.TrySetResult(values!.TryGetValue(key, out var v) ? v : default);
            }
        }
        finally { scheduler.EndCompleting(); }
    }
}

/// <summary>
/// Loads the many values of each key in batches (Hot Chocolate's GroupedDataLoader), e.g. the books of each author:
/// one <see cref="LoadGroupsAsync"/> call for all keys of an execution wave; keys without values load as empty lists.
/// </summary>
public abstract class GroupedDataLoader<TKey, TValue>(BatchScheduler scheduler) : BatchDataLoader<TKey, IReadOnlyList<TValue>>(scheduler) where TKey : notnull
{
    protected abstract Task<ILookup<TKey, TValue>> LoadGroupsAsync(IReadOnlyList<TKey> keys, CancellationToken cancellation);

    protected sealed override async Task<IReadOnlyDictionary<TKey, IReadOnlyList<TValue>>> LoadBatchAsync(IReadOnlyList<TKey> keys, CancellationToken cancellation)
    {
        var groups = await LoadGroupsAsync(keys, cancellation);
        return keys.Distinct().ToDictionary(k => k, k => (IReadOnlyList<TValue>)groups[k].ToList());
    }
}

public static class DataLoaderServiceCollectionExtensions
{
    /// <summary>Registers a data loader per request scope, with the scheduler that batches it.</summary>
    public static IServiceCollection AddDataLoader<TLoader>(this IServiceCollection services) where TLoader : class
    {
        services.TryAddScoped<BatchScheduler>();
        services.AddScoped<TLoader>();
        return services;
    }
}
