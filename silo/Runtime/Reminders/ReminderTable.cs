using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Runtime.Reminders;

/// <summary>A reminder claimed by this silo for delivery; <see cref="Revision"/> guards against a re-registration meanwhile.</summary>
internal sealed record ClaimedReminder(GrainId Grain, string Name, Instant DueAt, Duration? Period, long Revision);

/// <summary>What happened to a claimed reminder: delivered (and when), or failed and to be tried again.</summary>
internal sealed record ReminderOutcome(ClaimedReminder Reminder, bool Delivered, Instant At);

/// <summary>The <c>reminders</c> table: registration, claims with a lease, and completion in batches.</summary>
internal sealed class ReminderTable(NpgsqlDataSource dataSource)
{
    public async Task<GrainReminder> RegisterOrUpdate(GrainId grain, string name, Instant dueAt, Duration? period)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A reminder needs a name.", nameof(name));
        if (period is { } p && p <= Duration.Zero) throw new ArgumentOutOfRangeException(nameof(period), "A reminder's period must be positive.");
        await using var command = dataSource.CreateCommand(RegisterSql);
        AddRegisterParameters(command.Parameters, grain, name, dueAt, period);
        await command.ExecuteNonQueryAsync();
        return new GrainReminder(name, dueAt, period);
    }

    public async Task Unregister(GrainId grain, string name)
    {
        await using var command = dataSource.CreateCommand(UnregisterSql);
        AddUnregisterParameters(command.Parameters, grain, name);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A reminder change staged with a grain's state, as a statement of the state's transaction.</summary>
    internal static NpgsqlBatchCommand ToCommand(GrainId grain, ReminderChange change)
    {
        switch (change)
        {
            case ReminderSchedule schedule:
                var register = new NpgsqlBatchCommand(RegisterSql);
                AddRegisterParameters(register.Parameters, grain, schedule.Name, schedule.DueAt, schedule.Period);
                return register;
            case ReminderRemoval removal:
                var unregister = new NpgsqlBatchCommand(UnregisterSql);
                AddUnregisterParameters(unregister.Parameters, grain, removal.Name);
                return unregister;
            default:
                throw new ArgumentException($"Unknown reminder change {change.GetType().Name}.", nameof(change));
        }
    }

    private const string RegisterSql =
        """
        INSERT INTO reminders (grain_type, grain_key, name, due_at, period_ms, revision)
        VALUES ($1, $2, $3, $4, $5, nextval('reminder_revisions'))
        ON CONFLICT (grain_type, grain_key, name) DO UPDATE
        SET due_at = EXCLUDED.due_at, period_ms = EXCLUDED.period_ms, revision = EXCLUDED.revision,
            lease_owner = NULL, lease_until = NULL
        """;

    private const string UnregisterSql = "DELETE FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND name = $3";

    private static void AddRegisterParameters(NpgsqlParameterCollection parameters, GrainId grain, string name, Instant dueAt, Duration? period)
    {
        parameters.Add(new NpgsqlParameter { Value = grain.Type });
        parameters.Add(new NpgsqlParameter { Value = grain.Key });
        parameters.Add(new NpgsqlParameter { Value = name });
        parameters.Add(new NpgsqlParameter { Value = dueAt.ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = period is { } q ? (long)q.TotalMilliseconds : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
    }

    private static void AddUnregisterParameters(NpgsqlParameterCollection parameters, GrainId grain, string name)
    {
        parameters.Add(new NpgsqlParameter { Value = grain.Type });
        parameters.Add(new NpgsqlParameter { Value = grain.Key });
        parameters.Add(new NpgsqlParameter { Value = name });
    }

    public async Task<IReadOnlyList<GrainReminder>> Get(GrainId grain, string? name)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT name, due_at, period_ms FROM reminders WHERE grain_type = $1 AND grain_key = $2 AND ($3::text IS NULL OR name = $3) ORDER BY name");
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var reminders = new List<GrainReminder>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            reminders.Add(new GrainReminder(reader.GetString(0), ToInstant(reader.GetDateTime(1)),
                reader.IsDBNull(2) ? null : Duration.FromMilliseconds(reader.GetInt64(2))));
        return reminders;
    }

    /// <summary>
    /// Claims due reminders nobody holds a live lease on. SKIP LOCKED lets silos claim side by side without waiting
    /// on each other; the lease makes a claim of a silo that died expire so another silo delivers it.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedReminder>> ClaimDue(string silo, Instant now, Duration lease, int limit, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH due AS (
                SELECT grain_type, grain_key, name FROM reminders
                WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                ORDER BY due_at
                LIMIT $4
                FOR UPDATE SKIP LOCKED)
            UPDATE reminders r SET lease_owner = $2, lease_until = $3
            FROM due
            WHERE r.grain_type = due.grain_type AND r.grain_key = due.grain_key AND r.name = due.name
            RETURNING r.grain_type, r.grain_key, r.name, r.due_at, r.period_ms, r.revision
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = silo });
        command.Parameters.Add(new NpgsqlParameter { Value = (now + lease).ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var claimed = new List<ClaimedReminder>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            claimed.Add(new ClaimedReminder(
                new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2), ToInstant(reader.GetDateTime(3)),
                reader.IsDBNull(4) ? null : Duration.FromMilliseconds(reader.GetInt64(4)), reader.GetInt64(5)));
        return claimed;
    }

    /// <summary>
    /// Records deliveries: a one-shot reminder is removed, a periodic one moves to its first tick after the delivery
    /// (ticks missed while the system was down fire once). A failed delivery is released to be retried at
    /// <paramref name="retryAt"/>. Rows re-registered since the claim (another revision) are left alone.
    /// </summary>
    public async Task Complete(IReadOnlyList<ReminderOutcome> outcomes, Instant retryAt)
    {
        if (outcomes.Count == 0) return;
        var done = outcomes.Where(o => o.Delivered && o.Reminder.Period is null).Select(o => o.Reminder).ToArray();
        var moved = outcomes.Where(o => o.Delivered && o.Reminder.Period is not null)
            .Select(o => (o.Reminder, Next: NextTick(o.Reminder.DueAt, o.Reminder.Period!.Value, o.At))).ToArray();
        var failed = outcomes.Where(o => !o.Delivered).Select(o => o.Reminder).ToArray();

        await using var batch = dataSource.CreateBatch();
        if (done.Length > 0)
        {
            var delete = new NpgsqlBatchCommand(
                """
                DELETE FROM reminders r USING unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS d(t, k, n, rev)
                WHERE r.grain_type = d.t AND r.grain_key = d.k AND r.name = d.n AND r.revision = d.rev
                """);
            AddKeys(delete, done);
            batch.BatchCommands.Add(delete);
        }
        if (moved.Length > 0)
        {
            var move = new NpgsqlBatchCommand(
                """
                UPDATE reminders r SET due_at = d.next, lease_owner = NULL, lease_until = NULL
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[]) AS d(t, k, n, rev, next)
                WHERE r.grain_type = d.t AND r.grain_key = d.k AND r.name = d.n AND r.revision = d.rev
                """);
            AddKeys(move, moved.Select(m => m.Reminder).ToArray());
            move.Parameters.Add(new NpgsqlParameter { Value = moved.Select(m => m.Next.ToDateTimeUtc()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(move);
        }
        if (failed.Length > 0)
        {
            var release = new NpgsqlBatchCommand(
                """
                UPDATE reminders r SET lease_owner = NULL, lease_until = $5
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS d(t, k, n, rev)
                WHERE r.grain_type = d.t AND r.grain_key = d.k AND r.name = d.n AND r.revision = d.rev
                """);
            AddKeys(release, failed);
            release.Parameters.Add(new NpgsqlParameter { Value = retryAt.ToDateTimeUtc(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(release);
        }
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>The first tick of a periodic reminder strictly after <paramref name="firedAt"/>, on the original cadence.</summary>
    internal static Instant NextTick(Instant dueAt, Duration period, Instant firedAt)
    {
        if (firedAt < dueAt) return dueAt + period;
        var missed = (firedAt - dueAt).BclCompatibleTicks / period.BclCompatibleTicks;
        return dueAt + period * (missed + 1);
    }

    private static void AddKeys(NpgsqlBatchCommand command, IReadOnlyList<ClaimedReminder> reminders)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = reminders.Select(r => r.Grain.Type).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reminders.Select(r => r.Grain.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reminders.Select(r => r.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = reminders.Select(r => r.Revision).ToArray() });
    }

    private static Instant ToInstant(DateTime value) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
