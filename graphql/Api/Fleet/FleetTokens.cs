using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Actors.Api.Fleet;

/// <summary>
/// Bearer tokens for fleet users: the login and an expiry, signed with HMAC-SHA256. Nothing is stored; a token is valid
/// until it expires. The key comes from configuration in production (all silos must share it) or is made per process.
/// </summary>
public sealed class FleetTokens(IClock clock, byte[]? key = null)
{
    public static readonly Duration Lifetime = Duration.FromHours(8);
    private readonly byte[] key = key ?? RandomNumberGenerator.GetBytes(32);

    /// <summary>The role of a station network's principal: it may authorize transactions, nothing else.</summary>
    public const string StationNetworkRole = "StationNetwork";

    public string Issue(string login) => Sign(login, forNetwork: false);

    /// <summary>
    /// A token for a station network (issue 6: the <c>authorize</c> mutation). Signed under a key of its own, so no user
    /// token, whatever its login, ever passes for a network's.
    /// </summary>
    public string IssueStationNetwork(string network) => Sign(network, forNetwork: true);

    private string Sign(string name, bool forNetwork)
    {
        var payload = Encoding.UTF8.GetBytes($"{name}|{(clock.GetCurrentInstant() + Lifetime).ToUnixTimeSeconds()}");
        return $"{Base64Url(payload)}.{Base64Url(HMACSHA256.HashData(forNetwork ? NetworkKey : key, payload))}";
    }

    private byte[]? networkKey;
    private byte[] NetworkKey => networkKey ??= HMACSHA256.HashData(key, "station-network"u8);

    /// <summary>The principal of a valid, unexpired token (name = login), or null.</summary>
    public ClaimsPrincipal? Validate(string token)
    {
        // A station network sends the same token with every authorization: its signature is checked once, its expiry every time.
        if (!signed.TryGetValue(token, out var holder))
        {
            if (Verify(token) is not { } verified) return null;
            if (signed.Count >= SignedCapacity) signed.Clear();
            signed[token] = holder = verified;
        }
        if (clock.GetCurrentInstant().ToUnixTimeSeconds() >= holder.Expires)
        {
            signed.TryRemove(token, out _);
            return null;
        }
        Claim[] claims = holder.Network ? [new(ClaimTypes.Name, holder.Name), new(ClaimTypes.Role, StationNetworkRole)] : [new(ClaimTypes.Name, holder.Name)];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer"));
    }

    /// <summary>What a token's checked signature vouches for: who holds it, as what, and until when (Unix seconds).</summary>
    private sealed record TokenHolder(string Name, bool Network, long Expires);

    private const int SignedCapacity = 4096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TokenHolder> signed = new(StringComparer.Ordinal);

    /// <summary>The holder of a token signed under the network key or the user key, or null; expiry is not checked here.</summary>
    private TokenHolder? Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 2) return null;
        byte[] payload, signature;
        try { (payload, signature) = (FromBase64Url(parts[0]), FromBase64Url(parts[1])); }
        catch (FormatException) { return null; }
        var network = CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(NetworkKey, payload), signature);
        if (!network && !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), signature)) return null;
        var text = Encoding.UTF8.GetString(payload);
        var bar = text.LastIndexOf('|');
        if (bar <= 0 || !long.TryParse(text[(bar + 1)..], out var expires)) return null;
        return new TokenHolder(text[..bar], network, expires);
    }

    /// <summary>Fiche 11: how long invoices stay open after the password was asked again.</summary>
    public static readonly Duration InvoiceAccessLifetime = Duration.FromMinutes(15);

    /// <summary>
    /// Fiche 11: a token that opens the invoices of <paramref name="login"/> for <see cref="InvoiceAccessLifetime"/>.
    /// Signed under a key of its own, so it never passes as a bearer token, and no bearer token passes as it.
    /// </summary>
    public FleetInvoiceAccessToken IssueInvoiceAccess(string login)
    {
        var expires = (clock.GetCurrentInstant() + InvoiceAccessLifetime).ToUnixTimeSeconds();
        var payload = Encoding.UTF8.GetBytes($"{login}|{expires}");
        return new FleetInvoiceAccessToken($"{Base64Url(payload)}.{Base64Url(HMACSHA256.HashData(InvoiceKey, payload))}", Instant.FromUnixTimeSeconds(expires));
    }

    /// <summary>Whether <paramref name="token"/> is an unexpired invoice-access token of <paramref name="login"/>.</summary>
    public InvoiceAccessCheck CheckInvoiceAccess(string? token, string login)
    {
        if (string.IsNullOrEmpty(token)) return InvoiceAccessCheck.Missing;
        var parts = token.Split('.');
        if (parts.Length != 2) return InvoiceAccessCheck.Invalid;
        byte[] payload, signature;
        try { (payload, signature) = (FromBase64Url(parts[0]), FromBase64Url(parts[1])); }
        catch (FormatException) { return InvoiceAccessCheck.Invalid; }
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(InvoiceKey, payload), signature)) return InvoiceAccessCheck.Invalid;
        var text = Encoding.UTF8.GetString(payload);
        var bar = text.LastIndexOf('|');
        if (bar <= 0 || !long.TryParse(text[(bar + 1)..], out var expires)) return InvoiceAccessCheck.Invalid;
        if (text[..bar] != login) return InvoiceAccessCheck.OtherLogin;
        return clock.GetCurrentInstant().ToUnixTimeSeconds() >= expires ? InvoiceAccessCheck.Expired : InvoiceAccessCheck.Granted;
    }

    private byte[]? invoiceKey;
    private byte[] InvoiceKey => invoiceKey ??= HMACSHA256.HashData(key, "invoice-access"u8);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
