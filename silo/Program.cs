using System.Text.Json;
using Actors.Api;
using Actors.Api.Fleet;
using Actors.GraphQL.Http;
using Actors.Mail;
using Actors.Postgres.Hosting;
using Actors.Postgres.Storage;
using Actors.Silo.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

// The back office's host: an Orleans silo on PostgreSQL, the GraphQL endpoint and health.
if (!SiloCommandLine.TryRead(args, out var commandLine, out var problem))
{
    Console.Error.WriteLine(problem);
    return 2;
}
var builder = WebApplication.CreateBuilder(commandLine.Configuration);
try
{
    builder.WebHost.ListenOnConfiguredAddresses(builder.Configuration);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

// --station-token NAME prints a bearer token for a station network's authorization calls, signed with Fleet:TokenKey.
if (commandLine.StationNetwork is { } network)
{
    if (string.IsNullOrEmpty(builder.Configuration["Fleet:TokenKey"]))
    {
        Console.Error.WriteLine("--station-token NAME needs Fleet:TokenKey (base64, 32+ bytes) set, the key every silo signs with.");
        return 1;
    }
    var key = Convert.FromBase64String(builder.Configuration["Fleet:TokenKey"]!);
    Console.WriteLine(new FleetTokens(NodaTime.SystemClock.Instance, key).IssueStationNetwork(network));
    return 0;
}

LocalPostgres? localDatabase = null;
var connectionString = builder.Configuration.GetConnectionString("Actors");
if (string.IsNullOrEmpty(connectionString) && !commandLine.ListEndpoints) // listing endpoints opens no database
{
    try
    {
        var dataDirectory = Path.Combine(RepositoryRoot.Find(), ".data", "postgres");
        // Under sustained card use the default max_wal_size (1 GB) forced a checkpoint every ~25 s, and the authorizations
        // meeting one paid its flushes and the full-page images after it; 4 GB leaves checkpoints to checkpoint_timeout.
        localDatabase = await LocalPostgres.Start(dataDirectory, settings: ["max_wal_size=4GB"]);
        connectionString = localDatabase.ConnectionString();
        Console.WriteLine($"No ConnectionStrings__Actors configured: using a local PostgreSQL cluster with its data in {dataDirectory} (port {localDatabase.Port}).");
    }
    catch (LocalPostgresUnavailableException e)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }
}

// Orleans reads its statements from the schema at start, so the schema is applied first (under an advisory lock, so
// silos starting together do not race).
if (!commandLine.ListEndpoints)
{
    await using var schema = RuntimeDatabase.Open(connectionString!);
    await SchemaMigrations.Apply(schema, [.. SchemaMigrations.Runtime, .. BackOfficeSchema.Migrations()]);
}

builder.Services.AddWorkflows(builder.Configuration);
builder.UseOrleans(silo => silo.UsePostgres(connectionString ?? "", builder.Configuration).AddOperatorDashboard());
builder.Services.AddBackOffice(builder.Configuration);
builder.Services.AddMail(builder.Configuration).AddMailTemplates<Actors.Mail.Fleet.FleetMails>();
builder.Services.AddGraphQL(BackOfficeSchema.Configure, BackOfficeSchema.ConfigureOptions);

var app = builder.Build();

app.Services.GetRequiredService<Actors.Rules.WorkflowCatalog>(); // load and start watching the workflows now, not on first use
app.UseWebSockets();
app.UseFleetBearerTokens();
app.MapGraphQL("/graphql");
app.MapOperatorDashboard();
app.MapFleetExport();
app.MapFleetMonthlyReportExport();
app.MapFleetInvoices();
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains("ready"),
    ResponseWriter = HealthReport.Write,
});
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });

try
{
    if (commandLine.ListEndpoints)
    {
        EndpointList.Print(app, Console.Out);
        return 0;
    }
    await app.StartAsync();
    // --fleet-demo loads the Fleet demo customer (README: demo account) once the runtime serves calls.
    if (commandLine.FleetDemo && await app.Services.LoadFleetDemo())
        Console.WriteLine("Fleet demo data loaded: log in as fleet.manager (demo password in the README).");
    await app.WaitForShutdownAsync();
}
finally
{
    if (localDatabase is not null) await localDatabase.Stop();
}
return 0;
