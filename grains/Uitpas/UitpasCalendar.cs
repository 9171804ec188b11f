using NodaTime;

namespace Actors.Grains.Uitpas;

/// <summary>Business time of UiTPAS: dates in Europe/Brussels, periods of limits and quotas, social tariff dates.</summary>
public static class UitpasCalendar
{
    public static readonly DateTimeZone Brussels = DateTimeZoneProviders.Tzdb["Europe/Brussels"];

    public static LocalDate Today(Instant now) => now.InZone(Brussels).Date;

    public static Instant StartOf(LocalDate date) => date.AtStartOfDayInZone(Brussels).ToInstant();

    /// <summary>A social tariff granted on <paramref name="granted"/> ends by default on 30 April of the next year.</summary>
    public static LocalDate DefaultSocialTariffEnd(LocalDate granted) => new(granted.Year + 1, 4, 30);

    /// <summary>The last day of the grace period: the end date plus the card system's months (31 Jan + 1 month = 28 or 29 Feb).</summary>
    public static LocalDate GraceEnd(LocalDate endDate, int graceMonths) => endDate.PlusMonths(graceMonths);

    /// <summary>The status a social tariff has on <paramref name="day"/> from its dates alone: what the wake-ups keep in state.</summary>
    public static SocialTariffStatus StatusOn(SocialTariff tariff, LocalDate day) =>
        tariff.SuspendedUntil is { } until && day <= until ? SocialTariffStatus.Suspended
        : day <= tariff.EndDate ? SocialTariffStatus.Active
        : day <= tariff.GraceEndDate ? SocialTariffStatus.InGrace
        : SocialTariffStatus.Expired;

    /// <summary>The next day on which <see cref="StatusOn"/> changes after <paramref name="day"/>, if any.</summary>
    public static LocalDate? NextChange(SocialTariff tariff, LocalDate day)
    {
        var candidates = new[] { tariff.SuspendedUntil?.PlusDays(1), tariff.EndDate.PlusDays(1), tariff.GraceEndDate.PlusDays(1) };
        return candidates.Where(d => d is { } date && date > day).Min();
    }

    /// <summary>The first day of the period of <paramref name="day"/>; Absolute has one period, from the beginning.</summary>
    public static LocalDate PeriodStart(LimitPeriod period, LocalDate day) => period switch
    {
        LimitPeriod.Day => day,
        LimitPeriod.Week => day.PlusDays(1 - (int)day.DayOfWeek),
        LimitPeriod.Month => new LocalDate(day.Year, day.Month, 1),
        LimitPeriod.Quarter => new LocalDate(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
        LimitPeriod.Year => new LocalDate(day.Year, 1, 1),
        _ => LocalDate.MinIsoValue,
    };

    public static bool SamePeriod(LimitPeriod period, LocalDate a, LocalDate b) => PeriodStart(period, a) == PeriodStart(period, b);
}
