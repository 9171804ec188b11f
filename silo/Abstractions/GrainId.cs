namespace Actors;

/// <summary>
/// A grain's identity: its type name (stable, as stored) and its string key, e.g. <c>fleet.card/7071234500012</c>.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}

/// <summary>
/// Marks an interface as a grain interface. Every method returns <see cref="Task"/> or <see cref="Task{TResult}"/>;
/// calls are queued on the grain's activation and run one at a time.
/// </summary>
public interface IGrain;

/// <summary>Names the stored type of a grain class, so renaming the class does not orphan its state.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// A grain method that only reads: it may run together with other read-only calls on the same activation,
/// never with a call that changes state (Orleans' <c>[ReadOnly]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>Gets references to grains; a reference is cheap and the grain is activated on its first call.</summary>
public interface IGrainFactory
{
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrain;
}
