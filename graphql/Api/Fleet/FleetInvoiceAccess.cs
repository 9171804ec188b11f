using System.Security.Claims;
using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace Actors.Api.Fleet;

/// <summary>Fiche 11's unlock: the token that opens invoices (search, PDF, billing file) and when it stops doing so.</summary>
[GraphQLName("FleetInvoiceAccess")]
public sealed record FleetInvoiceAccessToken(string Token, Instant ExpiresAt);

/// <summary>What an invoice-access token is worth for one login.</summary>
public enum InvoiceAccessCheck { Granted, Missing, Invalid, Expired, OtherLogin }

/// <summary>
/// Fiche 11: "for security reasons your login and password are asked every time you navigate to the Invoices menu".
/// A bearer token alone does not open invoices: <c>unlockInvoices(password)</c> checks the password again (a wrong one
/// counts toward lockout as at login) and answers a token, valid 15 minutes, that invoice calls add to the bearer token:
/// the <c>access</c> argument of <c>fleetInvoices</c>, the <see cref="Header"/> header of the downloads.
/// </summary>
public static class FleetInvoiceAccess
{
    public const string Header = "Invoice-Access";

    /// <summary>The refusal for a check that did not grant access, as (code, message); null when granted.</summary>
    public static (string Code, string Message)? Refusal(InvoiceAccessCheck check) => check switch
    {
        InvoiceAccessCheck.Granted => null,
        InvoiceAccessCheck.Expired => ("INVOICE_ACCESS_EXPIRED",
            "The invoice access has expired: confirm your password again with the unlockInvoices mutation."),
        InvoiceAccessCheck.OtherLogin => ("INVOICE_ACCESS_REQUIRED",
            "This invoice access was given to another login: confirm your own password with the unlockInvoices mutation."),
        _ => ("INVOICE_ACCESS_REQUIRED",
            $"Invoices ask for your password again: call the unlockInvoices mutation and send its token as the access argument (downloads: the {Header} header)."),
    };

    /// <summary>Throws the GraphQL error for an invoice call without a valid access token of the caller.</summary>
    public static void Require(FleetTokens tokens, string login, string? access)
    {
        if (Refusal(tokens.CheckInvoiceAccess(access, login)) is { } refusal) throw new GraphQLException(refusal.Message, refusal.Code);
    }

    /// <summary>The HTTP refusal of a download: 401 without a user's bearer token, 403 without the invoice access; null when allowed.</summary>
    public static IResult? RefuseDownload(HttpContext http, FleetTokens tokens)
    {
        if (http.User.Identity?.IsAuthenticated != true || http.User.IsInRole(FleetTokens.StationNetworkRole) || http.User.Identity.Name is not { } login)
            return Results.Json(new { code = "AUTH_NOT_AUTHENTICATED", message = "Log in first: send the token of the login mutation as a bearer token." },
                statusCode: StatusCodes.Status401Unauthorized);
        return Refusal(tokens.CheckInvoiceAccess(http.Request.Headers[Header].ToString(), login)) is { } refusal
            ? Results.Json(new { code = refusal.Code, message = refusal.Message }, statusCode: StatusCodes.Status403Forbidden)
            : null;
    }
}

/// <summary>Fiche 11's password step before the Invoices menu.</summary>
[ExtendObjectType("Mutation")]
public sealed class FleetInvoiceMutations
{
    /// <summary>
    /// Checks the caller's password again (a wrong one counts toward lockout, as at login) and answers a token that opens
    /// the caller's invoices for 15 minutes.
    /// </summary>
    public async Task<FleetInvoiceAccessToken> UnlockInvoices(ClaimsPrincipal user, string password, [Service] FleetAccess access,
        [Service] IGrainFactory grains, [Service] FleetTokens tokens)
    {
        var (login, _) = await access.Of(user);
        var result = await grains.GetGrain<IUserGrain>(login).Login(password);
        return result.Outcome switch
        {
            // The password is right; the first-login confirmation is its own step, as at login.
            LoginOutcome.Succeeded or LoginOutcome.ConfirmationRequired => tokens.IssueInvoiceAccess(login),
            LoginOutcome.LockedOut => throw new GraphQLException(
                $"Too many wrong passwords: the login is locked until {result.LockedUntil}.", "LOCKED_OUT",
                new Dictionary<string, object?> { ["lockedUntil"] = result.LockedUntil?.ToString() }),
            LoginOutcome.InvalidPassword => throw new GraphQLException("The password is wrong.", "INVALID_PASSWORD",
                new Dictionary<string, object?> { ["field"] = "password" }),
            _ => throw new GraphQLException("This login has no access any more.", "AUTH_NOT_AUTHENTICATED"),
        };
    }
}
