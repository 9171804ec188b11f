namespace Actors.Api.Fleet;

/// <summary>
/// Marks the assembly that embeds the fleet read-model DDL (<c>Fleet/ReadModel/NNNN_name.sql</c>). Load it with
/// <c>SchemaMigrations.FromAssembly(typeof(FleetReadModel).Assembly, "fleet", "Fleet.ReadModel")</c>.
/// </summary>
public static class FleetReadModel
{
    /// <summary>The migration source name of the fleet tables.</summary>
    public const string Source = "fleet";
    /// <summary>The resource folder of the fleet DDL.</summary>
    public const string Folder = "Fleet.ReadModel";
}
