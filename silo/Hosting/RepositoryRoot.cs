namespace Actors.Silo.Hosting;

/// <summary>Finds the repository's root (the folder with Actors.sln), where the git-ignored <c>.data/</c> lives.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
