using NodaTime;

namespace Actors.Grains.Uitpas;

/// <summary>Where a card is in its life: provisioned in stock, registered to a holder, then blocked or deleted.</summary>
[GenerateSerializer]
public enum PassStatus { Stock, Active, Blocked, Deleted }

/// <summary>What a local UiTPAS administrator grants counter staff, per counter (manual, "Inloggen").</summary>
[GenerateSerializer]
public enum StaffRight { Register, SocialTariff, Points, Rewards, ReadNationalNumbers }

/// <summary>A holder's social tariff status in one card system (kansenstatuut).</summary>
[GenerateSerializer]
public enum SocialTariffStatus { None, Active, InGrace, Expired, Suspended }

[GenerateSerializer]
public enum Gender { Female, Male, X }

/// <summary>The periods limits and quotas count in (Brussels calendar; weeks start on Monday); Absolute counts ever.</summary>
[GenerateSerializer]
public enum LimitPeriod { Day, Week, Month, Quarter, Year, Absolute }

/// <summary>A tariff lowers the activity's price by a percentage (Relative) or by an amount in cents (Absolute).</summary>
[GenerateSerializer]
public enum DiscountKind { Relative, Absolute }

/// <summary>Who asks: a signed-in login identity (an e-mail) at one counter. Every counter operation names both.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CounterStaff(string CounterId, string Email);

// ---- card systems, counters, activities, rewards

/// <summary>A region's or municipality's UiTPAS scheme.</summary>
/// <param name="PostalCodes">The postal codes of the region: the price workflow treats residents differently.</param>
/// <param name="GracePeriodMonths">How long a social tariff keeps working after its end date.</param>
/// <param name="Vouchers">Voucher codes a counter may apply at registration, with the reduction in cents.</param>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CardSystemDefinition(string Name, IReadOnlyList<string> PostalCodes, int GracePeriodMonths, IReadOnlyDictionary<string, int> Vouchers);

/// <summary>A counter as staff see it: its card system and the rights of the caller there.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CounterAccess(string CounterId, string CardSystemId, string Name, IReadOnlyList<StaffRight> Rights, bool Administrator);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CounterView(string CounterId, string CardSystemId, string Name, IReadOnlyList<string> Administrators,
    IReadOnlyDictionary<string, IReadOnlyList<StaffRight>> Staff, IReadOnlyList<string> Activities, IReadOnlyList<string> Rewards);

/// <summary>One opening of an activity; check-ins count in a window around it.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record Opening(Instant Start, Instant End);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CheckInLimit(LimitPeriod Period, int Max);

/// <summary>A social tariff offered at an activity, with how often one holder may use it per period (0 = no quota).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TariffDefinition(string Id, string Name, DiscountKind Kind, int Amount, int Quota = 0, LimitPeriod QuotaPeriod = LimitPeriod.Year);

/// <summary>An activity at a counter: its price (cents), points per check-in, openings and check-in window, limits and tariffs.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record ActivityDefinition(
    string CardSystemId, string CounterId, string Name, int PriceCents, int Points, IReadOnlyList<Opening> Openings,
    int MinutesBefore, int MinutesAfter, IReadOnlyList<CheckInLimit> Limits, IReadOnlyList<TariffDefinition> Tariffs);

/// <summary>A period of dates, both ends included.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record DatePeriod(LocalDate From, LocalDate To)
{
    public bool Contains(LocalDate date) => date >= From && date <= To;
}

/// <summary>
/// A reward (voordeel): costs points; shown in its publication period, granted in its granting period and redeemed in its
/// redeem period; a stock (null = unlimited) and a limit per holder per period (null = none).
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RewardDefinition(
    string CardSystemId, IReadOnlyList<string> CounterIds, string Title, int Points, DatePeriod Publication, DatePeriod Granting,
    DatePeriod Redeem, int? Stock, int? HolderLimit, LimitPeriod HolderLimitPeriod);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RewardView(string RewardId, RewardDefinition Definition, int Taken, int? Remaining);

// ---- passes and holders

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record PassView(string Number, string CardSystemId, PassStatus Status, bool SocialTariffCard, string? HolderKey, string? BlockReason);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record HolderAddress(string Street, string PostalCode, string City, string Country = "BE");

/// <summary>What the eID (or the typed form) gives: step 3 of registering.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record EidData(string Name, string FirstNames, LocalDate DateOfBirth, Gender Gender, string Nationality, HolderAddress Address,
    string NationalRegisterNumber);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record ContactData(string? Email = null, string? Phone = null, string? Mobile = null);

/// <summary>Step 5: informed of the privacy and usage terms, and the communication preferences.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record OptIns(bool InformedOfTerms, bool ServiceMails = false, bool MilestoneMails = false, bool InfoMails = false,
    bool Sms = false, bool Post = false, bool ParentalConsent = false)
{
    public bool Any => ServiceMails || MilestoneMails || InfoMails || Sms || Post;
}

/// <summary>
/// A new pass's registration (the manual's six steps): the holder's eID data, contact data, opt-ins and terms, whether the
/// holder is entitled to the social tariff (with an end date, by default 30 April of the next year) and a voucher.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record PassRegistration(EidData Holder, ContactData Contact, OptIns OptIns, bool SocialTariff = false,
    LocalDate? SocialTariffEndDate = null, string? Voucher = null);

/// <summary>Step 6: the price the pricing workflow computed, before and after the voucher, in cents.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RegistrationPrice(int BasePriceCents, int VoucherReductionCents, int PriceCents, string WorkflowVersion);

/// <summary>A holder's social tariff in one card system, with the dates that move it.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record SocialTariff(SocialTariffStatus Status, LocalDate EndDate, LocalDate GraceEndDate, LocalDate? SuspendedUntil = null);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record Membership(string CardSystemId, string PassNumber, PassStatus PassStatus, Instant RegisteredAt, string RegisteredAtCounter,
    RegistrationPrice Price, SocialTariff? SocialTariff);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CheckInRecord(string RequestId, string ActivityId, string CounterId, string CardSystemId, Instant At, LocalDate Day, int Points);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TariffGrant(string GrantId, string ActivityId, string TariffId, string CounterId, string CardSystemId, Instant At, LocalDate Day,
    int PriceCents, int ActivityPriceCents, Instant? UndoneAt = null);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record Redemption(string RedemptionId, string RewardId, string CounterId, string CardSystemId, Instant At, LocalDate Day, int Points,
    Instant? CancelledAt = null);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record HolderView(string Key, EidData Identity, ContactData Contact, OptIns OptIns, IReadOnlyList<Membership> Memberships, int Points,
    IReadOnlyList<CheckInRecord> CheckIns, IReadOnlyList<TariffGrant> Tariffs, IReadOnlyList<Redemption> Redemptions);

/// <summary>A check-in's answer: the points it earned and the holder's balance after it.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record CheckInReceipt(string RequestId, string ActivityId, int Points, int Balance, Instant At);

/// <summary>A tariff the holder may get at an activity now: its price and what is left of the quota (null = no quota).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record TariffOffer(string ActivityId, string TariffId, string Name, int PriceCents, int? Remaining);

/// <summary>An activity of this counter, with whether a check-in would be accepted now and the reason if not.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record ActivityOffer(string ActivityId, string Name, int Points, int PriceCents, bool CheckInAllowed, string? CheckInRefusal,
    IReadOnlyList<TariffOffer> Tariffs);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record RewardOffer(string RewardId, string Title, int Points, int? Remaining);

/// <summary>
/// Manual, "UiTPAS gebruiken" step 3: the holder's data on the left, and on the right only what this counter offers and
/// the holder is entitled to ("Voordelen en kansentarieven verschijnen enkel als de persoon er ook effectief recht op heeft").
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record HolderProfile(string PassNumber, string Name, string FirstNames, LocalDate DateOfBirth, Gender Gender, string Nationality,
    HolderAddress Address, ContactData Contact, string? NationalRegisterNumber, int Points, SocialTariff? SocialTariff,
    IReadOnlyList<ActivityOffer> Activities, IReadOnlyList<RewardOffer> Rewards);

/// <summary>A holder's points or social tariff status changed (subscriptions per holder and counter's card system).</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record HolderChanged(string HolderKey, string PassNumber, string CardSystemId, int Points, int Delta, string Reason,
    SocialTariffStatus SocialTariffStatus);
