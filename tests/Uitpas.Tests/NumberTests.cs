using Actors.Grains.Uitpas;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Actors.Uitpas.Tests;

/// <summary>UiTPAS numbers (Luhn, social-tariff digit) and national register numbers (mod 97, the 2000 rule).</summary>
public sealed class NumberTests
{
    [Theory]
    [InlineData("4222222222222", true)]   // the 13-digit Luhn test number of card issuers
    [InlineData("4222222222223", false)]
    [InlineData("4111111111111", false)]
    public void A_UiTPAS_number_has_a_Luhn_check_digit(string number, bool valid)
    {
        Assert.Equal(PassNumber.WithCheckDigit(number[..12]) == number, valid);
        Assert.Equal(valid, PassNumber.HasValidCheckDigit(number));
    }

    [Fact]
    public void The_second_to_last_digit_1_marks_a_social_tariff_card()
    {
        Assert.True(PassNumber.IsSocialTariffCard(PassNumber.WithCheckDigit("041000000001")));
        Assert.False(PassNumber.IsSocialTariffCard(PassNumber.WithCheckDigit("041000000000")));
    }

    [Property]
    public bool Changing_one_digit_breaks_the_check(PositiveInt seed, byte position, byte delta)
    {
        var body = (seed.Get % 1_000_000_000L).ToString("D12");
        var number = PassNumber.WithCheckDigit(body).ToCharArray();
        var at = position % 13;
        number[at] = (char)('0' + (number[at] - '0' + 1 + delta % 9) % 10);
        return !PassNumber.HasValidCheckDigit(new string(number));
    }

    [Fact]
    public void Before_2000_the_check_is_97_minus_the_nine_digits_mod_97()
    {
        // 85.07.30-033.xx: 850730033 mod 97 = 69, check 28.
        Assert.True(NationalRegisterNumber.TryParse("85073003328", out var number));
        Assert.Equal(new LocalDate(1985, 7, 30), number.BirthDate);
        Assert.True(number.Male);
        Assert.False(number.BornFrom2000);
        Assert.False(NationalRegisterNumber.TryParse("85073003329", out _));
    }

    [Fact]
    public void From_2000_a_2_is_put_before_the_nine_digits()
    {
        var digits = NationalRegisterNumber.For(new LocalDate(2012, 2, 29), 2);
        Assert.True(NationalRegisterNumber.TryParse(digits, out var number));
        Assert.True(number.BornFrom2000);
        Assert.Equal(new LocalDate(2012, 2, 29), number.BirthDate);
        Assert.False(number.Male);
        // The same nine digits with the pre-2000 check are someone born in 1912.
        var body = long.Parse(digits[..9]);
        Assert.True(NationalRegisterNumber.TryParse($"{body:D9}{97 - body % 97:D2}", out var older));
        Assert.Equal(new LocalDate(1912, 2, 29), older.BirthDate);
    }

    [Property]
    public Property Every_built_number_parses_back_to_its_birth_date() =>
        Prop.ForAll(Gen.Choose(0, 47_000).Select(d => new LocalDate(1950, 1, 1).PlusDays(d)).ToArbitrary(), Gen.Choose(1, 997).ToArbitrary(), (born, counter) =>
            NationalRegisterNumber.TryParse(NationalRegisterNumber.For(born, counter), out var number) && number.BirthDate == born
            && number.BornFrom2000 == born.Year >= 2000 && number.Male == (counter % 2 == 1));

    [Theory]
    [InlineData("85.07.30-033.28", null)]
    [InlineData("8507300332", "INVALID_NATIONAL_NUMBER")]
    [InlineData("85073003399", "INVALID_NATIONAL_NUMBER_CHECK")]
    public void Bad_national_numbers_get_a_code(string text, string? code)
    {
        if (code is null) { Assert.Equal("85073003328", UitpasInput.NationalNumber(text).Digits); return; }
        var refused = Assert.Throws<UitpasValidationException>(() => UitpasInput.NationalNumber(text));
        Assert.Equal(code, refused.Code);
        Assert.Equal("nationalRegisterNumber", refused.Field);
    }
}
