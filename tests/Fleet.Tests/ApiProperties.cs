using Actors.Testing;
using System.Text.Json;
using Actors.Grains.Fleet;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// Issue item 12 over the API: no sequence of GraphQL mutations (and of time) brings a card into a state the seed
/// forbids; refused mutations answer an error with a code and leave the card as it was.
/// </summary>
public sealed class ApiProperties
{
    private enum Op { Wait, Jump, ChangeLimit, ChangePlate, ChangePin, Block, BlockWithDuplicate, Cancel, Renew, Delete, PinReissue, Copy }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task No_sequence_of_mutations_reaches_a_card_state_the_seed_forbids()
    {
        await using var server = await FleetServer.Start("apiprops");
        await Sample.RegisterCustomer(server.Fleet);
        await server.Fleet.Grain<IUserGrain>("manager").Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", "sofie@acme.be", "0470123456"), Enum.GetValues<FleetModule>(), [Sample.Customer], null, "Fleet#2026"));

        var steps = Gen.Zip(Gen.Elements(Enum.GetValues<Op>()), Gen.Choose(1, 400));
        var property = Prop.ForAll(Gen.ListOf(steps).Select(s => s.Take(10).ToArray()).ToArbitrary(), script =>
        {
            Run(server, script).GetAwaiter().GetResult();
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(15), property);
    }

    private static async Task Run(FleetServer server, (Op Op, int Amount)[] script)
    {
        var token = await server.Login("manager", "Fleet#2026");
        var number = await server.Fleet.Grain<ICustomerGrain>(Sample.Customer).CreateCard(new CardOrder(Sample.Diesel()));
        foreach (var (op, amount) in script)
        {
            var before = (await server.Fleet.Grain<ICardGrain>(number).Get())!;
            var settings = JsonSerializer.SerializeToNode(new
            {
                cardCategory = "Fleet", posEntry = "None", plate = before.Settings.Plate, division = "Trucks", driverName = "JANSSENS Piet",
                fuelAndEnergy = new[] { "Diesel", "AdBlue" }, services = new[] { "CarWash" },
                limits = new[] { new { product = "Diesel", amount = op == Op.ChangeLimit ? amount : 300, period = "DAY", onBreach = "BLOCK" } },
                controls = new { tankCapacityLiters = 400, forbiddenDays = new[] { "SUNDAY" }, countries = new[] { "BE", "NL", "DE" } },
                shippingAddress = new { name = "ACME", street = "Havenlaan 12", postalCode = "2000", city = "Antwerpen", country = "BE" },
                pinType = op == Op.ChangePin ? "CHOSEN" : before.Settings.PinType == PinType.Chosen ? "CHOSEN" : "COMPUTED",
            })!.AsObject();
            if (op == Op.ChangePlate) settings["plate"] = $"1-PRP-{amount:D3}";
            JsonElement? response = op switch
            {
                Op.Wait or Op.Jump => null,
                Op.ChangeLimit or Op.ChangePlate or Op.ChangePin => await server.Post(
                    "mutation($n: String!, $s: CardSettingsInput!, $p: String) { changeCard(number: $n, settings: $s, pin: $p) { reissued } }",
                    new { n = number, s = settings, p = op == Op.ChangePin ? $"{amount % 10000:D4}" : null }, token),
                Op.Block => await server.Post($"mutation {{ blockCard(number: \"{number}\", reason: LOSS, duplicate: false) {{ status }} }}", null, token),
                Op.BlockWithDuplicate => await server.Post($"mutation {{ blockCard(number: \"{number}\", reason: THEFT, duplicate: true) {{ status }} }}", null, token),
                Op.Cancel => await server.Post($"mutation {{ cancelCard(number: \"{number}\") {{ status }} }}", null, token),
                Op.Renew => await server.Post($"mutation {{ renewCard(number: \"{number}\") {{ status }} }}", null, token),
                Op.Delete => await server.Post($"mutation {{ deleteCard(number: \"{number}\") }}", null, token),
                Op.PinReissue => await server.Post($"mutation {{ requestPinReissue(number: \"{number}\") }}", null, token),
                Op.Copy => await server.Post($"mutation {{ copyCard(number: \"{number}\", plate: \"3-CPY-{amount:D3}\") {{ cardNumber }} }}", null, token),
                _ => throw new InvalidOperationException(),
            };
            if (op is Op.Wait or Op.Jump)
            {
                await server.Fleet.Advance(op == Op.Wait ? Duration.FromHours(amount) : Duration.FromDays(amount * 4));
                token = await server.Login("manager", "Fleet#2026");
            }
            var after = (await server.Fleet.Grain<ICardGrain>(number).Get())!;
            if (response is { } r && r.TryGetProperty("errors", out var errors))
            {
                // A refusal has a code and changes nothing.
                Assert.False(string.IsNullOrEmpty(errors[0].GetProperty("extensions").GetProperty("code").GetString()));
                Assert.Equal((before.Status, before.Rank, FleetHarness.Json(before.Settings)), (after.Status, after.Rank, FleetHarness.Json(after.Settings)));
            }
            if (before.Status == CardStatus.Blocked) Assert.Equal((CardStatus.Blocked, FleetHarness.Json(before.Settings)), (after.Status, FleetHarness.Json(after.Settings)));
            Assert.True(after.Rank >= before.Rank);
        }
        await SeedRules.AssertHistory(server.Fleet, number, (await server.Fleet.Grain<ICardGrain>(number).Get())!.Status);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Fiche02_a_user_without_a_module_sees_nothing_of_it()
    {
        await using var server = await FleetServer.Start("modules");
        var customer = await Sample.RegisterCustomer(server.Fleet);
        await customer.CreateDriverCode("0001", "MAES Jan", null);
        await customer.CreateCard(new CardOrder(Sample.Diesel()));
        await server.Fleet.Grain<IUserGrain>("cards").Create(new UserRegistration(
            new UserProfile("CARDS", "ONLY", "cards@acme.be", "0470123456"), [FleetModule.MyCardsAndObus], [Sample.Customer], null, "Cards#2026"));
        var token = await server.Login("cards", "Cards#2026");
        var data = await server.Data("{ fleetStatus { totalCount } driverCodes { code } fleetUsers { login } }", token: token);
        Assert.Equal(1, data.GetProperty("fleetStatus").GetProperty("totalCount").GetInt32());
        Assert.Equal(0, data.GetProperty("driverCodes").GetArrayLength());
        Assert.Equal(0, data.GetProperty("fleetUsers").GetArrayLength());
        var refused = await server.Post("mutation { createDriverCode(customerNumber: \"100200\", code: \"0002\", driverName: \"X\") { code } }", token: token);
        Assert.Equal("UNKNOWN_CUSTOMER", refused.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }
}
