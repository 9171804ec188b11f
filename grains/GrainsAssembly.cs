namespace Actors.Grains;

/// <summary>Marks the assembly whose grain classes the silo registers.</summary>
public static class GrainsAssembly { }
