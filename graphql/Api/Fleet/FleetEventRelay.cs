using Actors.GraphQL.Execution;
using Actors.Postgres.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Api.Fleet;

/// <summary>
/// Relays the grain event feed into the fleet's subscription topics, on every silo for
/// its own subscribers. It starts at the head of the log as it is when the silo starts: subscribers only ever receive
/// what happens after they subscribed. Mails are <see cref="FleetAlertDispatch"/>'s, which resumes where it stopped.
/// </summary>
public sealed class FleetEventRelay(EventFeed events, ITopicEventSender topics, FleetAlerts alerts, ILogger<FleetEventRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EventPosition? position = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                position ??= await events.Head(stoppingToken);
                await foreach (var e in events.Subscribe(position.Value, cancellation: stoppingToken))
                {
                    await FleetEvents.Relay(topics, e.Type, e.Payload, stoppingToken);
                    await alerts.Push(topics, e.Type, e.Payload, stoppingToken);
                    position = e.Position; // after a failure, go on from here: subscribers miss nothing
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // The schema may not be applied yet at start, or the database is away: try again shortly.
                logger.LogWarning(e, "Relaying fleet events failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
