namespace Actors.Grains.Fleet;

/// <summary>A fleet customer (key: customer number): divisions, and the cards, OBUs and driver codes it owns.</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    Task Register(string name, IReadOnlyList<string> divisions);
    Task AddDivision(string division);
    /// <summary>Removes a division from the list; cards and codes keep their division text until changed.</summary>
    Task RemoveDivision(string division);
    [ReadOnly] Task<CustomerView?> Get();
    /// <summary>Fiche 03: allocates a card number and orders the card; returns the number.</summary>
    Task<string> CreateCard(CardOrder order);
    /// <summary>Takes over an existing card (migration, demo data); see <see cref="ICardGrain.Import"/>.</summary>
    Task<string> ImportCard(CardSettings settings, NodaTime.LocalDate activatedOn, int rank, NodaTime.LocalDate? lastUsedOn, bool inProduction = false);
    /// <summary>Fiche 09: the duplicate of a blocked card, with its settings.</summary>
    Task<string> CreateDuplicate(string blockedCard, CardSettings settings);
    /// <summary>Fiche 09: deletes a New card.</summary>
    Task DeleteCard(string cardNumber);
    /// <summary>Fiche 09: deletes a New OBU.</summary>
    Task DeleteObu(string obuNumber);
    /// <summary>Fiche 05: orders an OBU; it waits for the registration certificate.</summary>
    Task<string> CreateObu(ObuSettings settings);
    /// <summary>Fiche 13: creates a driver code (4 digits) for a driver of a division.</summary>
    Task CreateDriverCode(string code, string driverName, string? division);
    /// <summary>Fiche 13: afterwards only the driver's name and the division change.</summary>
    Task ChangeDriverCode(string code, string driverName, string? division);
    /// <summary>Fiche 13: the code is sent again by post, for the card number and division given.</summary>
    Task RequestDriverCodeReissue(string code, string cardNumber, string division);
    /// <summary>
    /// Fiche 13: blocks driver codes. Up to 5 at once take effect now; more take effect the next morning at 06:00
    /// (Europe/Brussels). Returns when they take effect.
    /// </summary>
    Task<NodaTime.Instant> BlockDriverCodes(IReadOnlyList<string> codes);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CustomerView(
    string CustomerNumber, string Name, IReadOnlyList<string> Divisions, IReadOnlyList<string> Cards, IReadOnlyList<string> Obus,
    IReadOnlyList<string> DriverCodes, IReadOnlyList<string> DriverCodesToBlock, NodaTime.Instant? DriverCodesBlockAt);
