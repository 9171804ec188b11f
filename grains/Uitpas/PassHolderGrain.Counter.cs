using NodaTime;

namespace Actors.Grains.Uitpas;

public sealed partial class PassHolderGrain
{
    private const int NoOpening = 999_999;

    public async Task<CheckInReceipt> CheckIn(CounterStaff staff, string passNumber, string activityId, string requestId)
    {
        RequireHolder();
        requestId = UitpasInput.RequestId(requestId);
        if (State.CheckIns.FirstOrDefault(c => c.RequestId == requestId) is { } earlier)
            return earlier.ActivityId == activityId ? Receipt(earlier)
                : throw UitpasInput.Invalid("REQUEST_ID_REUSED", "requestId", $"Request {requestId} was a check-in at another activity.");
        await CounterRights.Require(GrainFactory, staff, StaffRight.Points);
        var activity = await ActivityAtCounter(staff, activityId);
        var answer = await AskCheckIn(passNumber, activityId, activity);
        if (UitpasPolicies.FirstRefusal(answer) is { } refusal) throw new UitpasRefusedException(refusal.Code, refusal.Message);
        var points = answer.Succeeded("Points") ? Convert.ToInt32(answer.Output("Points")) : 0;
        var record = new CheckInRecord(requestId, activityId, staff.CounterId, activity.CardSystemId, Now, Today, points);
        State.CheckIns.Add(record);
        State.Points += points;
        Decided(answer.Decision($"check-in {requestId}: {points} points", Now));
        Changed(Subject(activity.CardSystemId, passNumber), points, "CheckIn");
        await holder.WriteStateAsync();
        return Receipt(record);
    }

    private CheckInReceipt Receipt(CheckInRecord record) => new(record.RequestId, record.ActivityId, record.Points, State.Points, record.At);

    private async Task<Fleet.FleetPolicies.Answer> AskCheckIn(string passNumber, string activityId, ActivityDefinition activity)
    {
        var (beforeStart, afterEnd) = Window(activity);
        var mine = State.CheckIns.Where(c => c.ActivityId == activityId).ToList();
        int Count(LimitPeriod period) => mine.Count(c => UitpasCalendar.SamePeriod(period, c.Day, Today));
        int Max(LimitPeriod period) => activity.Limits.Where(l => l.Period == period).Select(l => l.Max).DefaultIfEmpty(0).Min();
        return await policies.Ask(UitpasPolicies.CheckIn,
            ("card", new { Member = MembershipOf(activity.CardSystemId) is not null, Valid = ValidCard(passNumber) }),
            ("checkin", new { MinutesBeforeStart = beforeStart, MinutesAfterEnd = afterEnd }),
            ("activity", new
            {
                activity.MinutesBefore, activity.MinutesAfter, activity.Points,
                MaxPerDay = Max(LimitPeriod.Day), MaxPerWeek = Max(LimitPeriod.Week), MaxPerMonth = Max(LimitPeriod.Month),
                MaxPerQuarter = Max(LimitPeriod.Quarter), MaxPerYear = Max(LimitPeriod.Year), MaxAbsolute = Max(LimitPeriod.Absolute),
            }),
            ("holder", new
            {
                Day = Count(LimitPeriod.Day), Week = Count(LimitPeriod.Week), Month = Count(LimitPeriod.Month),
                Quarter = Count(LimitPeriod.Quarter), Year = Count(LimitPeriod.Year), Absolute = Count(LimitPeriod.Absolute),
            }));
    }

    /// <summary>
    /// Minutes now is before the start and after the end of the opening that suits a check-in best (the one it is least
    /// outside of its window); an activity without openings is never open.
    /// </summary>
    private (int BeforeStart, int AfterEnd) Window(ActivityDefinition activity)
    {
        var best = (BeforeStart: NoOpening, AfterEnd: NoOpening);
        var bestOutside = double.MaxValue;
        foreach (var opening in activity.Openings)
        {
            var before = (int)Math.Ceiling((opening.Start - Now).TotalMinutes);
            var after = (int)Math.Ceiling((Now - opening.End).TotalMinutes);
            var outside = Math.Max(Math.Max(before - activity.MinutesBefore, after - activity.MinutesAfter), 0);
            if (outside < bestOutside) { bestOutside = outside; best = (before, after); }
        }
        return best;
    }

    public async Task<TariffGrant> GrantTariff(CounterStaff staff, string passNumber, string activityId, string tariffId, string requestId)
    {
        RequireHolder();
        requestId = UitpasInput.RequestId(requestId);
        if (State.Tariffs.FirstOrDefault(t => t.GrantId == requestId) is { } earlier)
            return earlier.ActivityId == activityId && earlier.TariffId == tariffId ? earlier
                : throw UitpasInput.Invalid("REQUEST_ID_REUSED", "requestId", $"Request {requestId} granted another tariff.");
        await CounterRights.Require(GrainFactory, staff, StaffRight.SocialTariff);
        var activity = await ActivityAtCounter(staff, activityId);
        var tariff = activity.Tariffs.FirstOrDefault(t => t.Id == tariffId)
            ?? throw UitpasInput.Invalid("UNKNOWN_TARIFF", "tariffId", $"Activity {activity.Name} has no tariff {tariffId}.");
        var answer = await AskTariff(passNumber, activityId, activity, tariff);
        if (UitpasPolicies.FirstRefusal(answer) is { } refusal) throw new UitpasRefusedException(refusal.Code, refusal.Message);
        var grant = new TariffGrant(requestId, activityId, tariffId, staff.CounterId, activity.CardSystemId, Now, Today,
            Convert.ToInt32(answer.Output("Price")), activity.PriceCents);
        State.Tariffs.Add(grant);
        Decided(answer.Decision($"tariff {tariffId} at {activityId}: {grant.PriceCents} cents", Now));
        Changed(Subject(activity.CardSystemId, passNumber), 0, "TariffGranted");
        await holder.WriteStateAsync();
        return grant;
    }

    public async Task<TariffGrant> UndoTariff(CounterStaff staff, string grantId)
    {
        RequireHolder();
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.SocialTariff);
        var index = State.Tariffs.FindIndex(t => t.GrantId == grantId && t.CardSystemId == access.CardSystemId);
        if (index < 0) throw UitpasInput.Invalid("UNKNOWN_GRANT", "grantId", $"The holder's history has no tariff {grantId} in this card system.");
        if (State.Tariffs[index].UndoneAt is not null) return State.Tariffs[index];
        State.Tariffs[index] = State.Tariffs[index] with { UndoneAt = Now };
        Changed(Subject(access.CardSystemId, State.Memberships.Values.First().PassNumber), 0, "TariffUndone");
        await holder.WriteStateAsync();
        return State.Tariffs[index];
    }

    private async Task<Fleet.FleetPolicies.Answer> AskTariff(string passNumber, string activityId, ActivityDefinition activity, TariffDefinition tariff)
    {
        var used = State.Tariffs.Count(t => t.ActivityId == activityId && t.TariffId == tariff.Id && t.UndoneAt is null
            && UitpasCalendar.SamePeriod(tariff.QuotaPeriod, t.Day, Today));
        return await policies.Ask(UitpasPolicies.Tariff,
            ("holder", new
            {
                Member = MembershipOf(activity.CardSystemId) is not null,
                CardValid = ValidCard(passNumber),
                SocialTariffStatus = SocialTariffStatusIn(activity.CardSystemId).ToString(),
            }),
            ("activity", new { activity.PriceCents }),
            ("tariff", new { Kind = tariff.Kind.ToString(), tariff.Amount, tariff.Quota, Used = used }));
    }

    public async Task<Redemption> Redeem(CounterStaff staff, string passNumber, string rewardId, string requestId)
    {
        RequireHolder();
        requestId = UitpasInput.RequestId(requestId);
        if (State.Redemptions.FirstOrDefault(r => r.RedemptionId == requestId) is { } earlier)
            return earlier.RewardId == rewardId ? earlier
                : throw UitpasInput.Invalid("REQUEST_ID_REUSED", "requestId", $"Request {requestId} redeemed another reward.");
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.Rewards);
        var reward = await GrainFactory.GetGrain<IRewardGrain>(rewardId).Get()
            ?? throw UitpasInput.Invalid("UNKNOWN_REWARD", "rewardId", $"There is no reward {rewardId}.");
        var answer = await AskRedeem(passNumber, access, reward);
        if (UitpasPolicies.FirstRefusal(answer) is { } refusal) throw new UitpasRefusedException(refusal.Code, refusal.Message);
        // The stock is the reward's, shared by all holders: taken first, by this redemption's id, so a retry takes none more.
        await GrainFactory.GetGrain<IRewardGrain>(rewardId).Take(requestId);
        var redemption = new Redemption(requestId, rewardId, staff.CounterId, reward.Definition.CardSystemId, Now, Today, reward.Definition.Points);
        State.Redemptions.Add(redemption);
        State.Points -= redemption.Points;
        Decided(answer.Decision($"redeemed {rewardId} for {redemption.Points} points", Now));
        Changed(Subject(reward.Definition.CardSystemId, passNumber), -redemption.Points, "Redeemed");
        await holder.WriteStateAsync();
        return redemption;
    }

    public async Task<Redemption> CancelRedemption(CounterStaff staff, string redemptionId)
    {
        RequireHolder();
        var access = await CounterRights.Require(GrainFactory, staff, StaffRight.Rewards);
        var index = State.Redemptions.FindIndex(r => r.RedemptionId == redemptionId && r.CardSystemId == access.CardSystemId);
        if (index < 0) throw UitpasInput.Invalid("UNKNOWN_REDEMPTION", "redemptionId", $"The holder's history has no redemption {redemptionId} in this card system.");
        var redemption = State.Redemptions[index];
        if (redemption.CancelledAt is not null) return redemption;
        await GrainFactory.GetGrain<IRewardGrain>(redemption.RewardId).Return(redemptionId);
        State.Redemptions[index] = redemption with { CancelledAt = Now };
        State.Points += redemption.Points;
        Changed(Subject(access.CardSystemId, State.Memberships.Values.First().PassNumber), redemption.Points, "RedemptionCancelled");
        await holder.WriteStateAsync();
        return State.Redemptions[index];
    }

    private async Task<Fleet.FleetPolicies.Answer> AskRedeem(string passNumber, CounterAccess access, RewardView reward)
    {
        var definition = reward.Definition;
        var limit = definition.HolderLimit ?? 0;
        var redeemed = State.Redemptions.Count(r => r.RewardId == reward.RewardId && r.CancelledAt is null
            && UitpasCalendar.SamePeriod(definition.HolderLimitPeriod, r.Day, Today));
        return await policies.Ask(UitpasPolicies.Redeem,
            ("card", new { Member = MembershipOf(definition.CardSystemId) is not null, Valid = ValidCard(passNumber) }),
            ("reward", new
            {
                definition.Points,
                AtThisCounter = definition.CounterIds.Contains(access.CounterId) && definition.CardSystemId == access.CardSystemId,
                Published = definition.Publication.Contains(Today),
                InGranting = definition.Granting.Contains(Today),
                InRedeem = definition.Redeem.Contains(Today),
                HolderLimit = limit,
                Remaining = reward.Remaining ?? -1,
            }),
            ("holder", new { State.Points, RedeemedInPeriod = redeemed }));
    }

    /// <summary>The activity, which must be one of this counter's: an unknown activity is bad input.</summary>
    private async Task<ActivityDefinition> ActivityAtCounter(CounterStaff staff, string activityId)
    {
        var activity = await GrainFactory.GetGrain<IActivityGrain>(activityId).Get()
            ?? throw UitpasInput.Invalid("UNKNOWN_ACTIVITY", "activityId", $"There is no activity {activityId}.");
        if (activity.CounterId != staff.CounterId)
            throw UitpasInput.Invalid("UNKNOWN_ACTIVITY", "activityId", $"Activity {activity.Name} is not one of this counter's.");
        return activity;
    }

    public async Task<HolderProfile> Profile(CounterStaff staff, string passNumber)
    {
        RequireHolder();
        var access = await GrainFactory.GetGrain<ICounterGrain>(staff.CounterId).Access(staff.Email);
        var counter = (await GrainFactory.GetGrain<ICounterGrain>(staff.CounterId).Get())!;
        var activities = new List<ActivityOffer>();
        foreach (var activityId in counter.Activities)
        {
            if (await GrainFactory.GetGrain<IActivityGrain>(activityId).Get() is not { } activity) continue;
            var checkIn = UitpasPolicies.FirstRefusal(await AskCheckIn(passNumber, activityId, activity));
            var tariffs = new List<TariffOffer>();
            foreach (var tariff in activity.Tariffs)
            {
                var answer = await AskTariff(passNumber, activityId, activity, tariff);
                if (UitpasPolicies.FirstRefusal(answer) is not null) continue;
                tariffs.Add(new TariffOffer(activityId, tariff.Id, tariff.Name, Convert.ToInt32(answer.Output("Price")),
                    answer.Succeeded("Remaining") ? Convert.ToInt32(answer.Output("Remaining")) : null));
            }
            // Manual, "Belangrijk": only what the holder is entitled to shows.
            if (checkIn is not null && tariffs.Count == 0) continue;
            activities.Add(new ActivityOffer(activityId, activity.Name, activity.Points, activity.PriceCents, checkIn is null, checkIn?.Message, tariffs));
        }
        var rewards = new List<RewardOffer>();
        foreach (var rewardId in counter.Rewards)
        {
            if (await GrainFactory.GetGrain<IRewardGrain>(rewardId).Get() is not { } reward) continue;
            if (UitpasPolicies.FirstRefusal(await AskRedeem(passNumber, access, reward)) is not null) continue;
            rewards.Add(new RewardOffer(rewardId, reward.Definition.Title, reward.Definition.Points, reward.Remaining));
        }
        var identity = State.Identity!;
        var social = MembershipOf(access.CardSystemId)?.SocialTariff;
        return new HolderProfile(passNumber, identity.Name, identity.FirstNames, identity.DateOfBirth, identity.Gender, identity.Nationality,
            identity.Address, State.Contact, access.Rights.Contains(StaffRight.ReadNationalNumbers) ? identity.NationalRegisterNumber : null,
            State.Points, social is null ? null : social with { Status = UitpasCalendar.StatusOn(social, Today) }, activities, rewards);
    }
}
