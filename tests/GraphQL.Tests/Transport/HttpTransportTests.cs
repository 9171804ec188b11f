using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Actors.GraphQL.Tests.Engine;

namespace Actors.GraphQL.Tests.Transport;

public sealed class HttpServerFixture : IAsyncLifetime
{
    public LibraryServer Server { get; private set; } = null!;
    public HttpClient Client { get; } = new();
    public async Task InitializeAsync() => Server = await LibraryServer.StartAsync();
    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

public sealed class HttpTransportTests(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>
{
    private Uri Url => fixture.Server.Url;

    private async Task<HttpResponseMessage> Post(string body, string? accept = "application/graphql-response+json", string contentType = "application/json", string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await fixture.Client.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Post_query_answers_graphql_response_json()
    {
        var response = await Post("""{"query":"query($n: String) { hello(name: $n) }","variables":{"n":"HTTP"}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Hello, HTTP!", (await Json(response)).GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task The_answer_carries_its_content_length()
    {
        var response = await Post("""{"query":"query($n: String) { hello(name: $n) }","variables":{"n":"length"}}""");
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal("""{"data":{"hello":"Hello, length!"}}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task A_body_with_a_utf8_byte_order_mark_is_read()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("""{"query":"{ hello }"}""")]),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        var response = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, world!", (await Json(response)).GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task A_large_body_arriving_in_many_reads_is_read_whole()
    {
        // A variable of 200 kB: the server's pipe hands it over in several reads.
        var name = new string('n', 200_000);
        var response = await Post($$$"""{"query":"query($n: String) { hello(name: $n) }","variables":{"n":"{{{name}}}"}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"Hello, {name}!", (await Json(response)).GetProperty("data").GetProperty("hello").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    public async Task Wildcard_or_missing_accept_answers_application_json(string? accept)
    {
        var response = await Post("""{"query":"{ hello }"}""", accept);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Unacceptable_accept_is_406_and_other_content_type_is_415()
    {
        Assert.Equal(HttpStatusCode.NotAcceptable, (await Post("""{"query":"{ hello }"}""", "text/xml")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Post("query=x", contentType: "text/plain")).StatusCode);
    }

    [Fact]
    public async Task Validation_failure_is_400_without_data_for_graphql_response_json_but_200_for_json()
    {
        var strict = await Post("""{"query":"{ nope }"}""");
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.False((await Json(strict)).TryGetProperty("data", out _));

        var lenient = await Post("""{"query":"{ nope }"}""", "application/json");
        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", (await Json(lenient)).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Malformed_json_and_non_string_query_are_400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("{ not json")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("""{"query": 42}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("""{"query": "{ hello }", "variables": "x"}""")).StatusCode);
    }

    [Fact]
    public async Task Get_runs_queries_and_refuses_mutations_with_405()
    {
        var query = await fixture.Client.GetAsync(Url + "?query=" + Uri.EscapeDataString("query($n: String){ hello(name: $n) }") + "&variables=" + Uri.EscapeDataString("{\"n\":\"GET\"}"));
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("Hello, GET!", (await Json(query)).GetProperty("data").GetProperty("hello").GetString());

        var mutation = await fixture.Client.GetAsync(Url + "?query=" + Uri.EscapeDataString("mutation { append(value: 1) }"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Contains("POST", mutation.Content.Headers.Allow);
    }

    [Fact]
    public async Task Other_methods_are_405()
    {
        var response = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, Url) { Content = new StringContent("{}") });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Http_principal_reaches_resolvers_and_authorization_errors_are_graphql_errors()
    {
        var anonymous = await Post("""{"query":"{ secret }"}""");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal("AUTH_NOT_AUTHENTICATED", (await Json(anonymous)).GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());

        var reader = await Json(await Post("""{"query":"{ me secret }"}""", token: "reader-token"));
        Assert.Equal("alice", reader.GetProperty("data").GetProperty("me").GetString());
    }

    [Fact]
    public async Task Stack_traces_stay_hidden_outside_development()
    {
        var body = await (await Post("""{"query":"{ book(id: \"b1\") { broken } }"}""")).Content.ReadAsStringAsync();
        Assert.Contains("INTERNAL_SERVER_ERROR", body);
        Assert.DoesNotContain("secret internal detail", body);
        Assert.DoesNotContain("stackTrace", body);
    }

    [Fact]
    public async Task Development_shows_exception_details()
    {
        await using var server = await LibraryServer.StartAsync(environment: "Development");
        var request = new HttpRequestMessage(HttpMethod.Post, server.Url) { Content = new StringContent("""{"query":"{ book(id: \"b1\") { broken } }"}""", Encoding.UTF8, "application/json") };
        var body = await (await fixture.Client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("secret internal detail", body);
        Assert.Contains("stackTrace", body);
    }

    [Fact]
    public async Task Sdl_is_served_at_the_sdl_query_parameter()
    {
        var response = await fixture.Client.GetAsync(Url + "?sdl");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("type Subscription {", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Subscriptions_stream_over_server_sent_events()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Content = new StringContent("""{"query":"subscription { countdown(from: 2) }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await fixture.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["event: next", "event: next", "event: next", "event: complete"], events.Select(e => e.Split('\n')[0]));
        Assert.Contains("{\"data\":{\"countdown\":0}}", events[2]);
    }

    [Fact]
    public async Task EventSource_style_get_streams_subscriptions_but_never_runs_mutations()
    {
        var get = new HttpRequestMessage(HttpMethod.Get, Url + "?query=" + Uri.EscapeDataString("subscription { countdown(from: 1) }"));
        get.Headers.Accept.ParseAdd("text/event-stream");
        var text = await (await fixture.Client.SendAsync(get)).Content.ReadAsStringAsync();
        Assert.EndsWith("event: complete\ndata:\n\n", text);
        Assert.Contains("{\"data\":{\"countdown\":0}}", text);

        var mutation = new HttpRequestMessage(HttpMethod.Get, Url + "?query=" + Uri.EscapeDataString("mutation { append(value: 1) }"));
        mutation.Headers.Accept.ParseAdd("text/event-stream");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await fixture.Client.SendAsync(mutation)).StatusCode);
    }

    [Fact]
    public async Task Subscriptions_over_plain_json_point_to_the_streaming_transports()
    {
        var response = await Post("""{"query":"subscription { countdown(from: 1) }"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text/event-stream", (await Json(response)).GetProperty("errors")[0].GetProperty("message").GetString());
    }
}
