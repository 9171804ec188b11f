using Actors.Postgres.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Actors.Api.Fleet;

/// <summary>
/// Hands every anomaly and invoice notice to the users who follow it, whose grains raise the mail outbox events
/// (fiche 11). It resumes where it stopped, from a checkpoint in <c>fleet_dispatch_checkpoints</c>, so
/// what was raised while no silo ran, or while one restarted, is still mailed. One silo dispatches at a time (it holds
/// a PostgreSQL advisory lock; another takes over when its connection ends); a user grain ignores an anomaly it already
/// had, so resuming from a checkpoint a little behind repeats no mail.
/// </summary>
public sealed class FleetAlertDispatch(EventFeed events, FleetAlerts alerts, NpgsqlDataSource dataSource, ILogger<FleetAlertDispatch> logger)
    : BackgroundService
{
    private const string Checkpoint = "alerts";
    /// <summary>The advisory lock that elects the dispatching silo ("fleet", then 1).</summary>
    private const long LeaderLock = 0x666C656574_01;
    /// <summary>Events that concern nobody still move the checkpoint, every so many, so a restart rereads little.</summary>
    private const int SaveEvery = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leader = await dataSource.OpenConnectionAsync(stoppingToken);
                if (!await TryLead(leader, stoppingToken))
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
                    continue;
                }
                var position = await SavedPosition(stoppingToken) ?? await Save(await events.Head(stoppingToken), stoppingToken);
                var unsaved = 0;
                await foreach (var e in events.Subscribe(position, cancellation: stoppingToken))
                {
                    var concerned = await alerts.Dispatch(e.Type, e.Payload, stoppingToken);
                    position = e.Position;
                    if (concerned || ++unsaved >= SaveEvery)
                    {
                        await Save(position, stoppingToken);
                        unsaved = 0;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // The schema may not be applied yet at start, the database may be away, a user grain may fail: the
                // checkpoint is before the event, so it is handed over again on the next attempt.
                logger.LogWarning(e, "Dispatching fleet alerts failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task<bool> TryLead(NpgsqlConnection leader, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", leader) { Parameters = { new() { Value = LeaderLock } } };
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }

    private async Task<EventPosition?> SavedPosition(CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("SELECT tx_id::text, position FROM fleet_dispatch_checkpoints WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Checkpoint });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? new EventPosition(ulong.Parse(reader.GetString(0)), reader.GetInt64(1)) : null;
    }

    private async Task<EventPosition> Save(EventPosition position, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO fleet_dispatch_checkpoints (name, tx_id, position) VALUES ($1, $2::text::xid8, $3)
            ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()
            WHERE (fleet_dispatch_checkpoints.tx_id, fleet_dispatch_checkpoints.position) < (EXCLUDED.tx_id, EXCLUDED.position)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Checkpoint });
        command.Parameters.Add(new NpgsqlParameter { Value = position.Transaction.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = position.Sequence });
        await command.ExecuteNonQueryAsync(cancellation);
        return position;
    }
}
