using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Actors.GraphQL.WebSockets;

/// <summary>
/// Turns the bearer token of a <c>connection_init</c> payload (<c>Authorization</c> or <c>authorization</c>, with or without
/// the "Bearer " prefix) into the principal that the connection's operations run as.
/// </summary>
public interface IConnectionAuthenticator
{
    /// <summary>The principal for the connection, or null to refuse it (closed with 4403).</summary>
    ValueTask<ClaimsPrincipal?> AuthenticateAsync(HttpContext upgradeRequest, string? bearerToken, JsonElement? payload, CancellationToken cancellation);
}

/// <summary>Without a token, keeps the principal of the upgrade request; with a token, asks a validator (refusing when it says no).</summary>
public sealed class BearerConnectionAuthenticator(Func<string, CancellationToken, ValueTask<ClaimsPrincipal?>> validateToken) : IConnectionAuthenticator
{
    public async ValueTask<ClaimsPrincipal?> AuthenticateAsync(HttpContext upgradeRequest, string? bearerToken, JsonElement? payload, CancellationToken cancellation) =>
        bearerToken is null ? upgradeRequest.User : await validateToken(bearerToken, cancellation);
}

/// <summary>The default: every connection runs as the principal of its upgrade request.</summary>
internal sealed class UpgradeRequestAuthenticator : IConnectionAuthenticator
{
    public ValueTask<ClaimsPrincipal?> AuthenticateAsync(HttpContext upgradeRequest, string? bearerToken, JsonElement? payload, CancellationToken cancellation) =>
        ValueTask.FromResult<ClaimsPrincipal?>(upgradeRequest.User);
}
