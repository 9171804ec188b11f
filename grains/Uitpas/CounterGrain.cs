namespace Actors.Grains.Uitpas;

/// <summary>
/// A counter (balie; key: its id) of one card system: its local UiTPAS administrators, the rights of its staff, and the
/// activities and rewards it offers. Only an administrator of the counter grants rights (manual, "Inloggen"). It never calls out.
/// </summary>
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Opens the counter with its local administrators (their login identities, e-mails).</summary>
    Task Open(string cardSystemId, string name, IReadOnlyList<string> administrators);
    [ReadOnly] Task<CounterView?> Get();
    /// <summary>Sets a staff member's rights here; refused unless <paramref name="administrator"/> administers this counter.</summary>
    Task GrantRights(string administrator, string staffEmail, IReadOnlyList<StaffRight> rights);
    /// <summary>The caller's access here; refused (NOT_COUNTER_STAFF) for someone with no rights at this counter.</summary>
    [ReadOnly] Task<CounterAccess> Access(string email);
    /// <summary>Called by an activity or reward of this counter when it is defined.</summary>
    Task Offer(string? activityId, string? rewardId);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class CounterState
{
    public string CardSystemId { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Administrators { get; set; } = [];
    public Dictionary<string, List<StaffRight>> Staff { get; set; } = [];
    public List<string> Activities { get; set; } = [];
    public List<string> Rewards { get; set; } = [];
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record StaffRightsGranted(string CounterId, string GrantedBy, string Email, IReadOnlyList<StaffRight> Rights);

[GrainType("uitpas.counter")]
public sealed class CounterGrain([DurableState("counter")] IDurableState<CounterState> counter) : Grain, ICounterGrain
{
    private CounterState State => counter.State;
    private string Id => this.GetPrimaryKeyString();

    public async Task Open(string cardSystemId, string name, IReadOnlyList<string> administrators)
    {
        if (counter.RecordExists) throw new UitpasRefusedException("ALREADY_EXISTS", $"Counter {Id} already exists.");
        State.CardSystemId = UitpasInput.Required(cardSystemId, "cardSystemId");
        State.Name = UitpasInput.Required(name, "name");
        State.Administrators = [.. administrators.Select((a, i) => UitpasInput.Login(a, $"administrators[{i}]"))];
        if (State.Administrators.Count == 0) throw UitpasInput.Invalid("REQUIRED", "administrators", "A counter has a local UiTPAS administrator.");
        counter.RaiseEvent("UitpasCounterOpened", new { CounterId = Id, State.CardSystemId, State.Name });
        await counter.WriteStateAsync();
    }

    [ReadOnly]
    public Task<CounterView?> Get() => Task.FromResult(counter.RecordExists
        ? new CounterView(Id, State.CardSystemId, State.Name, [.. State.Administrators],
            State.Staff.ToDictionary(s => s.Key, s => (IReadOnlyList<StaffRight>)[.. s.Value]), [.. State.Activities], [.. State.Rewards])
        : null);

    public async Task GrantRights(string administrator, string staffEmail, IReadOnlyList<StaffRight> rights)
    {
        Require();
        if (!State.Administrators.Contains(administrator.ToLowerInvariant()))
            throw new UitpasRefusedException("NOT_COUNTER_ADMINISTRATOR", $"Only a local UiTPAS administrator of counter {State.Name} grants rights there.");
        var email = UitpasInput.Login(staffEmail);
        State.Staff[email] = [.. rights.Distinct().Order()];
        counter.RaiseEvent("UitpasStaffRightsGranted", new StaffRightsGranted(Id, administrator, email, State.Staff[email]));
        await counter.WriteStateAsync();
    }

    [ReadOnly]
    public Task<CounterAccess> Access(string email)
    {
        Require();
        var login = email.ToLowerInvariant();
        var administrator = State.Administrators.Contains(login);
        if (!State.Staff.TryGetValue(login, out var rights) && !administrator)
            throw new UitpasRefusedException("NOT_COUNTER_STAFF", $"{email} has no rights at counter {State.Name}.");
        return Task.FromResult(new CounterAccess(Id, State.CardSystemId, State.Name, [.. rights ?? []], administrator));
    }

    public async Task Offer(string? activityId, string? rewardId)
    {
        Require();
        if (activityId is not null && !State.Activities.Contains(activityId)) State.Activities.Add(activityId);
        else if (rewardId is not null && !State.Rewards.Contains(rewardId)) State.Rewards.Add(rewardId);
        else return;
        await counter.WriteStateAsync();
    }

    private void Require()
    {
        if (!counter.RecordExists) throw new UitpasRefusedException("UNKNOWN_COUNTER", $"There is no counter {Id}.");
    }
}

/// <summary>Checks a caller's right at a counter before a counter operation.</summary>
public static class CounterRights
{
    public static async Task<CounterAccess> Require(IGrainFactory grains, CounterStaff staff, StaffRight right)
    {
        var access = await grains.GetGrain<ICounterGrain>(staff.CounterId).Access(staff.Email);
        if (!access.Rights.Contains(right))
            throw new UitpasRefusedException("MISSING_RIGHT", $"{staff.Email} lacks the right {right} at counter {access.Name}.");
        return access;
    }
}
