using Actors.Rules;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Silo.Hosting;

/// <summary>
/// Loads the policy workflows (<c>rules/workflows/&lt;program&gt;/*.json</c>, or <c>Rules:Workflows</c>) at start and
/// watches them: a changed file is swapped in when it compiles, a broken one keeps the last good version and shows
/// on <c>/health/ready</c> as Degraded with the error.
/// </summary>
public static class RulesHosting
{
    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        var root = configuration["Rules:Workflows"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(RepositoryRoot.Find(), "rules", "workflows");
        services.AddSingleton(provider =>
        {
            Directory.CreateDirectory(root);
            var catalog = new WorkflowCatalog(root);
            var logger = provider.GetRequiredService<ILogger<WorkflowCatalog>>();
            foreach (var error in catalog.Status.Errors)
                logger.LogError("Workflow file {File} refused: {Error}", error.File, error.Error);
            catalog.Changed += change =>
            {
                foreach (var loaded in change.Loaded) logger.LogInformation("Workflow {Workflow} loaded", loaded);
                foreach (var removed in change.Removed) logger.LogInformation("Workflow {Workflow} removed", removed);
                foreach (var refused in change.Refused)
                    logger.LogError("Workflow file {File} refused, the last good version stays live: {Error}", refused.File, refused.Error);
            };
            catalog.Watch();
            return catalog;
        });
        services.AddHealthChecks().AddCheck<WorkflowHealth>("rules", tags: ["ready"]);
        return services;
    }

    private sealed class WorkflowHealth(WorkflowCatalog catalog) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = catalog.Status;
            var data = new Dictionary<string, object>
            {
                ["workflows"] = status.Workflows.ToDictionary(w => w.Name, w => (object)new { w.Program, w.File, w.Version, w.LastError }),
            };
            if (status.Healthy)
                return Task.FromResult(HealthCheckResult.Healthy($"{status.Workflows.Count} workflows live", data));
            data["errors"] = status.Errors.Select(e => new { e.File, e.Error }).ToArray();
            return Task.FromResult(HealthCheckResult.Degraded(
                $"{status.Errors.Count} workflow file(s) refused; their last good versions stay live", data: data));
        }
    }
}
