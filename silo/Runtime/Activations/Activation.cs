using Microsoft.Extensions.Logging;

namespace Actors.Runtime.Activations;

/// <summary>
/// One grain in memory: its instance and its queue of calls. Calls run one at a time in arrival order; read-only calls
/// run together: those waiting side by side start as one turn, and one that arrives while such a turn runs, with no
/// other call waiting before it, joins it (as Orleans interleaves read-only requests). An activation that must re-read
/// its state (a failed write) is dropped after the current turn and its waiting calls go to a fresh activation.
/// </summary>
internal sealed class Activation
{
    private enum Phase { Created, Active, Deactivating, Dead }

    private readonly object gate = new();
    private readonly Queue<QueuedCall> queue = new();
    private readonly GrainRuntime runtime;
    private readonly GrainClass grainClass;
    private Phase phase = Phase.Created;
    private bool running;
    private bool dropRequested;
    /// <summary>While a read-only turn runs: how many of its calls are still running, and what completes when none is.</summary>
    private int readersRunning;
    private TaskCompletionSource? readersDone;
    private long lastUsed;
    private object? grain;

    public Activation(GrainRuntime runtime, GrainId id, GrainClass grainClass)
    {
        this.runtime = runtime;
        this.grainClass = grainClass;
        Id = id;
        lastUsed = runtime.Time.GetTimestamp();
    }

    public GrainId Id { get; }

    /// <summary>Queues a call; false when this activation is going away and the call must find a new one.</summary>
    public bool TryEnqueue(QueuedCall call)
    {
        lock (gate)
        {
            if (phase is Phase.Deactivating or Phase.Dead) return false;
            if (readersDone is not null && call.IsReadOnly && queue.Count == 0)
            {
                readersRunning++;
                ThreadPool.UnsafeQueueUserWorkItem(static x => _ = x.self.RunReader(x.call), (self: this, call), preferLocal: false);
                return true;
            }
            queue.Enqueue(call);
            if (running) return true;
            running = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.RunTurns(), this, preferLocal: false);
        return true;
    }

    /// <summary>True while a turn runs or calls wait; such an activation is not idle yet.</summary>
    public bool IsBusy
    {
        get { lock (gate) return running || queue.Count > 0; }
    }

    /// <summary>Marks the in-memory state as untrustworthy: the activation ends after the current turn.</summary>
    public void RequestDrop()
    {
        lock (gate) dropRequested = true;
    }

    private async Task RunTurns()
    {
        if (phase == Phase.Created && !await Activate()) return;
        var turn = new List<QueuedCall>();
        while (true)
        {
            List<QueuedCall>? orphans = null;
            turn.Clear();
            lock (gate)
            {
                if (dropRequested)
                {
                    phase = Phase.Dead;
                    orphans = [.. queue];
                    queue.Clear();
                    running = false;
                }
                else if (queue.Count == 0)
                {
                    running = false;
                    lastUsed = runtime.Time.GetTimestamp();
                    return;
                }
                else
                {
                    turn.Add(queue.Dequeue());
                    if (turn[0].IsReadOnly)
                        while (queue.TryPeek(out var next) && next.IsReadOnly) turn.Add(queue.Dequeue());
                }
            }

            if (orphans is not null)
            {
                runtime.Forget(this);
                foreach (var call in orphans) runtime.Route(Id, grainClass, call);
                return;
            }

            if (!turn[0].IsReadOnly) await turn[0].Run(grain!, Id, RequestDrop);
            else await RunReaders(turn);
        }
    }

    /// <summary>Runs a read-only turn; read-only calls that arrive meanwhile with nothing queued join it.</summary>
    private Task RunReaders(List<QueuedCall> turn)
    {
        Task done;
        lock (gate)
        {
            readersRunning = turn.Count;
            readersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done = readersDone.Task;
        }
        foreach (var call in turn) _ = RunReader(call);
        return done;
    }

    private async Task RunReader(QueuedCall call)
    {
        await call.Run(grain!, Id, RequestDrop);
        TaskCompletionSource? finished = null;
        lock (gate)
        {
            // The last reader closes the turn in the same step, so no call can join a turn that is over.
            if (--readersRunning == 0) (finished, readersDone) = (readersDone, null);
        }
        finished?.TrySetResult();
    }

    private async Task<bool> Activate()
    {
        try
        {
            var instance = grainClass.Create(runtime.Services, []);
            if (instance is not IGrainLifecycle lifecycle)
                throw new InvalidOperationException($"{grainClass.Implementation.Name} does not derive from Grain.");
            lifecycle.Attach(runtime.ContextFor(Id, this));
            CallChain.Current = new CallChain(Id, null);
            await lifecycle.OnActivate(CancellationToken.None);
            grain = instance;
            phase = Phase.Active;
            return true;
        }
        catch (Exception e)
        {
            runtime.Logger.LogWarning(e, "Activating {Grain} failed", Id);
            List<QueuedCall> failed;
            lock (gate)
            {
                phase = Phase.Dead;
                failed = [.. queue];
                queue.Clear();
                running = false;
            }
            runtime.Forget(this);
            foreach (var call in failed) call.Fail(new GrainActivationException($"{Id} could not be activated: {e.Message}", e));
            return false;
        }
    }

    /// <summary>Starts deactivation when the activation has been idle at least <paramref name="age"/>.</summary>
    public bool TryCollect(TimeSpan age)
    {
        lock (gate)
        {
            if (running || queue.Count > 0 || phase != Phase.Active) return false;
            if (runtime.Time.GetElapsedTime(lastUsed) < age) return false;
            phase = Phase.Deactivating;
            running = true;
        }
        return true;
    }

    /// <summary>Ends the activation: runs its deactivation hook and removes it from the silo.</summary>
    public async Task Deactivate()
    {
        try
        {
            if (grain is IGrainLifecycle lifecycle) await lifecycle.OnDeactivate(CancellationToken.None);
        }
        catch (Exception e)
        {
            runtime.Logger.LogWarning(e, "Deactivating {Grain} failed", Id);
        }
        finally
        {
            lock (gate) phase = Phase.Dead;
            runtime.Forget(this);
        }
    }

    /// <summary>For shutdown: claims the activation for deactivation once its current turn is done.</summary>
    public bool TryBeginShutdown()
    {
        lock (gate)
        {
            if (running || phase != Phase.Active) return false;
            phase = Phase.Deactivating;
            running = true;
            return true;
        }
    }
}

/// <summary>A grain could not be activated (its state could not be read, or its constructor failed).</summary>
public sealed class GrainActivationException(string message, Exception inner) : Exception(message, inner);
