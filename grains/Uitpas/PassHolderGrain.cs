using Actors.Grains.Fleet;
using Actors.Rules;
using NodaTime;

namespace Actors.Grains.Uitpas;

/// <summary>
/// A pass holder (key: national register number): identity, contact, opt-ins, a membership per card system with its card
/// and social tariff, and the holder's points with the history that makes them (check-ins, tariffs, redemptions). It calls
/// counters, activities and rewards, which never call holders. Every counter operation names the staff member and counter
/// and is refused without the right there; a retried request (same request id) counts once.
/// </summary>
public interface IPassHolderGrain : IGrainWithStringKey
{
    /// <summary>Called by a card being registered: adds the membership (a retry of the same card changes nothing).</summary>
    Task<HolderView> Join(HolderRegistration registration);
    [ReadOnly] Task<HolderView?> Get();
    /// <summary>Called by a card being blocked.</summary>
    Task PassBlocked(string passNumber);
    /// <summary>Manual, "UiTPAS gebruiken": the holder's data and only what this counter offers and the holder is entitled to.</summary>
    Task<HolderProfile> Profile(CounterStaff staff, string passNumber);
    /// <summary>Manual, "Punt sparen": a check-in at an activity of this counter earns its points.</summary>
    Task<CheckInReceipt> CheckIn(CounterStaff staff, string passNumber, string activityId, string requestId);
    /// <summary>Manual, "Kansentarief registreren": grants a tariff of an activity of this counter.</summary>
    Task<TariffGrant> GrantTariff(CounterStaff staff, string passNumber, string activityId, string tariffId, string requestId);
    /// <summary>Undoes a granted tariff from the history; its quota is free again.</summary>
    Task<TariffGrant> UndoTariff(CounterStaff staff, string grantId);
    /// <summary>Manual, "Voordeel omruilen": exchanges points for a reward of this counter.</summary>
    Task<Redemption> Redeem(CounterStaff staff, string passNumber, string rewardId, string requestId);
    /// <summary>Cancels a redemption: the points come back, and the reward's stock.</summary>
    Task<Redemption> CancelRedemption(CounterStaff staff, string redemptionId);
    /// <summary>Grants or renews the social tariff in the counter's card system until <paramref name="endDate"/> (default 30 April next year).</summary>
    Task<SocialTariff> RenewSocialTariff(CounterStaff staff, LocalDate? endDate);
    /// <summary>Suspends the social tariff in the counter's card system until a date (inclusive).</summary>
    Task<SocialTariff> SuspendSocialTariff(CounterStaff staff, LocalDate until);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class HolderState
{
    public EidData? Identity { get; set; }
    public ContactData Contact { get; set; } = new();
    public OptIns OptIns { get; set; } = new(false);
    public Dictionary<string, Membership> Memberships { get; set; } = [];
    public int Points { get; set; }
    public List<CheckInRecord> CheckIns { get; set; } = [];
    public List<TariffGrant> Tariffs { get; set; } = [];
    public List<Redemption> Redemptions { get; set; } = [];
    /// <summary>The latest policy decisions with their workflow versions.</summary>
    public List<PolicyDecision> Decisions { get; set; } = [];
}

[GrainType("uitpas.holder")]
public sealed partial class PassHolderGrain(
    [DurableState("holder")] IDurableState<HolderState> holder,
    WorkflowCatalog workflows,
    IClock clock) : Grain, IPassHolderGrain, IRemindable
{
    private const int RememberedDecisions = 100;
    private HolderState State => holder.State;
    private string Key => this.GetPrimaryKeyString();
    private Instant Now => clock.GetCurrentInstant();
    private LocalDate Today => UitpasCalendar.Today(Now);
    private readonly UitpasPolicies policies = new(workflows);

    public async Task<HolderView> Join(HolderRegistration registration)
    {
        var membership = registration.Membership;
        if (State.Memberships.TryGetValue(membership.CardSystemId, out var existing))
        {
            if (existing.PassNumber == membership.PassNumber) return View(); // the card's retried save
            if (existing.PassStatus == PassStatus.Active)
                throw new UitpasRefusedException("ALREADY_MEMBER",
                    $"The holder already has card {existing.PassNumber} in this card system; block it before registering a new one.");
            // A replacement card keeps the social tariff the membership had.
            membership = membership with { SocialTariff = membership.SocialTariff ?? existing.SocialTariff };
        }
        State.Identity = registration.Identity;
        State.Contact = registration.Contact;
        State.OptIns = registration.OptIns;
        State.Memberships[membership.CardSystemId] = membership;
        StageSocialTariff(membership.CardSystemId);
        Changed(membership, 0, "Registered");
        await holder.WriteStateAsync();
        return View();
    }

    [ReadOnly]
    public Task<HolderView?> Get() => Task.FromResult(holder.RecordExists && State.Identity is not null ? View() : null);

    public async Task PassBlocked(string passNumber)
    {
        foreach (var (cardSystem, membership) in State.Memberships.ToList())
            if (membership.PassNumber == passNumber && membership.PassStatus == PassStatus.Active)
            {
                State.Memberships[cardSystem] = membership with { PassStatus = PassStatus.Blocked };
                Changed(State.Memberships[cardSystem], 0, "PassBlocked");
            }
        await holder.WriteStateAsync();
    }

    private HolderView View() => new(Key, State.Identity!, State.Contact, State.OptIns, [.. State.Memberships.Values], State.Points,
        [.. State.CheckIns], [.. State.Tariffs], [.. State.Redemptions]);

    private void RequireHolder()
    {
        if (State.Identity is null) throw UitpasInput.Invalid("UNKNOWN_UITPAS_NUMBER", "uitpasNumber", "There is no registered holder here.");
    }

    /// <summary>Whether <paramref name="passNumber"/> is one of the holder's active cards.</summary>
    private bool ValidCard(string passNumber) => State.Memberships.Values.Any(m => m.PassNumber == passNumber && m.PassStatus == PassStatus.Active);

    private void Decided(PolicyDecision decision)
    {
        State.Decisions.Add(decision);
        if (State.Decisions.Count > RememberedDecisions) State.Decisions.RemoveRange(0, State.Decisions.Count - RememberedDecisions);
    }

    /// <summary>Raises the event subscriptions follow: the holder's points and status in a card system.</summary>
    private void Changed(Membership membership, int delta, string reason) =>
        holder.RaiseEvent("UitpasHolderChanged", new HolderChanged(Key, membership.PassNumber, membership.CardSystemId, State.Points, delta, reason,
            membership.SocialTariff?.Status ?? SocialTariffStatus.None));

    private Membership? MembershipOf(string cardSystemId) => State.Memberships.GetValueOrDefault(cardSystemId);

    /// <summary>The membership an event is about: the card system's, or else the one of the card used.</summary>
    private Membership Subject(string cardSystemId, string passNumber) =>
        MembershipOf(cardSystemId) ?? State.Memberships.Values.First(m => m.PassNumber == passNumber);
}
