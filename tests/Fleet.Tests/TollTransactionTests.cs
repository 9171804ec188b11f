using Actors.Testing;
using System.Text.Json;
using Actors.Api.Fleet;
using Actors.Grains.Fleet;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>
/// Issue 6 item 5 over the real API: the toll network reports PASSango passages on OBUs, each counted once, and the
/// daily follow-up lists them per customer for users with Toll follow-up.
/// </summary>
public sealed class TollTransactionTests : IAsyncLifetime
{
    private const string Report = """
        mutation($p: TollPassageInput!) { reportTollPassage(passage: $p) { passageId obuNumber customerNumber day amount recordedAt } }
        """;
    private FleetServer server = null!;
    private string obu = null!;
    private string otherObu = null!;
    private string network = null!;

    public async Task InitializeAsync()
    {
        server = await FleetServer.Start("toll");
        var customer = await Sample.RegisterCustomer(server.Fleet);
        var other = await Sample.RegisterCustomer(server.Fleet, Sample.OtherCustomer);
        obu = await ActiveObu(customer, "1-TRK-001");
        otherObu = await ActiveObu(other, "1-TRK-900");
        await User("manager", Enum.GetValues<FleetModule>());
        await User("daily", [.. Enum.GetValues<FleetModule>().Where(m => m != FleetModule.TollFollowUp)]);
        network = server.Services.GetRequiredService<FleetTokens>().IssueStationNetwork("toll-charger-viapass");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<string> ActiveObu(ICustomerGrain customer, string plate)
    {
        var number = await customer.CreateObu(Sample.Truck(plate));
        await server.Fleet.Grain<IObuGrain>(number).UploadRegistrationCertificate("grijze-kaart.pdf", [1, 2, 3]);
        await server.Fleet.Advance(Duration.FromDays(3));
        return number;
    }

    private Task User(string login, IReadOnlyList<FleetModule> modules) =>
        server.Fleet.Grain<IUserGrain>(login).Create(new UserRegistration(
            new UserProfile("VERSTRAETEN", "SOFIE", $"{login}@acme.be", "0470123456"), modules, [Sample.Customer], null, "Fleet#2026"));

    private object Passage(string id, decimal amount, string? number = null, Instant? at = null, string country = "BE", decimal distance = 42.5m,
        string entry = "E40 Brussel", string? exit = "E40 Gent") => new
    {
        obuNumber = number ?? obu, passageId = id, tollDomain = "Viapass", country, entryPoint = entry, exitPoint = exit, distanceKm = distance,
        tariffClass = "Heavy4Axles", amount, passedAt = (at ?? server.Fleet.Now - Duration.FromMinutes(30)).ToString(),
    };

    private static string? Code(JsonElement response) =>
        response.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();

    private Task<long> Rows(string? number = null) =>
        server.Fleet.Scalar<long>("SELECT count(*) FROM fleet_toll_transactions WHERE obu_number = $1", number ?? obu);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_passage_reported_twice_counts_once_and_its_id_with_other_content_is_refused()
    {
        var at = server.Fleet.Now - Duration.FromHours(1);
        var first = (await server.Data(Report, new { p = Passage("vp-1", 12.5m, at: at) }, network)).GetProperty("reportTollPassage");
        Assert.Equal(Sample.Customer, first.GetProperty("customerNumber").GetString());
        await server.Fleet.Advance(Duration.FromMinutes(3));
        // A retry, even with the amount written 12.50, is the same passage: the same receipt, one row, one event.
        var retry = (await server.Data(Report, new { p = Passage("vp-1", 12.50m, at: at) }, network)).GetProperty("reportTollPassage");
        Assert.Equal(first.ToString(), retry.ToString());
        Assert.Equal(1L, await Rows());
        Assert.Single(await server.Fleet.Events("TollPassageRecorded", obu));

        var reused = await server.Post(Report, new { p = Passage("vp-1", 13m, at: at) }, network);
        Assert.Equal("PASSAGE_ID_REUSED", Code(reused));
        Assert.Equal("PASSAGE_ID_REUSED", Code(await server.Post(Report, new { p = Passage("vp-1", 12.5m, at: at, exit: null) }, network)));
        Assert.Equal(12.5m, await server.Fleet.Scalar<decimal>("SELECT amount FROM fleet_toll_transactions WHERE obu_number = $1", obu));

        // The passage id belongs to the OBU: another OBU's passage with the same id is its own.
        await server.Data(Report, new { p = Passage("vp-1", 8m, otherObu, at) }, network);
        Assert.Equal(1L, await Rows(otherObu));
        Assert.Equal(1L, await Rows());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_blocked_OBU_refuses_passages_from_its_block_on_but_those_before_it_are_still_due()
    {
        await server.Data(Report, new { p = Passage("before-1", 10m, at: server.Fleet.Now - Duration.FromMinutes(20)) }, network);
        var blockedAt = server.Fleet.Now;
        await server.Fleet.Grain<IObuGrain>(obu).Block(BlockReason.Theft, duplicate: false);
        await server.Fleet.Advance(Duration.FromHours(2));
        network = server.Services.GetRequiredService<FleetTokens>().IssueStationNetwork("toll-charger-viapass");

        // Reported late, but passed before the block: charged.
        await server.Data(Report, new { p = Passage("before-2", 11m, at: blockedAt - Duration.FromMinutes(1)) }, network);
        Assert.Equal("OBU_BLOCKED", Code(await server.Post(Report, new { p = Passage("after", 12m, at: blockedAt) }, network)));
        Assert.Equal("OBU_BLOCKED", Code(await server.Post(Report, new { p = Passage("later", 12m) }, network)));
        // A retry of a passage recorded before the block still gets its receipt.
        await server.Data(Report, new { p = Passage("before-1", 10m, at: blockedAt - Duration.FromMinutes(20)) }, network);
        Assert.Equal(2L, await Rows());

        var fresh = await server.Fleet.Grain<ICustomerGrain>(Sample.Customer).CreateObu(Sample.Truck("1-NEW-001"));
        Assert.Equal("OBU_NOT_ACTIVE", Code(await server.Post(Report, new { p = Passage("new-1", 5m, fresh) }, network)));
        Assert.Equal("UNKNOWN_OBU", Code(await server.Post(Report, new { p = Passage("ghost-1", 5m, "9999999999") }, network)));
        await server.Fleet.Grain<IObuGrain>(fresh).Delete();
        Assert.Equal("UNKNOWN_OBU", Code(await server.Post(Report, new { p = Passage("new-2", 5m, fresh) }, network)));
        Assert.Equal(0L, await Rows(fresh));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Bad_input_gets_a_clear_error_and_writes_nothing_and_only_a_network_may_report()
    {
        var now = server.Fleet.Now;
        foreach (var (passage, code) in new (object, string)[]
        {
            (Passage("c1", 5m, country: "XX"), "INVALID_COUNTRY"),
            (Passage("c2", 5m, country: "be"), "INVALID_COUNTRY"),
            (Passage("c3", 5m, country: "US"), "INVALID_COUNTRY"),
            (Passage("a1", -0.01m), "INVALID_AMOUNT"),
            (Passage("a2", 1.005m), "INVALID_AMOUNT"),
            (Passage("d1", 5m, distance: -1), "INVALID_DISTANCE"),
            (Passage("", 5m), "REQUIRED"),
            (Passage("e1", 5m, entry: " "), "REQUIRED"),
            (Passage("o1", 5m, number: ""), "REQUIRED"),
            (Passage("o2", 5m, number: new string('9', 33)), "TOO_LONG"),
            (Passage("f1", 5m, at: now + Duration.FromHours(1)), "PASSAGE_IN_FUTURE"),
            (Passage(new string('x', 101), 5m), "TOO_LONG"),
        })
            Assert.Equal(code, Code(await server.Post(Report, new { p = passage }, network)));
        Assert.Equal(0L, await server.Fleet.Scalar<long>("SELECT count(*) FROM fleet_toll_transactions"));
        var unknownCountry = (await server.Post(Report, new { p = Passage("c4", 5m, country: "ZZ") }, network)).GetProperty("errors")[0];
        Assert.Equal("passage.country", unknownCountry.GetProperty("extensions").GetProperty("field").GetString());

        var manager = await server.Login("manager", "Fleet#2026");
        Assert.Equal("AUTH_NOT_AUTHORIZED", Code(await server.Post(Report, new { p = Passage("u1", 5m) }, manager)));
        Assert.Equal("AUTH_NOT_AUTHORIZED", Code(await server.Post(Report, new { p = Passage("u2", 5m) })));
        Assert.Equal(0L, await Rows());
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task The_follow_up_lists_only_the_callers_customers_passages_with_where_and_order_for_users_with_toll_follow_up()
    {
        var now = server.Fleet.Now;
        var day = FleetCalendar.Today(now);
        await server.Data(Report, new { p = Passage("p1", 30m, at: now - Duration.FromMinutes(50), distance: 60) }, network);
        await server.Data(Report, new { p = Passage("p2", 12.4m, at: now - Duration.FromMinutes(40), country: "FR", exit: null) }, network);
        await server.Data(Report, new { p = Passage("p3", 45.9m, at: now - Duration.FromMinutes(30), country: "DE", distance: 120) }, network);
        await server.Data(Report, new { p = Passage("p4", 99m, otherObu, now - Duration.FromMinutes(20)) }, network);
        // 23:30 UTC on the day before is 00:30 in Brussels: the passage belongs to today.
        var lateNight = day.AtStartOfDayInZone(FleetCalendar.Brussels).ToInstant() + Duration.FromMinutes(30);
        await server.Data(Report, new { p = Passage("p5", 7m, at: lateNight) }, network);

        var query = $$"""
            { expensive: fleetTollTransactions(from: "{{day:yyyy-MM-dd}}", to: "{{day:yyyy-MM-dd}}", where: { amount: { gt: 10 } }, order: [{ amount: DESC }]) {
                totalCount nodes { passageId obuNumber customerNumber country amount exitPoint tariffClass obuTariffClass day } }
              french: fleetTollTransactions(from: "{{day:yyyy-MM-dd}}", to: "{{day:yyyy-MM-dd}}", where: { country: { eq: "FR" } }) { totalCount nodes { passageId } }
              paged: fleetTollTransactions(from: "{{day:yyyy-MM-dd}}", to: "{{day:yyyy-MM-dd}}", first: 2) { totalCount pageInfo { hasNextPage } nodes { passageId } } }
            """;
        var data = await server.Data(query, null, await server.Login("manager", "Fleet#2026"));
        var expensive = data.GetProperty("expensive");
        Assert.Equal(3, expensive.GetProperty("totalCount").GetInt32());
        Assert.Equal(["p3", "p1", "p2"], expensive.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("passageId").GetString()));
        Assert.All(expensive.GetProperty("nodes").EnumerateArray(), n => Assert.Equal(obu, n.GetProperty("obuNumber").GetString()));
        var p3 = expensive.GetProperty("nodes")[0];
        Assert.Equal("Heavy4Axles", p3.GetProperty("obuTariffClass").GetString());
        Assert.Equal(JsonValueKind.Null, expensive.GetProperty("nodes")[2].GetProperty("exitPoint").ValueKind);
        Assert.Equal("p2", Assert.Single(data.GetProperty("french").GetProperty("nodes").EnumerateArray()).GetProperty("passageId").GetString());
        Assert.Equal(4, data.GetProperty("paged").GetProperty("totalCount").GetInt32());
        Assert.True(data.GetProperty("paged").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal("p5", data.GetProperty("paged").GetProperty("nodes")[0].GetProperty("passageId").GetString());

        // Daily follow-up without Toll follow-up sees no toll passages, as if there were none; once given the right, it does.
        var daily = await server.Login("daily", "Fleet#2026");
        var tollQuery = $$"""{ fleetTollTransactions(from: "{{day:yyyy-MM-dd}}", to: "{{day:yyyy-MM-dd}}") { totalCount } }""";
        Assert.Equal(0, (await server.Data(tollQuery, null, daily)).GetProperty("fleetTollTransactions").GetProperty("totalCount").GetInt32());
        await server.Data($$"""mutation { changeUserRights(login: "daily", modules: [DAILY_FOLLOW_UP, TOLL_FOLLOW_UP], customerNumbers: ["{{Sample.Customer}}"]) { modules } }""",
            null, await server.Login("manager", "Fleet#2026"));
        Assert.Equal(4, (await server.Data(tollQuery, null, daily)).GetProperty("fleetTollTransactions").GetProperty("totalCount").GetInt32());

        Assert.Equal("AUTH_NOT_AUTHENTICATED", Code(await server.Post(tollQuery, null, network)));
        Assert.Equal("AUTH_NOT_AUTHENTICATED", Code(await server.Post(tollQuery)));
        Assert.Equal("INVALID_PERIOD", Code(await server.Post("""{ fleetTollTransactions(from: "2026-01-01", to: "2026-03-01") { totalCount } }""", null, daily)));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Past_the_remembered_window_a_retry_still_counts_once_in_the_follow_up()
    {
        var grain = server.Fleet.Grain<IObuGrain>(obu);
        TollPassage Toll(int i) => new()
        {
            ObuNumber = obu, PassageId = $"w-{i}", TollDomain = "ASFINAG", Country = "AT", EntryPoint = $"A1 km {i}", DistanceKm = 1, TariffClass = "4+",
            Amount = 1.25m, PassedAt = server.Fleet.Now - Duration.FromMinutes(1),
        };
        var first = Toll(0);
        for (var i = 0; i <= ObuGrain.RememberedPassages; i++) await grain.ReportTollPassage(i == 0 ? first : Toll(i), "test");
        await grain.ReportTollPassage(first, "test");
        Assert.Equal(ObuGrain.RememberedPassages + 1L, await Rows());
        Assert.Equal(1.25m * (ObuGrain.RememberedPassages + 1), await server.Fleet.Scalar<decimal>("SELECT sum(amount) FROM fleet_toll_transactions"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Randomly_retried_passages_sum_to_the_distinct_passages()
    {
        var run = 0;
        var passages = Gen.ListOf(Gen.Zip(Gen.Choose(0, 5), Gen.Choose(0, 10_000))).Select(l => l.Take(12).ToArray());
        var property = Prop.ForAll(passages.ToArbitrary(), script =>
        {
            var prefix = $"r{++run}-";
            // The first report of an id fixes its amount; every later report of that id is a retry of the same passage.
            var amounts = new Dictionary<int, decimal>();
            var at = server.Fleet.Now - Duration.FromMinutes(5);
            foreach (var (id, cents) in script)
            {
                var amount = amounts.TryGetValue(id, out var known) ? known : amounts[id] = cents / 100m;
                server.Data(Report, new { p = Passage(prefix + id, amount, at: at) }, network).GetAwaiter().GetResult();
            }
            var (count, sum) = (
                server.Fleet.Scalar<long>("SELECT count(*) FROM fleet_toll_transactions WHERE passage_id LIKE $1", prefix + "%").GetAwaiter().GetResult(),
                server.Fleet.Scalar<decimal>("SELECT coalesce(sum(amount), 0) FROM fleet_toll_transactions WHERE passage_id LIKE $1", prefix + "%").GetAwaiter().GetResult());
            // Once in the read model (its key would hide a double count) and once as an event (which nothing else dedupes).
            var events = server.Fleet.Events("TollPassageRecorded", obu).GetAwaiter().GetResult()
                .Count(e => e.GetProperty("passageId").GetString()!.StartsWith(prefix, StringComparison.Ordinal));
            return count == amounts.Count && events == amounts.Count && sum == amounts.Values.Sum();
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), property);
        Assert.True(run >= 20);
    }
}
