using System.Collections;
using System.Linq.Dynamic.Core.CustomTypeProviders;
using System.Reflection;

namespace Actors.Rules.Expressions;

/// <summary>
/// The types an expression may name besides Dynamic LINQ's predefined ones, as RulesEngine registers them: the custom
/// types with their base types and interfaces, <see cref="Enumerable"/>, <see cref="IEnumerable"/>, RulesEngine's
/// <see cref="ExpressionUtils"/> and the input types. Unlike RulesEngine, no assembly is scanned for
/// <c>[DynamicLinqType]</c>: a type nobody registered stays out of reach.
/// </summary>
public sealed class RuleTypes : IDynamicLinqCustomTypeProvider
{
    readonly HashSet<Type> types = [];
    Dictionary<Type, List<MethodInfo>>? extensionMethods;

    /// <summary>Registers the custom types; throws <see cref="ExpressionSecurityException"/> for one the sandbox refuses.</summary>
    public RuleTypes(IEnumerable<Type>? customTypes, IEnumerable<Type>? inputTypes = null)
    {
        foreach (var type in customTypes ?? []) Sandbox.CheckType(type);
        var queue = new Queue<Type>();
        foreach (var type in (customTypes ?? []).Append(typeof(ExpressionUtils)).Append(typeof(Enumerable)))
            if (types.Add(type)) queue.Enqueue(type);
        // Input types are registered too (AutoRegisterInputType), unless the sandbox refuses them: then they stay unnamed.
        foreach (var type in inputTypes ?? [])
            if (type != typeof(object) && !Sandbox.IsDenied(type) && types.Add(type)) queue.Enqueue(type);
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (type.BaseType is { } baseType && !Sandbox.IsDenied(baseType) && types.Add(baseType)) queue.Enqueue(baseType);
            foreach (var contract in type.GetInterfaces())
                if (!Sandbox.IsDenied(contract) && types.Add(contract)) queue.Enqueue(contract);
        }
        types.Add(typeof(IEnumerable));
    }

    /// <summary>True when expressions may name <paramref name="type"/> and call its static members.</summary>
    public bool Contains(Type type) => types.Contains(type) || (type.IsGenericType && types.Contains(type.GetGenericTypeDefinition()));

    public HashSet<Type> GetCustomTypes() => types;

    public Dictionary<Type, List<MethodInfo>> GetExtensionMethods() => extensionMethods ??= types
        .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public))
        .Where(m => m.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute), false))
        .GroupBy(m => m.GetParameters()[0].ParameterType)
        .ToDictionary(g => g.Key, g => g.ToList());

    public Type? ResolveType(string typeName) => types.FirstOrDefault(t => t.FullName == typeName);

    public Type? ResolveTypeBySimpleName(string simpleTypeName) =>
        types.FirstOrDefault(t => t.FullName is { } full && full.EndsWith("." + simpleTypeName, StringComparison.Ordinal));
}

/// <summary>RulesEngine's one helper type, reachable from expressions under the same name so its documented examples run.</summary>
public static class ExpressionUtils
{
    /// <summary>True when <paramref name="check"/> is one of the comma-separated <paramref name="valList"/>.</summary>
    public static bool CheckContains(string check, string valList) =>
        !string.IsNullOrEmpty(check) && !string.IsNullOrEmpty(valList) && valList.Split(',').Contains(check);
}
