using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Actors.Api.Fleet;

/// <summary>
/// The portal's downloads (exports, reports, invoices) open to a logged-in fleet user only. Every other caller gets a
/// JSON refusal before the endpoint runs: 401 without a valid token (none, forged, expired), 403 with a token of
/// another kind (a station network's), so no endpoint meets an anonymous caller deep in its tenancy checks and answers 500.
/// </summary>
public static class FleetPortalUser
{
    public const string NotAuthenticated = "AUTH_NOT_AUTHENTICATED";
    public const string NotAuthorized = "AUTH_NOT_AUTHORIZED";

    /// <summary>Refuses, before the handler, every caller that is not a logged-in fleet user.</summary>
    public static TBuilder RequireFleetUser<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.AddEndpointFilter(async (context, next) => Refusal(context.HttpContext) ?? await next(context));

    /// <summary>The refusal of a caller who is not a logged-in fleet user; null for one who is.</summary>
    public static IResult? Refusal(HttpContext http)
    {
        if (http.User.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(http.User.Identity.Name))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            // A token was sent but did not validate: say so, or its holder keeps sending it.
            var message = http.Request.Headers.Authorization.Count > 0
                ? "The bearer token is not valid or has expired: log in again with the login mutation and send its token."
                : "Log in first: send the token of the login mutation as a bearer token.";
            return Results.Json(new { code = NotAuthenticated, message }, statusCode: StatusCodes.Status401Unauthorized);
        }
        if (http.User.IsInRole(FleetTokens.StationNetworkRole))
            return Results.Json(new { code = NotAuthorized, message = "A station network's token authorizes transactions only: log in as a fleet user for portal data." },
                statusCode: StatusCodes.Status403Forbidden);
        return null;
    }
}
