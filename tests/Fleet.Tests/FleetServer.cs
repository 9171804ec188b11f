using System.Net.Http.Json;
using System.Text.Json;
using Actors.Api.Fleet;
using Actors.GraphQL.Http;
using Actors.Mail;
using Actors.Mail.Fleet;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;

namespace Actors.Fleet.Tests;

/// <summary>The roots the fleet API extends (the silo provides its own).</summary>
public sealed class TestQuery;
public sealed class TestMutation;
public sealed class TestSubscription;

/// <summary>A real Kestrel server on 127.0.0.1 serving the fleet API at /graphql over a <see cref="FleetHarness"/> silo.</summary>
public sealed class FleetServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient http = new();

    private readonly IReadOnlyDictionary<string, string?>? mail;

    private FleetServer(FleetHarness fleet, WebApplication app, Uri url, IReadOnlyDictionary<string, string?>? mail)
    {
        Fleet = fleet;
        this.mail = mail;
        this.app = app;
        Url = url;
    }

    public FleetHarness Fleet { get; }
    public IServiceProvider Services => app.Services;
    public Uri Url { get; }

    /// <summary>Starts a silo and serves it; with <paramref name="mail"/> (the <c>Mail:*</c> settings) the host also mails.</summary>
    public static async Task<FleetServer> Start(string purpose, IReadOnlyDictionary<string, string?>? mail = null) =>
        await Serve(await FleetHarness.Start(purpose), mail);

    /// <summary>
    /// Stops the web host (its relay and dispatcher with it), lets <paramref name="whileDown"/> use the silo meanwhile,
    /// and serves the same silo and database from a new host.
    /// </summary>
    public async Task<FleetServer> Restart(Func<FleetHarness, Task> whileDown)
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await whileDown(Fleet);
        return await Serve(Fleet, mail);
    }

    private static async Task<FleetServer> Serve(FleetHarness fleet, IReadOnlyDictionary<string, string?>? mail)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(fleet.Silo.Events);
        builder.Services.AddSingleton(fleet.Grains);
        builder.Services.AddSingleton<IClock>(fleet.Time);
        builder.Services.AddSingleton(fleet.DataSource);
        builder.Services.AddFleetApi();
        if (mail is not null)
        {
            builder.Configuration.AddInMemoryCollection(mail);
            builder.Services.AddMail(builder.Configuration).AddMailTemplates<FleetMails>();
        }
        builder.Services.AddGraphQL(schema => schema.AddQueryType<TestQuery>().AddMutationType<TestMutation>().AddSubscriptionType<TestSubscription>().AddFleet(),
            options => options.MapFleetErrors());
        var app = builder.Build();
        app.UseWebSockets();
        app.UseFleetBearerTokens();
        app.MapGraphQL("/graphql");
        app.MapFleetExport();
        app.MapFleetMonthlyReportExport();
        app.MapFleetInvoices();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new FleetServer(fleet, app, new Uri(address.TrimEnd('/') + "/graphql"), mail);
        return server;
    }

    /// <summary>Posts a GraphQL request and returns the whole response (data and errors).</summary>
    public async Task<JsonElement> Post(string query, object? variables = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = JsonContent.Create(new { query, variables }) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Posts and asserts there are no errors; returns <c>data</c>.</summary>
    public async Task<JsonElement> Data(string query, object? variables = null, string? token = null)
    {
        var response = await Post(query, variables, token);
        Assert.False(response.TryGetProperty("errors", out var errors), errors.ToString());
        return response.GetProperty("data");
    }

    public async Task<string> Login(string login, string password)
    {
        var data = await Data("mutation($l: String!, $p: String!) { login(login: $l, password: $p) { outcome token } }", new { l = login, p = password });
        return data.GetProperty("login").GetProperty("token").GetString()!;
    }

    public Uri WebSocketUrl => new(Url.ToString().Replace("http://", "ws://", StringComparison.Ordinal));

    public HttpClient Http => http;

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Fleet.DisposeAsync();
    }
}
