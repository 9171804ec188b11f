namespace Actors.Runtime.Activations;

/// <summary>
/// The grains a logical call is passing through (A calls B calls C). Grains take one call at a time, so a call back
/// into a grain already on the chain could never run: the runtime refuses it at once instead of waiting for the timeout.
/// </summary>
internal sealed record CallChain(GrainId Grain, CallChain? Caller)
{
    private static readonly AsyncLocal<CallChain?> current = new();

    public static CallChain? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public bool Contains(GrainId grain)
    {
        for (var link = this; link is not null; link = link.Caller)
            if (link.Grain == grain) return true;
        return false;
    }

    public override string ToString()
    {
        var names = new List<string>();
        for (var link = this; link is not null; link = link.Caller) names.Add(link.Grain.ToString());
        names.Reverse();
        return string.Join(" → ", names);
    }
}

/// <summary>A call would re-enter a grain that is waiting on it (A → B → A); it can never run, so it fails at once.</summary>
public sealed class GrainCallCycleException(string message) : Exception(message);
