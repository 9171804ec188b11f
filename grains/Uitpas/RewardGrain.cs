namespace Actors.Grains.Uitpas;

/// <summary>
/// A reward (key: its id). It owns the stock, shared by every holder: a redemption takes one by its id, a cancellation
/// gives it back; both are idempotent, so a holder retrying a redemption never takes two. It never calls holders.
/// </summary>
public interface IRewardGrain : IGrainWithStringKey
{
    Task Define(RewardDefinition definition);
    [ReadOnly] Task<RewardView?> Get();
    /// <summary>Takes one of the stock for <paramref name="redemptionId"/>; refused with OUT_OF_STOCK when none is left.</summary>
    Task Take(string redemptionId);
    /// <summary>Gives back what <paramref name="redemptionId"/> took (a cancelled redemption); nothing when it took nothing.</summary>
    Task Return(string redemptionId);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class RewardState
{
    public RewardDefinition? Definition { get; set; }
    /// <summary>The redemptions holding one of the stock.</summary>
    public HashSet<string> Taken { get; set; } = [];
}

[GrainType("uitpas.reward")]
public sealed class RewardGrain([DurableState("reward")] IDurableState<RewardState> reward) : Grain, IRewardGrain
{
    private RewardState State => reward.State;

    public async Task Define(RewardDefinition definition)
    {
        UitpasInput.Required(definition.Title, "title");
        if (definition.Points < 0) throw UitpasInput.Invalid("INVALID_POINTS", "points", "A reward's cost is not negative.");
        if (definition.Stock is < 0) throw UitpasInput.Invalid("INVALID_STOCK", "stock", "A stock is not negative.");
        if (definition.HolderLimit is < 1) throw UitpasInput.Invalid("INVALID_LIMIT", "holderLimit", "A holder limit is at least 1.");
        foreach (var counterId in definition.CounterIds)
            if (await GrainFactory.GetGrain<ICounterGrain>(counterId).Get() is not { } counter || counter.CardSystemId != definition.CardSystemId)
                throw UitpasInput.Invalid("UNKNOWN_COUNTER", "counterIds", $"Counter {counterId} is not a counter of card system {definition.CardSystemId}.");
        State.Definition = definition;
        reward.RaiseEvent("UitpasRewardDefined", new { RewardId = this.GetPrimaryKeyString(), definition.Title });
        await reward.WriteStateAsync();
        foreach (var counterId in definition.CounterIds) await GrainFactory.GetGrain<ICounterGrain>(counterId).Offer(null, this.GetPrimaryKeyString());
    }

    [ReadOnly]
    public Task<RewardView?> Get() => Task.FromResult(State.Definition is { } definition
        ? new RewardView(this.GetPrimaryKeyString(), definition, State.Taken.Count, definition.Stock - State.Taken.Count)
        : null);

    public async Task Take(string redemptionId)
    {
        var definition = State.Definition ?? throw new UitpasRefusedException("UNKNOWN_REWARD", $"There is no reward {this.GetPrimaryKeyString()}.");
        if (State.Taken.Contains(redemptionId)) return;
        if (definition.Stock is { } stock && State.Taken.Count >= stock)
            throw new UitpasRefusedException("OUT_OF_STOCK", "This reward is out of stock");
        State.Taken.Add(redemptionId);
        await reward.WriteStateAsync();
    }

    public async Task Return(string redemptionId)
    {
        if (!State.Taken.Remove(redemptionId)) return;
        await reward.WriteStateAsync();
    }
}
