using NodaTime;

namespace Actors.Grains.Uitpas;

/// <summary>
/// The UiTPAS number on a card: 13 digits, the last a Luhn check digit; a second-to-last digit of 1 marks a card with the
/// social tariff (manual, "Nieuwe UiTPAS registreren" step 1: "een kaart waarvan het voorlaatste cijfer ... een 1 is").
/// </summary>
public static class PassNumber
{
    public static bool HasValidCheckDigit(string number) =>
        number.Length == 13 && number.All(char.IsAsciiDigit) && CheckDigit(number[..12]) == number[12] - '0';

    /// <summary>The Luhn digit for the first twelve digits: doubling every second digit from the right.</summary>
    public static int CheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0) { digit *= 2; if (digit > 9) digit -= 9; }
            sum += digit;
        }
        return (10 - sum % 10) % 10;
    }

    /// <summary>Completes twelve digits with their check digit (stock provisioning, demo data, tests).</summary>
    public static string WithCheckDigit(string body) => body + CheckDigit(body);

    public static bool IsSocialTariffCard(string number) => number[11] == '1';
}

/// <summary>
/// A Belgian national register number: birth date (YYMMDD), a daily counter (odd for men, even for women) and two check
/// digits, 97 minus the first nine digits mod 97; for those born in 2000 or later a 2 is put before the nine digits.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record NationalRegisterNumber(string Digits, LocalDate? BirthDate, bool BornFrom2000)
{
    public static bool TryParse(string digits, out NationalRegisterNumber number)
    {
        number = null!;
        if (digits.Length != 11 || !digits.All(char.IsAsciiDigit)) return false;
        var body = long.Parse(digits[..9]);
        var check = int.Parse(digits[9..]);
        bool before2000 = 97 - body % 97 == check, from2000 = 97 - (2_000_000_000L + body) % 97 == check;
        if (!before2000 && !from2000) return false;
        var year = (from2000 ? 2000 : 1900) + int.Parse(digits[..2]);
        int month = int.Parse(digits[2..4]), day = int.Parse(digits[4..6]);
        // Month or day 00 is a birth date not known to the register; bis numbers add 20 or 40 to the month.
        if (month > 40) month -= 40; else if (month > 20) month -= 20;
        LocalDate? birth = month is >= 1 and <= 12 && day >= 1 && day <= CalendarSystem.Iso.GetDaysInMonth(year, month)
            ? new LocalDate(year, month, day) : null;
        number = new NationalRegisterNumber(digits, birth, from2000);
        return true;
    }

    /// <summary>Builds a valid number for a birth date and daily counter (demo data and tests).</summary>
    public static string For(LocalDate birth, int counter)
    {
        var body = long.Parse($"{birth.Year % 100:D2}{birth.Month:D2}{birth.Day:D2}{counter:D3}");
        var check = 97 - ((birth.Year >= 2000 ? 2_000_000_000L : 0) + body) % 97;
        return $"{body:D9}{check:D2}";
    }

    public bool Male => (Digits[8] - '0') % 2 == 1;

    public override string ToString() => Digits;
}
