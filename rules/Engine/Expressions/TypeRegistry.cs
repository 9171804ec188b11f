namespace Actors.Rules.Expressions;

/// <summary>
/// The types an expression may name: Dynamic LINQ's predefined types, the registered custom types and the input types.
/// Anything else (System.IO, Process, reflection, Type.GetType ...) cannot be reached by name.
/// </summary>
public sealed class TypeRegistry
{
    static readonly (string Name, Type Type)[] Predefined =
    [
        ("object", typeof(object)), ("bool", typeof(bool)), ("char", typeof(char)), ("string", typeof(string)),
        ("sbyte", typeof(sbyte)), ("byte", typeof(byte)), ("short", typeof(short)), ("ushort", typeof(ushort)),
        ("int", typeof(int)), ("uint", typeof(uint)), ("long", typeof(long)), ("ulong", typeof(ulong)),
        ("float", typeof(float)), ("double", typeof(double)), ("decimal", typeof(decimal)),
        ("Object", typeof(object)), ("Boolean", typeof(bool)), ("Char", typeof(char)), ("String", typeof(string)),
        ("SByte", typeof(sbyte)), ("Byte", typeof(byte)), ("Int16", typeof(short)), ("UInt16", typeof(ushort)),
        ("Int32", typeof(int)), ("UInt32", typeof(uint)), ("Int64", typeof(long)), ("UInt64", typeof(ulong)),
        ("Single", typeof(float)), ("Double", typeof(double)), ("Decimal", typeof(decimal)),
        ("DateTime", typeof(DateTime)), ("DateTimeOffset", typeof(DateTimeOffset)), ("TimeSpan", typeof(TimeSpan)),
        ("DateOnly", typeof(DateOnly)), ("TimeOnly", typeof(TimeOnly)),
        ("Guid", typeof(Guid)), ("Math", typeof(Math)), ("Convert", typeof(Convert)), ("Uri", typeof(Uri)),
        ("StringComparison", typeof(StringComparison)), ("Enumerable", typeof(Enumerable)),
    ];

    readonly Dictionary<string, Type> byName = new(StringComparer.Ordinal);
    readonly HashSet<Type> allowed = [];

    public TypeRegistry(IEnumerable<Type>? customTypes)
    {
        foreach (var (name, type) in Predefined) Add(name, type);
        foreach (var type in customTypes ?? []) AddType(type);
    }

    /// <summary>Registers a type under its simple and full name (input types, custom types).</summary>
    public void AddType(Type type)
    {
        SecurityPolicy.CheckType(type);
        Add(type.Name, type);
        if (type.FullName is { } full) Add(full, type);
    }

    void Add(string name, Type type)
    {
        byName.TryAdd(name, type);
        allowed.Add(type);
    }

    /// <summary>Finds a type by the name written in an expression; exact case first.</summary>
    public Type? Find(string name, bool caseSensitive)
    {
        if (byName.TryGetValue(name, out var type)) return type;
        if (caseSensitive) return null;
        foreach (var (key, value) in byName)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    /// <summary>True when the expression may call methods declared on <paramref name="type"/>.</summary>
    public bool IsAllowed(Type type)
    {
        if (allowed.Contains(type)) return true;
        if (Nullable.GetUnderlyingType(type) is { } inner) return IsAllowed(inner);
        if (type.IsGenericType && allowed.Contains(type.GetGenericTypeDefinition())) return true;
        return false;
    }
}
