using System.Security.Cryptography;
using System.Text;
using Actors.Postgres.Events;
using Actors.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Mail;

/// <summary>
/// The <c>mail_outbox</c> table: messages queued with the dispatcher's checkpoint in one transaction, taken in due order,
/// marked sent once the server accepted them, retried with backoff, given up on after too many attempts.
/// </summary>
/// <remarks>Retry times are the database's <c>now()</c>: they follow the mail server's wall time, not a business date.</remarks>
public sealed class MailOutbox(NpgsqlDataSource dataSource, MailOptions options)
{
    public const string Source = "mail";

    /// <summary>The outbox's tables, applied by the dispatcher at start.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = SchemaMigrations.FromAssembly(typeof(MailOutbox).Assembly, Source);

    /// <summary>
    /// The Message-Id of the mail of event <paramref name="position"/> to <paramref name="recipient"/>: the same however
    /// often the event is read, so a message sent twice (the server accepted it, then the silo died before recording
    /// that) is recognisably the same message.
    /// </summary>
    public string MessageId(EventPosition position, string recipient)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recipient.Trim().ToLowerInvariant())))[..16];
        return $"{position.Transaction}.{position.Sequence}.{hash}@{options.SenderDomain}";
    }

    public async Task<EventPosition?> Checkpoint(string name, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("SELECT tx_id::text, position FROM mail_checkpoints WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? new EventPosition(ulong.Parse(reader.GetString(0)), reader.GetInt64(1)) : null;
    }

    /// <summary>Queues the event's mails (once: a mail already queued for the same event and recipient is kept) and moves the checkpoint past it.</summary>
    public async Task Enqueue(string checkpoint, EventPosition position, string program, IReadOnlyList<ComposedMail> mails, CancellationToken cancellation)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        foreach (var mail in mails)
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO mail_outbox (message_id, program, kind, event_tx_id, event_position, recipient, recipient_name, language, subject, text_body, html_body)
                VALUES ($1, $2, $3, $4::text::xid8, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT DO NOTHING
                """, connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = MessageId(position, mail.To.Address) });
            insert.Parameters.Add(new NpgsqlParameter { Value = program });
            insert.Parameters.Add(new NpgsqlParameter { Value = mail.Kind });
            insert.Parameters.Add(new NpgsqlParameter { Value = position.Transaction.ToString() });
            insert.Parameters.Add(new NpgsqlParameter { Value = position.Sequence });
            insert.Parameters.Add(new NpgsqlParameter { Value = mail.To.Address });
            insert.Parameters.Add(new NpgsqlParameter { Value = (object?)mail.To.Name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = mail.To.Language.Code() });
            insert.Parameters.Add(new NpgsqlParameter { Value = mail.Subject });
            insert.Parameters.Add(new NpgsqlParameter { Value = mail.Body.Text() });
            insert.Parameters.Add(new NpgsqlParameter { Value = mail.Body.Html() });
            await insert.ExecuteNonQueryAsync(cancellation);
        }
        await SaveCheckpoint(connection, transaction, checkpoint, position, cancellation);
        await transaction.CommitAsync(cancellation);
    }

    public async Task SaveCheckpoint(string name, EventPosition position, CancellationToken cancellation)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await SaveCheckpoint(connection, null, name, position, cancellation);
    }

    private static async Task SaveCheckpoint(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, EventPosition position,
        CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO mail_checkpoints (name, tx_id, position) VALUES ($1, $2::text::xid8, $3)
            ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()
            WHERE (mail_checkpoints.tx_id, mail_checkpoints.position) < (EXCLUDED.tx_id, EXCLUDED.position)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = position.Transaction.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = position.Sequence });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>The messages due now, oldest event first.</summary>
    public async Task<List<OutboxMessage>> Due(int limit, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT message_id, program, kind, recipient, recipient_name, language, subject, text_body, html_body, attempts
            FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
            ORDER BY event_tx_id, event_position, recipient LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var due = new List<OutboxMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            due.Add(new OutboxMessage(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.GetInt32(9)));
        return due;
    }

    /// <summary>Records that the server accepted the message: it is never sent again.</summary>
    public async Task Sent(string messageId, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1 WHERE message_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = messageId });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Records a failed delivery: retried after the backoff, or given up on after <see cref="MailOptions.MaxAttempts"/>.</summary>
    /// <returns>True when the message was given up on.</returns>
    public async Task<bool> Failed(OutboxMessage message, string error, CancellationToken cancellation)
    {
        var attempts = message.Attempts + 1;
        var givenUp = attempts >= options.MaxAttempts;
        await using var command = dataSource.CreateCommand(
            """
            UPDATE mail_outbox SET attempts = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4),
                   failed_at = CASE WHEN $5 THEN now() END
            WHERE message_id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = message.MessageId });
        command.Parameters.Add(new NpgsqlParameter { Value = attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = error });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Backoff(attempts).TotalSeconds });
        command.Parameters.Add(new NpgsqlParameter { Value = givenUp });
        await command.ExecuteNonQueryAsync(cancellation);
        return givenUp;
    }

    /// <summary>How many messages wait (queued or retrying) and how many were given up on.</summary>
    public async Task<(long Waiting, long Failed)> Counts(CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL), count(*) FILTER (WHERE failed_at IS NOT NULL)
            FROM mail_outbox WHERE sent_at IS NULL
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
