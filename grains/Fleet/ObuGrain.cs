using Actors.Rules;
using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>A toll OBU (key: OBU number): vehicle configuration, toll conditions from the workflow, certificate, status.</summary>
public interface IObuGrain : IGrainWithStringKey
{
    Task Create(string customerNumber, ObuSettings settings);
    [ReadOnly] Task<ObuView?> Get();
    /// <summary>Fiche 05: the registration certificate; processing starts when it is received.</summary>
    Task UploadRegistrationCertificate(string fileName, byte[] content);
    /// <summary>Fiche 08: a reissuing change needs the certificate again.</summary>
    Task<ChangeOutcome> Change(ObuSettings settings);
    Task Block(BlockReason reason, bool duplicate);
    Task Delete();
    /// <summary>
    /// Issue 6 item 5: a toll charger reports a passage (see <c>ObuGrain.Toll.cs</c>). The same passage id answers the
    /// same receipt and counts once; refused for an unknown, deleted, not yet active or (after its block) blocked OBU.
    /// </summary>
    Task<TollPassageReceipt> ReportTollPassage(TollPassage passage, string reportedBy);
}

/// <summary>What the toll conditions workflow made of the vehicle (fiche 05).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TollConditions(string TariffClass, bool ConnectionFees, decimal ConnectionFeeAmount, string WorkflowVersion);

/// <summary>Evidence received: never the file itself, only what identifies it.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CertificateReceipt(string FileName, int Size, string Sha256, Instant ReceivedAt);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record ObuView(
    string ObuNumber, string CustomerNumber, CardStatus Status, int Rank, ObuSettings Settings, TollConditions Toll,
    CertificateReceipt? Certificate, BlockReason? BlockReason, IReadOnlyList<FleetRequest> Requests, IReadOnlyList<PolicyDecision> Decisions);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ObuState
{
    public string CustomerNumber { get; set; } = "";
    public CardStatus Status { get; set; }
    public int Rank { get; set; }
    public ObuSettings Settings { get; set; } = new();
    public TollConditions Toll { get; set; } = new("", false, 0, "");
    public CertificateReceipt? Certificate { get; set; }
    public BlockReason? BlockReason { get; set; }
    /// <summary>When the OBU was blocked: toll passages before it are still due (see <c>ObuGrain.Toll.cs</c>).</summary>
    public Instant? BlockedAt { get; set; }
    /// <summary>The last <see cref="ObuGrain.RememberedPassages"/> recorded toll passages, oldest first, for retries.</summary>
    public List<RememberedPassage> RecentPassages { get; set; } = [];
    /// <summary>Toll not yet billed, one batch per Brussels month of passage (a late passage may open another), oldest first.</summary>
    public List<UnbilledToll> UnbilledToll { get; set; } = [];
    /// <summary>How many toll batches the OBU has opened: numbers the next one, so no batch id is ever used twice.</summary>
    public long TollBatches { get; set; }
    public List<FleetRequest> Requests { get; set; } = [];
    public List<PolicyDecision> Decisions { get; set; } = [];
}

[GrainType("fleet.obu")]
public sealed partial class ObuGrain(
    [DurableState("obu")] IDurableState<ObuState> obu,
    WorkflowCatalog workflows,
    IClock clock) : Grain, IObuGrain, IRemindable
{
    private ObuState State { get => obu.State; set => obu.State = value; }
    private Instant Now => clock.GetCurrentInstant();

    private const int MaxCertificateBytes = 10 * 1024 * 1024;
    private readonly FleetPolicies policies = new(workflows);
    private string Number => this.GetPrimaryKeyString();

    public async Task Create(string customerNumber, ObuSettings settings)
    {
        if (obu.RecordExists) throw new FleetOperationException("ALREADY_EXISTS", $"OBU {Number} already exists.");
        var (toll, decision) = await Validate(settings);
        State = new ObuState
        {
            CustomerNumber = customerNumber,
            Status = CardStatus.AwaitingCertificate,
            Rank = 1,
            Settings = settings,
            Toll = toll,
            Decisions = [decision],
        };
        obu.RaiseEvent("ObuCreated", new StatusChanged(Number, customerNumber, settings.Product.ToString(), CardStatus.New, State.Status, 1));
        await Save();
    }

    [ReadOnly]
    public Task<ObuView?> Get() => Task.FromResult(obu.RecordExists
        ? new ObuView(Number, State.CustomerNumber, State.Status, State.Rank, State.Settings, State.Toll, State.Certificate, State.BlockReason,
            [.. State.Requests], [.. State.Decisions])
        : null);

    public async Task UploadRegistrationCertificate(string fileName, byte[] content)
    {
        Require();
        FleetInput.Required(fileName, "fileName");
        if (content.Length == 0 || content.Length > MaxCertificateBytes)
            throw FleetInput.Invalid("INVALID_FILE", "content", "The registration certificate must be a file of at most 10 MB.");
        State.Certificate = new CertificateReceipt(fileName, content.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), Now);
        if (State.Status == CardStatus.AwaitingCertificate)
        {
            var first = State.Rank == 1 && State.Requests.Count == 0;
            Move(first ? CardStatus.New : CardStatus.Active);
            OpenRequest(first ? RequestKind.Creation : RequestKind.Reissue);
        }
        await Save();
    }

    public async Task<ChangeOutcome> Change(ObuSettings settings)
    {
        Require();
        var changed = ChangedFields(State.Settings, settings);
        var reissuing = new List<string>();
        var decisions = new List<PolicyDecision>();
        foreach (var field in changed.DefaultIfEmpty("Nothing"))
        {
            var answer = await policies.Ask(FleetPolicies.ObuChange, ("obu", new { Status = State.Status.ToString() }), ("change", new { Field = field }));
            if (!answer.Succeeded("Editable")) throw new FleetOperationException("NOT_EDITABLE", answer.Rule("Editable").ExceptionMessage);
            if (field == "Nothing") return new ChangeOutcome(false, [], []);
            if (answer.Succeeded("Reissue")) reissuing.Add(field);
            decisions.Add(answer.Decision($"{field}: {(answer.Succeeded("Reissue") ? "reissue" : "reconfigure")}", Now));
        }
        var (toll, tollDecision) = await Validate(settings);
        if (changed.Contains("Division") && settings.Division is not null
            && !((await GrainFactory.GetGrain<ICustomerGrain>(State.CustomerNumber).Get())?.Divisions.Contains(settings.Division) ?? false))
            throw FleetInput.Invalid("UNKNOWN_DIVISION", "division", $"Customer {State.CustomerNumber} has no division '{settings.Division}'.");
        State.Settings = settings;
        State.Toll = toll;
        State.Decisions.AddRange([.. decisions, tollDecision]);
        if (reissuing.Count > 0)
        {
            State.Rank++;
            State.Certificate = null;
            // Fiche 08: a reissue waits for the registration certificate again; the current OBU keeps working meanwhile.
            if (State.Status == CardStatus.Active) Move(CardStatus.AwaitingCertificate);
            obu.RaiseEvent("ObuReissued", new CardReissued(Number, State.CustomerNumber, State.Rank, reissuing));
        }
        else obu.RaiseEvent("ObuReconfigured", new CardReconfigured(Number, State.CustomerNumber, changed));
        await Save();
        return new ChangeOutcome(reissuing.Count > 0, changed, reissuing);
    }

    public async Task Block(BlockReason reason, bool duplicate)
    {
        Require();
        if (State.Status is CardStatus.New or CardStatus.AwaitingCertificate && State.Rank == 1)
            throw new FleetOperationException("NEW_CARD_NOT_BLOCKABLE", "A New OBU is not made yet: delete it instead of blocking it.");
        if (State.Status is CardStatus.Blocked or CardStatus.Deleted)
            throw new FleetOperationException("INVALID_TRANSITION", $"An OBU in status {State.Status} cannot be blocked.");
        var duplicateNumber = duplicate ? await GrainFactory.GetGrain<ICustomerGrain>(State.CustomerNumber).CreateObu(State.Settings) : null;
        Move(CardStatus.Blocked);
        State.BlockReason = reason;
        State.BlockedAt = Now;
        obu.RaiseEvent("ObuBlocked", new CardBlocked(Number, State.CustomerNumber, reason, duplicateNumber));
        await Save();
    }

    public async Task Delete()
    {
        Require();
        if (State.Status is not (CardStatus.New or CardStatus.AwaitingCertificate) || State.Rank != 1)
            throw new FleetOperationException("NOT_DELETABLE", $"Only a New OBU can be deleted; this one is {State.Status}.");
        Move(CardStatus.Deleted);
        obu.Project(new ReadModelDelete(FleetTables.Status, new FleetStatusKey(Number)));
        obu.CancelWakeUp(FleetRequests.ReminderName);
        await obu.WriteStateAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => obu.OnWakeUp(reminderName, _ => WakeUp(reminderName));

    private async Task WakeUp(string reminder)
    {
        if (!obu.RecordExists) return;
        if (reminder == BillingReminder)
        {
            await SendToll();
            return;
        }
        if (reminder != FleetRequests.ReminderName) return;
        var moved = FleetRequests.Advance(State.Requests, Now);
        foreach (var request in moved)
        {
            if (request.Kind == RequestKind.Creation)
            {
                if (request.Status >= RequestStatus.InProduction && State.Status == CardStatus.New) Move(CardStatus.InProduction);
                if (request.Status == RequestStatus.Done && State.Status == CardStatus.InProduction) Move(CardStatus.Active);
            }
            ProjectRequest(request);
            obu.RaiseEvent("RequestChanged", new RequestChanged(Number, State.CustomerNumber, request.Id, request.Kind, request.Status));
        }
        await Save();
    }

    private async Task<(TollConditions, PolicyDecision)> Validate(ObuSettings s)
    {
        FleetInput.Plate(s.Plate);
        if (string.IsNullOrEmpty(s.Plate) && string.IsNullOrEmpty(s.HolderName))
            throw FleetInput.Invalid("REQUIRED", "plate", "A plate or a name is required.");
        if (s.Axles is < 2 or > 9) throw FleetInput.Invalid("INVALID_AXLES", "axles", "An OBU vehicle has 2 to 9 axles.");
        if (s.WeightKg is <= 0 or > 60000) throw FleetInput.Invalid("INVALID_WEIGHT", "weightKg", "The weight is between 1 and 60000 kg.");
        if (s.LengthCm < 0 || s.WidthCm < 0 || s.HeightCm < 0) throw FleetInput.Invalid("INVALID_DIMENSIONS", "dimensions", "Dimensions cannot be negative.");
        if (s.ShippingAddress is null) throw FleetInput.Invalid("REQUIRED", "shippingAddress", "A shipping address is required.");
        var answer = await policies.Ask(FleetPolicies.TollConditions, ("obu", new
        {
            s.VehicleClass, s.WeightKg, s.Axles, TollOperators = s.TollOperators.ToList(),
        }));
        if (!answer.Succeeded("TariffClass")) throw FleetInput.Invalid("INVALID_VEHICLE_CLASS", "vehicleClass", answer.Rule("TariffClass").ExceptionMessage);
        if (!answer.Succeeded("ClassMatchesWeight")) throw FleetInput.Invalid("CLASS_WEIGHT_MISMATCH", "weightKg", answer.Rule("ClassMatchesWeight").ExceptionMessage);
        if (!answer.Succeeded("OperatorsOffered")) throw FleetInput.Invalid("UNKNOWN_TOLL_OPERATOR", "tollOperators", answer.Rule("OperatorsOffered").ExceptionMessage);
        var fees = answer.Succeeded("ConnectionFees");
        var toll = new TollConditions((string)answer.Output("TariffClass")!, fees, fees ? Convert.ToDecimal(answer.Output("ConnectionFees")) : 0m, answer.Version);
        return (toll, answer.Decision($"toll: {toll.TariffClass}, connection fees {toll.ConnectionFeeAmount}", Now));
    }

    internal static List<string> ChangedFields(ObuSettings a, ObuSettings b)
    {
        var changed = new List<string>();
        void Check(string field, bool differs) { if (differs) changed.Add(field); }
        Check("PlateOrName", a.Plate != b.Plate || a.HolderName != b.HolderName);
        Check("Division", a.Division != b.Division);
        Check("AdditionalMention", a.AdditionalMention != b.AdditionalMention);
        Check("LinkedCard", a.LinkedCard != b.LinkedCard);
        Check("VehicleClass", a.VehicleClass != b.VehicleClass);
        Check("Weight", a.WeightKg != b.WeightKg);
        Check("Dimensions", a.LengthCm != b.LengthCm || a.WidthCm != b.WidthCm || a.HeightCm != b.HeightCm);
        Check("Axles", a.Axles != b.Axles);
        Check("TechnicalProperties", !a.TechnicalProperties.SequenceEqual(b.TechnicalProperties));
        Check("TollOperators", !a.TollOperators.SequenceEqual(b.TollOperators));
        Check("ShippingAddress", a.ShippingAddress != b.ShippingAddress);
        Check("Product", a.Product != b.Product);
        return changed;
    }

    private void OpenRequest(RequestKind kind)
    {
        var request = FleetRequests.Open(Number, State.Requests, kind, Now);
        State.Requests.Add(request);
        ProjectRequest(request);
    }

    private void ProjectRequest(FleetRequest request) =>
        obu.Project(new ReadModelUpsert(FleetTables.Requests, new FleetRequestRow(
            request.Id, State.CustomerNumber, Number, State.Settings.Product.ToString(), request.Kind.ToString(), request.Status.ToString(),
            request.RequestedAt, request.UpdatedAt)));

    private void Move(CardStatus to)
    {
        var from = State.Status;
        if (from == to) return;
        if (from is CardStatus.Blocked or CardStatus.Deleted)
            throw new FleetOperationException("INVALID_TRANSITION", $"An OBU in status {from} cannot become {to}.");
        State.Status = to;
        obu.RaiseEvent("ObuStatusChanged", new StatusChanged(Number, State.CustomerNumber, State.Settings.Product.ToString(), from, to, State.Rank));
    }

    private void Require()
    {
        if (!obu.RecordExists || State.Status == CardStatus.Deleted) throw new FleetOperationException("UNKNOWN_OBU", $"There is no OBU {Number}.");
    }

    private async Task Save()
    {
        obu.Project(new ReadModelUpsert(FleetTables.Status, new FleetStatusRow(
            Number, State.CustomerNumber, State.Settings.Product.ToString(), State.Settings.Plate, State.Settings.HolderName, State.Status.ToString(),
            State.Rank, State.Settings.Division, null, null, null, null, State.Settings.LinkedCard, State.Settings, Now)));
        if (FleetRequests.NextDue(State.Requests) is { } due) obu.WakeUpAt(FleetRequests.ReminderName, due);
        await obu.WriteStateAsync();
    }
}
