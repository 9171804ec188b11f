using Actors.Grains.Fleet;

namespace Actors.Fleet.Tests;

/// <summary>What the seed forbids, checked on a card's recorded status history.</summary>
public static class SeedRules
{
    /// <summary>Every transition the card went through is one the seed allows, chained without gaps, ending in <paramref name="current"/>.</summary>
    public static async Task AssertHistory(FleetHarness fleet, string number, CardStatus current)
    {
        var transitions = await fleet.Events("CardStatusChanged", number);
        var status = CardStatus.New;
        foreach (var change in transitions)
        {
            var from = Enum.Parse<CardStatus>(change.GetProperty("from").GetString()!);
            var to = Enum.Parse<CardStatus>(change.GetProperty("to").GetString()!);
            Assert.Equal(status, from);
            Assert.Contains(to, CardGrain.Transitions[from]);
            // The seed's own words, independent of the table: a New card is deleted, not blocked (fiche 09); blocked,
            // expired and deleted are final; a cancelled card is not renewed unless renewed by hand first (fiche 12).
            Assert.False(from == CardStatus.New && to == CardStatus.Blocked);
            Assert.DoesNotContain(from, new[] { CardStatus.Blocked, CardStatus.Expired, CardStatus.Deleted });
            Assert.False(from == CardStatus.Cancelled && to == CardStatus.InRenewal);
            Assert.True(to != CardStatus.Deleted || from == CardStatus.New);
            status = to;
        }
        Assert.Equal(current, status);
        Assert.Equal(current.ToString(), await fleet.Scalar<string>("SELECT status FROM fleet_status WHERE number = $1", number) ?? "Deleted");
    }
}
