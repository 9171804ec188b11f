using NodaTime;

namespace Actors.Grains.Uitpas;

public sealed partial class PassHolderGrain
{
    private static string WakeUpName(string cardSystemId) => $"social-tariff/{cardSystemId}";

    public async Task<SocialTariff> RenewSocialTariff(CounterStaff staff, LocalDate? endDate)
    {
        RequireHolder();
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.SocialTariff);
        var membership = MembershipOf(access.CardSystemId)
            ?? throw new UitpasRefusedException("NOT_IN_CARD_SYSTEM", $"The holder is not a member of card system {access.CardSystemId}.");
        if (!PassNumber.IsSocialTariffCard(membership.PassNumber))
            throw new UitpasRefusedException("SOCIAL_TARIFF_CARD_REQUIRED", "The social tariff is given on a card whose second-to-last digit is 1.");
        var end = endDate ?? UitpasCalendar.DefaultSocialTariffEnd(Today);
        if (end < Today) throw UitpasInput.Invalid("INVALID_DATE", "endDate", "A social tariff ends today or later.");
        var cardSystem = await GrainFactory.GetGrain<ICardSystemGrain>(access.CardSystemId).Get();
        var tariff = new SocialTariff(SocialTariffStatus.Active, end, UitpasCalendar.GraceEnd(end, cardSystem?.GracePeriodMonths ?? 0));
        tariff = tariff with { Status = UitpasCalendar.StatusOn(tariff, Today) };
        State.Memberships[access.CardSystemId] = membership with { SocialTariff = tariff };
        StageSocialTariff(access.CardSystemId);
        Changed(State.Memberships[access.CardSystemId], 0, "SocialTariffRenewed");
        await holder.WriteStateAsync();
        return tariff;
    }

    public async Task<SocialTariff> SuspendSocialTariff(CounterStaff staff, LocalDate until)
    {
        RequireHolder();
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.SocialTariff);
        var membership = MembershipOf(access.CardSystemId);
        if (membership?.SocialTariff is not { } current)
            throw new UitpasRefusedException("NO_SOCIAL_TARIFF", "The holder has no social tariff in this card system.");
        if (until < Today) throw UitpasInput.Invalid("INVALID_DATE", "until", "A suspension lasts until today or later.");
        var tariff = current with { SuspendedUntil = until };
        tariff = tariff with { Status = UitpasCalendar.StatusOn(tariff, Today) };
        State.Memberships[access.CardSystemId] = membership with { SocialTariff = tariff };
        StageSocialTariff(access.CardSystemId);
        Changed(State.Memberships[access.CardSystemId], 0, "SocialTariffSuspended");
        await holder.WriteStateAsync();
        return tariff;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        holder.OnWakeUp(reminderName, _ => reminderName.StartsWith("social-tariff/", StringComparison.Ordinal)
            ? MoveSocialTariff(reminderName["social-tariff/".Length..]) : Task.CompletedTask);

    /// <summary>A date of the social tariff came (end, grace end, end of a suspension): the status follows its dates.</summary>
    private async Task MoveSocialTariff(string cardSystemId)
    {
        if (MembershipOf(cardSystemId) is not { SocialTariff: { } tariff } membership) return;
        var status = UitpasCalendar.StatusOn(tariff, Today);
        if (status != tariff.Status)
        {
            State.Memberships[cardSystemId] = membership with { SocialTariff = tariff with { Status = status } };
            Changed(State.Memberships[cardSystemId], 0, $"SocialTariff{status}");
        }
        StageSocialTariff(cardSystemId);
        await holder.WriteStateAsync();
    }

    /// <summary>Points the membership's wake-up at the next day its status changes (start of that day in Brussels), or removes it.</summary>
    private void StageSocialTariff(string cardSystemId)
    {
        if (MembershipOf(cardSystemId)?.SocialTariff is { } tariff && UitpasCalendar.NextChange(tariff, Today) is { } next)
            holder.WakeUpAt(WakeUpName(cardSystemId), UitpasCalendar.StartOf(next));
        else holder.CancelWakeUp(WakeUpName(cardSystemId));
    }

    /// <summary>
    /// The status in a card system as of today, from its dates (none without a social tariff): a decision never trusts a
    /// wake-up to have come on time.
    /// </summary>
    private SocialTariffStatus SocialTariffStatusIn(string cardSystemId) =>
        MembershipOf(cardSystemId)?.SocialTariff is { } tariff ? UitpasCalendar.StatusOn(tariff, Today) : SocialTariffStatus.None;
}
