using Actors.Grains.Fleet;
using Actors.Rules;
using NodaTime;

namespace Actors.Grains.Uitpas;

/// <summary>
/// A UiTPAS card (key: its 13-digit number): provisioned in a card system's stock, registered to a holder at a counter
/// (the manual's six steps), then blocked or, still in stock, deleted. It calls the holder and the card system; neither calls it.
/// </summary>
public interface IPassGrain : IGrainWithStringKey
{
    /// <summary>Puts the card in the stock of a card system; the number must pass its Luhn check.</summary>
    Task Provision(string cardSystemId);
    /// <summary>Step 1-2: what the counter sees on scanning (a card in stock is not registered yet); null for an unknown number.</summary>
    [ReadOnly] Task<PassView?> Get();
    /// <summary>Step 6 before saving: the price the pricing workflow computes for this registration, after the voucher.</summary>
    Task<RegistrationPrice> Quote(CounterStaff staff, PassRegistration registration);
    /// <summary>Steps 3-6 and saving: checks everything, registers the card to the holder (by national register number) and activates it.</summary>
    Task<HolderView> Register(CounterStaff staff, PassRegistration registration);
    /// <summary>Blocks the card (lost, stolen, replaced); points and memberships stay with the holder.</summary>
    Task Block(CounterStaff staff, string reason);
    /// <summary>Deletes a card still in stock.</summary>
    Task Delete(CounterStaff staff);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class PassState
{
    public string CardSystemId { get; set; } = "";
    public PassStatus Status { get; set; }
    public string? HolderKey { get; set; }
    public string? BlockReason { get; set; }
    public List<PolicyDecision> Decisions { get; set; } = [];
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record PassStatusChanged(string Number, string CardSystemId, PassStatus From, PassStatus To, string? HolderKey);

/// <summary>What a holder grain keeps of a registration the pass checked and priced.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record HolderRegistration(EidData Identity, ContactData Contact, OptIns OptIns, Membership Membership);

[GrainType("uitpas.pass")]
public sealed class PassGrain(
    [DurableState("pass")] IDurableState<PassState> pass,
    WorkflowCatalog workflows,
    IClock clock) : Grain, IPassGrain
{
    private PassState State => pass.State;
    private string Number => this.GetPrimaryKeyString();
    private Instant Now => clock.GetCurrentInstant();
    private readonly UitpasPolicies policies = new(workflows);

    public async Task Provision(string cardSystemId)
    {
        UitpasInput.PassNumber(Number);
        if (pass.RecordExists)
        {
            if (State.CardSystemId == cardSystemId) return; // a retried provisioning
            throw new UitpasRefusedException("ALREADY_EXISTS", $"Card {Number} is already in card system {State.CardSystemId}.");
        }
        if (await GrainFactory.GetGrain<ICardSystemGrain>(cardSystemId).Get() is null)
            throw UitpasInput.Invalid("UNKNOWN_CARD_SYSTEM", "cardSystemId", $"There is no card system {cardSystemId}.");
        State.CardSystemId = cardSystemId;
        State.Status = PassStatus.Stock;
        pass.RaiseEvent("UitpasPassProvisioned", new PassStatusChanged(Number, cardSystemId, PassStatus.Stock, PassStatus.Stock, null));
        await pass.WriteStateAsync();
    }

    [ReadOnly]
    public Task<PassView?> Get() => Task.FromResult(pass.RecordExists
        ? new PassView(Number, State.CardSystemId, State.Status, PassNumber.IsSocialTariffCard(Number), State.HolderKey, State.BlockReason)
        : null);

    public async Task<RegistrationPrice> Quote(CounterStaff staff, PassRegistration registration) => (await Check(staff, registration)).Membership.Price;

    public async Task<HolderView> Register(CounterStaff staff, PassRegistration registration)
    {
        var national = UitpasInput.NationalNumber(registration.Holder.NationalRegisterNumber, "holder.nationalRegisterNumber");
        if (State.Status == PassStatus.Active && State.HolderKey == national.Digits)
            return (await GrainFactory.GetGrain<IPassHolderGrain>(national.Digits).Get())!; // a retried save
        var (membership, decisions) = await Check(staff, registration);
        var holder = await GrainFactory.GetGrain<IPassHolderGrain>(national.Digits).Join(
            new HolderRegistration(registration.Holder with { NationalRegisterNumber = national.Digits }, registration.Contact, registration.OptIns, membership));
        State.Status = PassStatus.Active;
        State.HolderKey = national.Digits;
        State.Decisions.AddRange(decisions);
        pass.RaiseEvent("UitpasPassRegistered", new PassStatusChanged(Number, State.CardSystemId, PassStatus.Stock, PassStatus.Active, national.Digits));
        await pass.WriteStateAsync();
        return holder;
    }

    public async Task Block(CounterStaff staff, string reason)
    {
        RequireCard();
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.Register);
        RequireCardSystem(access);
        if (State.Status is PassStatus.Blocked or PassStatus.Deleted)
            throw new UitpasRefusedException("INVALID_TRANSITION", $"A card in status {State.Status} cannot be blocked.");
        var from = State.Status;
        if (State.HolderKey is { } holder) await GrainFactory.GetGrain<IPassHolderGrain>(holder).PassBlocked(Number);
        State.Status = PassStatus.Blocked;
        State.BlockReason = UitpasInput.Required(reason, "reason");
        pass.RaiseEvent("UitpasPassBlocked", new PassStatusChanged(Number, State.CardSystemId, from, PassStatus.Blocked, State.HolderKey));
        await pass.WriteStateAsync();
    }

    public async Task Delete(CounterStaff staff)
    {
        RequireCard();
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.Register);
        RequireCardSystem(access);
        if (State.Status != PassStatus.Stock)
            throw new UitpasRefusedException("INVALID_TRANSITION", $"Only a card in stock can be deleted; this one is {State.Status}.");
        State.Status = PassStatus.Deleted;
        pass.RaiseEvent("UitpasPassDeleted", new PassStatusChanged(Number, State.CardSystemId, PassStatus.Stock, PassStatus.Deleted, null));
        await pass.WriteStateAsync();
    }

    /// <summary>Steps 1 to 6 without saving: the number, the counter's rights, the holder's data, the workflows and the price.</summary>
    private async Task<(Membership Membership, List<PolicyDecision> Decisions)> Check(CounterStaff staff, PassRegistration registration)
    {
        UitpasInput.PassNumber(Number);
        if (!pass.RecordExists || State.Status == PassStatus.Deleted)
            throw UitpasInput.Invalid("UNKNOWN_UITPAS_NUMBER", "uitpasNumber", $"Card {Number} is not in any card system's stock.");
        if (State.Status != PassStatus.Stock)
            throw new UitpasRefusedException("ALREADY_REGISTERED", $"Card {Number} is {State.Status}, not a new card in stock.");
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.Register);
        RequireCardSystem(access);
        if (registration.SocialTariff) await CounterRights.Require(GrainFactory, staff, StaffRight.SocialTariff);

        var eid = registration.Holder;
        UitpasInput.Required(eid.Name, "holder.name");
        UitpasInput.Required(eid.FirstNames, "holder.firstNames");
        UitpasInput.Required(eid.Nationality, "holder.nationality");
        UitpasInput.Required(eid.Address.Street, "holder.address.street");
        UitpasInput.Required(eid.Address.City, "holder.address.city");
        UitpasInput.PostalCode(eid.Address.PostalCode, "holder.address.postalCode");
        var national = UitpasInput.NationalNumber(eid.NationalRegisterNumber, "holder.nationalRegisterNumber");
        if (national.BirthDate is { } born && born != eid.DateOfBirth)
            throw UitpasInput.Invalid("NATIONAL_NUMBER_MISMATCH", "holder.nationalRegisterNumber",
                $"National register number {national.Digits} is of someone born on {born:yyyy-MM-dd}, not {eid.DateOfBirth:yyyy-MM-dd}.");
        UitpasInput.Email(registration.Contact.Email, "contact.email");
        var today = UitpasCalendar.Today(Now);
        if (eid.DateOfBirth > today) throw UitpasInput.Invalid("INVALID_DATE", "holder.dateOfBirth", "A date of birth is not in the future.");
        var age = Period.Between(eid.DateOfBirth, today, PeriodUnits.Years).Years;

        var cardSystem = await GrainFactory.GetGrain<ICardSystemGrain>(State.CardSystemId).Get()
            ?? throw new UitpasRefusedException("UNKNOWN_CARD_SYSTEM", $"There is no card system {State.CardSystemId}.");
        var socialCard = PassNumber.IsSocialTariffCard(Number);
        var rules = await policies.Ask(UitpasPolicies.Registration,
            ("holder", new { Age = age, registration.SocialTariff }),
            ("card", new { SocialTariffCard = socialCard }),
            ("optIns", new { registration.OptIns.InformedOfTerms, registration.OptIns.ParentalConsent, registration.OptIns.Any }));
        UitpasPolicies.ThrowFirstRefusal(rules);

        var reduction = 0;
        if (registration.Voucher is { Length: > 0 } voucher && !cardSystem.Vouchers.TryGetValue(voucher, out reduction))
            throw UitpasInput.Invalid("UNKNOWN_VOUCHER", "voucher", $"Voucher {voucher} is not one of card system {cardSystem.Name}.");
        var priced = await policies.Ask(UitpasPolicies.Price,
            ("holder", new { Age = age, eid.Address.PostalCode, registration.SocialTariff }),
            ("card", new { SocialTariffCard = socialCard }),
            ("cardSystem", new { PostalCodes = cardSystem.PostalCodes.ToList() }),
            ("voucher", new { ReductionCents = reduction }));
        var basePrice = Convert.ToInt32(priced.Output("BasePrice"));
        var price = new RegistrationPrice(basePrice, reduction, Convert.ToInt32(priced.Output("Price")), priced.Version);

        SocialTariff? socialTariff = null;
        if (registration.SocialTariff)
        {
            var end = registration.SocialTariffEndDate ?? UitpasCalendar.DefaultSocialTariffEnd(today);
            if (end < today) throw UitpasInput.Invalid("INVALID_DATE", "socialTariffEndDate", "A social tariff ends today or later.");
            socialTariff = new SocialTariff(SocialTariffStatus.Active, end, UitpasCalendar.GraceEnd(end, cardSystem.GracePeriodMonths));
        }
        var membership = new Membership(State.CardSystemId, Number, PassStatus.Active, Now, staff.CounterId, price, socialTariff);
        return (membership, [rules.Decision("registration accepted", Now), priced.Decision($"price {price.PriceCents} cents", Now)]);
    }

    private void RequireCard()
    {
        if (!pass.RecordExists) throw UitpasInput.Invalid("UNKNOWN_UITPAS_NUMBER", "uitpasNumber", $"There is no card {Number}.");
    }

    private void RequireCardSystem(CounterAccess access)
    {
        if (access.CardSystemId != State.CardSystemId)
            throw new UitpasRefusedException("NOT_IN_CARD_SYSTEM", $"Card {Number} belongs to another card system than counter {access.Name}.");
    }
}
