using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Actors.GraphQL.Tests.Transport;

/// <summary>Bad input over real HTTP gets a clear 4xx or a GraphQL error, never a 500.</summary>
public sealed class HttpFuzzTests(HttpServerFixture fixture) : IClassFixture<HttpServerFixture>
{
    [Fact]
    public void Random_bodies_never_cause_a_server_error()
    {
        var pieces = new[]
        {
            "{", "}", "[", "]", ",", ":", "\"query\"", "\"variables\"", "\"operationName\"", "\"extensions\"", "null", "1e400", "-0",
            "\"{ hello }\"", "\"query($n: Int!) { echoList(values: [$n]) }\"", "{\"n\": 99999999999}", "{\"n\": \"x\"}", "\"\\u0000\"", "true",
            "\"mutation { append(value: 1) }\"", "\"subscription { ticks }\"", "\"{ book(id: 1) { title } }\"", "{\"in\": [[[[]]]]}",
        };
        var gen = Gen.ArrayOf(Gen.Elements(pieces)).Select(parts => string.Concat(parts));
        Prop.ForAll(gen.ToArbitrary(), body =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, fixture.Server.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/graphql-response+json");
            using var response = fixture.Client.Send(request);
            return (int)response.StatusCode < 500;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150).WithQuietOnSuccess(true));
    }

    [Fact]
    public async Task Hostile_variables_get_4xx_not_500()
    {
        var deep = new string('[', 300) + new string(']', 300);
        foreach (var body in new[]
                 {
                     """{"query":"query($v: [Int!]!) { echoList(values: $v) }","variables":{"v":""" + deep + "}}",
                     """{"query":"query($v: [Int!]!) { echoList(values: $v) }","variables":{"v":[1, null]}}""",
                     """{"query":"query($v: Instant!) { echoInstant(at: $v) }","variables":{"v":"yesterday"}}""",
                 })
        {
            var response = await fixture.Client.PostAsync(fixture.Server.Url, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.InRange((int)response.StatusCode, 200, 499);
            Assert.Contains("errors", await response.Content.ReadAsStringAsync());
        }
    }
}
