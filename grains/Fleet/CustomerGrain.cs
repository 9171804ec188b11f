using NodaTime;

namespace Actors.Grains.Fleet;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class CustomerState
{
    public string Name { get; set; } = "";
    public List<string> Divisions { get; set; } = [];
    public List<string> Cards { get; set; } = [];
    public List<string> Obus { get; set; } = [];
    public List<string> DriverCodes { get; set; } = [];
    public int NextCard { get; set; } = 1;
    public int NextObu { get; set; } = 1;
    public List<string> DriverCodesToBlock { get; set; } = [];
    public Instant? DriverCodesBlockAt { get; set; }
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record DriverCodesBlockScheduled(string CustomerNumber, IReadOnlyList<string> Codes, Instant At);

/// <remarks>
/// Calls go from cards and OBUs to their customer (copy, duplicate, division checks); the customer calls only grains it is
/// creating, New cards and OBUs it deletes, and driver codes, none of which call out: so two turns never wait on each other.
/// </remarks>
[GrainType("fleet.customer")]
public sealed class CustomerGrain(
    [DurableState("customer")] IDurableState<CustomerState> customer,
    IClock clock) : Grain, ICustomerGrain, IRemindable
{
    private CustomerState State { get => customer.State; set => customer.State = value; }
    private Instant Now => clock.GetCurrentInstant();

    /// <summary>Fiche 13: more than this many codes at once are blocked the next morning.</summary>
    public const int ImmediateDriverCodeBlocks = 5;
    private const string DriverCodeBlockReminder = "driver-code-blocks";

    private string CustomerNumber => this.GetPrimaryKeyString();

    public async Task Register(string name, IReadOnlyList<string> divisions)
    {
        FleetInput.CustomerNumber(CustomerNumber);
        FleetInput.Required(name, "name");
        foreach (var (division, i) in divisions.Select((d, i) => (d, i))) FleetInput.Required(division, $"divisions[{i}]");
        State.Name = name;
        State.Divisions = [.. State.Divisions.Union(divisions)];
        await customer.WriteStateAsync();
    }

    public async Task AddDivision(string division)
    {
        RequireCustomer();
        FleetInput.Required(division, "division");
        if (State.Divisions.Contains(division)) return;
        State.Divisions.Add(division);
        await customer.WriteStateAsync();
    }

    public async Task RemoveDivision(string division)
    {
        RequireCustomer();
        if (!State.Divisions.Remove(division)) return;
        await customer.WriteStateAsync();
    }

    [ReadOnly]
    public Task<CustomerView?> Get() => Task.FromResult(customer.RecordExists
        ? new CustomerView(CustomerNumber, State.Name, [.. State.Divisions], [.. State.Cards], [.. State.Obus], [.. State.DriverCodes],
            [.. State.DriverCodesToBlock], State.DriverCodesBlockAt)
        : null);

    public async Task<string> CreateCard(CardOrder order)
    {
        RequireCustomer();
        RequireDivision(order.Settings.Division);
        var number = NextCardNumber();
        await GrainFactory.GetGrain<ICardGrain>(number).Create(CustomerNumber, order);
        State.NextCard++;
        State.Cards.Add(number);
        await customer.WriteStateAsync();
        return number;
    }

    public async Task<string> ImportCard(CardSettings settings, LocalDate activatedOn, int rank, LocalDate? lastUsedOn, bool inProduction = false)
    {
        RequireCustomer();
        RequireDivision(settings.Division);
        var number = NextCardNumber();
        await GrainFactory.GetGrain<ICardGrain>(number).Import(CustomerNumber, settings, activatedOn, rank, lastUsedOn, inProduction);
        State.NextCard++;
        State.Cards.Add(number);
        await customer.WriteStateAsync();
        return number;
    }

    private string NextCardNumber() => $"789{CustomerNumber.PadLeft(10, '0')}{State.NextCard:D5}";

    public Task<string> CreateDuplicate(string blockedCard, CardSettings settings) => CreateCard(new CardOrder(settings));

    public async Task DeleteCard(string cardNumber)
    {
        RequireCustomer();
        if (!State.Cards.Contains(cardNumber))
            throw new FleetValidationException("UNKNOWN_CARD", "cardNumber", $"Customer {CustomerNumber} has no card {cardNumber}.");
        await GrainFactory.GetGrain<ICardGrain>(cardNumber).Delete();
        State.Cards.Remove(cardNumber);
        await customer.WriteStateAsync();
    }

    public async Task DeleteObu(string obuNumber)
    {
        RequireCustomer();
        if (!State.Obus.Contains(obuNumber))
            throw new FleetValidationException("UNKNOWN_OBU", "obuNumber", $"Customer {CustomerNumber} has no OBU {obuNumber}.");
        await GrainFactory.GetGrain<IObuGrain>(obuNumber).Delete();
        State.Obus.Remove(obuNumber);
        await customer.WriteStateAsync();
    }

    public async Task<string> CreateObu(ObuSettings settings)
    {
        RequireCustomer();
        RequireDivision(settings.Division);
        var number = $"250{CustomerNumber.PadLeft(10, '0')}{State.NextObu:D5}";
        await GrainFactory.GetGrain<IObuGrain>(number).Create(CustomerNumber, settings);
        State.NextObu++;
        State.Obus.Add(number);
        await customer.WriteStateAsync();
        return number;
    }

    public async Task CreateDriverCode(string code, string driverName, string? division)
    {
        RequireCustomer();
        FleetInput.DriverCode(code);
        FleetInput.DriverName(driverName);
        RequireDivision(division);
        if (State.DriverCodes.Contains(code))
            throw new FleetValidationException("DUPLICATE_DRIVER_CODE", "code", $"Driver code {code} already exists for customer {CustomerNumber}.");
        await GrainFactory.GetGrain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(CustomerNumber, code)).Create(CustomerNumber, code, driverName, division);
        State.DriverCodes.Add(code);
        await customer.WriteStateAsync();
    }

    public async Task ChangeDriverCode(string code, string driverName, string? division)
    {
        RequireCustomer();
        RequireDriverCode(code, "code");
        RequireDivision(division);
        await DriverCode(code).Change(driverName, division);
    }

    public async Task RequestDriverCodeReissue(string code, string cardNumber, string division)
    {
        RequireCustomer();
        RequireDriverCode(code, "code");
        if (!State.Cards.Contains(cardNumber))
            throw new FleetValidationException("UNKNOWN_CARD", "cardNumber", $"Customer {CustomerNumber} has no card {cardNumber}.");
        FleetInput.Required(division, "division");
        RequireDivision(division);
        await DriverCode(code).RequestReissue(cardNumber, division);
    }

    public async Task<Instant> BlockDriverCodes(IReadOnlyList<string> codes)
    {
        RequireCustomer();
        foreach (var (code, i) in codes.Select((c, i) => (c, i))) RequireDriverCode(code, $"codes[{i}]");
        if (codes.Count <= ImmediateDriverCodeBlocks)
        {
            foreach (var code in codes) await DriverCode(code).Block();
            return Now;
        }
        var at = FleetCalendar.NextMorning(Now);
        State.DriverCodesToBlock = [.. State.DriverCodesToBlock.Union(codes)];
        State.DriverCodesBlockAt = at;
        customer.RaiseEvent("DriverCodesBlockScheduled", new DriverCodesBlockScheduled(CustomerNumber, [.. codes], at));
        customer.WakeUpAt(DriverCodeBlockReminder, at);
        await customer.WriteStateAsync();
        return at;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => customer.OnWakeUp(reminderName, _ => WakeUp(reminderName));

    private async Task WakeUp(string reminder)
    {
        if (reminder != DriverCodeBlockReminder || State.DriverCodesBlockAt is not { } at || Now < at) return;
        // Blocking an already blocked code does nothing, so a repeated tick is harmless.
        foreach (var code in State.DriverCodesToBlock) await DriverCode(code).Block();
        State.DriverCodesToBlock = [];
        State.DriverCodesBlockAt = null;
        await customer.WriteStateAsync();
    }

    private IDriverCodeGrain DriverCode(string code) => GrainFactory.GetGrain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(CustomerNumber, code));

    private void RequireCustomer()
    {
        if (!customer.RecordExists)
            throw new FleetValidationException("UNKNOWN_CUSTOMER", "customerNumber", $"There is no customer with number {CustomerNumber}.");
    }

    private void RequireDriverCode(string code, string field)
    {
        if (!State.DriverCodes.Contains(code))
            throw new FleetValidationException("UNKNOWN_DRIVER_CODE", field, $"Customer {CustomerNumber} has no driver code {code}.");
    }

    private void RequireDivision(string? division)
    {
        if (division is not null && !State.Divisions.Contains(division))
            throw new FleetValidationException("UNKNOWN_DIVISION", "division", $"Customer {CustomerNumber} has no division '{division}'.");
    }
}
