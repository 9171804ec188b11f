using Actors.Testing;
using Actors.Grains.Fleet;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Fiches 01 and 10: users, rights, Multipass, password policy, lockout, validity.</summary>
public sealed class UserTests : IAsyncLifetime
{
    private FleetHarness fleet = null!;

    public async Task InitializeAsync()
    {
        fleet = await FleetHarness.Start("users");
        await Sample.RegisterCustomer(fleet);
        await Sample.RegisterCustomer(fleet, Sample.OtherCustomer);
    }

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    private static UserRegistration Registration(string? validUntil = null, params string[] customers) => new(
        new UserProfile("DUPONT", "MARIE", "marie.dupont@acme.be", "0475123456"),
        [FleetModule.MyCardsAndObus, FleetModule.MyDriverCodes],
        customers.Length == 0 ? [Sample.Customer, Sample.OtherCustomer] : customers,
        validUntil, "Start#2026");

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche10_first_login_asks_name_first_name_and_phone_exactly_then_multipass_grants_both_customers()
    {
        var user = fleet.Grain<IUserGrain>("mdupont");
        await user.Create(Registration());
        Assert.Equal(LoginOutcome.ConfirmationRequired, (await user.Login("Start#2026")).Outcome);
        var wrongCase = await Assert.ThrowsAsync<FleetValidationException>(() => user.ConfirmFirstLogin("Dupont", "MARIE", "0475123456"));
        Assert.Equal(("CONFIRMATION_MISMATCH", "name"), (wrongCase.Code, wrongCase.Field));
        await user.ConfirmFirstLogin("DUPONT", "MARIE", "0475123456");
        Assert.Equal(LoginOutcome.Succeeded, (await user.Login("Start#2026")).Outcome);

        Assert.True(await user.ConfirmPassword("Start#2026")); // fiche 11: invoices ask again
        Assert.False(await user.ConfirmPassword("Wrong#2026"));
        Assert.Equal(1, (await user.Get())!.FailedAttempts);

        var access = await user.Access();
        Assert.True(access.Allows(Sample.Customer, FleetModule.MyCardsAndObus));
        Assert.True(access.Allows(Sample.OtherCustomer, FleetModule.MyDriverCodes));
        Assert.False(access.Allows(Sample.Customer, FleetModule.MyInvoices));
        Assert.False(access.Allows("999999", FleetModule.MyCardsAndObus));
        Assert.DoesNotContain("Start#2026", await fleet.Scalar<string>("SELECT state::text FROM grain_state WHERE grain_key = 'mdupont'"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche10_bad_input_names_the_field_and_writes_nothing()
    {
        var user = fleet.Grain<IUserGrain>("bad");
        async Task<FleetValidationException> Refused(UserRegistration r) => await Assert.ThrowsAsync<FleetValidationException>(() => user.Create(r));

        var spaces = await Refused(Registration() with { Profile = new UserProfile("DUPONT", "MARIE", "m@acme.be", "0475 12 34") });
        Assert.Equal(("INVALID_PHONE", "phone"), (spaces.Code, spaces.Field));
        var lower = await Refused(Registration() with { Profile = new UserProfile("Dupont", "MARIE", "m@acme.be", "0475123456") });
        Assert.Equal(("NOT_CAPITALS", "name"), (lower.Code, lower.Field));
        var unknown = await Refused(Registration(null, Sample.Customer, "777777"));
        Assert.Equal(("UNKNOWN_CUSTOMER", "customerNumbers[1]"), (unknown.Code, unknown.Field));
        var date = await Refused(Registration("31/12/2026"));
        Assert.Equal(("INVALID_DATE", "validUntil"), (date.Code, date.Field));
        Assert.Null(await user.Get());
        Assert.Equal(0L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_users"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche01_password_policy_history_of_four_and_lockout()
    {
        var user = fleet.Grain<IUserGrain>("jpeeters");
        await user.Create(Registration());
        foreach (var (weak, why) in new[] { ("Ab1#", "short"), ("abcdefg1", "no special"), ("abc#defg", "no digit"), ("JPEETERS", "user name") })
        {
            var refused = await Assert.ThrowsAsync<FleetValidationException>(() => user.ChangePassword("Start#2026", weak));
            Assert.True(refused.Code == "WEAK_PASSWORD", why);
        }
        await Assert.ThrowsAsync<FleetValidationException>(() => user.Create(Registration()));

        var passwords = new[] { "Start#2026", "Second#2", "Third#333", "Fourth#44" };
        for (var i = 1; i < passwords.Length; i++) await user.ChangePassword(passwords[i - 1], passwords[i]);
        foreach (var old in passwords)
        {
            var reused = await Assert.ThrowsAsync<FleetValidationException>(() => user.ChangePassword("Fourth#44", old));
            Assert.Equal("PASSWORD_REUSED", reused.Code);
        }
        await user.ChangePassword("Fourth#44", "Fifth#555");
        await user.ChangePassword("Fifth#555", "Start#2026"); // five passwords ago: allowed again

        for (var i = 0; i < UserGrain.MaxFailedAttempts - 1; i++)
            Assert.Equal(LoginOutcome.InvalidPassword, (await user.Login("nope#1")).Outcome);
        Assert.Equal(LoginOutcome.LockedOut, (await user.Login("nope#1")).Outcome);
        Assert.Equal(LoginOutcome.LockedOut, (await user.Login("Start#2026")).Outcome);
        await fleet.Advance(UserGrain.LockoutDuration);
        Assert.Equal(LoginOutcome.ConfirmationRequired, (await user.Login("Start#2026")).Outcome);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche10_access_ends_by_itself_after_the_validity_period_and_profile_changes_notify()
    {
        var user = fleet.Grain<IUserGrain>("temp");
        await user.Create(Registration("2026-01-31"));
        await user.ChangeProfile(new UserProfile("DUPONT", "MARIE", "marie@acme.be", "0475123456"));
        var changed = Assert.Single(await fleet.Events("UserProfileChanged", "temp"));
        Assert.Equal("email", changed.GetProperty("changed")[0].GetString());

        await fleet.AdvanceTo(FleetCalendar.StartOf(new LocalDate(2026, 1, 31)));
        Assert.True((await user.Access()).Active);
        await fleet.AdvanceTo(FleetCalendar.StartOf(new LocalDate(2026, 2, 1)));
        Assert.Equal(UserStatus.Ended, (await user.Get())!.Status);
        Assert.False((await user.Access()).Active);
        Assert.Equal(LoginOutcome.AccessEnded, (await user.Login("Start#2026")).Outcome);
        Assert.Equal("Ended", await fleet.Scalar<string>("SELECT status FROM fleet_users WHERE login = 'temp'"));
    }
}
