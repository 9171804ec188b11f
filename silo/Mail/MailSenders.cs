using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Actors.Mail;

/// <summary>Hands a message to whatever delivers it; returns once it was accepted, throws when it was not.</summary>
public interface IMailSender
{
    /// <summary>Where messages go, for the start-up line.</summary>
    string Describe();

    Task Send(MimeMessage message, CancellationToken cancellation);
}

/// <summary>
/// Delivers over SMTP with MailKit, keeping one connection open between messages and opening a new one after any
/// failure (the server may have gone away meanwhile).
/// </summary>
public sealed class SmtpMailSender(SmtpSettings settings) : IMailSender, IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private SmtpClient? client;

    public string Describe() => $"SMTP server {settings.Host}:{settings.Port}";

    public async Task Send(MimeMessage message, CancellationToken cancellation)
    {
        await gate.WaitAsync(cancellation);
        try
        {
            client ??= new SmtpClient { Timeout = 30_000 };
            if (!client.IsConnected)
            {
                await client.ConnectAsync(settings.Host, settings.Port, settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellation);
                if (settings.UserName is not null) await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellation);
            }
            await client.SendAsync(message, cancellation);
        }
        catch
        {
            client?.Dispose();
            client = null;
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => client?.Dispose();
}

/// <summary>With no SMTP server configured: each message becomes <c>{Message-Id}.eml</c> in a folder, readable in any mail client.</summary>
public sealed class EmlDirectorySender(string directory) : IMailSender
{
    public string Directory => directory;

    public string Describe() => $".eml files under {directory}";

    public async Task Send(MimeMessage message, CancellationToken cancellation)
    {
        System.IO.Directory.CreateDirectory(directory);
        var name = string.Concat((message.MessageId ?? "message").Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '@' ? c : '_'));
        var path = Path.Combine(directory, name + ".eml");
        var partial = path + ".partial";
        await message.WriteToAsync(partial, cancellation);
        File.Move(partial, path, overwrite: true);   // a reader never sees half a message
    }
}
