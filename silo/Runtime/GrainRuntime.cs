using System.Collections.Concurrent;
using System.Reflection;
using Actors.Runtime.Activations;
using Actors.Runtime.Events;
using Actors.Runtime.Reminders;
using Actors.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Npgsql;

namespace Actors.Runtime;

/// <summary>
/// A silo's grain runtime: activates grains on first call, runs their calls one turn at a time, persists their state
/// through group commit, delivers their reminders and publishes their events. Several runtimes (silos) may share one
/// database; correctness comes from PostgreSQL (state versions, row locks, SKIP LOCKED), not from silos agreeing.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<GrainId, Activation> activations = new();
    private readonly GrainCatalog catalog;
    private readonly NpgsqlDataSource dataSource;
    private readonly IReadOnlyList<Migration> migrations;
    private readonly StateCommits commits;
    private readonly ReminderTable reminderTable;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];
    private readonly SemaphoreSlim reminderPass = new(1, 1);

    public GrainRuntime(RuntimeOptions options, NpgsqlDataSource dataSource, GrainCatalog catalog, IServiceProvider services,
        IClock clock, TimeProvider? time = null, ILoggerFactory? loggers = null, IEnumerable<Migration>? migrations = null)
    {
        Options = options;
        this.dataSource = dataSource;
        this.catalog = catalog;
        Services = services;
        Clock = clock;
        Time = time ?? TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        Logger = loggers.CreateLogger<GrainRuntime>();
        this.migrations = [.. SchemaMigrations.Runtime, .. migrations ?? []];
        Events = new EventFeed(dataSource, loggers.CreateLogger<EventFeed>());
        commits = new StateCommits(dataSource, options.MaxWritesPerCommit, options.ConcurrentCommits, Events.Wake, options.SiloName);
        reminderTable = new ReminderTable(dataSource);
    }

    public RuntimeOptions Options { get; }
    public IClock Clock { get; }
    public EventFeed Events { get; }
    /// <summary>True once the schema is applied and the silo serves calls.</summary>
    public bool IsReady { get; private set; }
    /// <summary>How many grains are in memory on this silo.</summary>
    public int ActivationCount => activations.Count;

    /// <summary>True while any activation runs a turn (a call's answer can arrive just before its turn ends).</summary>
    internal bool AnyActivationBusy => activations.Values.Any(a => a.IsBusy);

    internal IServiceProvider Services { get; }
    internal TimeProvider Time { get; }
    internal ILogger Logger { get; }

    /// <summary>Applies the schema and, unless turned off, starts reminder delivery, idle collection and event listening.</summary>
    public async Task StartAsync(CancellationToken cancellation = default)
    {
        await SchemaMigrations.Apply(dataSource, migrations, cancellation);
        if (Options.RunBackgroundLoops)
        {
            loops.Add(Task.Run(() => ReminderLoop(stopping.Token)));
            loops.Add(Task.Run(() => CollectionLoop(stopping.Token)));
            loops.Add(Task.Run(() => Events.Listen(stopping.Token)));
        }
        IsReady = true;
    }

    /// <summary>Stops the loops, deactivates every activation and waits for pending writes.</summary>
    public async Task StopAsync()
    {
        IsReady = false;
        await stopping.CancelAsync();
        await Events.Stop();
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        for (var round = 0; round < 100 && !activations.IsEmpty; round++)
        {
            var ending = activations.Values.Where(a => a.TryBeginShutdown()).Select(a => a.Deactivate()).ToArray();
            await Task.WhenAll(ending);
            if (ending.Length == 0) await Task.Delay(10);
        }
        await commits.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested) await StopAsync();
    }

    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrain
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var grainClass = catalog.ForInterface(typeof(TGrain));
        var reference = DispatchProxy.Create<TGrain, GrainReference>();
        (reference as GrainReference)!.Bind(this, new GrainId(grainClass.TypeName, key), grainClass);
        return reference;
    }

    /// <summary>Queues a call on the grain's activation, activating it if needed, and waits for its answer.</summary>
    internal async Task<T> Call<T>(GrainId id, GrainClass grainClass, GrainMethod method, object?[] arguments)
    {
        var caller = CallChain.Current;
        if (caller is not null && caller.Contains(id))
            throw new GrainCallCycleException(
                $"Call cycle {caller} → {id} ({method.Name}): {id} is waiting for this call and takes one call at a time, so it could never run.");
        var call = new QueuedCall<T>(method, arguments, caller);
        Route(id, grainClass, call);
        try
        {
            return await call.Completion.Task.WaitAsync(Options.CallTimeout, Time);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{method.Name} on {id} did not answer within {Options.CallTimeout.TotalSeconds:0.###} s.");
        }
    }

    internal void Route(GrainId id, GrainClass grainClass, QueuedCall call)
    {
        while (true)
        {
            var activation = activations.GetOrAdd(id, static (key, state) => new Activation(state.runtime, key, state.grainClass), (runtime: this, grainClass));
            if (activation.TryEnqueue(call)) return;
            activations.TryRemove(KeyValuePair.Create(id, activation));
        }
    }

    internal void Forget(Activation activation) => activations.TryRemove(KeyValuePair.Create(activation.Id, activation));

    internal IGrainContext ContextFor(GrainId id, Activation activation) => new ActivationContext(
        id, Clock, this,
        new GrainStorage(id, dataSource, commits, Clock, activation.RequestDrop),
        new ReminderRegistry(id, reminderTable));

    /// <summary>Deactivates activations idle longer than the collection age; returns how many.</summary>
    public async Task<int> CollectIdleActivations()
    {
        var idle = activations.Values.Where(a => a.TryCollect(Options.CollectionAge)).ToArray();
        await Task.WhenAll(idle.Select(a => a.Deactivate()));
        return idle.Length;
    }

    /// <summary>
    /// Claims and delivers the reminders due now (by the injected clock), in batches until none are left;
    /// returns how many were delivered. The background loop calls this; tests call it after moving the clock.
    /// </summary>
    public async Task<int> DeliverDueReminders(CancellationToken cancellation = default)
    {
        await reminderPass.WaitAsync(cancellation);
        try
        {
            var delivered = 0;
            while (true)
            {
                var now = Clock.GetCurrentInstant();
                var claimed = await reminderTable.ClaimDue(Options.SiloName, now, Duration.FromTimeSpan(Options.ReminderLease), Options.ReminderBatchSize, cancellation);
                if (claimed.Count == 0) return delivered;
                var outcomes = new ReminderOutcome[claimed.Count];
                await Parallel.ForEachAsync(Enumerable.Range(0, claimed.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = Options.ReminderConcurrency, CancellationToken = cancellation },
                    async (i, _) => outcomes[i] = await Deliver(claimed[i], now));
                await reminderTable.Complete(outcomes, now + Duration.FromSeconds(30));
                delivered += outcomes.Count(o => o.Delivered);
                if (claimed.Count < Options.ReminderBatchSize) return delivered;
            }
        }
        finally
        {
            reminderPass.Release();
        }
    }

    private static readonly GrainMethod ReceiveReminder = GrainMethod.For(typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!);

    private async Task<ReminderOutcome> Deliver(ClaimedReminder reminder, Instant now)
    {
        var grainClass = catalog.ForTypeName(reminder.Grain.Type);
        if (grainClass is null || !typeof(IRemindable).IsAssignableFrom(grainClass.Implementation))
        {
            Logger.LogError("Reminder {Name} of {Grain} has no remindable grain class here; it is removed", reminder.Name, reminder.Grain);
            return new ReminderOutcome(reminder with { Period = null }, Delivered: true, now);
        }
        try
        {
            var tick = new ReminderTick(reminder.Name, reminder.DueAt, now, reminder.Period);
            await Call<object?>(reminder.Grain, grainClass, ReceiveReminder, [tick]);
            return new ReminderOutcome(reminder, Delivered: true, now);
        }
        catch (Exception e)
        {
            Logger.LogWarning(e, "Reminder {Name} of {Grain} failed; it will be retried", reminder.Name, reminder.Grain);
            return new ReminderOutcome(reminder, Delivered: false, now);
        }
    }

    private async Task ReminderLoop(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(Options.ReminderPollInterval, Time);
        do
        {
            try
            {
                await DeliverDueReminders(cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                Logger.LogWarning(e, "Delivering reminders failed; retrying at the next poll");
            }
        } while (await timer.WaitForNextTickAsync(cancellation).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    private async Task CollectionLoop(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(Options.CollectionInterval, Time);
        while (await timer.WaitForNextTickAsync(cancellation).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
        {
            try
            {
                await CollectIdleActivations();
            }
            catch (Exception e)
            {
                Logger.LogWarning(e, "Collecting idle activations failed");
            }
        }
    }

    private sealed record ActivationContext(GrainId Id, IClock Clock, IGrainFactory GrainFactory, IGrainStorage Storage, IReminderRegistry Reminders)
        : IGrainContext;

    private sealed class ReminderRegistry(GrainId grain, ReminderTable table) : IReminderRegistry
    {
        public Task<GrainReminder> RegisterOrUpdate(string name, Instant dueAt, Duration? period = null) => table.RegisterOrUpdate(grain, name, dueAt, period);
        public Task Unregister(string name) => table.Unregister(grain, name);
        public async Task<GrainReminder?> Get(string name) => (await table.Get(grain, name)).SingleOrDefault();
        public Task<IReadOnlyList<GrainReminder>> GetAll() => table.Get(grain, null);
    }
}

/// <summary>
/// A reference to a grain: calling one of its interface methods queues the call on the grain's activation.
/// Created by <see cref="GrainRuntime.GetGrain{TGrain}"/>; public only because proxies require it.
/// </summary>
public class GrainReference : DispatchProxy
{
    private GrainRuntime? runtime;
    private GrainClass? grainClass;

    public GrainId GrainId { get; private set; }

    internal void Bind(GrainRuntime grainRuntime, GrainId id, GrainClass implementation)
    {
        runtime = grainRuntime;
        GrainId = id;
        grainClass = implementation;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = GrainMethod.For(targetMethod!);
        return method.Dispatch(runtime!, GrainId, grainClass!, args ?? []);
    }
}
