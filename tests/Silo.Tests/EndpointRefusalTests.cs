using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Actors.Api.Fleet;
using Actors.Testing;
using NodaTime;

namespace Actors.Silo.Tests;

/// <summary>
/// Every HTTP endpoint the silo maps outside /graphql refuses a caller without a valid fleet user's token with 401 or 403
/// and a JSON body, never 500. The endpoints are the silo's own list (<c>--endpoints</c>, read from its routing), so a new
/// endpoint is walked the day it is mapped.
/// </summary>
public sealed partial class EndpointRefusalTests
{
    /// <summary>Open to anyone on purpose: probes for load balancers, and the public key that verifies invoice signatures.</summary>
    private static readonly HashSet<string> PublicOnPurpose = ["/health/ready", "/health/live", "/fleet/invoices/signing-key.pem"];

    /// <summary>A way of calling without a valid user's token, named for the failure message.</summary>
    private sealed record Credential(string Kind, string? BearerToken);

    /// <summary>No token, a forged one, an expired one, and tokens of other kinds, for a silo that signs with <paramref name="key"/>.</summary>
    private static IEnumerable<Credential> NotAUser(byte[] key)
    {
        var now = SystemClock.Instance.GetCurrentInstant();
        var silo = new FleetTokens(new TestTime(now), key);
        yield return new("no token", null);
        yield return new("garbage token", "not-a-token");
        yield return new("forged token (signed with another key)", new FleetTokens(new TestTime(now), RandomNumberGenerator.GetBytes(32)).Issue("fleet.manager"));
        yield return new("expired token", new FleetTokens(new TestTime(now - FleetTokens.Lifetime - Duration.FromHours(1)), key).Issue("fleet.manager"));
        yield return new("station network's token", silo.IssueStationNetwork("probe-network"));
        yield return new("invoice-access token as bearer", silo.IssueInvoiceAccess("fleet.manager").Token);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_endpoint_outside_graphql_refuses_a_caller_who_is_not_a_logged_in_user_with_401_or_403_and_json()
    {
        var root = HostingCheckout.New();
        var endpoints = await MappedEndpoints(root);
        Assert.Contains("GET /fleet/export.xlsx", endpoints); // the list is the silo's real one, not empty
        var guarded = endpoints.Select(Parse).Where(e => !e.Path.StartsWith("/graphql", StringComparison.Ordinal) && !PublicOnPurpose.Contains(e.Path)).ToList();
        Assert.Contains(guarded, e => e.Path == "/fleet/invoices/{document}");

        var key = RandomNumberGenerator.GetBytes(32);
        var database = await TestPostgres.CreateDatabase("endpointrefusal");
        await using var silo = SiloProcess.Start(root, new Dictionary<string, string>
        {
            ["ConnectionStrings__Actors"] = database,
            ["Fleet__TokenKey"] = Convert.ToBase64String(key),
        });
        await silo.WaitUntilServing();

        var wrong = new List<string>();
        foreach (var (methods, path) in guarded)
            foreach (var method in methods)
                foreach (var credential in NotAUser(key))
                {
                    var url = new Uri(silo.Address, RouteParameter().Replace(path, "1"));
                    using var request = new HttpRequestMessage(new HttpMethod(method), url);
                    if (credential.BearerToken is not null) request.Headers.Authorization = new("Bearer", credential.BearerToken);
                    using var response = await silo.Http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) || !IsJsonWithCode(body))
                        wrong.Add($"{method} {path} with {credential.Kind}: {(int)response.StatusCode} {body}");
                }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong) + "\n" + silo.Output);
    }

    /// <summary>What <c>--endpoints</c> prints, one <c>METHODS /pattern</c> a line.</summary>
    private static async Task<List<string>> MappedEndpoints(string root)
    {
        await using var listing = SiloProcess.Start(root, null, "--endpoints");
        Assert.Equal(0, await listing.WaitForExit());
        return listing.Output.Split('\n', StringSplitOptions.TrimEntries).Where(l => EndpointLine().IsMatch(l)).ToList();
    }

    // An endpoint mapped for every method is walked with GET and POST.
    private static (string[] Methods, string Path) Parse(string line)
    {
        var space = line.IndexOf(' ');
        var methods = line[..space] == "ANY" ? ["GET", "POST"] : line[..space].Split(',');
        return (methods, line[(space + 1)..]);
    }

    private static bool IsJsonWithCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out _);
        }
        catch (JsonException) { return false; }
    }

    [GeneratedRegex(@"^[A-Z,]+ /\S*$")]
    private static partial Regex EndpointLine();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
