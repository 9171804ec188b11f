using System.Security.Claims;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Actors.GraphQL.Tests.Engine;

/// <summary>A real Kestrel server on 127.0.0.1 with a dynamic port, serving the sample library schema at /graphql.</summary>
public sealed class LibraryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LibraryServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }
    public Uri WebSocketUrl => new(Url.ToString().Replace("http://", "ws://", StringComparison.Ordinal));
    public IServiceProvider Services => _app.Services;

    /// <summary>Tokens the sample bearer validator accepts: "reader-token" (user alice), "admin-token" (user root, role admin).</summary>
    public static ValueTask<ClaimsPrincipal?> ValidateToken(string token, CancellationToken _) => ValueTask.FromResult<ClaimsPrincipal?>(token switch
    {
        "reader-token" => new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "Bearer")),
        "admin-token" => new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "root"), new Claim(ClaimTypes.Role, "admin")], "Bearer")),
        _ => null,
    });

    public static async Task<LibraryServer> StartAsync(Action<GraphQLOptions>? options = null, Action<SchemaBuilder>? schema = null,
        Action<IServiceCollection>? services = null, string environment = "Production", Action<SchemaBuilder>? replaceSchema = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Library>();
        builder.Services.AddInMemorySubscriptions();
        builder.Services.AddAuthorization(o => o.AddPolicy("Adults", p => p.RequireClaim("age", "18", "30", "65")));
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.AddDataLoader<SupplierLoader>();
        builder.Services.AddDataLoader<ProductsBySupplierLoader>();
        builder.Services.AddGraphQL(s =>
        {
            if (replaceSchema is not null) { replaceSchema(s); return; }
            s.AddQueryType<Query>().AddMutationType<Mutation>().AddSubscriptionType<Subscription>();
            schema?.Invoke(s);
        }, options);
        builder.Services.AddGraphQLConnectionToken(ValidateToken);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseWebSockets();
        // HTTP requests authenticate with the same sample tokens, so resolvers see the principal on both transports.
        app.Use(async (http, next) =>
        {
            var header = http.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.Ordinal) && await ValidateToken(header[7..], default) is { } user) http.User = user;
            await next(http);
        });
        app.MapGraphQL("/graphql");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LibraryServer(app, new Uri(address.TrimEnd('/') + "/graphql"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
