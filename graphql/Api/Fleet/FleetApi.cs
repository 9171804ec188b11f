using Actors.Grains.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
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
        services.AddSingleton(provider => new FleetTokens(provider.GetRequiredService<IClock>(), tokenKey));
        return services;
    }

    /// <summary>Adds the fleet queries and mutations to the schema's Query and Mutation types.</summary>
    public static SchemaBuilder AddFleet(this SchemaBuilder schema) => schema
        .AddTypeExtension<FleetQueries>()
        .AddTypeExtension<FleetMutations>();

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
