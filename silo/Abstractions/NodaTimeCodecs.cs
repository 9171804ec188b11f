using NodaTime;
using Orleans;

namespace Actors;

// NodaTime values cross grain calls and silos as their own numbers, through Orleans converters: no text to parse, and a
// LocalDate stays a date (a string would lose its type, a DateTime would gain a zone it never had).

/// <summary>An <see cref="Instant"/> as nanoseconds since the Unix epoch (split, since the range exceeds a long).</summary>
[GenerateSerializer]
public struct InstantSurrogate
{
    [Id(0)] public int Days;
    [Id(1)] public long NanosecondOfDay;
}

[RegisterConverter]
public sealed class InstantConverter : IConverter<Instant, InstantSurrogate>
{
    public Instant ConvertFromSurrogate(in InstantSurrogate surrogate) =>
        Instant.FromUnixTimeTicks(0) + Duration.FromDays(surrogate.Days) + Duration.FromNanoseconds(surrogate.NanosecondOfDay);

    public InstantSurrogate ConvertToSurrogate(in Instant value)
    {
        var sinceEpoch = value - Instant.FromUnixTimeTicks(0);
        return new InstantSurrogate { Days = sinceEpoch.Days, NanosecondOfDay = sinceEpoch.NanosecondOfDay };
    }
}

/// <summary>A <see cref="Duration"/> as whole days and the nanoseconds of the day left over.</summary>
[GenerateSerializer]
public struct DurationSurrogate
{
    [Id(0)] public int Days;
    [Id(1)] public long NanosecondOfDay;
}

[RegisterConverter]
public sealed class DurationConverter : IConverter<Duration, DurationSurrogate>
{
    public Duration ConvertFromSurrogate(in DurationSurrogate surrogate) =>
        Duration.FromDays(surrogate.Days) + Duration.FromNanoseconds(surrogate.NanosecondOfDay);

    public DurationSurrogate ConvertToSurrogate(in Duration value) => new() { Days = value.Days, NanosecondOfDay = value.NanosecondOfDay };
}

/// <summary>A <see cref="LocalDate"/> (ISO calendar, as every business date here) as its year, month and day.</summary>
[GenerateSerializer]
public struct LocalDateSurrogate
{
    [Id(0)] public int Year;
    [Id(1)] public int Month;
    [Id(2)] public int Day;
}

[RegisterConverter]
public sealed class LocalDateConverter : IConverter<LocalDate, LocalDateSurrogate>
{
    public LocalDate ConvertFromSurrogate(in LocalDateSurrogate surrogate) => new(surrogate.Year, surrogate.Month, surrogate.Day);

    public LocalDateSurrogate ConvertToSurrogate(in LocalDate value) => new() { Year = value.Year, Month = value.Month, Day = value.Day };
}

/// <summary>A <see cref="LocalTime"/> as nanoseconds since midnight.</summary>
[GenerateSerializer]
public struct LocalTimeSurrogate
{
    [Id(0)] public long NanosecondOfDay;
}

[RegisterConverter]
public sealed class LocalTimeConverter : IConverter<LocalTime, LocalTimeSurrogate>
{
    public LocalTime ConvertFromSurrogate(in LocalTimeSurrogate surrogate) => LocalTime.FromNanosecondsSinceMidnight(surrogate.NanosecondOfDay);

    public LocalTimeSurrogate ConvertToSurrogate(in LocalTime value) => new() { NanosecondOfDay = value.NanosecondOfDay };
}

/// <summary>A <see cref="LocalDateTime"/> as its date and its time of day.</summary>
[GenerateSerializer]
public struct LocalDateTimeSurrogate
{
    [Id(0)] public LocalDate Date;
    [Id(1)] public LocalTime Time;
}

[RegisterConverter]
public sealed class LocalDateTimeConverter : IConverter<LocalDateTime, LocalDateTimeSurrogate>
{
    public LocalDateTime ConvertFromSurrogate(in LocalDateTimeSurrogate surrogate) => surrogate.Date + surrogate.Time;

    public LocalDateTimeSurrogate ConvertToSurrogate(in LocalDateTime value) => new() { Date = value.Date, Time = value.TimeOfDay };
}

/// <summary>A <see cref="YearMonth"/> (a billing month) as its year and month.</summary>
[GenerateSerializer]
public struct YearMonthSurrogate
{
    [Id(0)] public int Year;
    [Id(1)] public int Month;
}

[RegisterConverter]
public sealed class YearMonthConverter : IConverter<YearMonth, YearMonthSurrogate>
{
    public YearMonth ConvertFromSurrogate(in YearMonthSurrogate surrogate) => new(surrogate.Year, surrogate.Month);

    public YearMonthSurrogate ConvertToSurrogate(in YearMonth value) => new() { Year = value.Year, Month = value.Month };
}
