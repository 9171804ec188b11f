using NodaTime;
using NodaTime.Text;

namespace Actors.GraphQL.Types;

/// <summary>NodaTime scalars in ISO 8601 text, named as Hot Chocolate's NodaTime package names them.</summary>
internal static class NodaScalars
{
    internal sealed class InstantScalar() : StringBackedScalar<Instant>("Instant")
    {
        protected override bool TryParse(string text, out Instant value) => Try(InstantPattern.ExtendedIso.Parse(text), out value);
        protected override string Format(Instant value) => InstantPattern.ExtendedIso.Format(value);
    }

    internal sealed class LocalDateScalar() : StringBackedScalar<LocalDate>("LocalDate")
    {
        protected override bool TryParse(string text, out LocalDate value) => Try(LocalDatePattern.Iso.Parse(text), out value);
        protected override string Format(LocalDate value) => LocalDatePattern.Iso.Format(value);
    }

    internal sealed class LocalTimeScalar() : StringBackedScalar<LocalTime>("LocalTime")
    {
        protected override bool TryParse(string text, out LocalTime value) => Try(LocalTimePattern.ExtendedIso.Parse(text), out value);
        protected override string Format(LocalTime value) => LocalTimePattern.ExtendedIso.Format(value);
    }

    /// <summary>Durations as ISO 8601 durations (<c>PT1H30M</c>, <c>P2DT3H</c>); years and months are refused as they have no fixed length.</summary>
    internal sealed class DurationScalar() : StringBackedScalar<Duration>("Duration")
    {
        protected override bool TryParse(string text, out Duration value)
        {
            value = default;
            var result = PeriodPattern.NormalizingIso.Parse(text);
            if (!result.Success || result.Value.HasDateComponent && (result.Value.Years != 0 || result.Value.Months != 0)) return false;
            value = result.Value.ToDuration();
            return true;
        }

        protected override string Format(Duration value) =>
            PeriodPattern.NormalizingIso.Format(Period.FromNanoseconds(value.ToInt64Nanoseconds()).Normalize());
    }

    private static bool Try<T>(ParseResult<T> result, out T value)
    {
        value = result.Success ? result.Value : default!;
        return result.Success;
    }
}
