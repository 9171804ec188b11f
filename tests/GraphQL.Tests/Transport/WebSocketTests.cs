using FsCheck;
using FsCheck.Fluent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Actors.GraphQL.Tests.Engine;

namespace Actors.GraphQL.Tests.Transport;

/// <summary>A graphql-transport-ws client over System.Net.WebSockets for tests.</summary>
public sealed class WsClient : IAsyncDisposable, IDisposable
{
    private readonly ClientWebSocket _socket = new();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static async Task<WsClient> ConnectAsync(Uri url)
    {
        var client = new WsClient();
        client._socket.Options.AddSubProtocol("graphql-transport-ws");
        await client._socket.ConnectAsync(url, CancellationToken.None);
        return client;
    }

    public string? SubProtocol => _socket.SubProtocol;
    public int? CloseCode => (int?)_socket.CloseStatus;

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public Task SendRawAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Patience);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return JsonDocument.Parse(message.ToArray()).RootElement;
        }
    }

    public async Task<JsonElement> ExpectAsync(string type)
    {
        var message = await ReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"socket closed ({_socket.CloseStatus} {_socket.CloseStatusDescription}) while waiting for {type}");
        Assert.Equal(type, message.GetProperty("type").GetString());
        return message;
    }

    public async Task<int?> ExpectClosedAsync()
    {
        while (await ReceiveAsync() is not null) { }
        return (int?)_socket.CloseStatus;
    }

    public async Task InitAsync(object? payload = null)
    {
        await SendAsync(new { type = "connection_init", payload = payload ?? new { } });
        await ExpectAsync("connection_ack");
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None); }
            catch (WebSocketException) { }
        }
        _socket.Dispose();
    }
}

public sealed class WebSocketTests(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>
{
    private Uri Url => fixture.Server.WebSocketUrl;

    [Fact]
    public async Task Subscription_streams_next_messages_then_complete()
    {
        await using var ws = await WsClient.ConnectAsync(Url);
        Assert.Equal("graphql-transport-ws", ws.SubProtocol);
        await ws.InitAsync();
        await ws.SendAsync(new { id = "1", type = "subscribe", payload = new { query = "subscription($n: Int!) { countdown(from: $n) }", variables = new { n = 2 } } });
        var values = new List<int>();
        for (int i = 0; i < 3; i++) values.Add((await ws.ExpectAsync("next")).GetProperty("payload").GetProperty("data").GetProperty("countdown").GetInt32());
        Assert.Equal([2, 1, 0], values);
        Assert.Equal("1", (await ws.ExpectAsync("complete")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Queries_and_mutations_run_over_the_socket()
    {
        await using var ws = await WsClient.ConnectAsync(Url);
        await ws.InitAsync();
        await ws.SendAsync(new { id = "q", type = "subscribe", payload = new { query = "{ hello }" } });
        Assert.Equal("Hello, world!", (await ws.ExpectAsync("next")).GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
        await ws.ExpectAsync("complete");
        await ws.SendAsync(new { id = "m", type = "subscribe", payload = new { query = "mutation { append(value: 5) }" } });
        Assert.Equal(5, (await ws.ExpectAsync("next")).GetProperty("payload").GetProperty("data").GetProperty("append").GetInt32());
    }

    [Fact]
    public async Task An_id_may_be_reused_as_soon_as_its_operation_completed()
    {
        await using var ws = await WsClient.ConnectAsync(Url);
        await ws.InitAsync();
        for (int round = 0; round < 20; round++)
        {
            await ws.SendAsync(new { id = "same", type = "subscribe", payload = new { query = "{ hello }" } });
            await ws.ExpectAsync("next");
            await ws.ExpectAsync("complete");
        }
    }

    [Fact]
    public async Task Mutation_events_reach_subscribers()
    {
        await using var ws = await WsClient.ConnectAsync(Url);
        await ws.InitAsync();
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query = "subscription { bookAdded { title author { name } } }" } });
        // The subscription is registered once the server has read the message; a ping round trip orders it after.
        await ws.SendAsync(new { type = "ping" });
        await ws.ExpectAsync("pong");
        await Task.Yield();
        using var http = new HttpClient();
        string title = "Via WS " + Guid.NewGuid().ToString("N")[..6];
        for (int attempt = 0; attempt < 1; attempt++)
            await http.PostAsync(fixture.Server.Url, new StringContent(JsonSerializer.Serialize(new { query = $"mutation {{ addBook(input: {{ title: \"{title}\", authorId: \"a1\" }}) {{ id }} }}" }), Encoding.UTF8, "application/json"));
        JsonElement next;
        do next = await ws.ExpectAsync("next");
        while (next.GetProperty("payload").GetProperty("data").GetProperty("bookAdded").GetProperty("title").GetString() != title);
        Assert.Equal("Ursula", next.GetProperty("payload").GetProperty("data").GetProperty("bookAdded").GetProperty("author").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Topic_messages_reach_every_subscriber_of_that_topic_only()
    {
        await using var first = await WsClient.ConnectAsync(Url);
        await using var second = await WsClient.ConnectAsync(Url);
        await first.InitAsync();
        await second.InitAsync();
        var topics = (Actors.GraphQL.Execution.InMemoryTopics)fixture.Server.Services.GetService(typeof(Actors.GraphQL.Execution.InMemoryTopics))!;
        await first.SendAsync(new { id = "a", type = "subscribe", payload = new { query = "subscription { onMessage(topic: \"news\") }" } });
        await second.SendAsync(new { id = "b", type = "subscribe", payload = new { query = "subscription { onMessage(topic: \"news\") }" } });
        await first.SendAsync(new { id = "c", type = "subscribe", payload = new { query = "subscription { onMessage(topic: \"other\") }" } });
        // A subscription is open before the server reads the next message: the pongs say all three are listening.
        await first.SendAsync(new { type = "ping" });
        await second.SendAsync(new { type = "ping" });
        await first.ExpectAsync("pong");
        await second.ExpectAsync("pong");
        Assert.Equal(2, topics.SubscriberCount("news"));
        Assert.Equal(1, topics.SubscriberCount("other"));

        await first.SendAsync(new { id = "p", type = "subscribe", payload = new { query = "query { publish(topic: \"news\", message: \"hello\") }" } });
        var received = new List<string?>();
        JsonElement message;
        do message = await first.ReceiveAsync() ?? throw new Xunit.Sdk.XunitException("closed");
        while (!(message.GetProperty("type").GetString() == "next" && message.GetProperty("id").GetString() == "a"));
        Assert.Equal("hello", message.GetProperty("payload").GetProperty("data").GetProperty("onMessage").GetString());
        Assert.Equal("hello", (await second.ExpectAsync("next")).GetProperty("payload").GetProperty("data").GetProperty("onMessage").GetString());
        Assert.Equal(1, topics.SubscriberCount("other"));
    }

    [Fact]
    public async Task Bearer_token_in_connection_init_becomes_the_principal()
    {
        await using var ws = await WsClient.ConnectAsync(Url);
        await ws.InitAsync(new { Authorization = "Bearer reader-token" });
        await ws.SendAsync(new { id = "1", type = "subscribe", payload = new { query = "subscription { whoAmI }" } });
        Assert.Equal("alice", (await ws.ExpectAsync("next")).GetProperty("payload").GetProperty("data").GetProperty("whoAmI").GetString());
        await ws.ExpectAsync("complete");
        await ws.SendAsync(new { id = "2", type = "subscribe", payload = new { query = "{ secret adminSecret }" } });
        var payload = (await ws.ExpectAsync("next")).GetProperty("payload");
        Assert.Equal("AUTH_NOT_AUTHORIZED", payload.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Lowercase_authorization_key_is_accepted_and_a_bad_token_closes_with_4403()
    {
        await using (var ok = await WsClient.ConnectAsync(Url))
            await ok.InitAsync(new { authorization = "admin-token" });

        await using var bad = await WsClient.ConnectAsync(Url);
        await bad.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer forged" } });
        Assert.Equal(4403, await bad.ExpectClosedAsync());
    }

    [Fact]
    public async Task Validation_errors_come_as_an_error_message()
    {
        await using var ws = await WsClient.ConnectAsync(Url);
        await ws.InitAsync();
        await ws.SendAsync(new { id = "e", type = "subscribe", payload = new { query = "{ nope }" } });
        var error = await ws.ExpectAsync("error");
        Assert.Equal(JsonValueKind.Array, error.GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task Protocol_violations_close_with_their_codes()
    {
        await using (var early = await WsClient.ConnectAsync(Url))
        {
            await early.SendAsync(new { id = "x", type = "subscribe", payload = new { query = "{ hello }" } });
            Assert.Equal(4401, await early.ExpectClosedAsync());
        }
        await using (var twice = await WsClient.ConnectAsync(Url))
        {
            await twice.InitAsync();
            await twice.SendAsync(new { type = "connection_init" });
            Assert.Equal(4429, await twice.ExpectClosedAsync());
        }
        await using (var garbage = await WsClient.ConnectAsync(Url))
        {
            await garbage.InitAsync();
            await garbage.SendRawAsync("{ nope");
            Assert.Equal(4400, await garbage.ExpectClosedAsync());
        }
        await using (var duplicate = await WsClient.ConnectAsync(Url))
        {
            await duplicate.InitAsync();
            await duplicate.SendAsync(new { id = "d", type = "subscribe", payload = new { query = "subscription { ticks }" } });
            await duplicate.ExpectAsync("next");
            await duplicate.SendAsync(new { id = "d", type = "subscribe", payload = new { query = "subscription { ticks }" } });
            Assert.Equal(4409, await duplicate.ExpectClosedAsync());
        }
    }

    [Fact]
    public void Random_messages_close_with_protocol_codes_and_leave_the_server_healthy()
    {
        var pieces = new[] { "{", "}", "\"type\":", "\"subscribe\"", "\"complete\"", "\"ping\"", "\"id\":", "\"1\"", "1", ",", "\"payload\":", "{\"query\":\"{ hello }\"}", "null", "[]" };
        var gen = FsCheck.Fluent.Gen.Select(FsCheck.Fluent.Gen.NonEmptyListOf(FsCheck.Fluent.Gen.Elements(pieces)), parts => string.Concat(parts));
        FsCheck.Fluent.Prop.ForAll(FsCheck.Fluent.Arb.ToArbitrary(gen), text =>
        {
            using var ws = WsClient.ConnectAsync(Url).GetAwaiter().GetResult();
            ws.InitAsync().GetAwaiter().GetResult();
            ws.SendRawAsync(text).GetAwaiter().GetResult();
            ws.SendAsync(new { type = "ping" }).GetAwaiter().GetResult();
            // Either the connection survives (a pong comes) or it was closed with a protocol code, never abruptly.
            while (true)
            {
                var message = ws.ReceiveAsync().GetAwaiter().GetResult();
                if (message is null) return ws.CloseCode is >= 4400 and < 4500;
                if (message.Value.GetProperty("type").GetString() == "pong") return true;
            }
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(40).WithQuietOnSuccess(true));
    }

    [Fact]
    public async Task Init_timeout_closes_with_4408_on_the_injected_clock()
    {
        var clock = new ManualTimeProvider();
        await using var server = await LibraryServer.StartAsync(o => { o.ConnectionInitTimeout = TimeSpan.FromSeconds(30); o.TimeProvider = clock; });
        await using var ws = await WsClient.ConnectAsync(server.WebSocketUrl);
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(4408, await ws.ExpectClosedAsync());
    }
}

/// <summary>A TimeProvider whose time moves only when a test advances it.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (_timers) return _now; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_timers)
        {
            _timers.Add(timer);
            timer.DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _now + dueTime;
        }
        return timer;
    }

    /// <summary>Waits (by polling the timer list, not the clock) until at least <paramref name="count"/> timers are pending.</summary>
    public async Task WaitForTimersAsync(int count)
    {
        for (int i = 0; i < 1000; i++)
        {
            lock (_timers) if (_timers.Count(t => t.DueAt is not null) >= count) return;
            await Task.Delay(5);
        }
        throw new TimeoutException("the server never started its timer");
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_timers)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
            foreach (var t in due) t.DueAt = null;
        }
        foreach (var t in due) t.Fire();
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }
        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._timers) DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
            return true;
        }

        public void Dispose() { lock (owner._timers) { DueAt = null; owner._timers.Remove(this); } }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
