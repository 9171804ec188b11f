using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Mail;

/// <summary>Adds mail to a host: the outbox, its sender, the dispatcher and a readiness check.</summary>
public static class MailHosting
{
    /// <summary>
    /// Mail from configuration section <c>Mail</c>; each program adds its templates with <see cref="AddMailTemplates{T}"/>.
    /// Needs the <see cref="Actors.Postgres.Events.EventFeed"/> and <see cref="Npgsql.NpgsqlDataSource"/> of the silo.
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        var options = MailOptions.From(configuration);
        services.TryAddSingleton(options);
        services.TryAddSingleton<MailOutbox>();
        services.TryAddSingleton<IMailSender>(provider => provider.GetRequiredService<MailOptions>() is { Smtp: { } smtp }
            ? new SmtpMailSender(smtp)
            : new EmlDirectorySender(provider.GetRequiredService<MailOptions>().Directory));
        services.AddHostedService<MailDispatcher>();
        services.AddHealthChecks().AddCheck<MailHealthCheck>("mail", tags: ["ready"]);
        return services;
    }

    /// <summary>Adds one program's mail templates.</summary>
    public static IServiceCollection AddMailTemplates<T>(this IServiceCollection services) where T : class, IMailTemplates
    {
        services.AddSingleton<IMailTemplates, T>();
        return services;
    }
}

/// <summary>/health/ready's mail entry: how many messages wait, and how many were given up on (degraded while any are).</summary>
public sealed class MailHealthCheck(MailOutbox outbox) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (waiting, failed) = await outbox.Counts(cancellationToken);
        var data = new Dictionary<string, object> { ["waiting"] = waiting, ["failed"] = failed };
        return failed > 0
            ? HealthCheckResult.Degraded($"{failed} mail(s) could not be delivered; see mail_outbox.last_error", data: data)
            : HealthCheckResult.Healthy($"{waiting} mail(s) waiting", data);
    }
}
