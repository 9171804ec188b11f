using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Activations;

/// <summary>A grain class known to the runtime: its stored type name, and how to construct it with services.</summary>
internal sealed record GrainClass(string TypeName, Type Implementation, ObjectFactory Create);

/// <summary>
/// Which class implements which grain interface, found by scanning assemblies. A grain interface has exactly one
/// implementation; the stored type name comes from <see cref="GrainTypeAttribute"/> or the class name.
/// </summary>
public sealed class GrainCatalog
{
    private readonly Dictionary<Type, GrainClass> byInterface = [];
    private readonly Dictionary<string, GrainClass> byTypeName = new(StringComparer.Ordinal);

    /// <summary>Registers every grain class in the given assemblies.</summary>
    public GrainCatalog Scan(params Assembly[] assemblies)
    {
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
            if (type is { IsClass: true, IsAbstract: false } && typeof(IGrainLifecycle).IsAssignableFrom(type)
                && type.GetInterfaces().Any(IsGrainInterface))
                Add(type);
        return this;
    }

    /// <summary>Registers one grain class.</summary>
    public GrainCatalog Add(Type implementation)
    {
        var typeName = implementation.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? implementation.Name;
        if (byTypeName.TryGetValue(typeName, out var existing) && existing.Implementation != implementation)
            throw new InvalidOperationException($"Grain type name '{typeName}' is used by both {existing.Implementation} and {implementation}.");
        var grainClass = new GrainClass(typeName, implementation, ActivatorUtilities.CreateFactory(implementation, []));
        byTypeName[typeName] = grainClass;
        foreach (var grainInterface in implementation.GetInterfaces().Where(IsGrainInterface))
        {
            if (byInterface.TryGetValue(grainInterface, out var other) && other.Implementation != implementation)
                throw new InvalidOperationException($"{grainInterface.Name} is implemented by both {other.Implementation.Name} and {implementation.Name}.");
            byInterface[grainInterface] = grainClass;
        }
        return this;
    }

    internal GrainClass ForInterface(Type grainInterface) =>
        byInterface.TryGetValue(grainInterface, out var grainClass) ? grainClass
            : throw new InvalidOperationException($"No grain class implements {grainInterface.Name}; is its assembly registered with the runtime?");

    internal GrainClass? ForTypeName(string typeName) => byTypeName.GetValueOrDefault(typeName);

    private static bool IsGrainInterface(Type type) => type.IsInterface && type != typeof(IGrain) && typeof(IGrain).IsAssignableFrom(type);
}

/// <summary>
/// One method of a grain interface, compiled once into a delegate so that a call costs no reflection.
/// </summary>
internal sealed class GrainMethod
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethod> Cache = new();

    public string Name { get; }
    public bool IsReadOnly { get; }
    /// <summary>The result type of <c>Task&lt;T&gt;</c>, or null for <c>Task</c>.</summary>
    public Type? ResultType { get; }
    public Func<object, object?[], Task> Invoke { get; }
    /// <summary>Queues this method's call on the runtime with the right result type.</summary>
    public Func<GrainRuntime, GrainId, GrainClass, object?[], Task> Dispatch { get; }

    private GrainMethod(MethodInfo method)
    {
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
        IsReadOnly = method.GetCustomAttribute<ReadOnlyAttribute>() is not null;
        if (method.ReturnType == typeof(Task)) ResultType = null;
        else if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            ResultType = method.ReturnType.GetGenericArguments()[0];
        else throw new InvalidOperationException($"Grain method {Name} must return Task or Task<T>.");

        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters().Select((p, i) =>
            Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType), method, parameters);
        Invoke = Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, args).Compile();
        Dispatch = (Func<GrainRuntime, GrainId, GrainClass, object?[], Task>)typeof(GrainMethod)
            .GetMethod(nameof(DispatchAs), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(ResultType ?? typeof(object))
            .CreateDelegate(typeof(Func<GrainRuntime, GrainId, GrainClass, object?[], Task>), this);
    }

    private Task DispatchAs<T>(GrainRuntime runtime, GrainId id, GrainClass grainClass, object?[] arguments) =>
        runtime.Call<T>(id, grainClass, this, arguments);

    public static GrainMethod For(MethodInfo method) => Cache.GetOrAdd(method, m => new GrainMethod(m));
}
