namespace Actors.Silo.Tests;

/// <summary>A folder that looks like a checkout: Actors.sln at its root, workflows under rules/workflows.</summary>
internal static class HostingCheckout
{
    public static string New()
    {
        var root = Path.Combine(Path.GetTempPath(), $"actors-silo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "rules", "workflows", "examples"));
        File.WriteAllText(Path.Combine(root, "Actors.sln"), "");
        return root;
    }
}
