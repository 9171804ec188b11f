using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Actors.Grains.Fleet;
using Actors.Postgres.Serialization;
using Actors.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Actors.Silo.Tests;

/// <summary>
/// Issue 6 item 3, "a silo killed mid-stream loses no acknowledged authorization", against the real silo process: a
/// station network fires authorizations concurrently, the silo is SIGKILLed while they run, a new silo starts on the same
/// database, and the network retries what it never got an answer for with the same idempotency keys.
/// </summary>
/// <remarks>
/// It lives here, not in Fleet.Tests, because this project runs the silo as a process (<see cref="SiloProcess"/>):
/// only a process can be killed with its open transactions, which is the point.
/// </remarks>
public sealed class AuthorizationCrashTests(ITestOutputHelper output)
{
    private const string Authorize = """
        mutation($r: AuthorizationRequestInput!) { authorize(request: $r) { transactionId outcome reasons { code } } }
        """;
    private const decimal Amount = 2.5m;          // the demo card's hard day limit of 200 takes 80 of them
    private const decimal DayLimit = 200m;
    private const int Streams = 16;               // well under the 50 answers a card remembers for retries
    private const int AcknowledgedBeforeKill = 30;

    /// <summary>An answer the network received: acknowledged, so it must survive anything.</summary>
    private sealed record Answer(string Key, string TransactionId, string Outcome, IReadOnlyList<string> Reasons);

    [Fact(Timeout = SafetyNet.TestTimeout)]
    public async Task Every_acknowledged_authorization_survives_a_killed_silo_and_retries_count_once()
    {
        // A safety net only: a broken silo fails the test instead of hanging it.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var root = Path.Combine(Path.GetTempPath(), $"actors-crash-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "Actors.sln"), "");
        var database = await TestPostgres.CreateDatabase("authcrash");
        var tokenKey = RandomNumberGenerator.GetBytes(32);
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Actors"] = database,
            ["Rules__Workflows"] = Path.Combine(Hosting.RepositoryRoot.Find(), "rules", "workflows"),
            ["Fleet__TokenKey"] = Convert.ToBase64String(tokenKey),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // The network's token as an operator gets it: from the silo's command line, signed with the shared key.
        string network;
        await using (var issuer = SiloProcess.Start(root, environment, "--station-token", "crash-test-network"))
        {
            Assert.Equal(0, await issuer.WaitForExit().WaitAsync(deadline.Token));
            network = issuer.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single();
        }

        var first = SiloProcess.Start(root, environment, "--fleet-demo");
        SiloProcess? second = null;
        try
        {
            await first.WaitUntilServing().WaitAsync(deadline.Token);
            await WaitForOutput(first, "demo data loaded", deadline.Token);
            Assert.Contains("demo data loaded", first.Output);
            var (card, rank) = await DemoCard(database);
            object Request(string key) => new
            {
                cardNumber = card, rank, pinCorrect = true, product = "Diesel", quantity = 1.5m, amount = Amount, odometer = 90_000,
                idempotencyKey = key, station = new { id = "BE-0042", country = "BE", timeZone = "Europe/Brussels" },
            };

            // Phase 1: streams of authorizations until the silo dies under them.
            var acknowledged = new ConcurrentDictionary<string, Answer>();
            var unanswered = new ConcurrentBag<string>();
            var enoughAnswers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var next = 0;
            async Task Stream()
            {
                while (!deadline.IsCancellationRequested)
                {
                    var key = $"k{Interlocked.Increment(ref next):D4}";
                    var answer = await TryAuthorize(http, first.Address, network, Request(key), key, deadline.Token);
                    if (answer is null)
                    {
                        unanswered.Add(key);   // refused connection, reset, or an error: maybe committed, maybe not
                        return;
                    }
                    acknowledged[key] = answer;
                    if (acknowledged.Count >= AcknowledgedBeforeKill) enoughAnswers.TrySetResult();
                }
            }
            var streams = Enumerable.Range(0, Streams).Select(_ => Task.Run(Stream)).ToArray();
            // Streams end by themselves on the first request a silo does not answer, so a broken silo ends the wait too.
            await Task.WhenAny(enoughAnswers.Task, Task.WhenAll(streams)).WaitAsync(deadline.Token);
            Assert.True(acknowledged.Count >= AcknowledgedBeforeKill, $"Only {acknowledged.Count} answers before any kill:\n{first.Output}");
            await first.Kill();
            await Task.WhenAll(streams).WaitAsync(deadline.Token);
            Assert.NotEmpty(unanswered);   // each stream ends on the request the dead silo did not answer

            // Phase 2: a new silo on the same database; the network retries what it did not hear back about, and asks
            // again for a few answers it did get, which must come back unchanged.
            // Restarted on the killed silo's Orleans ports, as an operator restarts a crashed silo: Orleans retires the
            // dead entry of the same address at once instead of waiting for probes to declare it dead.
            second = SiloProcess.Start(root, new Dictionary<string, string>(environment.Concat(first.OrleansPorts)));
            await second.WaitUntilServing().WaitAsync(deadline.Token);
            var committedUnanswered = (await Transactions(database, card)).Count - acknowledged.Count;
            Assert.InRange(committedUnanswered, 0, unanswered.Count);   // never fewer rows than acknowledged answers
            output.WriteLine($"{acknowledged.Count} acknowledged before the kill, {unanswered.Count} unanswered, of which {committedUnanswered} had committed");
            var answers = new Dictionary<string, Answer>(acknowledged);
            foreach (var key in unanswered.Order())
                answers[key] = await TryAuthorize(http, second.Address, network, Request(key), key, deadline.Token)
                    ?? throw new Xunit.Sdk.XunitException($"The retry of {key} after the restart was not answered.\n{second.Output}");
            var latestAcknowledged = acknowledged.Values.OrderByDescending(a => Sequence(a.TransactionId)).Take(5).ToList();
            foreach (var earlier in latestAcknowledged)
            {
                var again = await TryAuthorize(http, second.Address, network, Request(earlier.Key), earlier.Key, deadline.Token);
                Assert.True(again is not null && SameAnswer(earlier, again), $"{earlier} was answered differently after the restart: {again}");
            }

            // Phase 3: new requests until the hard day limit must decline, so an overcount would show as too few approvals.
            var more = Enumerable.Range(0, (int)(DayLimit / Amount) + 20 - answers.Count).Select(i => $"after{i:D3}").ToList();
            foreach (var batch in more.Chunk(Streams))
            {
                var batchAnswers = await Task.WhenAll(batch.Select(key => TryAuthorize(http, second.Address, network, Request(key), key, deadline.Token)));
                foreach (var answer in batchAnswers)
                    answers[answer?.Key ?? throw new Xunit.Sdk.XunitException($"An authorization was not answered.\n{second.Output}")] = answer;
            }

            // Every answered key is exactly one transaction in the daily follow-up, as answered; nothing else is there.
            var rows = await Transactions(database, card);
            Assert.Equal(answers.Count, rows.Count);
            Assert.Equal(answers.Values.Select(a => a.TransactionId).Order(), rows.Keys.Order());
            Assert.Equal(answers.Count, answers.Values.Select(a => a.TransactionId).Distinct().Count());
            foreach (var answer in answers.Values)
            {
                var row = rows[answer.TransactionId];
                Assert.Equal(answer.Outcome, row.Outcome.ToUpperInvariant());
                Assert.Equal(Amount, row.Amount);
            }

            // The card's durable counters are the sum of what was approved: nothing lost, nothing counted twice.
            var state = await ReadCard(database, card);
            Assert.Equal(answers.Count, state.Authorizations);
            foreach (var (period, start) in state.Usage.Where(u => u.Key.StartsWith("Diesel|", StringComparison.Ordinal)).Select(u => (u.Key, u.Value.Start)))
            {
                var inPeriod = rows.Values.Where(r => r.Outcome == "Approved" && r.Day >= start && r.Day < End(period, start)).ToList();
                Assert.Equal(inPeriod.Sum(r => r.Amount), state.Usage[period].Amount);
                Assert.Equal(inPeriod.Count, state.Usage[period].Count);
            }
            foreach (var day in rows.Values.GroupBy(r => r.Day))
                Assert.True(day.Where(r => r.Outcome == "Approved").Sum(r => r.Amount) <= DayLimit, $"{day.Key}: the hard day limit was exceeded");
            Assert.Contains(answers.Values, a => a.Outcome == "DECLINED" && a.Reasons.Contains("DAY_AMOUNT_LIMIT"));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The answer to one authorization, or null when none came (connection refused or reset, or an error).</summary>
    private static async Task<Answer?> TryAuthorize(HttpClient http, Uri silo, string network, object request, string key, CancellationToken cancellation)
    {
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(silo, "/graphql"))
            {
                Content = JsonContent.Create(new { query = Authorize, variables = new { r = request } }),
            };
            message.Headers.Authorization = new("Bearer", network);
            using var response = await http.SendAsync(message, cancellation);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
            if (body.RootElement.TryGetProperty("errors", out _)
                || !body.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return null;
            var answer = data.GetProperty("authorize");
            return new Answer(key, answer.GetProperty("transactionId").GetString()!, answer.GetProperty("outcome").GetString()!,
                [.. answer.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()!)]);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException
            || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Record equality with the list compared by content, for "the retry gets the same answer".</summary>
    private static bool SameAnswer(Answer a, Answer b) =>
        a.Key == b.Key && a.TransactionId == b.TransactionId && a.Outcome == b.Outcome && a.Reasons.SequenceEqual(b.Reasons);

    private static long Sequence(string transactionId) => long.Parse(transactionId[(transactionId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static NodaTime.LocalDate End(string period, NodaTime.LocalDate start) => period.Split('|')[1] switch
    {
        "Week" => start.PlusWeeks(1),
        "Month" => start.PlusMonths(1),
        _ => start.PlusDays(1),
    };

    /// <summary>Waits for a line of the silo's output; another process, so there is no clock to move, only a cap.</summary>
    private static async Task WaitForOutput(SiloProcess silo, string text, CancellationToken cancellation)
    {
        for (var i = 0; i < 1200 && !silo.Output.Contains(text, StringComparison.Ordinal) && !cancellation.IsCancellationRequested; i++)
            await Task.Delay(100, CancellationToken.None);
    }

    /// <summary>
    /// Demo card 2 (plate 3-CAX-002): active, Diesel, a day limit of 200 that blocks, no forbidden days or countries.
    /// </summary>
    private static async Task<(string Number, int Rank)> DemoCard(string database)
    {
        await using var source = NpgsqlDataSource.Create(database);
        await using var command = source.CreateCommand("SELECT number FROM fleet_status WHERE plate = '3-CAX-002'");
        var number = (string)(await command.ExecuteScalarAsync())!;
        var state = await ReadCard(database, number);
        Assert.Equal(CardStatus.Active, state.Status);
        var limit = Assert.Single(state.Settings.Limits);
        Assert.Equal(("Diesel", DayLimit, LimitPeriod.Day, LimitBreach.Block), (limit.Product, limit.Amount, limit.Period, limit.OnBreach));
        return (number, state.Rank);
    }

    /// <summary>The card as stored: its last snapshot with the journaled authorizations after it applied.</summary>
    private static async Task<CardState> ReadCard(string database, string number)
    {
        await using var source = NpgsqlDataSource.Create(database);
        await using var command = source.CreateCommand("SELECT state::text FROM grain_state WHERE grain_type = 'fleet.card' AND grain_key = $1");
        command.Parameters.AddWithValue(number);
        var card = JsonSerializer.Deserialize<CardState>((string)(await command.ExecuteScalarAsync())!, GrainJson.Options)!;
        await using var journal = source.CreateCommand("SELECT entry::text FROM grain_journal WHERE grain_type = 'fleet.card' AND grain_key = $1 ORDER BY version");
        journal.Parameters.AddWithValue(number);
        await using var entries = await journal.ExecuteReaderAsync();
        while (await entries.ReadAsync()) card.Apply(JsonSerializer.Deserialize<CardAuthorized>(entries.GetString(0), GrainJson.Options)!);
        return card;
    }

    private sealed record Row(string Outcome, decimal Amount, NodaTime.LocalDate Day);

    private static async Task<Dictionary<string, Row>> Transactions(string database, string card)
    {
        await using var source = NpgsqlDataSource.Create(database);
        await using var command = source.CreateCommand("SELECT transaction_id, outcome, amount, day FROM fleet_transactions WHERE card_number = $1");
        command.Parameters.AddWithValue(card);
        var rows = new Dictionary<string, Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var day = reader.GetFieldValue<DateOnly>(3);
            rows.Add(reader.GetString(0), new Row(reader.GetString(1), reader.GetDecimal(2), new NodaTime.LocalDate(day.Year, day.Month, day.Day)));
        }
        return rows;
    }
}
