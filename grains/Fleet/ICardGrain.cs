using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>A fuel card (key: card number): its settings, status, rank, requests and renewal.</summary>
public interface ICardGrain : IGrainWithStringKey
{
    /// <summary>Creates the card as a New request (called by the customer, who allocated the number).</summary>
    Task Create(string customerNumber, CardOrder order);
    [ReadOnly] Task<CardView?> Get();
    /// <summary>Fiche 04: orders a new card for the same customer with all settings of this one, a new plate and PIN.</summary>
    Task<string> Copy(string? plate, string? holderName, string? pin);
    /// <summary>Fiche 07: changes settings (and the PIN); the workflow decides reissue vs reconfigure per field.</summary>
    Task<ChangeOutcome> Change(CardSettings settings, string? newPin = null);
    /// <summary>Fiche 09: blocks an active or in-production card, optionally ordering a duplicate.</summary>
    Task<string?> Block(BlockReason reason, bool duplicate);
    /// <summary>Fiche 09/12: the card is not renewed at expiry, but stays usable until then.</summary>
    Task Cancel();
    /// <summary>Fiche 12: a cancelled card becomes a candidate for renewal again.</summary>
    Task Renew();
    /// <summary>Fiche 09: a New card is deleted instead of blocked.</summary>
    Task Delete();
    /// <summary>Fiche 13: the PIN is sent again by post.</summary>
    Task RequestPinReissue();
    /// <summary>A transaction used the card on that day; only a usable card (active, cancelled, candidate, in renewal) is used (transactions are the next issue; demo data and tests use this).</summary>
    Task RecordUse(LocalDate day);
    /// <summary>
    /// Takes over a card that already exists at the issuer (migration, demo data): Active since <paramref name="activatedOn"/>,
    /// or still in production; renewal steps whose time has passed run at once.
    /// </summary>
    Task Import(string customerNumber, CardSettings settings, LocalDate activatedOn, int rank, LocalDate? lastUsedOn, bool inProduction = false);
    /// <summary>
    /// Issue 6: answers a station's authorization with the limit and control workflows; counts an approval once per
    /// idempotency key and writes counters, transaction and anomalies in one commit before answering.
    /// </summary>
    Task<AuthorizationAnswer> Authorize(AuthorizationRequest request);
}
