using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Actors.Fleet.Tests;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port, keeping every message it accepted; it can be stopped
/// and started again on the same port, as a mail server that goes away for a while.
/// </summary>
public sealed class TestSmtp : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> received = new();
    private CancellationTokenSource? running;
    private Task? serving;

    private TestSmtp(int port) => Port = port;

    public int Port { get; }
    public IReadOnlyList<MimeMessage> Received => [.. received];

    public static TestSmtp Start()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var smtp = new TestSmtp(port);
        smtp.Resume();
        return smtp;
    }

    /// <summary>The silo's mail configuration for this server, with quick retries.</summary>
    public Dictionary<string, string?> Configuration(int maxAttempts = 200) => new()
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = Port.ToString(),
        ["Mail:Sender"] = "cardsonline@fleet.test",
        ["Mail:RetryBase"] = "00:00:00.1",
        ["Mail:RetryMax"] = "00:00:00.5",
        ["Mail:MaxAttempts"] = maxAttempts.ToString(),
        ["Mail:PollInterval"] = "00:00:00.05",
        ["Mail:Portals:fleet"] = "https://cardsonline.test/",
    };

    /// <summary>Starts listening again on the same port.</summary>
    public void Resume()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new ServiceProvider();
        services.Add(new Store(received));
        running = new CancellationTokenSource();
        serving = new SmtpServer.SmtpServer(options, services).StartAsync(running.Token);
    }

    /// <summary>Stops listening and drops open sessions: the silo's connection breaks and new ones are refused.</summary>
    public async Task Stop()
    {
        await running!.CancelAsync();
        try { await serving!; } catch (OperationCanceledException) { }
    }

    /// <summary>Waits (polling, bounded) until at least <paramref name="count"/> messages arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitFor(int count, TimeSpan? within = null)
    {
        var until = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (received.Count < count && DateTimeOffset.UtcNow < until) await Task.Delay(25);
        Assert.True(received.Count >= count, $"{received.Count} of {count} mails arrived: {string.Join(", ", received.Select(m => m.Subject))}");
        return Received;
    }

    /// <summary>Waits a little more and asserts nothing else arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> Exactly(int count)
    {
        await WaitFor(count);
        await Task.Delay(500);
        Assert.Equal(count, received.Count);
        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        if (running is { IsCancellationRequested: false }) await Stop();
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> into) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            into.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
