using System.Net;
using Actors.GraphQL.Tests.Engine;
using Microsoft.Playwright;

namespace Actors.GraphQL.Tests.Transport;

/// <summary>A fact that needs Debian's chromium; skipped, saying so, when it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable)) Skip = "chromium is not installed (apt-get install -y chromium) — needed for the GraphiQL browser test.";
        else if (!Actors.GraphQL.Http.GraphiQLPage.AssetsInstalled) Skip = "GraphiQL's npm bundles are not installed: run `npm ci` in graphql/Engine/GraphiQL, then rebuild.";
    }
}

public sealed class GraphiQLTests
{
    [Fact]
    public async Task Browsers_get_the_page_and_api_clients_get_graphql()
    {
        await using var server = await LibraryServer.StartAsync();
        using var client = new HttpClient();
        var page = new HttpRequestMessage(HttpMethod.Get, server.Url);
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        var response = await client.SendAsync(page);
        if (!Actors.GraphQL.Http.GraphiQLPage.AssetsInstalled)
        {
            // Without the npm bundles the page says how to install them instead of half-loading.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("npm ci", await response.Content.ReadAsStringAsync());
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("graphiql.min.js", html);
        Assert.DoesNotContain("unpkg", html);
        Assert.DoesNotContain("cdn", html, StringComparison.OrdinalIgnoreCase);
        var script = await client.GetAsync(server.Url + "/graphiql/graphiql.min.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(server.Url + "/graphiql/..%2Fsecrets")).StatusCode);
    }

    [ChromiumFact]
    public async Task GraphiQL_runs_a_query_and_a_subscription_in_headless_chromium()
    {
        await using var server = await LibraryServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var external = new List<string>();
        page.Request += (_, request) => { if (!request.Url.StartsWith(server.Url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && !request.Url.StartsWith("ws://127.0.0.1", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)) external.Add(request.Url); };

        await page.GotoAsync(server.Url + "?defaultQuery=" + Uri.EscapeDataString("{ hello(name: \"GraphiQL\") }"));
        await page.Locator(".graphiql-execute-button").ClickAsync();
        await Assertions.Expect(page.Locator(".graphiql-response")).ToContainTextAsync("Hello, GraphiQL!", new() { Timeout = 15000 });

        // A fresh context: GraphiQL restores the last tab from local storage, which would hide the new default query.
        var subscriptionPage = await (await browser.NewContextAsync()).NewPageAsync();
        subscriptionPage.Request += (_, request) => { if (!request.Url.StartsWith(server.Url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && !request.Url.StartsWith("ws://127.0.0.1", StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal)) external.Add(request.Url); };
        await subscriptionPage.GotoAsync(server.Url + "?defaultQuery=" + Uri.EscapeDataString("subscription { countdown(from: 3) }"));
        await subscriptionPage.Locator(".graphiql-execute-button").ClickAsync();
        await Assertions.Expect(subscriptionPage.Locator(".graphiql-response")).ToContainTextAsync("\"countdown\": 0", new() { Timeout = 15000 });

        Assert.Empty(external); // offline: nothing but our own origin
    }
}
