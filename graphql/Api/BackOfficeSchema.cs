using Actors.Api.Fleet;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Execution;
using Actors.Postgres.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Api;

/// <summary>
/// The back office's GraphQL schema: root <see cref="Query"/>, <see cref="Mutation"/> and <see cref="Subscription"/>
/// types that each program extends with its own fields (<c>[ExtendObjectType]</c> classes under
/// <c>graphql/Api/&lt;Program&gt;/</c>), the services those fields use, and the read-model tables they query.
/// </summary>
public static class BackOfficeSchema
{
    /// <summary>The programs whose read-model tables live under <c>graphql/Api/&lt;Program&gt;/ReadModel</c>.</summary>
    private static readonly string[] Programs = ["Fleet", "Alfapass", "Uitpas"];

    /// <summary>
    /// Registers the programs' API services. <c>Fleet:TokenKey</c> (base64, 32+ bytes) signs bearer tokens and
    /// <c>Fleet:InvoiceSigningKey</c> (an EC P-256 private key in PEM) signs invoices; every silo needs the same ones.
    /// Without them each silo makes its own for its lifetime.
    /// </summary>
    public static IServiceCollection AddBackOffice(this IServiceCollection services, IConfiguration configuration)
    {
        var tokenKey = configuration["Fleet:TokenKey"] is { Length: > 0 } key ? Convert.FromBase64String(key) : null;
        if (tokenKey is { Length: < 32 }) throw new InvalidOperationException("Fleet:TokenKey must be at least 32 bytes (base64).");
        if (configuration["Fleet:InvoiceSigningKey"] is { Length: > 0 } pem) services.AddSingleton(new FleetInvoiceSigner(pem));
        return services.AddFleetApi(tokenKey);
    }

    public static void Configure(SchemaBuilder schema)
    {
        schema.AddQueryType<Query>().AddMutationType<Mutation>().AddSubscriptionType<Subscription>();
        schema.AddFleet();
    }

    /// <summary>Maps the programs' domain refusals to GraphQL errors with a code (and the field, for bad input).</summary>
    public static void ConfigureOptions(GraphQLOptions options) => options.MapFleetErrors();

    /// <summary>Each program's read-model migrations, numbered per program.</summary>
    public static IEnumerable<Migration> Migrations() =>
        Programs.SelectMany(program => SchemaMigrations.FromAssembly(typeof(BackOfficeSchema).Assembly, program.ToLowerInvariant(), $"{program}.ReadModel"));
}

/// <summary>The root of every mutation. Programs add their fields with <c>[ExtendObjectType("Mutation")]</c>.</summary>
public sealed class Mutation;

/// <summary>The root of every subscription. Programs add their fields with <c>[ExtendObjectType("Subscription")]</c>.</summary>
public sealed class Subscription;
