using Actors.GraphQL.Tests.Engine;
using Xunit.Abstractions;

namespace Actors.GraphQL.Tests.Transport;

/// <summary>The server checked by independent implementations: graphql-http's audits and graphql-ws's protocol rules.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [NodeFact]
    public async Task GraphQL_over_HTTP_audits_pass_every_MUST_and_SHOULD()
    {
        var tools = await NodeTools.PrepareAsync();
        await using var server = await LibraryServer.StartAsync();
        var (code, text) = await NodeTools.RunAsync("node", $"audit.mjs {server.Url} --fail-on=SHOULD", tools, TimeSpan.FromMinutes(2));
        output.WriteLine(text);
        Assert.Contains("MUST 13/13, SHOULD 23/23", text);
        Assert.Equal(0, code);
    }

    [NodeFact]
    public async Task Graphql_transport_ws_protocol_checks_all_pass()
    {
        var tools = await NodeTools.PrepareAsync();
        await using var server = await LibraryServer.StartAsync(o => o.ConnectionInitTimeout = TimeSpan.FromMilliseconds(500));
        // The check's "no Next after Complete" allows 250 ms for messages in flight. With ticks every 100 ms, a busy machine
        // could run the server's next tick before its read of the client's complete (both ready at once after a stall), and
        // the check failed a server that had not yet read it. This source's second event comes a second later: a server
        // that keeps the stream going still fails here; ClientCompleteTests checks the event in hand at the Complete itself.
        var (code, text) = await NodeTools.RunAsync("node",
            $"ws-check.mjs {server.WebSocketUrl} --protocol \"--subscription=subscription {{ ticksWithLateEvent }}\" --init-timeout=500", tools, TimeSpan.FromMinutes(2));
        output.WriteLine(text);
        Assert.Contains("15 passed, 0 failed, 0 skipped", text);
        Assert.Equal(0, code);
    }

    [NodeFact]
    public async Task Graphql_ws_client_receives_subscription_events()
    {
        var tools = await NodeTools.PrepareAsync();
        await using var server = await LibraryServer.StartAsync();
        var (code, text) = await NodeTools.RunAsync("node",
            $"ws-check.mjs {server.WebSocketUrl} \"subscription {{ countdown(from: 3) }}\" --max-events=10 --expect=4", tools, TimeSpan.FromMinutes(1));
        output.WriteLine(text);
        Assert.Contains("server completed: true", text);
        Assert.Equal(0, code);
    }
}

/// <summary>graphql-js as an oracle: it must accept our introspection as a valid schema and agree with our validation.</summary>
public sealed class SchemaOracleTests(ITestOutputHelper output)
{
    [NodeFact]
    public async Task Introspection_builds_a_valid_client_schema_and_validation_agrees_with_graphql_js()
    {
        var tools = await NodeTools.PrepareAsync();
        await using var server = await LibraryServer.StartAsync();
        var documents = string.Join(' ', Directory.GetFiles(Path.Combine(tools, "documents"), "*.graphql").Order().Select(f => $"\"{f}\""));
        var (code, text) = await NodeTools.RunAsync("node", $"schema-oracle.mjs {server.Url} {documents}", tools, TimeSpan.FromMinutes(2));
        output.WriteLine(text);
        Assert.Contains(" 0 failed", text);
        Assert.Equal(0, code);
    }

    [NodeFact]
    public async Task Relay_connections_and_node_satisfy_the_oracle()
    {
        var tools = await NodeTools.PrepareAsync();
        await using var server = await LibraryServer.StartAsync(replaceSchema: s => s.AddQueryType<CatalogQuery>().AddMutationType<CatalogMutation>().UseMutationConventions());
        var (code, text) = await NodeTools.RunAsync("node", $"schema-oracle.mjs {server.Url} --relay", tools, TimeSpan.FromMinutes(2));
        output.WriteLine(text);
        Assert.Contains(" 0 failed", text);
        Assert.Equal(0, code);
    }
}
