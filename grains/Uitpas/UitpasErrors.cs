using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace Actors.Grains.Uitpas;

/// <summary>
/// Bad input, refused before anything is written. <see cref="Code"/> is stable (the API maps it to a GraphQL error code)
/// and <see cref="Field"/> names the input field in the API's camelCase path.
/// </summary>
[GenerateSerializer]
public sealed class UitpasValidationException(string code, string field, string message) : Exception(message)
{
    [Id(0)] public string Code { get; } = code;
    [Id(1)] public string Field { get; } = field;
}

/// <summary>
/// A counter request refused by the pass's, the holder's or the counter's state, or by a policy: the codes are UiTPAS's
/// reasons (INVALID_CARD, NOT_ENOUGH_POINTS, OUT_OF_STOCK ...). Nothing was written.
/// </summary>
[GenerateSerializer]
public sealed class UitpasRefusedException(string code, string message) : Exception(message)
{
    [Id(0)] public string Code { get; } = code;
}

/// <summary>The input formats of the counter app, each failing with a code and the field's name.</summary>
public static partial class UitpasInput
{
    public static UitpasValidationException Invalid(string code, string field, string message) => new(code, field, message);

    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid("REQUIRED", field, $"{field} is required.") : value.Trim();

    /// <summary>A UiTPAS number: 13 digits with a Luhn check digit (see <see cref="PassNumber"/>).</summary>
    public static string PassNumber(string? number, string field = "uitpasNumber")
    {
        if (number is null || !ThirteenDigits().IsMatch(number))
            throw Invalid("INVALID_UITPAS_NUMBER", field, $"'{number}' is not a UiTPAS number: it has 13 digits.");
        if (!Uitpas.PassNumber.HasValidCheckDigit(number))
            throw Invalid("INVALID_CHECK_DIGIT", field, $"UiTPAS number {number} has a wrong check digit.");
        return number;
    }

    /// <summary>A national register number, with or without its dots and dash (85.07.30-033.28).</summary>
    public static NationalRegisterNumber NationalNumber(string? text, string field = "nationalRegisterNumber")
    {
        var digits = new string((text ?? "").Where(c => !char.IsWhiteSpace(c) && c != '.' && c != '-').ToArray());
        if (!ElevenDigits().IsMatch(digits))
            throw Invalid("INVALID_NATIONAL_NUMBER", field, $"'{text}' is not a national register number: it has 11 digits.");
        return NationalRegisterNumber.TryParse(digits, out var number) ? number
            : throw Invalid("INVALID_NATIONAL_NUMBER_CHECK", field, $"National register number {digits} fails its mod-97 check.");
    }

    public static string? Email(string? email, string field = "email")
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        return EmailPattern().IsMatch(email) ? email.Trim() : throw Invalid("INVALID_EMAIL", field, $"'{email}' is not an e-mail address.");
    }

    /// <summary>A login identity is an e-mail address (manual, Inloggen: the UiTID's e-mail is what rights are granted to).</summary>
    public static string Login(string? email, string field = "email") =>
        Email(Required(email, field), field)!.ToLowerInvariant();

    public static string PostalCode(string? code, string field) =>
        code is not null && FourDigits().IsMatch(code) ? code : throw Invalid("INVALID_POSTAL_CODE", field, $"'{code}' is not a Belgian postal code (4 digits).");

    public static LocalDate Date(string? text, string field)
    {
        var result = LocalDatePattern.Iso.Parse(text ?? "");
        return result.Success ? result.Value : throw Invalid("INVALID_DATE", field, $"'{text}' is not a date (yyyy-MM-dd).");
    }

    /// <summary>A request id a counter app sends so that a retried call counts once.</summary>
    public static string RequestId(string? id, string field = "requestId")
    {
        var value = Required(id, field);
        return value.Length <= 100 ? value : throw Invalid("TOO_LONG", field, "A request id has at most 100 characters.");
    }

    [GeneratedRegex(@"^\d{13}$")] private static partial Regex ThirteenDigits();
    [GeneratedRegex(@"^\d{11}$")] private static partial Regex ElevenDigits();
    [GeneratedRegex(@"^\d{4}$")] private static partial Regex FourDigits();
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")] private static partial Regex EmailPattern();
}
