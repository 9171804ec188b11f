using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Actors.GraphQL.WebSockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Actors.Api.Fleet;

/// <summary>Wiring of the fleet API: services, schema extensions, error mapping and bearer tokens.</summary>
public static class FleetApi
{
    /// <summary>The read-model queries, tenancy checks and token signing (key: 32+ bytes shared by all silos; null = per process).</summary>
    public static IServiceCollection AddFleetApi(this IServiceCollection services, byte[]? tokenKey = null)
    {
        services.AddSingleton<FleetStatusSearch>();
        services.AddSingleton<FleetLists>();
        services.AddSingleton<FleetAccess>();
        services.AddSingleton<FleetAlerts>();
        services.AddSingleton<FleetMonthlyReports>();
        services.TryAddSingleton(new FleetInvoiceSigner());   // a silo registers its configured key first
        services.AddSingleton(provider => new FleetTokens(provider.GetRequiredService<IClock>(), tokenKey));
        services.AddInMemorySubscriptions();
        services.AddHostedService<FleetEventRelay>();
        services.AddHostedService<FleetAlertDispatch>();
        // WebSocket connections authenticate with the token of connection_init (graphql-transport-ws).
        services.RemoveAll<IConnectionAuthenticator>();
        services.AddSingleton<IConnectionAuthenticator, FleetConnectionAuthenticator>();
        return services;
    }

    private sealed class FleetConnectionAuthenticator(FleetTokens tokens) : IConnectionAuthenticator
    {
        public ValueTask<ClaimsPrincipal?> AuthenticateAsync(HttpContext upgradeRequest, string? bearerToken, JsonElement? payload, CancellationToken cancellation) =>
            ValueTask.FromResult(bearerToken is null ? upgradeRequest.User : tokens.Validate(bearerToken));
    }

    /// <summary>Adds the fleet queries, mutations and subscriptions to the schema's root types.</summary>
    public static SchemaBuilder AddFleet(this SchemaBuilder schema) => schema
        .AddTypeExtension<FleetQueries>()
        .AddTypeExtension<FleetMutations>()
        .AddTypeExtension<FleetSubscriptions>()
        .AddTypeExtension<FleetStationMutations>()
        .AddTypeExtension<FleetTollMutations>()
        .AddTypeExtension<FleetAlertSubscriptions>()
        .AddTypeExtension<FleetDailyFollowUp>()
        .AddTypeExtension<FleetMonthlyReportQueries>()
        .AddTypeExtension<FleetInvoiceQueries>()
        .AddTypeExtension<FleetInvoiceViews>()
        .AddTypeExtension<FleetInvoiceMutations>();

    /// <summary>
    /// Fiche 06's spreadsheet: GET with a bearer token answers the caller's fleet status as .xlsx (optional
    /// <c>customerNumber</c> query parameter narrows it to one of the caller's customer numbers).
    /// </summary>
    public static IEndpointConventionBuilder MapFleetExport(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = "/fleet/export.xlsx") =>
        endpoints.MapGet(pattern, async (HttpContext http, FleetAccess access, FleetStatusSearch search, string? customerNumber) =>
        {
            var customers = await access.Customers(http.User, FleetModule.MonthlyReports);
            if (customerNumber is not null) customers = customers.Contains(customerNumber) ? [customerNumber] : [];
            var items = new List<FleetStatusItem>();
            if (customers.Count > 0) await foreach (var item in search.All(new FleetStatusFilter(customers), http.RequestAborted)) items.Add(item);
            var stream = new MemoryStream();
            FleetStatusExport.Write(items, stream);
            stream.Position = 0;
            return Results.File(stream, FleetStatusExport.ContentType, "fleet-status.xlsx");
        }).RequireFleetUser();

    /// <summary>
    /// Issue 6 item 6: GET with a bearer token and <c>month=yyyy-MM</c> (optional <c>customerNumber</c>) answers the
    /// caller's monthly report as .xlsx.
    /// </summary>
    public static IEndpointConventionBuilder MapFleetMonthlyReportExport(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = "/fleet/monthly-report.xlsx") =>
        endpoints.MapGet(pattern, async (HttpContext http, FleetAccess access, FleetMonthlyReports reports, string? month, string? customerNumber) =>
        {
            NodaTime.YearMonth period;
            try { period = FleetMonthlyReports.ParseMonth(month ?? ""); }
            catch (FleetValidationException invalid) { return Results.BadRequest(new { code = invalid.Code, field = invalid.Field, message = invalid.Message }); }
            var customers = await access.Customers(http.User, FleetModule.MonthlyReports);
            if (customerNumber is not null) customers = customers.Contains(customerNumber) ? [customerNumber] : [];
            var stream = new MemoryStream();
            FleetMonthlyReports.Write(await reports.Build(customers, period, http.RequestAborted), stream);
            stream.Position = 0;
            return Results.File(stream, FleetMonthlyReports.ContentType, $"fleet-report-{period:yyyy-MM}.xlsx");
        }).RequireFleetUser();

    /// <summary>Domain refusals become GraphQL errors with the domain's code and, for bad input, the field.</summary>
    public static GraphQLOptions MapFleetErrors(this GraphQLOptions options)
    {
        options.ExceptionMappers.Add(Map);
        return options;
    }

    public static GraphQLException? Map(Exception exception) => exception switch
    {
        FleetValidationException invalid => new GraphQLException(invalid.Message, invalid.Code, new Dictionary<string, object?> { ["field"] = invalid.Field }),
        FleetOperationException refused => new GraphQLException(refused.Message, refused.Code),
        { InnerException: { } inner } => Map(inner),
        _ => null,
    };

    /// <summary>Issue item 11: loads the demo fleet (see <see cref="FleetDemoData"/>) unless it is there; true when loaded now.</summary>
    public static Task<bool> LoadFleetDemo(this IServiceProvider services) =>
        FleetDemoData.Load(services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<IClock>());

    /// <summary>Sets the request's user from an <c>Authorization: Bearer</c> header carrying a fleet token.</summary>
    public static IApplicationBuilder UseFleetBearerTokens(this IApplicationBuilder app) => app.Use(async (HttpContext http, RequestDelegate next) =>
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal)
            && http.RequestServices.GetRequiredService<FleetTokens>().Validate(header[7..].Trim()) is { } user)
            http.User = user;
        await next(http);
    });
}
