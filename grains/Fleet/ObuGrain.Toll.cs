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
/// <para>
/// Billing (fiche 11): each recorded passage counts, in the same commit, in the OBU's unbilled toll of its Brussels month
/// of passage (<see cref="TollPassageReceipt.Day"/>), one invoice line per country, toll domain and applied tariff class
/// (quantity = km, amount = euro, transactions = passages). The <c>billing</c> reminder, staged with that state, sends
/// each finished month as a batch to the month's invoice, or as a correction to the next invoice not yet issued, and
/// drops it only once an invoice took it. This month's toll goes at the start of the next month, like a card's use;
/// toll of a month already over (toll chargers report days late) goes the next night.
/// </para>
/// </remarks>
public sealed partial class ObuGrain
{
    /// <summary>
    /// How many passage ids an OBU remembers for retries. Toll chargers retry within minutes, and the state is rewritten
    /// on every passage, so the window stays short; beyond it a retry rewrites the same read-model row (keyed by OBU and
    /// passage id), so the follow-up still counts it once, but raises the event again.
    /// </summary>
    public const int RememberedPassages = 100;
    private const string BillingReminder = "billing";

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
        obu.Project(new ReadModelUpsert(FleetTollTransactionRow.Table, new FleetTollTransactionRow(
            Number, passage.PassageId, State.CustomerNumber, settings.Product.ToString(), settings.Plate, settings.Division, passage.TollDomain,
            passage.Country, passage.EntryPoint, passage.ExitPoint, TollPassageChecks.Plain(passage.DistanceKm), passage.TariffClass, State.Toll.TariffClass, receipt.Amount,
            passage.PassedAt, receipt.Day, reportedBy, now)));
        obu.RaiseEvent("TollPassageRecorded", new TollPassageRecorded(Number, passage.PassageId, State.CustomerNumber, passage.TollDomain,
            passage.Country, TollPassageChecks.Plain(passage.DistanceKm), passage.TariffClass, receipt.Amount, passage.PassedAt, receipt.Day, reportedBy));
        CountToll(passage, receipt.Day);
        await obu.WriteStateAsync();
        return receipt;
    }

    /// <summary>
    /// Adds the passage to the open batch of its month. A new batch moves the billing reminder with this commit, so no
    /// recorded passage is left without a reminder that bills it.
    /// </summary>
    private void CountToll(TollPassage passage, LocalDate day)
    {
        var month = day.ToString("yyyy-MM", null);
        var index = State.UnbilledToll.FindIndex(u => u.Month == month && !u.Sealed);
        if (index < 0)
        {
            State.UnbilledToll.Add(new UnbilledToll(month, ++State.TollBatches, false, []));
            index = State.UnbilledToll.Count - 1;
            StageTollBilling();
        }
        var batch = State.UnbilledToll[index];
        var used = batch.Lines.FirstOrDefault(l => l.Country == passage.Country && l.TollDomain == passage.TollDomain && l.TariffClass == passage.TariffClass)
            ?? new TollUse(passage.Country, passage.TollDomain, passage.TariffClass, 0, 0, 0);
        var counted = used with
        {
            DistanceKm = used.DistanceKm + TollPassageChecks.Plain(passage.DistanceKm),
            Amount = used.Amount + TollPassageChecks.Plain(passage.Amount),
            Passages = used.Passages + 1,
        };
        State.UnbilledToll[index] = batch with { Lines = [.. batch.Lines.Where(l => !ReferenceEquals(l, used)), counted] };
    }

    /// <summary>
    /// Sends every batch of a finished month to its invoice (<see cref="InvoiceBilling"/>). The batches are sealed, and
    /// that written, before any invoice sees them: a passage arriving after an invoice took a batch but before this
    /// grain recorded it (a failed commit, retried) opens a new batch instead of growing one an issued invoice holds.
    /// </summary>
    private async Task SendToll()
    {
        var current = FleetCalendar.Today(Now).ToYearMonth();
        var finished = State.UnbilledToll.Where(u => InvoiceBilling.ParseMonth(u.Month) < current).ToList();
        if (finished.Any(u => !u.Sealed))
        {
            State.UnbilledToll = [.. State.UnbilledToll.Select(u => finished.Contains(u) ? u with { Sealed = true } : u)];
            await obu.WriteStateAsync();
        }
        foreach (var batch in State.UnbilledToll.Where(u => u.Sealed).ToList())
        {
            var lines = batch.Lines.OrderBy(l => l.Country, StringComparer.Ordinal).ThenBy(l => l.TollDomain, StringComparer.Ordinal)
                .ThenBy(l => l.TariffClass, StringComparer.Ordinal)
                .Select(l => new InvoiceLine(InvoiceLineKind.Toll, Number, TollUse.Product(l), l.DistanceKm, l.Amount, l.Passages)).ToList();
            await InvoiceBilling.Send(GrainFactory, State.CustomerNumber, new InvoiceBatch(InvoiceBatch.IdOf(Number, batch.Month, batch.Batch), batch.Month, lines), Now);
            State.UnbilledToll.Remove(batch);
            StageTollBilling();
            await obu.WriteStateAsync();
        }
        if (finished.Count == 0)
        {
            StageTollBilling();
            await obu.WriteStateAsync();
        }
    }

    /// <summary>
    /// The billing reminder follows what is left to bill: the next night when a finished month waits (late toll), else
    /// the start of the next month, or none.
    /// </summary>
    private void StageTollBilling()
    {
        var today = FleetCalendar.Today(Now);
        if (State.UnbilledToll.Count == 0) obu.CancelWakeUp(BillingReminder);
        else if (State.UnbilledToll.Any(u => InvoiceBilling.ParseMonth(u.Month) < today.ToYearMonth()))
            obu.WakeUpAt(BillingReminder, FleetCalendar.StartOf(today.PlusDays(1)));
        else obu.WakeUpAt(BillingReminder, FleetCalendar.StartOf(FleetCalendar.MonthStart(today).PlusMonths(1)));
    }

    /// <summary>The receipt is made from the passage and when it was first recorded, so a retry gets the very same one.</summary>
    private TollPassageReceipt Receipt(TollPassage passage, Instant recordedAt) =>
        new(passage.PassageId, Number, State.CustomerNumber, FleetCalendar.Today(passage.PassedAt), TollPassageChecks.Plain(passage.Amount), recordedAt);

    private void RequireChargeable(Instant passedAt)
    {
        if (!obu.RecordExists || State.Status == CardStatus.Deleted) throw new FleetOperationException("UNKNOWN_OBU", $"There is no OBU {Number}.");
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
