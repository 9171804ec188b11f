using System.Diagnostics;

namespace Actors.GraphQL.Tests.Transport;

/// <summary>Runs the independent Node checks (graphql-http audits, graphql-ws protocol checks) from ../shared/tools.</summary>
public static class NodeTools
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            process!.WaitForExit(10_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });

    public static bool IsAvailable => Available.Value;

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>Our folder with package.json (same packages as the shared tools), where the shared scripts are copied and run.</summary>
    public static async Task<string> PrepareAsync()
    {
        var tools = FindUp(Path.Combine("tests", "GraphQL.Tests", "conformance-tools"))
            ?? throw new InvalidOperationException("tests/GraphQL.Tests/conformance-tools not found above " + AppContext.BaseDirectory);
        var shared = Environment.GetEnvironmentVariable("ACTORS_SHARED") is { Length: > 0 } env ? env : FindShared()
            ?? throw new InvalidOperationException("The shared folder (with shared/conformance) was not found; set ACTORS_SHARED.");
        var scripts = Path.Combine(shared, "tools", "graphql-conformance");
        await InstallLock.WaitAsync();
        try
        {
            foreach (var script in Directory.GetFiles(scripts, "*.mjs")) File.Copy(script, Path.Combine(tools, Path.GetFileName(script)), overwrite: true);
            if (!Directory.Exists(Path.Combine(tools, "node_modules", "graphql-http")))
            {
                var (code, output) = await RunAsync("npm", "ci --no-audit --no-fund", tools, TimeSpan.FromMinutes(3));
                if (code != 0) throw new InvalidOperationException("npm ci failed in " + tools + ":\n" + output);
            }
        }
        finally { InstallLock.Release(); }
        return tools;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        return null;
    }

    private static string? FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "conformance"))) return Path.Combine(dir.FullName, "shared");
        return null;
    }
}

/// <summary>A fact that needs Node.js; skipped, saying so, when node is not on PATH.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!NodeTools.IsAvailable) Skip = "node is not installed (needed for the graphql-http and graphql-ws conformance checks).";
    }
}
