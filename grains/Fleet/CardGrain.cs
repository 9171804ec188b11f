using Actors.Rules;
using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>The stored state of a fuel card.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class CardState : IJournaled<CardAuthorized>
{
    public string CustomerNumber { get; set; } = "";
    public CardStatus Status { get; set; }
    public int Rank { get; set; }
    public CardSettings Settings { get; set; } = new();
    /// <summary>No PIN is ever stored: only whether the customer chose one, and how many times it changed.</summary>
    public bool PinSet { get; set; }
    public int PinVersion { get; set; }
    public LocalDate? ActivatedOn { get; set; }
    public LocalDate? ExpiryDate { get; set; }
    public LocalDate? LastUsedOn { get; set; }
    public BlockReason? BlockReason { get; set; }
    public string? DuplicateNumber { get; set; }
    public List<FleetRequest> Requests { get; set; } = [];
    public List<PinEntryOrder> PinEntryOrder { get; set; } = [];
    public List<PolicyDecision> Decisions { get; set; } = [];
    public RenewalCycle? Renewal { get; set; }
    /// <summary>Use per limit and period (Brussels calendar), reset when a new period starts.</summary>
    public Dictionary<string, PeriodUsage> Usage { get; set; } = [];
    /// <summary>Wrong PINs typed on <see cref="WrongPinDay"/> (station-local); a new day starts again from zero.</summary>
    public int WrongPinAttempts { get; set; }
    public LocalDate? WrongPinDay { get; set; }
    /// <summary>How many authorizations the card has answered; numbers its transactions.</summary>
    public long Authorizations { get; set; }
    /// <summary>The most recent answers by idempotency key, oldest first, at most <see cref="CardGrain.RememberedAnswers"/>.</summary>
    public List<RememberedAnswer> RecentAnswers { get; set; } = [];
    /// <summary>Approved use per Brussels month (yyyy-MM) and product, until sent to that month's invoice.</summary>
    public Dictionary<string, Dictionary<string, PeriodUsage>> Billing { get; set; } = [];

    /// <summary>Takes one answered authorization (the card's journal entry); replaying a snapshot's journal gives the card.</summary>
    public void Apply(CardAuthorized entry) => CardGrain.Apply(this, entry);

    /// <summary>
    /// Hashes of <see cref="RecentAnswers"/>' keys in the same order, for <see cref="Recall"/>: comparing 50 numbers in
    /// one array instead of reading 50 answers and their keys, scattered in memory, for every authorization.
    /// Not stored; rebuilt when the answers were read from storage or replaced.
    /// </summary>
    private List<int>? recentKeyHashes;
    private List<RememberedAnswer>? hashedAnswers;

    /// <summary>The answer given to <paramref name="key"/>, if it is among the recent answers (newest first).</summary>
    public RememberedAnswer? Recall(string key)
    {
        var hashes = KeyHashes();
        var hash = string.GetHashCode(key);
        for (var i = hashes.Count - 1; i >= 0; i--)
            if (hashes[i] == hash && string.Equals(RecentAnswers[i].Key, key, StringComparison.Ordinal)) return RecentAnswers[i];
        return null;
    }

    /// <summary>Keeps <paramref name="answer"/> as the newest of at most <paramref name="limit"/> answers.</summary>
    public void Remember(RememberedAnswer answer, int limit)
    {
        var hashes = KeyHashes();
        RecentAnswers.Add(answer);
        hashes.Add(string.GetHashCode(answer.Key));
        if (RecentAnswers.Count <= limit) return;
        RecentAnswers.RemoveRange(0, RecentAnswers.Count - limit);
        hashes.RemoveRange(0, hashes.Count - limit);
    }

    private List<int> KeyHashes()
    {
        if (recentKeyHashes is { } hashes && ReferenceEquals(hashedAnswers, RecentAnswers) && hashes.Count == RecentAnswers.Count) return hashes;
        hashedAnswers = RecentAnswers;
        return recentKeyHashes = RecentAnswers.ConvertAll(a => string.GetHashCode(a.Key));
    }
}

/// <summary>Where the renewal of one expiry date stands (fiche 12); each step happens once.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RenewalCycle(LocalDate Expiry, bool NoticeSent = false, string? Decision = null, bool EditsClosed = false,
    bool Shipped = false, bool Finished = false, bool Reminded = false);

/// <summary>Three months before expiry: the fleet manager's notice.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RenewalNotice(string CardNumber, string CustomerNumber, LocalDate Expiry);

/// <summary>
/// The last day the renewal can still be changed (fiche 12's 31 January reminder, the day before the update ends): the
/// fleet manager's reminder, with the card's status then.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RenewalReminder(string CardNumber, string CustomerNumber, LocalDate Expiry, CardStatus Status, LocalDate LastDay);

/// <summary>What the renewal workflow decided for one expiry: RenewalCandidate, Cancelled or NotRenewed.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RenewalDecided(string CardNumber, string CustomerNumber, LocalDate Expiry, string Decision, string WorkflowVersion);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardBlocked(string CardNumber, string CustomerNumber, BlockReason Reason, string? DuplicateNumber);
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardReissued(string CardNumber, string CustomerNumber, int Rank, IReadOnlyList<string> Fields);
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardReconfigured(string CardNumber, string CustomerNumber, IReadOnlyList<string> Fields);
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record PinReissueRequested(string CardNumber, string CustomerNumber, int Rank);
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RenewalShipped(string CardNumber, string CustomerNumber, int Rank);

[GrainType("fleet.card")]
public sealed partial class CardGrain(
    [DurableState("card")] IJournaledState<CardState, CardAuthorized> card,
    WorkflowCatalog workflows,
    IClock clock) : Grain, ICardGrain, IRemindable
{
    private CardState State { get => card.State; set => card.State = value; }
    private Instant Now => clock.GetCurrentInstant();

    private const string RenewalReminder = "renewal";
    private static readonly string[] DefaultCountries = ["BE", "NL", "LU", "FR", "DE", "IT", "ES", "AT", "HU", "CZ", "PL", "SK"];
    private readonly FleetPolicies policies = new(workflows);

    /// <summary>Which status may follow which; anything else is refused (the states the seed forbids).</summary>
    public static readonly IReadOnlyDictionary<CardStatus, CardStatus[]> Transitions = new Dictionary<CardStatus, CardStatus[]>
    {
        [CardStatus.New] = [CardStatus.InProduction, CardStatus.Deleted],
        [CardStatus.InProduction] = [CardStatus.Active, CardStatus.Blocked],
        [CardStatus.Active] = [CardStatus.Blocked, CardStatus.Cancelled, CardStatus.RenewalCandidate],
        [CardStatus.Cancelled] = [CardStatus.Blocked, CardStatus.RenewalCandidate, CardStatus.Active, CardStatus.Expired],
        [CardStatus.RenewalCandidate] = [CardStatus.Blocked, CardStatus.Cancelled, CardStatus.InRenewal],
        [CardStatus.InRenewal] = [CardStatus.Blocked, CardStatus.Active],
        [CardStatus.Blocked] = [],
        [CardStatus.Expired] = [],
        [CardStatus.Deleted] = [],
    };

    private string Number => this.GetPrimaryKeyString();

    public async Task Create(string customerNumber, CardOrder order)
    {
        if (card.RecordExists) throw new FleetOperationException("ALREADY_EXISTS", $"Card {Number} already exists.");
        var settings = order.Settings;
        var accepted = await Validate(settings, order.Pin, creating: true);
        var entry = await EntryOrder(settings);
        State = new CardState
        {
            CustomerNumber = customerNumber,
            Status = CardStatus.New,
            Rank = 1,
            Settings = settings,
            PinSet = settings.PinType == PinType.Chosen,
            PinEntryOrder = entry.Order,
            Decisions = [accepted, .. entry.Decision is null ? Array.Empty<PolicyDecision>() : [entry.Decision]],
        };
        OpenRequest(RequestKind.Creation);
        card.RaiseEvent("CardCreated", new StatusChanged(Number, customerNumber, nameof(FleetProduct.FleetCard), CardStatus.New, CardStatus.New, 1));
        await Save();
    }

    public async Task Import(string customerNumber, CardSettings settings, LocalDate activatedOn, int rank, LocalDate? lastUsedOn, bool inProduction = false)
    {
        if (card.RecordExists) throw new FleetOperationException("ALREADY_EXISTS", $"Card {Number} already exists.");
        if (rank < 1) throw FleetInput.Invalid("INVALID_RANK", "rank", "A rank starts at 1.");
        var accepted = await Validate(settings, null, creating: false);
        var entry = await EntryOrder(settings);
        State = new CardState
        {
            CustomerNumber = customerNumber,
            Status = inProduction ? CardStatus.InProduction : CardStatus.Active,
            Rank = rank,
            Settings = settings,
            LastUsedOn = lastUsedOn,
            PinEntryOrder = entry.Order,
            Decisions = [accepted, .. entry.Decision is null ? Array.Empty<PolicyDecision>() : [entry.Decision]],
        };
        if (inProduction)
            State.Requests.Add(FleetRequests.Open(Number, [], RequestKind.Creation, Now - FleetRequests.ProductionAfter) with { Status = RequestStatus.InProduction });
        else
        {
            State.ActivatedOn = activatedOn;
            State.ExpiryDate = FleetCalendar.ExpiryFrom(activatedOn);
            State.Renewal = new RenewalCycle(State.ExpiryDate.Value);
        }
        foreach (var request in State.Requests) ProjectRequest(request);
        card.RaiseEvent("CardImported", new StatusChanged(Number, customerNumber, nameof(FleetProduct.FleetCard), State.Status, State.Status, rank));
        await Save();
        if (!inProduction) await AdvanceRenewal();
    }

    [ReadOnly]
    public Task<CardView?> Get() => Task.FromResult(card.RecordExists ? View() : null);

    public async Task<string> Copy(string? plate, string? holderName, string? pin)
    {
        RequireCard();
        var settings = State.Settings with { Plate = plate, HolderName = holderName };
        return await GrainFactory.GetGrain<ICustomerGrain>(State.CustomerNumber).CreateCard(new CardOrder(settings, pin));
    }

    public async Task<ChangeOutcome> Change(CardSettings settings, string? newPin = null)
    {
        RequireCard();
        var changed = ChangedFields(State.Settings, settings);
        if (newPin is not null || settings.PinType != State.Settings.PinType) changed.Add("Pin");
        var reissuing = new List<string>();
        var decisions = new List<PolicyDecision>();
        foreach (var field in changed.DefaultIfEmpty("Nothing"))
        {
            var answer = await policies.Ask(FleetPolicies.CardChange,
                ("card", new { Status = State.Status.ToString() }), ("change", new { Field = field }));
            if (!answer.Succeeded("Editable"))
                throw new FleetOperationException("NOT_EDITABLE", answer.Rule("Editable").ExceptionMessage);
            if (field == "Nothing") return new ChangeOutcome(false, [], []);
            var reissue = answer.Succeeded("Reissue");
            if (reissue) reissuing.Add(field);
            decisions.Add(answer.Decision($"{field}: {(reissue ? "reissue" : "reconfigure")}", Now));
        }
        decisions.Add(await Validate(settings, newPin, creating: false));
        var entry = await EntryOrder(settings);
        if (entry.Decision is not null) decisions.Add(entry.Decision);
        if (changed.Contains("Division") && settings.Division is not null
            && !((await GrainFactory.GetGrain<ICustomerGrain>(State.CustomerNumber).Get())?.Divisions.Contains(settings.Division) ?? false))
            throw FleetInput.Invalid("UNKNOWN_DIVISION", "division", $"Customer {State.CustomerNumber} has no division '{settings.Division}'.");

        State.Settings = settings;
        State.PinEntryOrder = entry.Order;
        if (newPin is not null) { State.PinSet = true; State.PinVersion++; }
        State.Decisions.AddRange(decisions);
        if (reissuing.Count > 0)
        {
            State.Rank++;
            OpenRequest(RequestKind.Reissue);
            card.RaiseEvent("CardReissued", new CardReissued(Number, State.CustomerNumber, State.Rank, reissuing));
        }
        else card.RaiseEvent("CardReconfigured", new CardReconfigured(Number, State.CustomerNumber, changed));
        await Save();
        return new ChangeOutcome(reissuing.Count > 0, changed, reissuing);
    }

    public async Task<string?> Block(BlockReason reason, bool duplicate)
    {
        RequireCard();
        if (State.Status == CardStatus.New)
            throw new FleetOperationException("NEW_CARD_NOT_BLOCKABLE", "A New card is not made yet: delete it instead of blocking it.");
        if (!Transitions[State.Status].Contains(CardStatus.Blocked))
            throw new FleetOperationException("INVALID_TRANSITION", $"A card in status {State.Status} cannot be blocked.");
        // The duplicate is ordered before anything changes here, so a refused duplicate leaves this card as it was.
        string? duplicateNumber = null;
        if (duplicate)
        {
            var copy = State.Settings with { PinType = State.Settings.PinType == PinType.Chosen ? PinType.Computed : State.Settings.PinType };
            duplicateNumber = await GrainFactory.GetGrain<ICustomerGrain>(State.CustomerNumber).CreateDuplicate(Number, copy);
        }
        Move(CardStatus.Blocked);
        State.BlockReason = reason;
        State.DuplicateNumber = duplicateNumber;
        card.RaiseEvent("CardBlocked", new CardBlocked(Number, State.CustomerNumber, reason, duplicateNumber));
        await Save();
        return duplicateNumber;
    }

    public async Task Cancel()
    {
        RequireCard();
        if (State.Status is not (CardStatus.Active or CardStatus.RenewalCandidate))
            throw new FleetOperationException("NOT_CANCELLABLE", $"A card in status {State.Status} cannot be cancelled.");
        Move(CardStatus.Cancelled);
        await Save();
    }

    public async Task Renew()
    {
        RequireCard();
        var answer = await policies.Ask(FleetPolicies.Renewal, ("card", RenewalFacts()));
        if (!answer.Succeeded("CustomerMayRenew"))
            throw new FleetOperationException("NOT_RENEWABLE", answer.Rule("CustomerMayRenew").ExceptionMessage);
        if (State.Renewal is { EditsClosed: true })
            throw new FleetOperationException("RENEWAL_CLOSED", "Cards in production for renewal can no longer be renewed by hand.");
        var noticeSent = State.Renewal is { NoticeSent: true };
        State.Decisions.Add(answer.Decision(noticeSent ? "renewed by the customer: candidate" : "cancellation undone", Now));
        Move(noticeSent ? CardStatus.RenewalCandidate : CardStatus.Active);
        await Save();
    }

    public async Task Delete()
    {
        RequireCard();
        if (State.Status != CardStatus.New)
            throw new FleetOperationException("NOT_DELETABLE", $"Only a New card can be deleted; this one is {State.Status}.");
        Move(CardStatus.Deleted);
        for (var i = 0; i < State.Requests.Count; i++)
            if (State.Requests[i].Status == RequestStatus.New)
            {
                State.Requests[i] = State.Requests[i] with { Status = RequestStatus.Deleted, UpdatedAt = Now };
                ProjectRequest(State.Requests[i]);
            }
        card.Project(new ReadModelDelete(FleetTables.Status, new FleetStatusKey(Number)));
        card.CancelWakeUp(FleetRequests.ReminderName);
        await card.WriteStateAsync();
    }

    public async Task RequestPinReissue()
    {
        RequireCard();
        if (State.Status is CardStatus.New or CardStatus.Blocked or CardStatus.Expired or CardStatus.Deleted)
            throw new FleetOperationException("NOT_ALLOWED", $"No PIN reissue for a card in status {State.Status}.");
        if (State.Settings.PinType == PinType.PersonalCode)
            throw new FleetOperationException("NOT_ALLOWED", "This card uses personal driver codes: reissue the driver code instead.");
        OpenRequest(RequestKind.PinReissue);
        card.RaiseEvent("PinReissueRequested", new PinReissueRequested(Number, State.CustomerNumber, State.Rank));
        await Save();
    }

    public async Task RecordUse(LocalDate day)
    {
        RequireCard();
        if (State.Status is not (CardStatus.Active or CardStatus.Cancelled or CardStatus.RenewalCandidate or CardStatus.InRenewal))
            throw new FleetOperationException("NOT_USABLE", $"A card in status {State.Status} cannot be used.");
        if (State.LastUsedOn is { } last && last >= day) return;
        State.LastUsedOn = day;
        await Save();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => card.OnWakeUp(reminderName, _ => WakeUp(reminderName));

    private async Task WakeUp(string reminder)
    {
        if (!card.RecordExists) return;
        if (reminder == FleetRequests.ReminderName) await AdvanceRequests();
        else if (reminder == RenewalReminder) await AdvanceRenewal();
        else if (reminder == BillingReminder) await SendBilling();
    }

    private async Task AdvanceRequests()
    {
        var moved = FleetRequests.Advance(State.Requests, Now);
        foreach (var request in moved.Where(r => r.Kind == RequestKind.Creation))
        {
            if (request.Status == RequestStatus.InProduction && State.Status == CardStatus.New) Move(CardStatus.InProduction);
            if (request.Status == RequestStatus.Done)
            {
                if (State.Status == CardStatus.New) Move(CardStatus.InProduction);
                if (State.Status == CardStatus.InProduction) Activate();
            }
        }
        foreach (var request in moved)
        {
            ProjectRequest(request);
            card.RaiseEvent("RequestChanged", new RequestChanged(Number, State.CustomerNumber, request.Id, request.Kind, request.Status));
        }
        await Save();
    }

    private void Activate()
    {
        Move(CardStatus.Active);
        State.ActivatedOn = FleetCalendar.Today(Now);
        State.ExpiryDate = FleetCalendar.ExpiryFrom(State.ActivatedOn.Value);
        State.Renewal = new RenewalCycle(State.ExpiryDate.Value);
        StageRenewal();
    }

    /// <summary>
    /// Runs every renewal step whose time has come, in order, each once (fiche 12): notice and decision at expiry - 3
    /// months, end of edits and production at M-1, shipping two weeks later, activation (rank + 1) at M, expiry after.
    /// </summary>
    private async Task AdvanceRenewal()
    {
        // Each step is written on its own, so a step that fails leaves the ones before it done and nothing half-staged.
        var ran = false;
        while (State.Renewal is { } cycle && NextRenewalStep(cycle) is { } step && step.At <= Now)
        {
            await step.Run();
            StageRenewal();
            await Save();
            ran = true;
        }
        if (!ran)
        {
            // An early or repeated tick: the reminder it used up must still point at the next step.
            StageRenewal();
            await card.WriteStateAsync();
        }
    }

    private sealed record RenewalStep(Instant At, Func<Task> Run);

    private RenewalStep? NextRenewalStep(RenewalCycle cycle)
    {
        var month = FleetCalendar.MonthStart(cycle.Expiry);
        if (cycle.Finished) return null;
        if (!cycle.NoticeSent) return new(FleetCalendar.StartOf(cycle.Expiry.PlusMonths(-3)), SendNotice);
        if (!cycle.Reminded && !cycle.EditsClosed) return new(FleetCalendar.StartOf(month.PlusMonths(-1).PlusDays(-1)), SendReminder);
        if (!cycle.EditsClosed) return new(FleetCalendar.StartOf(month.PlusMonths(-1)), CloseEdits);
        if (!cycle.Shipped) return new(FleetCalendar.StartOf(month.PlusMonths(-1).PlusDays(14)), Ship);
        if (State.Status == CardStatus.InRenewal) return new(FleetCalendar.StartOf(month), ActivateRenewal);
        return new(FleetCalendar.StartOf(cycle.Expiry.PlusDays(1)), Expire);
    }

    private async Task SendNotice()
    {
        var cycle = State.Renewal!;
        var answer = await policies.Ask(FleetPolicies.Renewal, ("card", RenewalFacts()));
        var decision = !answer.Succeeded("InScope") ? "NotRenewed"
            : answer.Succeeded("RenewAutomatically") ? nameof(CardStatus.RenewalCandidate) : nameof(CardStatus.Cancelled);
        if (decision == nameof(CardStatus.RenewalCandidate)) Move(CardStatus.RenewalCandidate);
        else if (decision == nameof(CardStatus.Cancelled) && State.Status != CardStatus.Cancelled) Move(CardStatus.Cancelled);
        State.Decisions.Add(answer.Decision($"renewal of {cycle.Expiry:yyyy-MM-dd}: {decision}", Now));
        State.Renewal = cycle with { NoticeSent = true, Decision = decision };
        card.RaiseEvent("RenewalNotice", new RenewalNotice(Number, State.CustomerNumber, cycle.Expiry));
        card.RaiseEvent("RenewalDecided", new RenewalDecided(Number, State.CustomerNumber, cycle.Expiry, decision, answer.Version));
    }

    /// <summary>Fiche 12: on the update's last day the fleet manager is reminded of a card still to renew or cancelled.</summary>
    private Task SendReminder()
    {
        var cycle = State.Renewal!;
        if (State.Status is CardStatus.RenewalCandidate or CardStatus.Cancelled)
            card.RaiseEvent("RenewalReminder", new RenewalReminder(Number, State.CustomerNumber, cycle.Expiry, State.Status,
                FleetCalendar.MonthStart(cycle.Expiry).PlusMonths(-1).PlusDays(-1)));
        State.Renewal = cycle with { Reminded = true };
        return Task.CompletedTask;
    }

    private Task CloseEdits()
    {
        if (State.Status == CardStatus.RenewalCandidate)
        {
            Move(CardStatus.InRenewal);
            OpenRenewalRequest();
        }
        State.Renewal = State.Renewal! with { EditsClosed = true };
        return Task.CompletedTask;
    }

    private Task Ship()
    {
        if (State.Status == CardStatus.InRenewal) card.RaiseEvent("RenewalShipped", new RenewalShipped(Number, State.CustomerNumber, State.Rank + 1));
        State.Renewal = State.Renewal! with { Shipped = true };
        return Task.CompletedTask;
    }

    private Task ActivateRenewal()
    {
        var expiry = State.Renewal!.Expiry;
        State.Rank++;
        Move(CardStatus.Active);
        CloseRequests(RequestKind.Renewal);
        State.ActivatedOn = FleetCalendar.MonthStart(expiry);
        State.ExpiryDate = FleetCalendar.ExpiryFrom(expiry);
        State.Renewal = new RenewalCycle(State.ExpiryDate.Value);
        return Task.CompletedTask;
    }

    private Task Expire()
    {
        if (State.Status == CardStatus.Cancelled) Move(CardStatus.Expired);
        State.Renewal = State.Renewal! with { Finished = true };
        return Task.CompletedTask;
    }

    /// <summary>Points the renewal reminder at the next step (or removes it), in the commit of the state that decides it.</summary>
    private void StageRenewal()
    {
        if (State.Renewal is { } cycle && NextRenewalStep(cycle) is { } step) card.WakeUpAt(RenewalReminder, step.At);
        else card.CancelWakeUp(RenewalReminder);
    }

    private object RenewalFacts()
    {
        var today = FleetCalendar.Today(Now);
        var months = State.LastUsedOn is { } used ? Period.Between(used, today, PeriodUnits.Months).Months : 999;
        return new { Status = State.Status.ToString(), MonthsSinceLastUse = months, Blocked = State.Status == CardStatus.Blocked };
    }

    private void OpenRenewalRequest()
    {
        var request = FleetRequests.Open(Number, State.Requests, RequestKind.Renewal, Now) with { Status = RequestStatus.InProduction };
        State.Requests.Add(request);
        ProjectRequest(request);
    }

    private void CloseRequests(RequestKind kind)
    {
        for (var i = 0; i < State.Requests.Count; i++)
            if (State.Requests[i].Kind == kind && State.Requests[i].Status is RequestStatus.New or RequestStatus.InProduction)
            {
                State.Requests[i] = State.Requests[i] with { Status = RequestStatus.Done, UpdatedAt = Now };
                ProjectRequest(State.Requests[i]);
            }
    }

    private void OpenRequest(RequestKind kind)
    {
        var request = FleetRequests.Open(Number, State.Requests, kind, Now);
        State.Requests.Add(request);
        ProjectRequest(request);
    }

    private void ProjectRequest(FleetRequest request) =>
        card.Project(new ReadModelUpsert(FleetTables.Requests, new FleetRequestRow(
            request.Id, State.CustomerNumber, Number, nameof(FleetProduct.FleetCard), request.Kind.ToString(), request.Status.ToString(),
            request.RequestedAt, request.UpdatedAt)));

    private void Move(CardStatus to)
    {
        var from = State.Status;
        if (from == to) return;
        if (!Transitions[from].Contains(to))
            throw new FleetOperationException("INVALID_TRANSITION", $"A card in status {from} cannot become {to}.");
        State.Status = to;
        card.RaiseEvent("CardStatusChanged", new StatusChanged(Number, State.CustomerNumber, nameof(FleetProduct.FleetCard), from, to, State.Rank));
    }

    private void RequireCard()
    {
        if (!card.RecordExists) throw new FleetOperationException("UNKNOWN_CARD", $"There is no card {Number}.");
        if (State.Status == CardStatus.Deleted) throw new FleetOperationException("UNKNOWN_CARD", $"Card {Number} was deleted.");
    }

    /// <summary>Writes state, the fleet status row and, when requests are pending, the reminder that moves them.</summary>
    private async Task Save()
    {
        card.Project(new ReadModelUpsert(FleetTables.Status, StatusRow()));
        if (FleetRequests.NextDue(State.Requests) is { } due) card.WakeUpAt(FleetRequests.ReminderName, due);
        await card.WriteStateAsync();
    }

    private FleetStatusRow StatusRow() => new(
        Number, State.CustomerNumber, nameof(FleetProduct.FleetCard), State.Settings.Plate, State.Settings.HolderName, State.Status.ToString(),
        State.Rank, State.Settings.Division, State.Settings.DriverName, State.LastUsedOn, State.ExpiryDate, State.Settings.PinType.ToString(),
        State.DuplicateNumber, State.Settings, Now);

    private CardView View() => new(
        Number, State.CustomerNumber, State.Status, State.Rank, State.Settings, State.PinSet, State.ExpiryDate, State.LastUsedOn,
        State.BlockReason, [.. State.Requests], [.. State.PinEntryOrder], [.. State.Decisions]);

    /// <summary>Formats first (plate, PIN, driver name, countries), then the creation workflow's required fields and limits.</summary>
    private async Task<PolicyDecision> Validate(CardSettings settings, string? pin, bool creating)
    {
        FleetInput.Plate(settings.Plate);
        if (settings.DriverName is not null) FleetInput.DriverName(settings.DriverName);
        if (settings.HolderName is { Length: > 27 }) throw FleetInput.Invalid("TOO_LONG", "holderName", "A name on a card has at most 27 characters.");
        foreach (var (country, i) in settings.Controls.Countries.Select((c, i) => (c, i))) FleetInput.Country(country, $"controls.countries[{i}]");
        if (settings.PinType == PinType.Chosen && (creating || pin is not null)) FleetInput.Pin(pin);
        if (settings.PinType != PinType.Chosen && pin is not null)
            throw FleetInput.Invalid("PIN_NOT_CHOSEN", "pin", $"A PIN is only given with PIN type {PinType.Chosen}.");
        var address = settings.ShippingAddress;
        var answer = await policies.Ask(FleetPolicies.CardCreation, ("card", new
        {
            settings.Plate,
            settings.HolderName,
            FuelAndEnergy = settings.FuelAndEnergy.ToList(),
            Services = settings.Services.ToList(),
            LimitProducts = settings.Limits.Select(l => l.Product).ToList(),
            LimitAmounts = settings.Limits.Select(l => l.Amount).ToList(),
            ShippingStreet = address?.Street,
            ShippingPostalCode = address?.PostalCode,
            ShippingCity = address?.City,
            ShippingCountry = address?.Country,
            settings.Controls.TankCapacityLiters,
        }));
        FleetPolicies.ThrowFirstRefusal(answer);
        return answer.Decision("settings accepted", Now);
    }

    private async Task<(List<PinEntryOrder> Order, PolicyDecision? Decision)> EntryOrder(CardSettings settings)
    {
        if (settings.PinType != PinType.PersonalCode) return ([], null);
        FleetPolicies.Answer? last = null;
        var countries = settings.Controls.Countries.Count > 0 ? settings.Controls.Countries : DefaultCountries;
        var order = new List<PinEntryOrder>();
        foreach (var country in countries)
        {
            var answer = await policies.Ask(FleetPolicies.PinEntryOrder, ("country", new { Code = country }));
            order.Add(new PinEntryOrder(country, answer.Succeeded("DriverCodeFirst")));
            last = answer;
        }
        return (order, last?.Decision($"PIN entry order: driver code first in {string.Join(", ", order.Where(o => o.DriverCodeFirst).Select(o => o.Country))}", Now));
    }

    /// <summary>The fields of fiche 07's table that differ between two configurations.</summary>
    internal static List<string> ChangedFields(CardSettings before, CardSettings after)
    {
        var changed = new List<string>();
        void Check(string field, bool differs) { if (differs) changed.Add(field); }
        Check("CardCategory", before.CardCategory != after.CardCategory);
        Check("PlateOrName", before.Plate != after.Plate || before.HolderName != after.HolderName);
        Check("FuelAndEnergy", !before.FuelAndEnergy.SequenceEqual(after.FuelAndEnergy));
        Check("Services", !before.Services.SequenceEqual(after.Services));
        Check("PosEntry", before.PosEntry != after.PosEntry);
        var fuel = after.FuelAndEnergy.Concat(before.FuelAndEnergy).ToHashSet();
        Check("FuelLimit", !before.Limits.Where(l => fuel.Contains(l.Product)).SequenceEqual(after.Limits.Where(l => fuel.Contains(l.Product))));
        Check("ServiceLimit", !before.Limits.Where(l => !fuel.Contains(l.Product)).SequenceEqual(after.Limits.Where(l => !fuel.Contains(l.Product))));
        Check("TankCapacity", before.Controls.TankCapacityLiters != after.Controls.TankCapacityLiters);
        Check("ForbiddenDays", !before.Controls.ForbiddenDays.SequenceEqual(after.Controls.ForbiddenDays));
        Check("VehicleType", before.Controls.VehicleType != after.Controls.VehicleType);
        Check("TimeControls", before.Controls.AllowedFrom != after.Controls.AllowedFrom || before.Controls.AllowedUntil != after.Controls.AllowedUntil
            || before.Controls.MaxTransactionsPerDay != after.Controls.MaxTransactionsPerDay);
        Check("Countries", !before.Controls.Countries.SequenceEqual(after.Controls.Countries));
        Check("Division", before.Division != after.Division);
        Check("DriverName", before.DriverName != after.DriverName);
        Check("ShippingAddress", before.ShippingAddress != after.ShippingAddress);
        return changed;
    }
}
