using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>
/// Toll passages reported by the toll network (issue 6 item 5, PASSango transactions). The OBU checks it may be charged,
/// dedupes the toll charger's passage id, and writes the <c>fleet_toll_transactions</c> row and a
/// <c>TollPassageRecorded</c> event with its state in one commit. Passages themselves are not kept in state.
/// </summary>
/// <remarks>
/// Which passages are charged: an Active OBU's, and during a reissue (waiting for the certificate again) the current
/// OBU's, which keeps working. A blocked OBU's passages <b>before</b> the block instant are still charged: the toll
/// was incurred while the OBU was valid and the toll charger may learn of the block only later, so it stays due; from
/// the block on they are refused. A deleted or unknown OBU, or one not yet active (New, awaiting its first certificate,
/// in production) refuses every passage. A retry of a recorded passage answers the same receipt whatever happened since.
/// </remarks>
public sealed partial class ObuGrain
{
    /// <summary>
    /// How many passage ids an OBU remembers for retries. Toll chargers retry within minutes, and the state is rewritten
    /// on every passage, so the window stays short; beyond it a retry rewrites the same read-model row (keyed by OBU and
    /// passage id), so the follow-up still counts it once, but raises the event again.
    /// </summary>
    public const int RememberedPassages = 100;

    public async Task<TollPassageReceipt> ReportTollPassage(TollPassage passage, string reportedBy)
    {
        TollPassageChecks.Check(passage, Now);
        if (passage.ObuNumber != Number)
            throw FleetInput.Invalid("OBU_MISMATCH", "passage.obuNumber", $"Passage for OBU {passage.ObuNumber} reported to OBU {Number}.");
        var fingerprint = TollPassageChecks.Fingerprint(passage);
        if (State.RecentPassages.FirstOrDefault(p => p.PassageId == passage.PassageId) is { } remembered)
            return remembered.Fingerprint == fingerprint ? Receipt(passage, remembered.RecordedAt)
                : throw new FleetOperationException("PASSAGE_ID_REUSED", $"Passage id {passage.PassageId} was reported before with other content.");
        RequireChargeable(passage.PassedAt);

        var now = Now;
        State.RecentPassages.Add(new RememberedPassage(passage.PassageId, fingerprint, now));
        if (State.RecentPassages.Count > RememberedPassages) State.RecentPassages.RemoveRange(0, State.RecentPassages.Count - RememberedPassages);
        var receipt = Receipt(passage, now);
        var settings = State.Settings;
        Project(new ReadModelUpsert(FleetTollTransactionRow.Table, new FleetTollTransactionRow(
            Number, passage.PassageId, State.CustomerNumber, settings.Product.ToString(), settings.Plate, settings.Division, passage.TollDomain,
            passage.Country, passage.EntryPoint, passage.ExitPoint, TollPassageChecks.Plain(passage.DistanceKm), passage.TariffClass, State.Toll.TariffClass, receipt.Amount,
            passage.PassedAt, receipt.Day, reportedBy, now)));
        RaiseEvent("TollPassageRecorded", new TollPassageRecorded(Number, passage.PassageId, State.CustomerNumber, passage.TollDomain,
            passage.Country, TollPassageChecks.Plain(passage.DistanceKm), passage.TariffClass, receipt.Amount, passage.PassedAt, receipt.Day, reportedBy));
        await WriteStateAsync();
        return receipt;
    }

    /// <summary>The receipt is made from the passage and when it was first recorded, so a retry gets the very same one.</summary>
    private TollPassageReceipt Receipt(TollPassage passage, Instant recordedAt) =>
        new(passage.PassageId, Number, State.CustomerNumber, FleetCalendar.Today(passage.PassedAt), TollPassageChecks.Plain(passage.Amount), recordedAt);

    private void RequireChargeable(Instant passedAt)
    {
        if (!RecordExists || State.Status == CardStatus.Deleted) throw new FleetOperationException("UNKNOWN_OBU", $"There is no OBU {Number}.");
        switch (State.Status)
        {
            case CardStatus.Active:
            case CardStatus.AwaitingCertificate when State.Rank > 1:
                return;
            case CardStatus.Blocked when State.BlockedAt is { } blockedAt && passedAt < blockedAt:
                return;
            case CardStatus.Blocked:
                throw new FleetOperationException("OBU_BLOCKED",
                    $"OBU {Number} is blocked ({State.BlockReason}){(State.BlockedAt is { } at ? $" since {at}" : "")}: passages from then on are not charged to it.");
            default:
                throw new FleetOperationException("OBU_NOT_ACTIVE", $"OBU {Number} is {State.Status}, not yet active: it cannot be charged toll.");
        }
    }
}
