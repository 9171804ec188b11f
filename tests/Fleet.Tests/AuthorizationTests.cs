using Actors.Testing;
using Actors.Grains.Fleet;
using FsCheck;
using FsCheck.Fluent;
using NodaTime;

namespace Actors.Fleet.Tests;

/// <summary>Issue 6 items 1-3: a station's authorization against the card's limit and control workflows.</summary>
public sealed class AuthorizationTests
{
    private static readonly Station Antwerp = new("BE-ANR-001", "BE", "Europe/Brussels");

    internal static AuthorizationRequest Fill(string card, decimal amount, string key, decimal litres = 50, string product = "Diesel", Station? station = null,
        int rank = 1, bool pinCorrect = true, string? driverCode = null) => new()
    {
        CardNumber = card, Rank = rank, PinCorrect = pinCorrect, DriverCode = driverCode, Station = station ?? Antwerp, Product = product,
        Quantity = litres, Amount = amount, Odometer = 120_000, IdempotencyKey = key,
    };

    /// <summary>Answers compare by content: one read back from storage holds new lists.</summary>
    private static void Same(AuthorizationAnswer expected, AuthorizationAnswer actual) =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));

    private static CardSettings Limited(LimitBreach onBreach = LimitBreach.Block, LimitBreach controls = LimitBreach.Block) => Sample.Diesel() with
    {
        Limits =
        [
            new CardLimit("Diesel", 300, LimitPeriod.Day, onBreach),
            new CardLimit("Diesel", 1000, LimitPeriod.Month, onBreach),
            new CardLimit("CarWash", 2, LimitPeriod.Week, onBreach, LimitUnit.Transactions),
        ],
        Controls = Sample.Diesel().Controls with { OnBreach = controls },
    };

    private static async Task<(FleetHarness Fleet, ICardGrain Card, string Number)> Card(string purpose, CardSettings? settings = null)
    {
        var fleet = await FleetHarness.Start(purpose);
        var customer = await Sample.RegisterCustomer(fleet);
        var number = await Sample.ActiveCard(fleet, customer, settings ?? Limited());
        return (fleet, fleet.Grain<ICardGrain>(number), number);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_hard_daily_limit_declines_the_fill_that_would_pass_it_and_the_next_day_starts_again()
    {
        var (fleet, card, number) = await Card("auth-hard");
        await using var _ = fleet;
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 200, "k1"))).Outcome);
        var over = await card.Authorize(Fill(number, 100.01m, "k2"));
        Assert.Equal(AuthorizationOutcome.Declined, over.Outcome);
        Assert.Equal("DAY_AMOUNT_LIMIT", Assert.Single(over.Reasons).Code);
        Assert.Equal("Day Amount limit of 300 on Diesel reached", over.Text);
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 100, "k3"))).Outcome);

        await fleet.Advance(Duration.FromDays(1));
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 250, "k4"))).Outcome);
        Assert.Equal(3L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_transactions WHERE card_number = $1 AND outcome = 'Approved'", number));
        Assert.Equal(1L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_anomalies WHERE card_number = $1 AND declined", number));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_soft_limit_approves_and_raises_an_anomaly()
    {
        var (fleet, card, number) = await Card("auth-soft", Limited(LimitBreach.Notify));
        await using var _ = fleet;
        var answer = await card.Authorize(Fill(number, 350, "k1"));
        Assert.Equal(AuthorizationOutcome.Approved, answer.Outcome);
        Assert.False(Assert.Single(answer.Reasons).Declines);
        Assert.StartsWith("Approved; notified: Day Amount limit", answer.Text);
        var raised = Assert.Single(await fleet.Events("FleetAnomalyRaised", number));
        Assert.Equal("DAY_AMOUNT_LIMIT", raised.GetProperty("code").GetString());
        Assert.False(await fleet.Scalar<bool>("SELECT declined FROM fleet_anomalies WHERE card_number = $1", number));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Controls_decline_by_country_tank_product_and_transaction_count()
    {
        var (fleet, card, number) = await Card("auth-controls", Limited() with { Controls = Limited().Controls with { MaxTransactionsPerDay = 2 } });
        await using var _ = fleet;
        Assert.Equal("COUNTRY_NOT_ALLOWED", (await card.Authorize(Fill(number, 20, "fr", station: new Station("FR-1", "FR", "Europe/Paris")))).Reasons.Single().Code);
        Assert.Equal("TANK_CAPACITY", (await card.Authorize(Fill(number, 20, "tank", litres: 401))).Reasons.Single().Code);
        Assert.Equal("PRODUCT_NOT_ALLOWED", (await card.Authorize(Fill(number, 20, "petrol", product: "Petrol"))).Reasons.Single().Code);
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 20, "1"))).Outcome);
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 20, "2", product: "CarWash", litres: 1))).Outcome);
        Assert.Equal("DAILY_TRANSACTIONS", (await card.Authorize(Fill(number, 20, "3"))).Reasons.Single().Code);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Forbidden_days_are_read_in_the_station_time_zone()
    {
        var (fleet, card, number) = await Card("auth-days");
        await using var _ = fleet;
        // Sunday 11 January 2026, 23:30 in Brussels is already Monday 00:30 in Helsinki.
        await fleet.AdvanceTo(Instant.FromUtc(2026, 1, 11, 22, 30));
        Assert.Equal("FORBIDDEN_DAY", (await card.Authorize(Fill(number, 20, "be"))).Reasons.Single().Code);
        var helsinki = await card.Authorize(Fill(number, 20, "fi", station: new Station("FI-1", "DE", "Europe/Helsinki")));
        Assert.Equal(AuthorizationOutcome.Approved, helsinki.Outcome);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Three_wrong_PINs_decline_even_the_right_one_until_the_next_day()
    {
        var (fleet, card, number) = await Card("auth-pin");
        await using var _ = fleet;
        for (var i = 0; i < 3; i++) Assert.Equal("WRONG_PIN", (await card.Authorize(Fill(number, 20, $"w{i}", pinCorrect: false))).Reasons.Single().Code);
        Assert.Equal("PIN_TRIES_EXCEEDED", (await card.Authorize(Fill(number, 20, "right"))).Reasons.Single().Code);
        await fleet.Advance(Duration.FromDays(1));
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 20, "tomorrow"))).Outcome);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Blocked_cards_superseded_ranks_and_blocked_driver_codes_are_declined()
    {
        var (fleet, card, number) = await Card("auth-status", Limited() with { PinType = PinType.PersonalCode });
        await using var _ = fleet;
        var customer = fleet.Grain<ICustomerGrain>(Sample.Customer);
        await customer.CreateDriverCode("4321", "PEETERS Jan", "Trucks");
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 20, "ok", driverCode: "4321"))).Outcome);
        Assert.Equal("UNKNOWN_DRIVER_CODE", (await card.Authorize(Fill(number, 20, "unknown", driverCode: "9999"))).Reasons.Single().Code);
        await customer.BlockDriverCodes(["4321"]);
        Assert.Equal("DRIVER_CODE_BLOCKED", (await card.Authorize(Fill(number, 20, "blocked-code", driverCode: "4321"))).Reasons.Single().Code);

        Assert.True((await card.Change((await card.Get())!.Settings with { Plate = "1-NEW-001" })).Reissued);
        Assert.Equal("SUPERSEDED_RANK", (await card.Authorize(Fill(number, 20, "old-rank", driverCode: "1234"))).Reasons.First().Code);
        await card.Block(BlockReason.Theft, false);
        var stolen = await card.Authorize(Fill(number, 20, "stolen", rank: 2));
        Assert.Equal(AuthorizationOutcome.Declined, stolen.Outcome);
        Assert.Contains(stolen.Reasons, r => r.Code == "CARD_BLOCKED");
        Assert.Equal("UNKNOWN_CARD", (await fleet.Grain<ICardGrain>("7000000000000").Authorize(Fill("7000000000000", 20, "x"))).Reasons.Single().Code);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_retry_gets_the_same_answer_and_counts_once_and_a_reused_key_is_refused()
    {
        var (fleet, card, number) = await Card("auth-retry");
        await using var _ = fleet;
        var first = await card.Authorize(Fill(number, 200, "same"));
        Same(first, await card.Authorize(Fill(number, 200, "same")));
        Assert.Equal(AuthorizationOutcome.Approved, (await card.Authorize(Fill(number, 100, "other"))).Outcome);
        var reused = await Assert.ThrowsAsync<FleetOperationException>(() => card.Authorize(Fill(number, 50, "same")));
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", reused.Code);
        Assert.Equal(2L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_transactions WHERE card_number = $1", number));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_card_remembers_its_last_50_answers_and_no_more()
    {
        var (fleet, card, number) = await Card("auth-bounded");
        await using var _ = fleet;
        var answers = new List<AuthorizationAnswer>();
        for (var i = 0; i < CardGrain.RememberedAnswers + 1; i++) answers.Add(await card.Authorize(Fill(number, 1, $"k{i}", litres: 1)));
        Same(answers[^1], await card.Authorize(Fill(number, 1, $"k{CardGrain.RememberedAnswers}", litres: 1)));
        Same(answers[1], await card.Authorize(Fill(number, 1, "k1", litres: 1)));
        // The first key is forgotten: asked again, it is a new transaction.
        Assert.NotEqual(answers[0].TransactionId, (await card.Authorize(Fill(number, 1, "k0", litres: 1))).TransactionId);
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Bad_requests_are_refused_with_the_field_and_write_nothing()
    {
        var (fleet, card, number) = await Card("auth-input");
        await using var _ = fleet;
        Assert.Equal("station.timeZone", (await Assert.ThrowsAsync<FleetValidationException>(() => card.Authorize(Fill(number, 20, "a", station: Antwerp with { TimeZone = "Mars/Olympus" })))).Field);
        Assert.Equal("quantity", (await Assert.ThrowsAsync<FleetValidationException>(() => card.Authorize(Fill(number, 20, "b", litres: 0)))).Field);
        Assert.Equal("idempotencyKey", (await Assert.ThrowsAsync<FleetValidationException>(() => card.Authorize(Fill(number, 20, "")))).Field);
        Assert.Equal(0L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_transactions"));
    }

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_acknowledged_authorization_survives_a_silo_restart()
    {
        var fleet = await FleetHarness.Start("auth-durable");
        try
        {
            var number = await Sample.ActiveCard(fleet, await Sample.RegisterCustomer(fleet), Limited());
            var answers = new List<AuthorizationAnswer>();
            for (var i = 0; i < 6; i++) answers.Add(await fleet.Grain<ICardGrain>(number).Authorize(Fill(number, 60, $"k{i}")));
            Assert.Equal(5, answers.Count(a => a.Outcome == AuthorizationOutcome.Approved));

            fleet = await fleet.Restart();
            var card = fleet.Grain<ICardGrain>(number);
            for (var i = 0; i < 6; i++) Same(answers[i], await card.Authorize(Fill(number, 60, $"k{i}")));
            // The counters came back too: 300 of 300 are used today.
            Assert.Equal("DAY_AMOUNT_LIMIT", (await card.Authorize(Fill(number, 0.01m, "after"))).Reasons.Single().Code);
            Assert.Equal(7L, await fleet.Scalar<long>("SELECT count(*) FROM fleet_transactions WHERE card_number = $1", number));
        }
        finally { await fleet.DisposeAsync(); }
    }

    /// <summary>
    /// The card journals its authorizations and rebuilds itself from the last snapshot and the entries after it. Two
    /// cards get the same requests at the same times: one stays active in one silo, the other's silo restarts at
    /// random points, so it is rebuilt from storage again and again. Both must answer alike, step by step, and retries
    /// of any earlier request must get the first answer.
    /// </summary>
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task A_card_rebuilt_from_its_journal_answers_as_the_card_that_stayed_active()
    {
        var (live, _, _) = await Card("auth-journal");
        var rebuilt = await live.Beside();
        try
        {
            var imported = 0;
            // Amount, PIN right, hours to wait (mostly none), a retry of an earlier key, a restart of the second silo.
            var step = Gen.Zip(Gen.Zip(Gen.Choose(1, 120), Gen.Choose(0, 5)), Gen.Zip(Gen.Choose(0, 12), Gen.Choose(0, 9)))
                .Select(x => (Amount: (decimal)x.Item1.Item1, PinWrong: x.Item1.Item2 == 0, Hours: x.Item2.Item1 > 9 ? x.Item2.Item1 : 0, Op: x.Item2.Item2));
            var property = Prop.ForAll(Gen.ListOf(step).Select(s => s.Take(40).ToArray()).ToArbitrary(), steps =>
            {
                Task.Run(async () =>
                {
                    var (a, b) = ($"789000{Interlocked.Increment(ref imported):D9}", $"789000{Interlocked.Increment(ref imported):D9}");
                    var today = FleetCalendar.Today(live.Now);
                    await live.Grain<ICardGrain>(a).Import(Sample.Customer, Limited(), today.PlusDays(-10), 1, null);
                    await rebuilt.Grain<ICardGrain>(b).Import(Sample.Customer, Limited(), today.PlusDays(-10), 1, null);
                    var asked = new List<(AuthorizationRequest A, AuthorizationRequest B, AuthorizationAnswer Answer)>();
                    foreach (var (amount, pinWrong, hours, op) in steps)
                    {
                        live.Time.Advance(Duration.FromHours(hours));
                        if (op == 0) { rebuilt = await rebuilt.Restart(); continue; }
                        var (requestA, requestB) = op == 1 && asked.Count > 0
                            ? (asked[(int)(amount % asked.Count)].A, asked[(int)(amount % asked.Count)].B)
                            : (Fill(a, amount, $"k{asked.Count}", pinCorrect: !pinWrong), Fill(b, amount, $"k{asked.Count}", pinCorrect: !pinWrong));
                        var answerA = await live.Grain<ICardGrain>(a).Authorize(requestA);
                        var answerB = await rebuilt.Grain<ICardGrain>(b).Authorize(requestB);
                        Assert.Equal(Shape(answerA), Shape(answerB));
                        if (op == 1 && asked.Count > 0) Assert.Equal(Shape(asked[(int)(amount % asked.Count)].Answer), Shape(answerA));
                        else asked.Add((requestA, requestB, answerA));
                    }
                }).GetAwaiter().GetResult();
                return true;
            });
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(12), property);
        }
        finally
        {
            await rebuilt.DisposeAsync();
            await live.DisposeAsync();
        }
    }

    /// <summary>An answer without the card number in its transaction id, so two cards' answers compare.</summary>
    private static string Shape(AuthorizationAnswer answer) =>
        $"{answer.TransactionId[(answer.TransactionId.LastIndexOf('-') + 1)..]} {answer.Outcome} {string.Join(",", answer.Reasons.Select(r => r.Code))} {answer.Text} {answer.DecidedAt}";

    /// <summary>
    /// Under hard limits, whatever the amounts, the days and the retries: approved use never passes a limit, a retried
    /// key answers as the first time, and only first answers are counted.
    /// </summary>
    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Counters_never_exceed_hard_limits_and_retries_never_count_twice()
    {
        var (fleet, _, _) = await Card("auth-props");
        await using var __ = fleet;
        var customer = fleet.Grain<ICustomerGrain>(Sample.Customer);
        var steps = Gen.Zip(Gen.Choose(1, 250), Gen.Choose(0, 9)).Select(x => (Amount: (decimal)x.Item1, Op: x.Item2));
        var property = Prop.ForAll(Gen.ListOf(steps).Select(s => s.Take(25).ToArray()).ToArbitrary(), sequence =>
        {
            Run(fleet, customer, sequence).GetAwaiter().GetResult();
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(15), property);
    }

    private static async Task Run(FleetHarness fleet, ICustomerGrain customer, (decimal Amount, int Op)[] steps)
    {
        var number = await customer.CreateCard(new CardOrder(Limited()));
        await fleet.Advance(Duration.FromDays(3));
        var card = fleet.Grain<ICardGrain>(number);
        var answers = new List<(AuthorizationRequest Request, AuthorizationAnswer Answer)>();
        foreach (var (amount, op) in steps)
        {
            if (op == 0) await fleet.Advance(Duration.FromHours(13));
            else if (op <= 3 && answers.Count > 0)
            {
                var (request, answer) = answers[(int)(amount % answers.Count)];
                Same(answer, await card.Authorize(request));
            }
            else
            {
                var request = Fill(number, amount, $"{number}-{answers.Count}");
                answers.Add((request, await card.Authorize(request)));
            }
        }
        var approved = answers.Where(a => a.Answer.Outcome == AuthorizationOutcome.Approved).ToList();
        foreach (var day in approved.GroupBy(a => FleetCalendar.Today(a.Answer.DecidedAt)))
            Assert.True(day.Sum(a => a.Request.Amount) <= 300, $"{day.Key}: {day.Sum(a => a.Request.Amount)} approved over a 300 limit");
        foreach (var month in approved.GroupBy(a => FleetCalendar.MonthStart(FleetCalendar.Today(a.Answer.DecidedAt))))
            Assert.True(month.Sum(a => a.Request.Amount) <= 1000);
        Assert.Equal((decimal?)approved.Sum(a => a.Request.Amount),
            await fleet.Scalar<decimal?>("SELECT coalesce(sum(amount), 0) FROM fleet_transactions WHERE card_number = $1 AND outcome = 'Approved'", number));
        Assert.Equal((long)answers.Count, await fleet.Scalar<long>("SELECT count(*) FROM fleet_transactions WHERE card_number = $1", number));
    }
}
