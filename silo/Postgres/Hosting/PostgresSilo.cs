using System.Net;
using Actors.Postgres.Events;
using Actors.Postgres.State;
using Actors.Postgres.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Providers;
using Orleans.Storage;

namespace Actors.Postgres.Hosting;

/// <summary>Where a silo listens and which cluster it joins. Bound from the <c>Orleans</c> configuration section.</summary>
public sealed class SiloEndpoints
{
    /// <summary>Silos of one back office share the cluster id and the database; different ids never see each other.</summary>
    public string ClusterId { get; set; } = "actors";
    public string ServiceId { get; set; } = "back-office";
    /// <summary>The address other silos reach this one at (loopback for silos on one machine).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
}

/// <summary>An Orleans silo on the back office's PostgreSQL: membership, reminders and grain state in one database.</summary>
public static class PostgresSilo
{
    /// <summary>The name of Orleans' own ADO.NET grain storage, on our schema beside the default store.</summary>
    public const string AdoNetStorage = "adonet";

    /// <summary>
    /// Clusters through <c>orleans_membership</c> (ADO.NET), keeps reminders in <c>orleans_reminders</c> (ADO.NET) and grain
    /// state in <c>grain_state</c> through <see cref="PostgresGrainStorage"/> (the default store, with group commit, events
    /// and read-model rows). The schema must be applied first (<see cref="SchemaMigrations.Apply"/>).
    /// </summary>
    public static ISiloBuilder UsePostgres(this ISiloBuilder silo, string connectionString, IConfiguration configuration)
    {
        var endpoints = new SiloEndpoints();
        configuration.GetSection("Orleans").Bind(endpoints);
        silo.Configure<ClusterOptions>(o => { o.ClusterId = endpoints.ClusterId; o.ServiceId = endpoints.ServiceId; });
        silo.ConfigureEndpoints(IPAddress.Parse(endpoints.AdvertisedAddress), endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: false);
        // Operators may tune failure detection (Orleans:Membership:ProbeTimeout, NumMissedProbesLimit ...); Orleans' defaults otherwise.
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        silo.UseAdoNetClustering(o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
        silo.UseAdoNetReminderService(o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
        silo.AddAdoNetGrainStorage(AdoNetStorage, o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
        silo.AddIncomingGrainCallFilter<AbandonFailedChanges>();
        silo.Services.AddPostgresGrainStorage(connectionString, configuration);
        return silo;
    }

    private static void AddPostgresGrainStorage(this IServiceCollection services, string connectionString, IConfiguration configuration)
    {
        var commitOptions = new CommitOptions();
        configuration.GetSection("Actors").Bind(commitOptions);
        var wakeUps = new WakeUpOptions();
        configuration.GetSection("Actors:WakeUps").Bind(wakeUps);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton(commitOptions);
        services.AddSingleton(wakeUps);
        services.AddSingleton(_ => RuntimeDatabase.Open(connectionString));
        services.AddSingleton<EventFeed>();
        services.AddSingleton(provider => new StateCommits(provider.GetRequiredService<NpgsqlDataSource>(), commitOptions.MaxWritesPerCommit,
            commitOptions.ConcurrentCommits, provider.GetRequiredService<EventFeed>().Wake, commitOptions.SiloName));
        services.AddSingleton(provider => new PostgresGrainStorage(provider.GetRequiredService<NpgsqlDataSource>(),
            provider.GetRequiredService<StateCommits>(), provider.GetRequiredService<IClock>()));
        services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (provider, _) => provider.GetRequiredService<PostgresGrainStorage>());
        services.AddSingleton(typeof(IAttributeToFactoryMapper<DurableStateAttribute>), typeof(DurableStateAttributeMapper));
        services.AddHostedService<EventFeedListener>();
        services.AddHealthChecks().AddCheck<MembershipHealth>("cluster", tags: ["ready"]);
    }

    /// <summary>Wakes this silo's subscribers on other silos' commits, and lets the commits drain when the silo stops.</summary>
    private sealed class EventFeedListener(EventFeed feed, StateCommits commits) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => feed.Listen(stoppingToken);

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken);
            await feed.Stop();
            await commits.DisposeAsync();
        }
    }

    /// <summary>/health/ready: this silo's view of the cluster, each silo with its status.</summary>
    private sealed class MembershipHealth(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var membership = services.GetService<IClusterMembershipService>();
            var local = services.GetService<ILocalSiloDetails>();
            if (membership is null || local is null) return Task.FromResult(HealthCheckResult.Unhealthy("the silo is not started"));
            var snapshot = membership.CurrentSnapshot;
            var members = snapshot.Members.Values.OrderBy(m => m.SiloAddress.ToString())
                .ToDictionary(m => m.SiloAddress.ToString(), m => (object)m.Status.ToString());
            var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
            var self = snapshot.GetSiloStatus(local.SiloAddress);
            var description = $"{local.Name} ({local.SiloAddress}) is {self}; {active} active silo(s) at membership version {snapshot.Version.Value}";
            return Task.FromResult(self == SiloStatus.Active
                ? HealthCheckResult.Healthy(description, members)
                : HealthCheckResult.Unhealthy(description, data: members));
        }
    }
}
