namespace Actors.Runtime.Activations;

/// <summary>A call waiting in an activation's queue.</summary>
internal abstract class QueuedCall(GrainMethod method, CallChain? caller)
{
    public GrainMethod Method { get; } = method;
    public bool IsReadOnly => Method.IsReadOnly;

    /// <summary>Runs the call on the grain instance, with the call chain extended by this grain.</summary>
    public async Task Run(object grain, GrainId id, Action dropActivation)
    {
        CallChain.Current = new CallChain(id, caller);
        try
        {
            await Execute(grain);
        }
        catch (Exception e)
        {
            if (grain is IGrainLifecycle lifecycle && lifecycle.AbandonUncommitted()) dropActivation();
            Fail(e);
        }
    }

    protected abstract Task Execute(object grain);
    public abstract void Fail(Exception error);
}

/// <summary>A call whose answer is a <typeparamref name="T"/> (null for methods returning plain Task).</summary>
internal sealed class QueuedCall<T>(GrainMethod method, object?[] arguments, CallChain? caller) : QueuedCall(method, caller)
{
    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task Execute(object grain)
    {
        var task = Method.Invoke(grain, arguments);
        await task;
        Completion.TrySetResult(task is Task<T> typed ? typed.Result : default!);
    }

    public override void Fail(Exception error) => Completion.TrySetException(error);
}
