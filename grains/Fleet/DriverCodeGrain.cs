using NodaTime;
namespace Actors.Grains.Fleet;

[GenerateSerializer]
public enum DriverCodeStatus { Active, Blocked }

/// <summary>
/// A driver's code (key: customer number/code), the chosen 4 digits of an 8-digit personal code (fiche 13). Changes and
/// reissues go through the customer, who checks divisions and card numbers.
/// </summary>
public interface IDriverCodeGrain : IGrainWithStringKey
{
    Task Create(string customerNumber, string code, string driverName, string? division);
    [ReadOnly] Task<DriverCodeView?> Get();
    /// <summary>Once created, only the name and the division change.</summary>
    Task Change(string driverName, string? division);
    /// <summary>Blocks the code, not the cards; blocking a blocked code does nothing.</summary>
    Task Block();
    Task Unblock();
    /// <summary>The code is sent again by post (an event), for a card and division the customer named.</summary>
    Task RequestReissue(string cardNumber, string division);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record DriverCodeView(string CustomerNumber, string Code, string DriverName, string? Division, DriverCodeStatus Status, int Reissues);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class DriverCodeState
{
    public string CustomerNumber { get; set; } = "";
    public string Code { get; set; } = "";
    public string DriverName { get; set; } = "";
    public string? Division { get; set; }
    public DriverCodeStatus Status { get; set; }
    public int Reissues { get; set; }
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record DriverCodeReissueRequested(string CustomerNumber, string Code, string CardNumber, string Division);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record DriverCodeChanged(string CustomerNumber, string Code, DriverCodeStatus Status, string DriverName, string? Division);

[GrainType("fleet.driver-code")]
public sealed class DriverCodeGrain(
    [DurableState("driver-code")] IDurableState<DriverCodeState> driverCode,
    IClock clock) : Grain, IDriverCodeGrain
{
    private DriverCodeState State { get => driverCode.State; set => driverCode.State = value; }
    private Instant Now => clock.GetCurrentInstant();

    public static string KeyOf(string customerNumber, string code) => $"{customerNumber}/{code}";

    public async Task Create(string customerNumber, string code, string driverName, string? division)
    {
        if (driverCode.RecordExists) throw new FleetValidationException("DUPLICATE_DRIVER_CODE", "code", $"Driver code {code} already exists.");
        State = new DriverCodeState
        {
            CustomerNumber = customerNumber,
            Code = FleetInput.DriverCode(code),
            DriverName = FleetInput.DriverName(driverName),
            Division = division,
        };
        await Save("DriverCodeCreated");
    }

    [ReadOnly]
    public Task<DriverCodeView?> Get() => Task.FromResult(driverCode.RecordExists
        ? new DriverCodeView(State.CustomerNumber, State.Code, State.DriverName, State.Division, State.Status, State.Reissues)
        : null);

    public async Task Change(string driverName, string? division)
    {
        Require();
        State.DriverName = FleetInput.DriverName(driverName);
        State.Division = division;
        await Save("DriverCodeChanged");
    }

    public async Task Block()
    {
        Require();
        if (State.Status == DriverCodeStatus.Blocked) return;
        State.Status = DriverCodeStatus.Blocked;
        await Save("DriverCodeBlocked");
    }

    public async Task Unblock()
    {
        Require();
        if (State.Status == DriverCodeStatus.Active) return;
        State.Status = DriverCodeStatus.Active;
        await Save("DriverCodeUnblocked");
    }

    public async Task RequestReissue(string cardNumber, string division)
    {
        Require();
        if (State.Status == DriverCodeStatus.Blocked)
            throw new FleetOperationException("DRIVER_CODE_BLOCKED", "A blocked driver code is not reissued; unblock it first.");
        State.Reissues++;
        driverCode.RaiseEvent("DriverCodeReissueRequested", new DriverCodeReissueRequested(State.CustomerNumber, State.Code, cardNumber, division));
        await Save("DriverCodeChanged");
    }

    private void Require()
    {
        if (!driverCode.RecordExists) throw new FleetOperationException("UNKNOWN_DRIVER_CODE", $"There is no driver code {this.GetPrimaryKeyString()}.");
    }

    private async Task Save(string eventType)
    {
        driverCode.RaiseEvent(eventType, new DriverCodeChanged(State.CustomerNumber, State.Code, State.Status, State.DriverName, State.Division));
        driverCode.Project(new ReadModelUpsert(FleetTables.DriverCodes,
            new DriverCodeRow(State.CustomerNumber, State.Code, State.DriverName, State.Division, State.Status.ToString(), Now)));
        await driverCode.WriteStateAsync();
    }
}
