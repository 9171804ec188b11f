using Actors.Grains.Uitpas;
using NodaTime;

namespace Actors.Uitpas.Tests;

/// <summary>
/// Gent's card system with two counters: the STAM museum (admin, a registering clerk, a clerk for points only) and the
/// library. Activities are open every day of the test's first weeks from 10:00 to 17:00.
/// </summary>
public static class Sample
{
    public const string CardSystem = "gent";
    public const string OtherCardSystem = "brugge";
    public const string Counter = "gent-stam";
    public const string OtherCounter = "gent-bib";
    public const string BruggeCounter = "brugge-concertgebouw";
    public const string Admin = "admin@stam.gent";
    public const string Clerk = "clerk@stam.gent";
    public const string PointsClerk = "points@stam.gent";
    public const string Librarian = "librarian@bib.gent";
    public const string Museum = "stam-visit";
    public const string Workshop = "stam-workshop";
    public const string Library = "bib-reading";
    public const string Concert = "brugge-concert";
    public const string Reward = "stam-free-coffee";
    public const string ScarceReward = "stam-tote-bag";
    public const string Kansentarief = "kansentarief";

    public static readonly CounterStaff AtCounter = new(Counter, Clerk);
    public static readonly CounterStaff PointsOnly = new(Counter, PointsClerk);
    public static readonly CounterStaff AtLibrary = new(OtherCounter, Librarian);
    public static readonly CounterStaff AtBrugge = new(BruggeCounter, "clerk@brugge.be");

    public static readonly StaffRight[] AllRights = Enum.GetValues<StaffRight>();

    private static int cards;

    /// <summary>A fresh valid UiTPAS number; social-tariff cards have 1 as second-to-last digit.</summary>
    public static string NewNumber(bool socialTariff = false)
    {
        var serial = Interlocked.Increment(ref cards);
        return PassNumber.WithCheckDigit($"041{Environment.ProcessId % 1000:D3}{serial:D5}{(socialTariff ? 1 : 0)}");
    }

    private static int people;

    /// <summary>A valid national register number for a birth date (born in 2000 or later uses the 2000 rule).</summary>
    public static string NationalNumber(LocalDate born) => NationalRegisterNumber.For(born, 2 * (Interlocked.Increment(ref people) % 400) + 1);

    public static async Task World(UitpasHarness uitpas)
    {
        var grains = uitpas.Grains;
        await grains.GetGrain<ICardSystemGrain>(CardSystem).Define(new CardSystemDefinition("UiTPAS Gent", ["9000", "9030", "9040"], 3,
            new Dictionary<string, int> { ["WELCOME"] = 300, ["FREE"] = 10_000 }));
        await grains.GetGrain<ICardSystemGrain>(OtherCardSystem).Define(new CardSystemDefinition("UiTPAS Brugge", ["8000"], 3, new Dictionary<string, int>()));
        await grains.GetGrain<ICounterGrain>(Counter).Open(CardSystem, "STAM", [Admin]);
        await grains.GetGrain<ICounterGrain>(OtherCounter).Open(CardSystem, "Bibliotheek De Krook", ["admin@bib.gent"]);
        await grains.GetGrain<ICounterGrain>(BruggeCounter).Open(OtherCardSystem, "Concertgebouw", ["admin@brugge.be"]);
        await grains.GetGrain<ICounterGrain>(Counter).GrantRights(Admin, Clerk, AllRights);
        await grains.GetGrain<ICounterGrain>(Counter).GrantRights(Admin, PointsClerk, [StaffRight.Points]);
        await grains.GetGrain<ICounterGrain>(OtherCounter).GrantRights("admin@bib.gent", Librarian, AllRights);
        await grains.GetGrain<ICounterGrain>(BruggeCounter).GrantRights("admin@brugge.be", AtBrugge.Email, AllRights);

        var days = Enumerable.Range(-7, 400).Select(d => uitpas.Today.PlusDays(d)).ToList();
        IReadOnlyList<Opening> Daily(int from, int to) => [.. days.Select(d => new Opening(
            d.At(new LocalTime(from, 0)).InZoneLeniently(UitpasCalendar.Brussels).ToInstant(),
            d.At(new LocalTime(to, 0)).InZoneLeniently(UitpasCalendar.Brussels).ToInstant()))];
        await grains.GetGrain<IActivityGrain>(Museum).Define(new ActivityDefinition(CardSystem, Counter, "STAM museum visit", 1000, 1, Daily(10, 17), 30, 60,
            [new CheckInLimit(LimitPeriod.Day, 1)],
            [new TariffDefinition(Kansentarief, "Kansentarief 80%", DiscountKind.Relative, 80, Quota: 2, QuotaPeriod: LimitPeriod.Month)]));
        await grains.GetGrain<IActivityGrain>(Workshop).Define(new ActivityDefinition(CardSystem, Counter, "Family workshop", 600, 2, Daily(14, 16), 15, 15,
            [new CheckInLimit(LimitPeriod.Week, 2), new CheckInLimit(LimitPeriod.Absolute, 5)],
            [new TariffDefinition("one-euro", "1 euro", DiscountKind.Absolute, 500)]));
        await grains.GetGrain<IActivityGrain>(Library).Define(new ActivityDefinition(CardSystem, OtherCounter, "Reading hour", 0, 1, Daily(9, 20), 0, 0,
            [new CheckInLimit(LimitPeriod.Day, 1)], []));
        await grains.GetGrain<IActivityGrain>(Concert).Define(new ActivityDefinition(OtherCardSystem, BruggeCounter, "Concert", 2000, 3, Daily(9, 22), 60, 60,
            [], [new TariffDefinition(Kansentarief, "Kansentarief", DiscountKind.Relative, 80)]));

        var year = new DatePeriod(uitpas.Today.PlusDays(-1), uitpas.Today.PlusDays(365));
        await grains.GetGrain<IRewardGrain>(Reward).Define(new RewardDefinition(CardSystem, [Counter], "Free coffee", 3, year, year, year, null, 1, LimitPeriod.Month));
        await grains.GetGrain<IRewardGrain>(ScarceReward).Define(new RewardDefinition(CardSystem, [Counter, OtherCounter], "Tote bag", 1, year, year, year, 2, null, LimitPeriod.Absolute));
    }

    /// <summary>A card put in Gent's stock.</summary>
    public static async Task<string> StockCard(UitpasHarness uitpas, bool socialTariff = false, string cardSystem = CardSystem)
    {
        var number = NewNumber(socialTariff);
        await uitpas.Pass(number).Provision(cardSystem);
        return number;
    }

    public static PassRegistration Registration(string nationalNumber, LocalDate born, bool socialTariff = false, OptIns? optIns = null,
        string postalCode = "9000", string? voucher = null, LocalDate? socialTariffEnd = null) => new(
        new EidData("PEETERS", "Marie Anne", born, Gender.Female, "BE", new HolderAddress("Korenmarkt 1", postalCode, "Gent"), nationalNumber),
        new ContactData("marie@example.be", null, "0470123456"),
        optIns ?? new OptIns(InformedOfTerms: true, ServiceMails: true),
        socialTariff, socialTariffEnd, voucher);

    /// <summary>Registers a new adult holder on a new card at the STAM; returns the card number and national number.</summary>
    public static async Task<(string Pass, string National)> RegisteredHolder(UitpasHarness uitpas, bool socialTariff = false, LocalDate? born = null,
        LocalDate? socialTariffEnd = null)
    {
        var birth = born ?? new LocalDate(1985, 7, 30);
        var national = NationalNumber(birth);
        var pass = await StockCard(uitpas, socialTariff);
        await uitpas.Pass(pass).Register(AtCounter, Registration(national, birth, socialTariff, socialTariffEnd: socialTariffEnd));
        return (pass, national);
    }

    /// <summary>Moves the test clock to the next day's 11:00 in Brussels (the museum is open).</summary>
    public static Task NextMorning(UitpasHarness uitpas) =>
        uitpas.AdvanceTo(uitpas.Today.PlusDays(1).At(new LocalTime(11, 0)).InZoneLeniently(UitpasCalendar.Brussels).ToInstant());
}
