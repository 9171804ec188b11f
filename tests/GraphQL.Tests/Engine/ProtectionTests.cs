using Actors.GraphQL.Execution;
using Actors.GraphQL.Tests.Transport;

namespace Actors.GraphQL.Tests.Engine;

public sealed class ProtectionTests
{
    private static string Code(System.Text.Json.JsonElement result) =>
        result.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;

    [Fact]
    public async Task Too_deep_operation_is_refused_with_its_depth()
    {
        var engine = new EngineFixture(o => o.MaxDepth = 3);
        var ok = await engine.Run("{ book(id: \"b1\") { author { name } } }");
        Assert.False(ok.TryGetProperty("errors", out _));
        var deep = await engine.Run("{ book(id: \"b1\") { author { books { author { name } } } } }");
        Assert.Equal(ErrorCodes.MaxDepthExceeded, Code(deep));
        Assert.Contains("limit is 3", deep.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.False(deep.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Depth_counts_through_fragments()
    {
        var engine = new EngineFixture(o => o.MaxDepth = 3);
        var deep = await engine.Run("{ book(id: \"b1\") { ...A } } fragment A on Book { author { books { title } } }");
        Assert.Equal(ErrorCodes.MaxDepthExceeded, Code(deep));
    }

    [Fact]
    public async Task Costly_operation_is_refused_and_page_sizes_multiply()
    {
        var engine = new CatalogFixture();
        var limited = new GraphQLEngine(engine.Engine.Schema, new GraphQLOptions { MaxCost = 200 });
        var cheap = await limited.ExecuteAsync(GraphQLRequest.Create("{ products(first: 5) { nodes { name supplier { name } } } }"), engine.Services);
        Assert.Null(cheap.Errors);
        var costly = await limited.ExecuteAsync(GraphQLRequest.Create("{ products(first: 50) { nodes { name supplier { name country } } } }"), engine.Services);
        Assert.Equal(ErrorCodes.MaxCostExceeded, costly.Errors![0].Code);
        var viaVariable = await limited.ExecuteAsync(GraphQLRequest.Create("query($n: Int) { products(first: $n) { nodes { name supplier { name country } } } }", new { n = 50 }), engine.Services);
        Assert.Equal(ErrorCodes.MaxCostExceeded, viaVariable.Errors![0].Code);
    }

    [Fact]
    public async Task Oversized_document_is_refused_before_parsing()
    {
        var engine = new EngineFixture(o => o.MaxDocumentLength = 100);
        var result = await engine.Run("{ hello " + new string(' ', 200) + "}");
        Assert.Equal(ErrorCodes.DocumentTooLarge, Code(result));
    }

    [Fact]
    public async Task Too_many_tokens_are_refused()
    {
        var engine = new EngineFixture(o => o.MaxDocumentTokens = 50);
        var result = await engine.Run("{ " + string.Join(" ", Enumerable.Range(0, 60).Select(i => $"a{i}: hello")) + " }");
        Assert.Equal(ErrorCodes.DocumentTooLarge, Code(result));
    }

    [Fact]
    public async Task Introspection_can_be_switched_off_but_typename_still_works()
    {
        var engine = new EngineFixture(o => o.EnableIntrospection = false);
        Assert.Equal(ErrorCodes.IntrospectionDisabled, Code(await engine.Run("{ __schema { types { name } } }")));
        Assert.Equal(ErrorCodes.IntrospectionDisabled, Code(await engine.Run("{ __type(name: \"Book\") { name } }")));
        Assert.Equal("Query", (await engine.Run("{ __typename }")).GetProperty("data").GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task Execution_timeout_answers_a_clear_error_on_the_injected_clock()
    {
        var clock = new ManualTimeProvider();
        var engine = new EngineFixture(o => { o.ExecutionTimeout = TimeSpan.FromSeconds(5); o.TimeProvider = clock; });
        var running = engine.Run("{ hang }");
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(6));
        var result = await running;
        Assert.Equal(ErrorCodes.ExecutionTimeout, Code(result));
        Assert.Contains("5 s", result.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_caller_cancelling_is_not_reported_as_an_execution_timeout()
    {
        var clock = new ManualTimeProvider();
        var engine = new EngineFixture(o => { o.ExecutionTimeout = TimeSpan.FromSeconds(5); o.TimeProvider = clock; });
        using var caller = new CancellationTokenSource();
        var running = engine.Engine.ExecuteAsync(GraphQLRequest.Create("{ hang }"), engine.Services, cancellation: caller.Token);
        await clock.WaitForTimersAsync(1);
        caller.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task Deeply_nested_input_is_a_parse_error_not_a_stack_overflow()
    {
        var engine = new EngineFixture(o => o.MaxDocumentTokens = 100_000);
        var result = await engine.Run("{ echoList(values: " + new string('[', 5000) + new string(']', 5000) + ") }");
        Assert.Equal(ErrorCodes.ParseFailed, Code(result));
        Assert.Contains("nesting", result.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_operation_type_the_schema_lacks_is_a_validation_error()
    {
        var catalog = new CatalogFixture();
        var withoutSubscriptions = await catalog.Run("subscription { anything }");
        Assert.Equal(ErrorCodes.ValidationFailed, Code(withoutSubscriptions));
        Assert.False(withoutSubscriptions.TryGetProperty("data", out _));
    }
}
