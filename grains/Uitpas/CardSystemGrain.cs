namespace Actors.Grains.Uitpas;

/// <summary>A card system (key: its id, e.g. <c>gent</c>): a region's or municipality's UiTPAS scheme. It never calls out.</summary>
public interface ICardSystemGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the card system's settings.</summary>
    Task Define(CardSystemDefinition definition);
    [ReadOnly] Task<CardSystemDefinition?> Get();
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class CardSystemState
{
    public CardSystemDefinition? Definition { get; set; }
}

[GrainType("uitpas.card-system")]
public sealed class CardSystemGrain([DurableState("card-system")] IDurableState<CardSystemState> cardSystem) : Grain, ICardSystemGrain
{
    public async Task Define(CardSystemDefinition definition)
    {
        UitpasInput.Required(definition.Name, "name");
        foreach (var (code, i) in definition.PostalCodes.Select((c, i) => (c, i))) UitpasInput.PostalCode(code, $"postalCodes[{i}]");
        if (definition.GracePeriodMonths is < 0 or > 24)
            throw UitpasInput.Invalid("INVALID_GRACE_PERIOD", "gracePeriodMonths", "A grace period is 0 to 24 months.");
        cardSystem.State.Definition = definition;
        cardSystem.RaiseEvent("UitpasCardSystemDefined", new { CardSystemId = this.GetPrimaryKeyString(), definition.Name });
        await cardSystem.WriteStateAsync();
    }

    [ReadOnly]
    public Task<CardSystemDefinition?> Get() => Task.FromResult(cardSystem.State.Definition);
}
