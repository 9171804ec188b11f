using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Actors.Silo.Tests;

/// <summary>The silo started as its own process, the way `dotnet run --project silo` starts it.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(Process process, Uri address, Uri http2Address)
    {
        this.process = process;
        Address = address;
        Http2Address = http2Address;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }
    /// <summary>The HTTP/2 (prior knowledge) endpoint, as station networks use it.</summary>
    public Uri Http2Address { get; }
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>This silo's Orleans ports, as environment variables: a silo restarted on them takes over its membership entry.</summary>
    public IReadOnlyDictionary<string, string> OrleansPorts { get; private init; } = new Dictionary<string, string>();

    public static SiloProcess Start(string workingDirectory, IDictionary<string, string>? environment = null, params string[] arguments)
    {
        var port = FreePort();
        var http2Port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Actors.Silo.dll"), "--urls", $"http://127.0.0.1:{port}", "--http2Urls", $"http://127.0.0.1:{http2Port}" },
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["ConnectionStrings__Actors"] = "";
        // Silos of tests running side by side must not share Orleans' ports; a killed one is declared dead within seconds.
        start.Environment["Orleans__SiloPort"] = FreePort().ToString();
        start.Environment["Orleans__GatewayPort"] = FreePort().ToString();
        start.Environment["Orleans__Membership__ProbeTimeout"] = "00:00:01";
        start.Environment["Orleans__Membership__NumMissedProbesLimit"] = "2";
        start.Environment["Orleans__Membership__TableRefreshTimeout"] = "00:00:01";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return new SiloProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"), new Uri($"http://127.0.0.1:{http2Port}"))
        {
            OrleansPorts = new Dictionary<string, string>
            {
                ["Orleans__SiloPort"] = start.Environment["Orleans__SiloPort"]!,
                ["Orleans__GatewayPort"] = start.Environment["Orleans__GatewayPort"]!,
            },
        };
    }

    /// <summary>Waits until /health/ready answers (the silo has started) or the process exits.</summary>
    public async Task<HttpResponseMessage> WaitUntilServing()
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The silo exited with {process.ExitCode}:\n{Output}");
            try
            {
                return await Http.GetAsync(new Uri(Address, "/health/ready"));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100); // the process is still starting: nothing to inject here, it is another process
            }
        }
        throw new TimeoutException($"The silo did not start:\n{Output}");
    }

    /// <summary>Posts a GraphQL request and returns the parsed response.</summary>
    public async Task<System.Text.Json.JsonDocument> GraphQL(string query, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, "/graphql"))
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits for a silo that is expected to stop by itself, and returns its exit code.</summary>
    public async Task<int> WaitForExit()
    {
        await process.WaitForExitAsync();
        process.WaitForExit(); // lets the redirected output drain
        return process.ExitCode;
    }

    /// <summary>Stops the silo as Ctrl+C would (SIGTERM) and waits for it to exit.</summary>
    public async Task<int> Stop()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
            await kill.WaitForExitAsync();
            await process.WaitForExitAsync();
        }
        return process.ExitCode;
    }

    /// <summary>Kills the silo outright (SIGKILL): no shutdown code runs, as when a machine dies.</summary>
    public async Task Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try { await Stop(); } catch (InvalidOperationException) { }
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
