using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace Actors.Grains.Fleet;

/// <summary>
/// Bad input, refused before anything is written. <see cref="Code"/> is stable (the API maps it to a GraphQL error
/// code) and <see cref="Field"/> names the input field, in the API's camelCase path.
/// </summary>
[GenerateSerializer]
public sealed class FleetValidationException(string code, string field, string message) : Exception(message)
{
    [Id(0)] public string Code { get; } = code;
    [Id(1)] public string Field { get; } = field;
}

/// <summary>A request the item's current status does not allow (block a New card, change a blocked one ...).</summary>
[GenerateSerializer]
public sealed class FleetOperationException(string code, string message) : Exception(message)
{
    [Id(0)] public string Code { get; } = code;
}

/// <summary>The input formats of the fiches, each failing with a code and the field's name.</summary>
public static partial class FleetInput
{
    public const int DriverNameMaxLength = 25;

    public static FleetValidationException Invalid(string code, string field, string message) => new(code, field, message);

    /// <summary>Plates in capitals, digits and hyphens, 2 to 12 characters, at least one digit (1-ABC-123, AB123CD).</summary>
    public static string? Plate(string? plate, string field = "plate")
    {
        if (string.IsNullOrEmpty(plate)) return null;
        if (!PlatePattern().IsMatch(plate))
            throw Invalid("INVALID_PLATE", field, $"'{plate}' is not a plate: 2 to 12 capitals, digits or hyphens, with a digit.");
        return plate;
    }

    /// <summary>A 4-digit card PIN (fiche 13).</summary>
    public static string Pin(string? pin, string field = "pin")
    {
        if (pin is null || !FourDigits().IsMatch(pin))
            throw Invalid("INVALID_PIN", field, "A PIN is exactly 4 digits.");
        return pin;
    }

    /// <summary>The driver's 4 digits of a personal code (fiche 13).</summary>
    public static string DriverCode(string? code, string field = "code")
    {
        if (code is null || !FourDigits().IsMatch(code))
            throw Invalid("INVALID_DRIVER_CODE", field, "A driver code is exactly 4 digits.");
        return code;
    }

    public static string DriverName(string? name, string field = "driverName")
    {
        if (string.IsNullOrWhiteSpace(name)) throw Invalid("REQUIRED", field, "The driver's name is required.");
        if (name.Length > DriverNameMaxLength)
            throw Invalid("TOO_LONG", field, $"A driver name has at most {DriverNameMaxLength} characters; this one has {name.Length}.");
        return name;
    }

    /// <summary>Fiche 10: 10 characters, no spaces (0475123456 or +324751234).</summary>
    public static string Phone(string? phone, string field = "phone")
    {
        if (phone is null) throw Invalid("REQUIRED", field, "A phone number is required.");
        if (phone.Any(char.IsWhiteSpace)) throw Invalid("INVALID_PHONE", field, "A phone number is written without spaces.");
        if (!PhonePattern().IsMatch(phone)) throw Invalid("INVALID_PHONE", field, "A phone number has 10 characters: digits, or + and 9 digits.");
        return phone;
    }

    /// <summary>Fiche 10: NAME and first name in capitals.</summary>
    public static string Capitals(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw Invalid("REQUIRED", field, $"{field} is required.");
        if (value != value.ToUpperInvariant()) throw Invalid("NOT_CAPITALS", field, $"{field} is written in capitals.");
        return value;
    }

    public static string Email(string? email, string field = "email")
    {
        if (email is null || !EmailPattern().IsMatch(email)) throw Invalid("INVALID_EMAIL", field, $"'{email}' is not an e-mail address.");
        return email;
    }

    /// <summary>A customer number: 6 to 10 digits.</summary>
    public static string CustomerNumber(string? number, string field = "customerNumber")
    {
        if (number is null || !CustomerNumberPattern().IsMatch(number))
            throw Invalid("INVALID_CUSTOMER_NUMBER", field, $"'{number}' is not a customer number (6 to 10 digits).");
        return number;
    }

    /// <summary>An ISO date (2027-03-31); anything else is a malformed date.</summary>
    public static LocalDate Date(string? text, string field)
    {
        var result = LocalDatePattern.Iso.Parse(text ?? "");
        if (!result.Success) throw Invalid("INVALID_DATE", field, $"'{text}' is not a date (yyyy-MM-dd).");
        return result.Value;
    }

    public static string Required(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw Invalid("REQUIRED", field, $"{field} is required.");
        return value;
    }

    public static string Country(string? code, string field) =>
        code is not null && CountryPattern().IsMatch(code) ? code
            : throw Invalid("INVALID_COUNTRY", field, $"'{code}' is not an ISO country code of two capitals.");

    [GeneratedRegex(@"^(?=.*\d)[A-Z0-9](?:[A-Z0-9]|-(?!-)){0,10}[A-Z0-9]$")]
    private static partial Regex PlatePattern();
    [GeneratedRegex(@"^\d{4}$")]
    private static partial Regex FourDigits();
    [GeneratedRegex(@"^(\d{10}|\+\d{9})$")]
    private static partial Regex PhonePattern();
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
    [GeneratedRegex(@"^\d{6,10}$")]
    private static partial Regex CustomerNumberPattern();
    [GeneratedRegex(@"^[A-Z]{2}$")]
    private static partial Regex CountryPattern();
}
