using Actors.Postgres.Events;
using Actors.Postgres.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;
using Npgsql;

namespace Actors.Mail;

/// <summary>
/// Turns committed events into mails and delivers them. One silo dispatches at a time (a PostgreSQL advisory lock;
/// another takes over when its connection ends). It follows the event log from its checkpoint, queues each event's
/// mails with the checkpoint in one transaction, so an event's mails are queued once however often it is read, and
/// delivers the queue: a message is marked sent only after the server accepted it, failures are retried with backoff
/// and, after too many, kept with their last error for operators.
/// </summary>
public sealed class MailDispatcher(
    EventFeed events, MailOutbox outbox, IMailSender sender, IEnumerable<IMailTemplates> templates, MailOptions options,
    NpgsqlDataSource dataSource, ILogger<MailDispatcher> logger) : BackgroundService
{
    private const string Checkpoint = "mail";
    /// <summary>The advisory lock that elects the dispatching silo ("mail", then 1).</summary>
    private const long LeaderLock = 0x6D61696C_01;
    /// <summary>Events that ask for no mail still move the checkpoint, every so many, so a restart rereads little.</summary>
    private const int SaveEvery = 500;
    private readonly IReadOnlyList<IMailTemplates> programs = [.. templates];
    private TaskCompletionSource queued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The outbox's tables and first checkpoint exist before the host serves, so nothing raised after start is missed.
        await SchemaMigrations.Apply(dataSource, MailOutbox.Migrations, cancellationToken);
        logger.LogWarning("Mail: {Where}", options.Smtp is null
            ? $"no Mail:Smtp:Host configured, so mails are written as {sender.Describe()}"
            : $"delivered through the {sender.Describe()}");
        await base.StartAsync(cancellationToken);
    }

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
                using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var feeding = Feed(lost.Token);
                var delivering = Deliver(lost.Token);
                await Task.WhenAny(feeding, delivering);
                await lost.CancelAsync();   // either failing ends the leadership; the next round starts both again
                await Task.WhenAll(feeding, delivering);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Dispatching mail failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task<bool> TryLead(NpgsqlConnection leader, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", leader) { Parameters = { new() { Value = LeaderLock } } };
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>Follows the log from the checkpoint and queues the mails each event asks for.</summary>
    private async Task Feed(CancellationToken cancellation)
    {
        var position = await outbox.Checkpoint(Checkpoint, cancellation) ?? await events.Head(cancellation);
        var unsaved = 0;
        await foreach (var e in events.Subscribe(position, cancellation: cancellation))
        {
            var queuedAny = false;
            foreach (var program in programs)
            {
                var mails = await program.Compose(e, cancellation);
                if (mails.Count == 0) continue;
                await outbox.Enqueue(Checkpoint, e.Position, program.Program, mails, cancellation);
                queuedAny = true;
            }
            position = e.Position;
            if (queuedAny)
            {
                unsaved = 0;
                Interlocked.Exchange(ref queued, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
            else if (++unsaved >= SaveEvery)
            {
                await outbox.SaveCheckpoint(Checkpoint, position, cancellation);
                unsaved = 0;
            }
        }
    }

    /// <summary>Sends what is due, then waits for new mail or the next retry.</summary>
    private async Task Deliver(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref queued).Task;
            var due = await outbox.Due(100, cancellation);
            foreach (var message in due)
            {
                try
                {
                    await sender.Send(Mime(message), cancellation);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
                {
                    if (await outbox.Failed(message, e.Message, cancellation))
                        logger.LogError(e, "Mail {MessageId} to {Recipient} given up after {Attempts} attempts", message.MessageId, message.Recipient, message.Attempts + 1);
                    else
                        logger.LogWarning("Mail {MessageId} to {Recipient} not delivered ({Error}); retrying", message.MessageId, message.Recipient, e.Message);
                    continue;
                }
                await outbox.Sent(message.MessageId, cancellation);
            }
            if (due.Count == 0) await Task.WhenAny(wake, Task.Delay(options.PollInterval, cancellation));
        }
    }

    /// <summary>The message as it goes out: multipart plain text and HTML, with the Message-Id the outbox derived.</summary>
    public MimeMessage Mime(OutboxMessage message)
    {
        var mime = new MimeMessage { MessageId = message.MessageId, Subject = message.Subject };
        mime.From.Add(new MailboxAddress(options.SenderName, options.Sender));
        mime.To.Add(new MailboxAddress(message.RecipientName ?? "", message.Recipient));
        mime.Headers.Add(HeaderId.ContentLanguage, message.Language);
        mime.Headers.Add("X-Mail-Kind", $"{message.Program}/{message.Kind}");
        mime.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();
        return mime;
    }
}
