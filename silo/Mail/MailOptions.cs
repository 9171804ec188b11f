using Microsoft.Extensions.Configuration;

namespace Actors.Mail;

/// <summary>The SMTP server to deliver through (<c>Mail:Smtp:*</c>); with no host, mails are written as .eml files.</summary>
public sealed record SmtpSettings(string Host, int Port, string? UserName, string? Password, bool StartTls);

/// <summary>How mail is sent, from configuration section <c>Mail</c>.</summary>
public sealed record MailOptions
{
    /// <summary>Null: no SMTP server configured, messages go to <see cref="Directory"/>.</summary>
    public SmtpSettings? Smtp { get; init; }
    /// <summary>The From address; its domain also ends each Message-Id.</summary>
    public string Sender { get; init; } = "cardsonline@backoffice.local";
    public string SenderName { get; init; } = "CardsOnline";
    /// <summary>Where .eml files go when no SMTP server is configured.</summary>
    public string Directory { get; init; } = "";
    /// <summary>The first retry's delay after a failed delivery; each next one doubles, up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>After this many failed deliveries a message is given up on and shown on /health/ready.</summary>
    public int MaxAttempts { get; init; } = 12;
    /// <summary>How often the deliverer looks for retries that fell due when nothing woke it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Each program's portal address, by program name (<c>Mail:Portals:fleet</c>), put in every mail.</summary>
    public IReadOnlyDictionary<string, string> Portals { get; init; } = new Dictionary<string, string>();

    public string Portal(string program) => Portals.TryGetValue(program, out var url) ? url : "http://127.0.0.1:5080/";

    public string SenderDomain => Sender[(Sender.IndexOf('@') + 1)..];

    public static MailOptions From(IConfiguration configuration)
    {
        var mail = configuration.GetSection("Mail");
        var host = mail["Smtp:Host"];
        var defaults = new MailOptions();
        return new MailOptions
        {
            Smtp = string.IsNullOrWhiteSpace(host) ? null : new SmtpSettings(host, int.TryParse(mail["Smtp:Port"], out var port) ? port : 25,
                NullIfEmpty(mail["Smtp:UserName"]), NullIfEmpty(mail["Smtp:Password"]), bool.TryParse(mail["Smtp:StartTls"], out var tls) && tls),
            Sender = NullIfEmpty(mail["Sender"]) ?? defaults.Sender,
            SenderName = NullIfEmpty(mail["SenderName"]) ?? defaults.SenderName,
            Directory = NullIfEmpty(mail["Directory"]) ?? Path.Combine(RepositoryRoot(), ".data", "mail"),
            RetryBase = TimeSpan.TryParse(mail["RetryBase"], out var retryBase) ? retryBase : defaults.RetryBase,
            RetryMax = TimeSpan.TryParse(mail["RetryMax"], out var retryMax) ? retryMax : defaults.RetryMax,
            MaxAttempts = int.TryParse(mail["MaxAttempts"], out var attempts) ? attempts : defaults.MaxAttempts,
            PollInterval = TimeSpan.TryParse(mail["PollInterval"], out var poll) ? poll : defaults.PollInterval,
            Portals = mail.GetSection("Portals").GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!),
        };
    }

    /// <summary>The delay before attempt <paramref name="attempts"/> + 1.</summary>
    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(RetryMax.Ticks, RetryBase.Ticks * (1L << Math.Clamp(attempts - 1, 0, 30))));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The folder holding Actors.sln (the .data folder is git-ignored there), else the current folder.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Actors.sln"))) return directory.FullName;
        return Environment.CurrentDirectory;
    }
}
