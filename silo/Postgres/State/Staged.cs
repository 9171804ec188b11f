using Orleans;
using Orleans.Runtime;

namespace Actors.Postgres.State;

/// <summary>A state with changes staged in memory but not written.</summary>
internal interface IUncommitted
{
    /// <summary>Forgets the staged changes; true when there were any (the state in memory then holds them too).</summary>
    bool Abandon();
}

/// <summary>The durable states of one activation, so a failed call can find what it staged.</summary>
internal sealed class Staged
{
    private readonly List<IUncommitted> states = [];

    public static Staged Of(IGrainContext context)
    {
        if (context.GetComponent<Staged>() is { } staged) return staged;
        staged = new Staged();
        context.SetComponent(staged);
        return staged;
    }

    public void Add(IUncommitted state) => states.Add(state);

    public bool Abandon()
    {
        var any = false;
        foreach (var state in states) any |= state.Abandon();
        return any;
    }
}

/// <summary>
/// A call that fails after staging events, rows or dates must not let them ride along with the next write; and since the
/// state in memory was probably changed with them, the activation ends and the next call reads the state again.
/// </summary>
internal sealed class AbandonFailedChanges : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext call)
    {
        try
        {
            await call.Invoke();
        }
        catch
        {
            if (call.TargetContext.GetComponent<Staged>() is { } staged && staged.Abandon())
                call.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError,
                    "A call failed after staging changes; the state is read again."));
            throw;
        }
    }
}
