namespace Actors.Rules.Tests;

/// <summary>Finds ../shared (conformance material) by walking up from the test's base directory, or ACTORS_SHARED.</summary>
public static class SharedFolder
{
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("ACTORS_SHARED") is { Length: > 0 } env) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "shared");
                if (Directory.Exists(System.IO.Path.Combine(candidate, "conformance"))) return candidate;
            }
            throw new DirectoryNotFoundException("No 'shared/conformance' folder above " + AppContext.BaseDirectory + "; set ACTORS_SHARED.");
        }
    }

    public static string RulesEngineConformance => System.IO.Path.Combine(Path, "conformance", "rulesengine");
}
