using System.Security.Claims;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;
using Actors.GraphQL.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Actors.GraphQL.Http;

/// <summary>Registers the GraphQL engine: <c>services.AddGraphQL(schema => schema.AddQueryType&lt;Query&gt;())</c>.</summary>
public static class GraphQLServiceCollectionExtensions
{
    public static IServiceCollection AddGraphQL(this IServiceCollection services, Action<SchemaBuilder> configureSchema, Action<GraphQLOptions>? configureOptions = null)
    {
        var options = new GraphQLOptions();
        configureOptions?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(provider =>
        {
            var builder = new SchemaBuilder(provider);
            configureSchema(builder);
            return builder.Build();
        });
        services.AddSingleton(provider =>
        {
            var engine = new GraphQLEngine(provider.GetRequiredService<Schema>(), options,
                provider.GetService<IHostEnvironment>()?.IsDevelopment() == true,
                provider.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger("Actors.GraphQL"));
            engine.ValidateSchema(); // a code-first mistake fails at the first request, listing every problem
            return engine;
        });
        services.AddSingleton<GraphQLHttpHandler>();
        services.AddHostedService<SchemaWarmup>();
        services.TryAddSingleton<IConnectionAuthenticator, UpgradeRequestAuthenticator>();
        return services;
    }

    /// <summary>Authenticates WebSocket connections by the bearer token of their connection_init payload.</summary>
    public static IServiceCollection AddGraphQLConnectionToken(this IServiceCollection services,
        Func<string, CancellationToken, ValueTask<ClaimsPrincipal?>> validateToken)
    {
        services.RemoveAll<IConnectionAuthenticator>();
        services.AddSingleton<IConnectionAuthenticator>(new BearerConnectionAuthenticator(validateToken));
        return services;
    }
}

/// <summary>Builds and validates the schema when the host starts, so a code-first mistake stops startup instead of the first request.</summary>
internal sealed class SchemaWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<GraphQLEngine>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Maps GraphQL over HTTP, graphql-transport-ws and GraphiQL onto one path.</summary>
public static class GraphQLEndpointRouteBuilderExtensions
{
    public static IEndpointConventionBuilder MapGraphQL(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
    {
        var graphiQL = new GraphiQLPage(pattern);
        endpoints.MapGet(pattern.TrimEnd('/') + "/graphiql/{file}", (HttpContext http, string file) => graphiQL.ServeAssetAsync(http, file))
            .ExcludeFromDescription();
        return endpoints.Map(pattern, async http =>
        {
            var services = http.RequestServices;
            var engine = services.GetRequiredService<GraphQLEngine>();
            if (http.WebSockets.IsWebSocketRequest)
            {
                await AcceptWebSocketAsync(http, engine);
                return;
            }
            if (HttpMethods.IsGet(http.Request.Method) && http.Request.Query.ContainsKey("sdl") && engine.Options.EnableIntrospection)
            {
                // Hot Chocolate serves the schema's SDL at /graphql?sdl; so do we, unless introspection is off.
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync(engine.PrintSchema());
                return;
            }
            if (engine.Options.EnableGraphiQL && HttpMethods.IsGet(http.Request.Method) && GraphiQLPage.Wants(http.Request))
            {
                await graphiQL.ServePageAsync(http);
                return;
            }
            await services.GetRequiredService<GraphQLHttpHandler>().HandleAsync(http);
        });
    }

    private static async Task AcceptWebSocketAsync(HttpContext http, GraphQLEngine engine)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(GraphQLWebSocketSession.SubProtocol))
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync($"Use the WebSocket subprotocol {GraphQLWebSocketSession.SubProtocol}.");
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync(GraphQLWebSocketSession.SubProtocol);
        var session = new GraphQLWebSocketSession(socket, http, engine,
            http.RequestServices.GetRequiredService<IConnectionAuthenticator>(),
            http.RequestServices.GetRequiredService<IServiceScopeFactory>());
        await session.RunAsync();
    }
}
