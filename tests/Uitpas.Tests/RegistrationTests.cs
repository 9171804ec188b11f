using Actors.Grains.Uitpas;
using Actors.Testing;
using NodaTime;

namespace Actors.Uitpas.Tests;

/// <summary>The manual's "Nieuwe UiTPAS registreren", its six steps, on a real silo and PostgreSQL; bad input writes nothing.</summary>
public sealed class RegistrationTests
{
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_new_card_is_registered_in_six_steps_and_the_price_comes_from_the_workflow()
    {
        await using var uitpas = await UitpasHarness.Start("register");
        await Sample.World(uitpas);
        var number = await Sample.StockCard(uitpas);

        // Steps 1-2: the scanned card is in stock, not registered yet.
        var scanned = await uitpas.Pass(number).Get();
        Assert.Equal(PassStatus.Stock, scanned!.Status);
        Assert.Null(scanned.HolderKey);
        Assert.False(scanned.SocialTariffCard);

        // Steps 3-6: eID data, contact data, opt-ins, the price with a voucher.
        var born = new LocalDate(1985, 7, 30);
        var national = Sample.NationalNumber(born);
        var registration = Sample.Registration(national, born, voucher: "WELCOME");
        var quote = await uitpas.Pass(number).Quote(Sample.AtCounter, registration);
        Assert.Equal(500, quote.BasePriceCents);
        Assert.Equal(300, quote.VoucherReductionCents);
        Assert.Equal(200, quote.PriceCents);

        var holder = await uitpas.Pass(number).Register(Sample.AtCounter, registration);
        Assert.Equal(national, holder.Key);
        var membership = Assert.Single(holder.Memberships);
        Assert.Equal((Sample.CardSystem, number, 200), (membership.CardSystemId, membership.PassNumber, membership.Price.PriceCents));
        Assert.Null(membership.SocialTariff);
        Assert.Equal(PassStatus.Active, (await uitpas.Pass(number).Get())!.Status);
        Assert.Equal(national, (await uitpas.Pass(number).Get())!.HolderKey);
        Assert.Single(await uitpas.Events("UitpasPassRegistered"));

        // Saving twice (a retried request) registers once.
        await uitpas.Pass(number).Register(Sample.AtCounter, registration);
        Assert.Single(await uitpas.Events("UitpasPassRegistered"));
    }

    [Theory(Timeout = SafetyNet.TestTimeout)]
    [InlineData(2, "2100", false, 200)]   // a child pays the child's price
    [InlineData(40, "2000", false, 1000)] // an adult from outside the region
    [InlineData(40, "9030", false, 500)]  // an adult resident
    [InlineData(40, "9000", true, 150)]   // the social tariff on a social-tariff card
    public async Task The_price_depends_on_age_postal_code_and_social_tariff(int age, string postalCode, bool social, int cents)
    {
        await using var uitpas = await UitpasHarness.Start("price");
        await Sample.World(uitpas);
        var number = await Sample.StockCard(uitpas, social);
        var born = uitpas.Today.PlusYears(-age).PlusDays(-10);
        var price = await uitpas.Pass(number).Quote(Sample.AtCounter, Sample.Registration(Sample.NationalNumber(born), born, social, postalCode: postalCode,
            optIns: new OptIns(true)));
        Assert.Equal(cents, price.PriceCents);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_social_tariff_card_is_only_for_someone_entitled_and_gets_30_April_next_year()
    {
        await using var uitpas = await UitpasHarness.Start("registersocial");
        await Sample.World(uitpas);
        var social = await Sample.StockCard(uitpas, socialTariff: true);
        var born = new LocalDate(1979, 3, 3);
        var national = Sample.NationalNumber(born);
        var before = await uitpas.Written();
        var refused = await Assert.ThrowsAsync<UitpasValidationException>(() =>
            uitpas.Pass(social).Register(Sample.AtCounter, Sample.Registration(national, born, socialTariff: false)));
        Assert.Equal(("SOCIAL_TARIFF_NOT_ENTITLED", "socialTariff"), (refused.Code, refused.Field));
        Assert.Equal(before, await uitpas.Written());

        // An entitled holder on an ordinary card is told to take a social-tariff card.
        var ordinary = await Sample.StockCard(uitpas);
        var wrongCard = await Assert.ThrowsAsync<UitpasValidationException>(() =>
            uitpas.Pass(ordinary).Register(Sample.AtCounter, Sample.Registration(national, born, socialTariff: true)));
        Assert.Equal("SOCIAL_TARIFF_CARD_REQUIRED", wrongCard.Code);

        var holder = await uitpas.Pass(social).Register(Sample.AtCounter, Sample.Registration(national, born, socialTariff: true));
        var tariff = Assert.Single(holder.Memberships).SocialTariff!;
        Assert.Equal(SocialTariffStatus.Active, tariff.Status);
        Assert.Equal(new LocalDate(2027, 4, 30), tariff.EndDate);
        Assert.Equal(new LocalDate(2027, 7, 30), tariff.GraceEndDate);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Bad_input_gets_a_coded_error_with_the_field_and_writes_nothing()
    {
        await using var uitpas = await UitpasHarness.Start("registerbad");
        await Sample.World(uitpas);
        var number = await Sample.StockCard(uitpas);
        var born = new LocalDate(1985, 7, 30);
        var national = Sample.NationalNumber(born);
        var before = await uitpas.Written();

        async Task Refused(string code, string field, Func<Task> call)
        {
            var refused = await Assert.ThrowsAsync<UitpasValidationException>(call);
            Assert.Equal((code, field), (refused.Code, refused.Field));
            Assert.Equal(before, await uitpas.Written());
        }

        var wrongDigit = number[..12] + (char)('0' + (number[12] - '0' + 1) % 10);
        await Refused("INVALID_CHECK_DIGIT", "uitpasNumber", () => uitpas.Pass(wrongDigit).Register(Sample.AtCounter, Sample.Registration(national, born)));
        await Refused("INVALID_CHECK_DIGIT", "uitpasNumber", () => uitpas.Pass(wrongDigit).Provision(Sample.CardSystem));
        await Refused("UNKNOWN_UITPAS_NUMBER", "uitpasNumber", () => uitpas.Pass(Sample.NewNumber()).Register(Sample.AtCounter, Sample.Registration(national, born)));
        var badCheck = national[..9] + ((int.Parse(national[9..]) + 1) % 100).ToString("D2");
        await Refused("INVALID_NATIONAL_NUMBER_CHECK", "holder.nationalRegisterNumber", () => uitpas.Pass(number).Register(Sample.AtCounter, Sample.Registration(badCheck, born)));
        await Refused("NATIONAL_NUMBER_MISMATCH", "holder.nationalRegisterNumber",
            () => uitpas.Pass(number).Register(Sample.AtCounter, Sample.Registration(national, born.PlusDays(1))));
        var child = new LocalDate(2012, 2, 29);
        await Refused("OPT_INS_UNDER_16", "optIns", () => uitpas.Pass(number).Register(Sample.AtCounter,
            Sample.Registration(Sample.NationalNumber(child), child, optIns: new OptIns(true, InfoMails: true))));
        await Refused("TERMS_NOT_INFORMED", "optIns.informedOfTerms", () => uitpas.Pass(number).Register(Sample.AtCounter,
            Sample.Registration(national, born, optIns: new OptIns(false))));
        await Refused("UNKNOWN_VOUCHER", "voucher", () => uitpas.Pass(number).Register(Sample.AtCounter, Sample.Registration(national, born, voucher: "NOPE")));
        await Refused("INVALID_POSTAL_CODE", "holder.address.postalCode", () => uitpas.Pass(number).Register(Sample.AtCounter,
            Sample.Registration(national, born, postalCode: "90000")));

        // With consent, the child's opt-ins are kept.
        var holder = await uitpas.Pass(number).Register(Sample.AtCounter,
            Sample.Registration(Sample.NationalNumber(child), child, optIns: new OptIns(true, InfoMails: true, ParentalConsent: true)));
        Assert.True(holder.OptIns.InfoMails);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Only_staff_with_the_right_at_a_counter_of_the_card_system_register()
    {
        await using var uitpas = await UitpasHarness.Start("registerrights");
        await Sample.World(uitpas);
        var number = await Sample.StockCard(uitpas);
        var born = new LocalDate(1990, 1, 1);
        var registration = Sample.Registration(Sample.NationalNumber(born), born);
        var before = await uitpas.Written();
        Assert.Equal("MISSING_RIGHT", (await Assert.ThrowsAsync<UitpasRefusedException>(() => uitpas.Pass(number).Register(Sample.PointsOnly, registration))).Code);
        Assert.Equal("NOT_COUNTER_STAFF", (await Assert.ThrowsAsync<UitpasRefusedException>(() =>
            uitpas.Pass(number).Register(new CounterStaff(Sample.Counter, "stranger@example.be"), registration))).Code);
        Assert.Equal("NOT_IN_CARD_SYSTEM", (await Assert.ThrowsAsync<UitpasRefusedException>(() => uitpas.Pass(number).Register(Sample.AtBrugge, registration))).Code);
        Assert.Equal(before, await uitpas.Written());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Only_the_counters_local_administrator_grants_rights()
    {
        await using var uitpas = await UitpasHarness.Start("rights");
        await Sample.World(uitpas);
        var counter = uitpas.Grain<ICounterGrain>(Sample.Counter);
        Assert.Equal("NOT_COUNTER_ADMINISTRATOR", (await Assert.ThrowsAsync<UitpasRefusedException>(() =>
            counter.GrantRights(Sample.Clerk, "new@stam.gent", [StaffRight.Register]))).Code);
        Assert.Equal("NOT_COUNTER_ADMINISTRATOR", (await Assert.ThrowsAsync<UitpasRefusedException>(() =>
            counter.GrantRights("admin@bib.gent", "new@stam.gent", [StaffRight.Register]))).Code);
        await counter.GrantRights(Sample.Admin, "New@Stam.Gent", [StaffRight.Register, StaffRight.Points]);
        var access = await counter.Access("new@stam.gent");
        Assert.Equal([StaffRight.Register, StaffRight.Points], access.Rights);
        // Rights are per counter: the library does not know this person.
        Assert.Equal("NOT_COUNTER_STAFF", (await Assert.ThrowsAsync<UitpasRefusedException>(() =>
            uitpas.Grain<ICounterGrain>(Sample.OtherCounter).Access("new@stam.gent"))).Code);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_card_moves_from_stock_to_active_to_blocked_and_a_stock_card_can_be_deleted()
    {
        await using var uitpas = await UitpasHarness.Start("cardlife");
        await Sample.World(uitpas);
        var (pass, national) = await Sample.RegisteredHolder(uitpas);
        await uitpas.Pass(pass).Block(Sample.AtCounter, "lost");
        Assert.Equal(PassStatus.Blocked, (await uitpas.Pass(pass).Get())!.Status);
        Assert.Equal(PassStatus.Blocked, Assert.Single((await uitpas.Holder(national).Get())!.Memberships).PassStatus);
        Assert.Equal("INVALID_TRANSITION", (await Assert.ThrowsAsync<UitpasRefusedException>(() => uitpas.Pass(pass).Block(Sample.AtCounter, "again"))).Code);
        Assert.Equal("INVALID_TRANSITION", (await Assert.ThrowsAsync<UitpasRefusedException>(() => uitpas.Pass(pass).Delete(Sample.AtCounter))).Code);

        // A replacement card for the same holder keeps the holder (and points) together.
        var replacement = await Sample.StockCard(uitpas);
        var holder = await uitpas.Pass(replacement).Register(Sample.AtCounter, Sample.Registration(national, new LocalDate(1985, 7, 30)));
        Assert.Equal(replacement, Assert.Single(holder.Memberships).PassNumber);

        var stock = await Sample.StockCard(uitpas);
        await uitpas.Pass(stock).Delete(Sample.AtCounter);
        Assert.Equal(PassStatus.Deleted, (await uitpas.Pass(stock).Get())!.Status);
    }
}
