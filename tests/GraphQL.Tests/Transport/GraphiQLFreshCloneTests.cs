using System.Diagnostics;
using Xunit.Abstractions;

namespace Actors.GraphQL.Tests.Transport;

/// <summary>
/// Issue 15: on a fresh clone `dotnet run --project silo` answered GraphiQL with 503, its npm bundles missing. The engine's
/// build installs them itself; this builds the engine in a clone of HEAD, with no node_modules, as a newcomer would.
/// </summary>
public sealed class GraphiQLFreshCloneTests(ITestOutputHelper output)
{
    private static readonly string[] Bundles = ["react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css"];

    [NodeFact(Timeout = 15 * 60 * 1000)]
    public async Task A_build_of_a_fresh_clone_installs_GraphiQL_from_npm_once_and_puts_it_in_the_output()
    {
        var repository = RepositoryRoot();
        var clone = Path.Combine(Path.GetTempPath(), $"actors-fresh-clone-{Guid.NewGuid():N}");
        try
        {
            var head = (await Run("git", ["-C", repository, "rev-parse", "HEAD"], repository)).Trim();
            await Run("git", ["clone", "--quiet", "--no-checkout", repository, clone], repository);
            await Run("git", ["-C", clone, "checkout", "--quiet", head], clone);
            var engine = Path.Combine(clone, "graphql", "Engine");
            Assert.False(Directory.Exists(Path.Combine(engine, "GraphiQL", "node_modules"))); // fresh: nothing installed

            var first = await Run("dotnet", ["build", engine, "-c", "Release", "-nologo"], clone);
            Assert.Contains("GraphiQL's assets are not installed: running npm ci", first);
            var assets = Path.Combine(engine, "bin", "Release", "net10.0", "graphiql");
            foreach (var bundle in Bundles) Assert.True(File.Exists(Path.Combine(assets, bundle)), $"{bundle} is not in {assets}:\n{first}");

            var second = await Run("dotnet", ["build", engine, "-c", "Release", "-nologo"], clone);
            Assert.DoesNotContain("running npm ci", second); // once
        }
        finally
        {
            try { Directory.Delete(clone, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Runs a command to its end and returns what it printed; a non-zero exit fails the test with that output.</summary>
    private async Task<string> Run(string file, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The test host's MSBuild settings belong to its own build, not to the clone's.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await stdout + await stderr;
        output.WriteLine($"$ {file} {string.Join(' ', arguments)}\n{text}");
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
