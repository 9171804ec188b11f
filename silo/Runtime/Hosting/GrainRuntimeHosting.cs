using System.Reflection;
using Actors.Runtime.Activations;
using Actors.Runtime.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;

namespace Actors.Runtime.Hosting;

/// <summary>Registers the grain runtime in an ASP.NET Core or generic host.</summary>
public static class GrainRuntimeHosting
{
    /// <summary>
    /// Adds the runtime on the given database with the grain classes of <paramref name="grainAssemblies"/>.
    /// Options come from the <c>Actors</c> configuration section (e.g. <c>Actors:CollectionAge</c>).
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, IConfiguration configuration,
        string connectionString, IEnumerable<Assembly> grainAssemblies, IEnumerable<Migration>? migrations = null)
    {
        var options = new RuntimeOptions();
        configuration.GetSection("Actors").Bind(options);
        services.AddSingleton(options);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => RuntimeDatabase.Open(connectionString));
        services.AddSingleton(new GrainCatalog().Scan([.. grainAssemblies]));
        services.AddSingleton(provider => new GrainRuntime(
            provider.GetRequiredService<RuntimeOptions>(),
            provider.GetRequiredService<NpgsqlDataSource>(),
            provider.GetRequiredService<GrainCatalog>(),
            provider,
            provider.GetRequiredService<IClock>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>(),
            migrations));
        services.AddSingleton<IGrainFactory>(provider => provider.GetRequiredService<GrainRuntime>());
        services.AddSingleton(provider => provider.GetRequiredService<GrainRuntime>().Events);
        services.AddHostedService<GrainRuntimeService>();
        services.AddHealthChecks().AddCheck<GrainRuntimeHealth>("grains", tags: ["ready"]);
        return services;
    }

    private sealed class GrainRuntimeService(GrainRuntime runtime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync();
    }

    private sealed class GrainRuntimeHealth(GrainRuntime runtime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(runtime.IsReady
                ? HealthCheckResult.Healthy($"{runtime.ActivationCount} activations")
                : HealthCheckResult.Unhealthy("the grain runtime is not started"));
    }
}
