using Microsoft.AspNetCore.Identity;
using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>A CardsOnline login (key: login name): profile, rights, customer numbers (Multipass), password, lockout.</summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Fiche 10: a fleet manager creates the user; access is active at once.</summary>
    Task Create(UserRegistration registration);
    [ReadOnly] Task<UserView?> Get();
    /// <summary>Fiche 01: checks the password, counting failures towards the lockout.</summary>
    Task<LoginResult> Login(string password);
    /// <summary>
    /// Fiche 11: invoices ask for the password again. Same checks and lockout as <see cref="Login"/>; true only for an
    /// active user whose password is right.
    /// </summary>
    Task<bool> ConfirmPassword(string password);
    /// <summary>Fiche 10: on first login the user repeats NAME, first name and phone exactly.</summary>
    Task ConfirmFirstLogin(string name, string firstName, string phone);
    /// <summary>Fiche 01: the password policy, including none of the last 4 passwords.</summary>
    Task ChangePassword(string currentPassword, string newPassword);
    /// <summary>Fiche 10: profile changes notify the user (an event).</summary>
    Task ChangeProfile(UserProfile profile);
    /// <summary>Rights per module and the customer numbers granted (Multipass).</summary>
    Task ChangeRights(IReadOnlyList<FleetModule> modules, IReadOnlyList<string> customerNumbers, string? validUntil);
    /// <summary>What the API checks on every call: is the user active, for which customers and modules.</summary>
    [ReadOnly] Task<UserAccess> Access();
    /// <summary>PASSalert (fiche 02): which anomaly codes the user follows, pushed and/or mailed.</summary>
    Task ChangeAlertSettings(AlertSettings settings);
    [ReadOnly] Task<AlertSettings> AlertSettings();
    /// <summary>
    /// An anomaly of one of the user's customers: when the user follows its code by mail, an <c>AlertMailRequested</c>
    /// event (the mail outbox). Once per anomaly, however often it is delivered.
    /// </summary>
    Task Alert(FleetAnomalyRaised anomaly);
    /// <summary>Fiche 11: a new invoice; an <c>InvoiceMailRequested</c> event once per invoice when the user is selected for it.</summary>
    Task InvoiceAvailable(InvoiceAvailable invoice);
}

/// <summary>A user's profile; <paramref name="Language"/> (<c>nl</c>, <c>fr</c> or <c>en</c>) is the language of the user's mails, Dutch when none is given.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UserProfile(string Name, string FirstName, string Email, string Phone, string? Language = null);

/// <summary>A new user. <paramref name="ValidUntil"/> is an ISO date (last day of access), or null for no end.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UserRegistration(
    UserProfile Profile, IReadOnlyList<FleetModule> Modules, IReadOnlyList<string> CustomerNumbers, string? ValidUntil, string InitialPassword);

[GenerateSerializer]
public enum UserStatus { Active, Ended }

[GenerateSerializer]
public enum LoginOutcome { Succeeded, ConfirmationRequired, InvalidPassword, LockedOut, AccessEnded, UnknownUser }

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record LoginResult(LoginOutcome Outcome, Instant? LockedUntil = null);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UserAccess(bool Active, IReadOnlyList<string> CustomerNumbers, IReadOnlyList<FleetModule> Modules)
{
    public bool Allows(string customerNumber, FleetModule module) => Active && CustomerNumbers.Contains(customerNumber) && Modules.Contains(module);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UserView(
    string Login, UserProfile Profile, IReadOnlyList<FleetModule> Modules, IReadOnlyList<string> CustomerNumbers, LocalDate? ValidUntil,
    UserStatus Status, bool FirstLoginConfirmed, int FailedAttempts, Instant? LockedUntil);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class UserState
{
    public UserProfile Profile { get; set; } = new("", "", "", "");
    public List<FleetModule> Modules { get; set; } = [];
    public List<string> CustomerNumbers { get; set; } = [];
    public LocalDate? ValidUntil { get; set; }
    public UserStatus Status { get; set; }
    public bool FirstLoginConfirmed { get; set; }
    /// <summary>Hashes of the current password and the ones before it, newest first; at most 4.</summary>
    public List<string> PasswordHashes { get; set; } = [];
    public int FailedAttempts { get; set; }
    public Instant? LockedUntil { get; set; }
    public AlertSettings Alerts { get; set; } = new([], false, false);
    /// <summary>The anomalies already mailed, newest last, at most <see cref="UserGrain.RememberedAlerts"/>.</summary>
    public List<string> AlertedAnomalies { get; set; } = [];
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UserProfileChanged(string Login, string Email, IReadOnlyList<string> Changed, string? Language = null);
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed record UserAccessEnded(string Login, LocalDate ValidUntil);

[GrainType("fleet.user")]
public sealed partial class UserGrain(
    [DurableState("user")] IDurableState<UserState> user,
    IClock clock) : Grain, IUserGrain, IRemindable
{
    private UserState State { get => user.State; set => user.State = value; }
    private Instant Now => clock.GetCurrentInstant();

    public const int PasswordHistory = 4;
    public const int MaxFailedAttempts = 5;
    public static readonly Duration LockoutDuration = Duration.FromMinutes(15);
    private const string AccessEndReminder = "access-end";
    private static readonly PasswordHasher<string> Hasher = new();

    private string LoginName => this.GetPrimaryKeyString();

    public async Task Create(UserRegistration registration)
    {
        if (user.RecordExists) throw FleetInput.Invalid("LOGIN_TAKEN", "login", $"The login {Login} is taken.");
        FleetInput.Required(LoginName, "login");
        var profile = CheckProfile(registration.Profile);
        var validUntil = registration.ValidUntil is null ? (LocalDate?)null : FleetInput.Date(registration.ValidUntil, "validUntil");
        await CheckCustomers(registration.CustomerNumbers);
        CheckPassword(registration.InitialPassword, "initialPassword");
        State = new UserState
        {
            Profile = profile,
            Modules = [.. registration.Modules.Distinct()],
            CustomerNumbers = [.. registration.CustomerNumbers.Distinct()],
            ValidUntil = validUntil,
            PasswordHashes = [Hasher.HashPassword(LoginName, registration.InitialPassword)],
        };
        user.RaiseEvent("UserCreated", new UserProfileChanged(LoginName, profile.Email, ["Created"], profile.Language));
        await Save();
    }

    [ReadOnly]
    public Task<UserView?> Get() => Task.FromResult(user.RecordExists
        ? new UserView(LoginName, State.Profile, [.. State.Modules], [.. State.CustomerNumbers], State.ValidUntil, State.Status,
            State.FirstLoginConfirmed, State.FailedAttempts, State.LockedUntil)
        : null);

    public async Task<LoginResult> Login(string password)
    {
        if (!user.RecordExists) return new LoginResult(LoginOutcome.UnknownUser);
        if (AccessEnded()) return new LoginResult(LoginOutcome.AccessEnded);
        if (State.LockedUntil is { } until && Now < until) return new LoginResult(LoginOutcome.LockedOut, until);
        if (!Verify(password))
        {
            State.FailedAttempts++;
            if (State.FailedAttempts >= MaxFailedAttempts)
            {
                State.LockedUntil = Now + LockoutDuration;
                State.FailedAttempts = 0;
                user.RaiseEvent("UserLockedOut", new UserProfileChanged(LoginName, State.Profile.Email, ["LockedUntil"]));
            }
            await user.WriteStateAsync();
            return State.LockedUntil is { } locked && Now < locked ? new LoginResult(LoginOutcome.LockedOut, locked) : new LoginResult(LoginOutcome.InvalidPassword);
        }
        State.FailedAttempts = 0;
        State.LockedUntil = null;
        await user.WriteStateAsync();
        return new LoginResult(State.FirstLoginConfirmed ? LoginOutcome.Succeeded : LoginOutcome.ConfirmationRequired);
    }

    public async Task<bool> ConfirmPassword(string password) =>
        (await Login(password)).Outcome is LoginOutcome.Succeeded;

    public async Task ConfirmFirstLogin(string name, string firstName, string phone)
    {
        Require();
        if (name != State.Profile.Name) throw FleetInput.Invalid("CONFIRMATION_MISMATCH", "name", "The NAME is not written exactly as registered.");
        if (firstName != State.Profile.FirstName) throw FleetInput.Invalid("CONFIRMATION_MISMATCH", "firstName", "The first name is not written exactly as registered.");
        if (phone != State.Profile.Phone) throw FleetInput.Invalid("CONFIRMATION_MISMATCH", "phone", "The phone number is not written exactly as registered.");
        State.FirstLoginConfirmed = true;
        await Save();
    }

    public async Task ChangePassword(string currentPassword, string newPassword)
    {
        Require();
        if (!Verify(currentPassword)) throw FleetInput.Invalid("INVALID_PASSWORD", "currentPassword", "The current password is wrong.");
        CheckPassword(newPassword, "newPassword");
        if (State.PasswordHashes.Any(hash => Hasher.VerifyHashedPassword(LoginName, hash, newPassword) != PasswordVerificationResult.Failed))
            throw FleetInput.Invalid("PASSWORD_REUSED", "newPassword", $"The password must differ from the last {PasswordHistory} passwords.");
        State.PasswordHashes = [Hasher.HashPassword(LoginName, newPassword), .. State.PasswordHashes.Take(PasswordHistory - 1)];
        await user.WriteStateAsync();
    }

    public async Task ChangeProfile(UserProfile profile)
    {
        Require();
        var checkedProfile = CheckProfile(profile);
        var changed = new List<string>();
        if (checkedProfile.Name != State.Profile.Name) changed.Add("name");
        if (checkedProfile.FirstName != State.Profile.FirstName) changed.Add("firstName");
        if (checkedProfile.Email != State.Profile.Email) changed.Add("email");
        if (checkedProfile.Phone != State.Profile.Phone) changed.Add("phone");
        if (checkedProfile.Language != State.Profile.Language) changed.Add("language");
        if (changed.Count == 0) return;
        State.Profile = checkedProfile;
        user.RaiseEvent("UserProfileChanged", new UserProfileChanged(LoginName, checkedProfile.Email, changed, checkedProfile.Language));
        await Save();
    }

    public async Task ChangeRights(IReadOnlyList<FleetModule> modules, IReadOnlyList<string> customerNumbers, string? validUntil)
    {
        Require();
        var until = validUntil is null ? (LocalDate?)null : FleetInput.Date(validUntil, "validUntil");
        await CheckCustomers(customerNumbers);
        State.Modules = [.. modules.Distinct()];
        State.CustomerNumbers = [.. customerNumbers.Distinct()];
        State.ValidUntil = until;
        if (State.Status == UserStatus.Ended && !AccessEndedOn(until)) State.Status = UserStatus.Active;
        user.RaiseEvent("UserProfileChanged", new UserProfileChanged(LoginName, State.Profile.Email, ["rights"], State.Profile.Language));
        await Save();
    }

    [ReadOnly]
    public Task<UserAccess> Access() => Task.FromResult(user.RecordExists && !AccessEnded()
        ? new UserAccess(true, [.. State.CustomerNumbers], [.. State.Modules])
        : new UserAccess(false, [], []));

    public Task ReceiveReminder(string reminderName, TickStatus status) => user.OnWakeUp(reminderName, _ => WakeUp(reminderName));

    private async Task WakeUp(string reminder)
    {
        if (!user.RecordExists || reminder != AccessEndReminder || State.Status == UserStatus.Ended || !AccessEnded()) return;
        State.Status = UserStatus.Ended;
        user.RaiseEvent("UserAccessEnded", new UserAccessEnded(LoginName, State.ValidUntil!.Value));
        await Save();
    }

    private bool AccessEnded() => State.Status == UserStatus.Ended || AccessEndedOn(State.ValidUntil);

    private bool AccessEndedOn(LocalDate? validUntil) => validUntil is { } until && Now >= FleetCalendar.StartOf(until.PlusDays(1));

    private bool Verify(string password) =>
        State.PasswordHashes.Count > 0 && Hasher.VerifyHashedPassword(LoginName, State.PasswordHashes[0], password) != PasswordVerificationResult.Failed;

    /// <summary>Fiche 01: 7 or more characters, a letter, a digit and a special character, not the user name.</summary>
    private void CheckPassword(string? password, string field)
    {
        if (password is null || password.Length < 7) throw FleetInput.Invalid("WEAK_PASSWORD", field, "A password has at least 7 characters.");
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit) || password.All(char.IsLetterOrDigit))
            throw FleetInput.Invalid("WEAK_PASSWORD", field, "A password has a letter, a digit and a special character.");
        if (string.Equals(password, LoginName, StringComparison.OrdinalIgnoreCase))
            throw FleetInput.Invalid("WEAK_PASSWORD", field, "The password must differ from the user name.");
    }

    private static UserProfile CheckProfile(UserProfile profile) => new(
        FleetInput.Capitals(profile.Name, "name"),
        FleetInput.Capitals(profile.FirstName, "firstName"),
        FleetInput.Email(profile.Email),
        FleetInput.Phone(profile.Phone),
        Language(profile.Language));

    /// <summary>CardsOnline writes to its users in Dutch, French or English; none given means Dutch.</summary>
    private static string? Language(string? language) => language?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        { } code when code is "nl" or "fr" or "en" => code,
        _ => throw FleetInput.Invalid("INVALID_LANGUAGE", "language", "The language is nl, fr or en."),
    };

    private async Task CheckCustomers(IReadOnlyList<string> customerNumbers)
    {
        foreach (var (number, i) in customerNumbers.Select((n, i) => (n, i)))
            if (await GrainFactory.GetGrain<ICustomerGrain>(FleetInput.CustomerNumber(number, $"customerNumbers[{i}]")).Get() is null)
                throw FleetInput.Invalid("UNKNOWN_CUSTOMER", $"customerNumbers[{i}]", $"There is no customer with number {number}.");
    }

    private void Require()
    {
        if (!user.RecordExists) throw new FleetOperationException("UNKNOWN_USER", $"There is no user {Login}.");
    }

    private async Task Save()
    {
        user.Project(new ReadModelUpsert(FleetTables.Users, new UserRow(
            LoginName, State.Profile.Name, State.Profile.FirstName, State.Profile.Email, [.. State.CustomerNumbers],
            [.. State.Modules.Select(m => m.ToString())], State.ValidUntil, State.Status.ToString(), Now)));
        if (State.ValidUntil is { } until && State.Status == UserStatus.Active)
            user.WakeUpAt(AccessEndReminder, FleetCalendar.StartOf(until.PlusDays(1)));
        else
            user.CancelWakeUp(AccessEndReminder);
        await user.WriteStateAsync();
    }
}
