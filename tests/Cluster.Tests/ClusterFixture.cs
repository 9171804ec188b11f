using Actors.Postgres.Storage;
using Actors.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.TestingHost;

// Outside the Actors namespace: the project's own Actors.Grain, IRemindable, IGrainStorage and
// InconsistentStateException would otherwise hide Orleans' types of the same names.
namespace OrleansCluster.Tests;

/// <summary>
/// A fresh database with the runtime migrations (Orleans' tables among them), and three silos clustered through it:
/// no test membership, Orleans' ADO.NET providers reading our statements from OrleansQuery.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    internal const string ConnectionStringKey = "ClusterTests:ConnectionString";

    /// <summary>The reminder service's clock (keyed <see cref="ReminderTimeProviderNames.Reminders"/>); tests move it.</summary>
    public static FakeTimeProvider ReminderTime { get; } = new(DateTimeOffset.UtcNow);

    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource Database { get; private set; } = null!;
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabase("orleans cluster");
        Database = NpgsqlDataSource.Create(ConnectionString);
        await SchemaMigrations.Apply(Database, SchemaMigrations.Runtime);

        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.ConfigureHostConfiguration(config =>
            config.AddInMemoryCollection(new Dictionary<string, string?> { [ConnectionStringKey] = ConnectionString }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var connectionString = silo.Configuration[ConnectionStringKey]!;
            silo.UseAdoNetClustering(o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
            silo.UseAdoNetReminderService(o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
            silo.AddAdoNetGrainStorage("adonet", o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
            // Orleans 10.4 resolves the reminder service's clock by this key (a catch-all AnyKey falls back to
            // TimeProvider.System), so only reminders run on the test clock; membership keeps real time.
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, ReminderTime);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAdoNetClustering(o => { o.Invariant = "Npgsql"; o.ConnectionString = configuration[ConnectionStringKey]!; });
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "orleans cluster";
}
