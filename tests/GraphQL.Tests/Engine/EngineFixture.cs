using System.Text.Json;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.GraphQL.Tests.Engine;

/// <summary>The sample schema run in-process through the engine, without a transport.</summary>
public sealed class EngineFixture
{
    public EngineFixture() : this(null) { }

    internal EngineFixture(Action<GraphQLOptions>? configure, Action<SchemaBuilder>? schema = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<Library>();
        services.AddInMemorySubscriptions();
        services.AddAuthorization(o => o.AddPolicy("Adults", p => p.RequireClaim("age", "18", "30", "65")));
        services.AddLogging();
        Services = services.BuildServiceProvider();
        var builder = new SchemaBuilder(Services).AddQueryType<Query>().AddMutationType<Mutation>().AddSubscriptionType<Subscription>();
        schema?.Invoke(builder);
        var options = new GraphQLOptions();
        configure?.Invoke(options);
        Engine = new GraphQLEngine(builder.Build(), options);
    }

    public IServiceProvider Services { get; }
    public GraphQLEngine Engine { get; }

    public async Task<JsonElement> Run(string query, object? variables = null, System.Security.Claims.ClaimsPrincipal? user = null, string? operationName = null)
    {
        var result = await Engine.ExecuteAsync(GraphQLRequest.Create(query, variables, operationName), Services, user);
        return JsonDocument.Parse(ResultJson.ToJson(result)).RootElement;
    }
}
