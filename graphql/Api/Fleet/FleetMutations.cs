using System.Security.Claims;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using NodaTime;

namespace Actors.Api.Fleet;

[GraphQLName("FleetLoginPayload")]
public sealed record LoginPayload(LoginOutcome Outcome, string? Token, Instant? LockedUntil);

[GraphQLName("FleetBlockPayload")]
public sealed record BlockPayload(string Number, CardStatus Status, string? DuplicateNumber);

/// <summary>
/// The fleet program's mutations: each checks that the caller holds the customer number and the module before calling
/// the grain, which validates the input (errors carry a code and the field) and writes nothing on refusal.
/// </summary>
[ExtendObjectType("Mutation")]
public sealed class FleetMutations
{
    // ---- fiche 01, 10, 11: users

    /// <summary>Fiche 01: a bearer token for the API when the password is right (also before the first-login confirmation).</summary>
    public async Task<LoginPayload> Login(string login, string password, [Service] IGrainFactory grains, [Service] FleetTokens tokens)
    {
        var result = await grains.GetGrain<IUserGrain>(login).Login(password);
        var token = result.Outcome is LoginOutcome.Succeeded or LoginOutcome.ConfirmationRequired ? tokens.Issue(login) : null;
        return new LoginPayload(result.Outcome == LoginOutcome.UnknownUser ? LoginOutcome.InvalidPassword : result.Outcome, token, result.LockedUntil);
    }

    public async Task<UserView?> ConfirmFirstLogin(ClaimsPrincipal user, string name, string firstName, string phone, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var (login, _) = await access.Of(user);
        await grains.GetGrain<IUserGrain>(login).ConfirmFirstLogin(name, firstName, phone);
        return await grains.GetGrain<IUserGrain>(login).Get();
    }

    public async Task<bool> ChangePassword(ClaimsPrincipal user, string currentPassword, string newPassword, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var (login, _) = await access.Of(user);
        await grains.GetGrain<IUserGrain>(login).ChangePassword(currentPassword, newPassword);
        return true;
    }

    /// <summary>Fiche 11: invoices ask for the password again.</summary>
    public async Task<bool> ConfirmPassword(ClaimsPrincipal user, string password, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var (login, _) = await access.Of(user);
        return await grains.GetGrain<IUserGrain>(login).ConfirmPassword(password);
    }

    /// <summary>Fiche 10: a fleet manager creates a user for customer numbers they hold themselves, with My account.</summary>
    public async Task<UserView?> CreateUser(ClaimsPrincipal user, string login, UserRegistration registration, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        foreach (var number in registration.CustomerNumbers) await access.RequireCustomer(user, number, FleetModule.MyAccount);
        await grains.GetGrain<IUserGrain>(login).Create(registration);
        return await grains.GetGrain<IUserGrain>(login).Get();
    }

    /// <summary>Fiche 10: the caller's own profile; the user is notified (an event).</summary>
    public async Task<UserView?> ChangeMyProfile(ClaimsPrincipal user, UserProfile profile, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var (login, _) = await access.Of(user);
        await grains.GetGrain<IUserGrain>(login).ChangeProfile(profile);
        return await grains.GetGrain<IUserGrain>(login).Get();
    }

    /// <summary>Fiche 10: rights of a user; the caller must hold My account for every customer number the user has or gets.</summary>
    public async Task<UserView?> ChangeUserRights(ClaimsPrincipal user, string login, IReadOnlyList<FleetModule> modules, IReadOnlyList<string> customerNumbers,
        string? validUntil, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var target = await grains.GetGrain<IUserGrain>(login).Get() ?? throw FleetAccess.NotFound("login", $"There is no user {login}.");
        foreach (var number in target.CustomerNumbers.Union(customerNumbers))
        {
            try { await access.RequireCustomer(user, number, FleetModule.MyAccount); }
            catch (GraphQLException) when (target.CustomerNumbers.Contains(number)) { throw FleetAccess.NotFound("login", $"There is no user {login}."); }
        }
        await grains.GetGrain<IUserGrain>(login).ChangeRights(modules, customerNumbers, validUntil);
        return await grains.GetGrain<IUserGrain>(login).Get();
    }

    // ---- fiches 03, 04, 07, 09, 12, 13: cards

    public async Task<CardView?> CreateCard(ClaimsPrincipal user, string customerNumber, CardSettings settings, string? pin, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyCardsAndObus);
        var number = await grains.GetGrain<ICustomerGrain>(customerNumber).CreateCard(new CardOrder(settings, pin));
        return await grains.GetGrain<ICardGrain>(number).Get();
    }

    public async Task<CardView?> CopyCard(ClaimsPrincipal user, string number, string? plate, string? holderName, string? pin, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCard(user, number);
        var copy = await grains.GetGrain<ICardGrain>(number).Copy(plate, holderName, pin);
        return await grains.GetGrain<ICardGrain>(copy).Get();
    }

    public async Task<ChangeOutcome> ChangeCard(ClaimsPrincipal user, string number, CardSettings settings, string? pin, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCard(user, number);
        return await grains.GetGrain<ICardGrain>(number).Change(settings, pin);
    }

    public async Task<BlockPayload> BlockCard(ClaimsPrincipal user, string number, BlockReason reason, bool duplicate, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCard(user, number);
        var duplicateNumber = await grains.GetGrain<ICardGrain>(number).Block(reason, duplicate);
        return new BlockPayload(number, CardStatus.Blocked, duplicateNumber);
    }

    public async Task<CardView?> CancelCard(ClaimsPrincipal user, string number, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCard(user, number);
        await grains.GetGrain<ICardGrain>(number).Cancel();
        return await grains.GetGrain<ICardGrain>(number).Get();
    }

    public async Task<CardView?> RenewCard(ClaimsPrincipal user, string number, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCard(user, number);
        await grains.GetGrain<ICardGrain>(number).Renew();
        return await grains.GetGrain<ICardGrain>(number).Get();
    }

    public async Task<bool> DeleteCard(ClaimsPrincipal user, string number, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        var card = await access.RequireCard(user, number);
        await grains.GetGrain<ICustomerGrain>(card.CustomerNumber).DeleteCard(number);
        return true;
    }

    public async Task<bool> RequestPinReissue(ClaimsPrincipal user, string number, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCard(user, number);
        await grains.GetGrain<ICardGrain>(number).RequestPinReissue();
        return true;
    }

    // ---- fiches 05, 08, 09: OBUs

    public async Task<ObuView?> CreateObu(ClaimsPrincipal user, string customerNumber, ObuSettings settings, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyCardsAndObus);
        var number = await grains.GetGrain<ICustomerGrain>(customerNumber).CreateObu(settings);
        return await grains.GetGrain<IObuGrain>(number).Get();
    }

    /// <summary>Fiche 05: the registration certificate, base64-encoded.</summary>
    public async Task<ObuView?> UploadRegistrationCertificate(ClaimsPrincipal user, string number, string fileName, string contentBase64, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireObu(user, number);
        byte[] content;
        try { content = Convert.FromBase64String(contentBase64); }
        catch (FormatException) { throw new FleetValidationException("INVALID_FILE", "contentBase64", "The certificate is not base64."); }
        await grains.GetGrain<IObuGrain>(number).UploadRegistrationCertificate(fileName, content);
        return await grains.GetGrain<IObuGrain>(number).Get();
    }

    public async Task<ChangeOutcome> ChangeObu(ClaimsPrincipal user, string number, ObuSettings settings, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireObu(user, number);
        return await grains.GetGrain<IObuGrain>(number).Change(settings);
    }

    public async Task<ObuView?> BlockObu(ClaimsPrincipal user, string number, BlockReason reason, bool duplicate, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireObu(user, number);
        await grains.GetGrain<IObuGrain>(number).Block(reason, duplicate);
        return await grains.GetGrain<IObuGrain>(number).Get();
    }

    // ---- fiche 13: driver codes

    public async Task<DriverCodeView?> CreateDriverCode(ClaimsPrincipal user, string customerNumber, string code, string driverName, string? division, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyDriverCodes);
        await grains.GetGrain<ICustomerGrain>(customerNumber).CreateDriverCode(code, driverName, division);
        return await grains.GetGrain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(customerNumber, code)).Get();
    }

    public async Task<DriverCodeView?> ChangeDriverCode(ClaimsPrincipal user, string customerNumber, string code, string driverName, string? division, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyDriverCodes);
        await grains.GetGrain<ICustomerGrain>(customerNumber).ChangeDriverCode(code, driverName, division);
        return await grains.GetGrain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(customerNumber, code)).Get();
    }

    /// <summary>Fiche 13: up to 5 codes are blocked now, more the next morning at 06:00 (Brussels); answers when.</summary>
    public async Task<Instant> BlockDriverCodes(ClaimsPrincipal user, string customerNumber, IReadOnlyList<string> codes, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyDriverCodes);
        return await grains.GetGrain<ICustomerGrain>(customerNumber).BlockDriverCodes(codes);
    }

    public async Task<DriverCodeView?> UnblockDriverCode(ClaimsPrincipal user, string customerNumber, string code, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyDriverCodes);
        var driverCode = grains.GetGrain<IDriverCodeGrain>(DriverCodeGrain.KeyOf(customerNumber, code));
        if (await driverCode.Get() is null) throw FleetAccess.NotFound("code", $"There is no driver code {code}.");
        await driverCode.Unblock();
        return await driverCode.Get();
    }

    public async Task<bool> RequestDriverCodeReissue(ClaimsPrincipal user, string customerNumber, string code, string cardNumber, string division, [Service] FleetAccess access, [Service] IGrainFactory grains)
    {
        await access.RequireCustomer(user, customerNumber, FleetModule.MyDriverCodes);
        await grains.GetGrain<ICustomerGrain>(customerNumber).RequestDriverCodeReissue(code, cardNumber, division);
        return true;
    }
}
