using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Silo.Hosting;

/// <summary>Writes /health/ready as JSON: the overall status and one entry per check with its detail.</summary>
public static class HealthReport
{
    public static Task Write(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        }));
    }
}
