namespace Actors.Grains.Uitpas;

/// <summary>An activity (key: its id) at a counter: price, points per check-in, openings, window, limits and tariffs.</summary>
public interface IActivityGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the activity; the counter then offers it.</summary>
    Task Define(ActivityDefinition definition);
    [ReadOnly] Task<ActivityDefinition?> Get();
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ActivityState
{
    public ActivityDefinition? Definition { get; set; }
}

[GrainType("uitpas.activity")]
public sealed class ActivityGrain([DurableState("activity")] IDurableState<ActivityState> activity) : Grain, IActivityGrain
{
    public async Task Define(ActivityDefinition definition)
    {
        UitpasInput.Required(definition.Name, "name");
        if (definition.PriceCents < 0) throw UitpasInput.Invalid("INVALID_PRICE", "priceCents", "A price is not negative.");
        if (definition.Points < 0) throw UitpasInput.Invalid("INVALID_POINTS", "points", "Points per check-in are not negative.");
        if (definition.MinutesBefore < 0 || definition.MinutesAfter < 0)
            throw UitpasInput.Invalid("INVALID_WINDOW", "minutesBefore", "A check-in window does not shrink the opening.");
        foreach (var (opening, i) in definition.Openings.Select((o, i) => (o, i)))
            if (opening.End < opening.Start) throw UitpasInput.Invalid("INVALID_OPENING", $"openings[{i}]", "An opening ends after it starts.");
        foreach (var (tariff, i) in definition.Tariffs.Select((t, i) => (t, i)))
            if (tariff.Amount < 0 || tariff.Kind == DiscountKind.Relative && tariff.Amount > 100)
                throw UitpasInput.Invalid("INVALID_TARIFF", $"tariffs[{i}].amount", "A relative tariff is 0 to 100 percent; an absolute one not negative.");
        var counter = await GrainFactory.GetGrain<ICounterGrain>(definition.CounterId).Get()
            ?? throw UitpasInput.Invalid("UNKNOWN_COUNTER", "counterId", $"There is no counter {definition.CounterId}.");
        if (counter.CardSystemId != definition.CardSystemId)
            throw UitpasInput.Invalid("NOT_IN_CARD_SYSTEM", "cardSystemId", $"Counter {definition.CounterId} belongs to card system {counter.CardSystemId}.");
        activity.State.Definition = definition;
        activity.RaiseEvent("UitpasActivityDefined", new { ActivityId = this.GetPrimaryKeyString(), definition.CounterId, definition.Name });
        await activity.WriteStateAsync();
        await GrainFactory.GetGrain<ICounterGrain>(definition.CounterId).Offer(this.GetPrimaryKeyString(), null);
    }

    [ReadOnly]
    public Task<ActivityDefinition?> Get() => Task.FromResult(activity.State.Definition);
}
