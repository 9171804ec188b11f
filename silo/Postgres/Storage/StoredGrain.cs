using Orleans.Runtime;

namespace Actors.Postgres.Storage;

/// <summary>A grain as its rows name it: the Orleans grain type (e.g. <c>fleet.card</c>) and its string key.</summary>
public readonly record struct StoredGrain(string Type, string Key)
{
    public static StoredGrain Of(GrainId grain) => new(grain.Type.ToString()!, grain.Key.ToString()!);

    public override string ToString() => $"{Type}/{Key}";
}
