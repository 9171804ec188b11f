using System.Security.Claims;
using Actors.Api.Fleet;
using Actors.Testing;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Bearer tokens: a signature checked once is remembered, but never past the token's expiry or for another token.</summary>
public sealed class FleetTokenTests
{
    private readonly TestTime time = new(Instant.FromUtc(2026, 3, 2, 8, 0));

    [Fact]
    public void A_remembered_network_token_still_expires()
    {
        var tokens = new FleetTokens(time);
        var token = tokens.IssueStationNetwork("bench-network");
        for (int i = 0; i < 2; i++)
        {
            var user = tokens.Validate(token);
            Assert.Equal("bench-network", user?.Identity?.Name);
            Assert.True(user!.IsInRole(FleetTokens.StationNetworkRole));
        }
        time.Advance(FleetTokens.Lifetime - Duration.FromSeconds(1));
        Assert.NotNull(tokens.Validate(token));
        time.Advance(Duration.FromSeconds(1));
        Assert.Null(tokens.Validate(token));
        Assert.Null(tokens.Validate(token));
    }

    [Fact]
    public void A_remembered_token_vouches_for_no_other_token()
    {
        var tokens = new FleetTokens(time);
        var user = tokens.Issue("manager");
        Assert.Equal("manager", tokens.Validate(user)?.Identity?.Name);
        Assert.False(tokens.Validate(user)!.IsInRole(FleetTokens.StationNetworkRole));
        var tampered = user[..^2] + (user[^2] == 'A' ? "B" : "A") + user[^1];
        Assert.Null(tokens.Validate(tampered));
        Assert.Null(new FleetTokens(time).Validate(user)); // another key
        Assert.Null(tokens.Validate(user + "."));
    }

    [Fact]
    public void Each_validation_gets_a_principal_of_its_own()
    {
        var tokens = new FleetTokens(time);
        var token = tokens.IssueStationNetwork("bench-network");
        var first = tokens.Validate(token)!;
        first.AddIdentity(new ClaimsIdentity([new Claim(ClaimTypes.Role, "Admin")]));
        Assert.False(tokens.Validate(token)!.IsInRole("Admin"));
    }
}
