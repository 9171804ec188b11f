using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Compiled delegates for property reads, method calls and awaiting results, made once per member.</summary>
internal static class Accessors
{
    public static Func<object, object?> Getter(PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var body = Expression.Convert(Expression.Property(Expression.Convert(instance, property.DeclaringType!), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
    }

    public static Action<object, object?> Setter(PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var value = Expression.Parameter(typeof(object), "value");
        var body = Expression.Call(Expression.Convert(instance, property.DeclaringType!), property.SetMethod!, Expression.Convert(value, property.PropertyType));
        return Expression.Lambda<Action<object, object?>>(body, instance, value).Compile();
    }

    /// <summary>(instance, arguments) => method(arguments...), boxing the result.</summary>
    public static Func<object?, object?[], object?> Invoker(MethodBase method)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var arguments = Expression.Parameter(typeof(object[]), "arguments");
        var parameters = method.GetParameters().Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType)).ToArray();
        Expression call = method switch
        {
            ConstructorInfo ctor => Expression.New(ctor, parameters),
            MethodInfo m when m.IsStatic => Expression.Call(m, parameters),
            MethodInfo m => Expression.Call(Expression.Convert(instance, m.DeclaringType!), m, parameters),
            _ => throw new ArgumentException("Unsupported member", nameof(method)),
        };
        var type = call.Type;
        var body = type == typeof(void)
            ? Expression.Block(call, Expression.Constant(null, typeof(object)))
            : (Expression)Expression.Convert(call, typeof(object));
        return Expression.Lambda<Func<object?, object?[], object?>>(body, instance, arguments).Compile();
    }

    /// <summary>Turns a resolver's return value into a ValueTask of its result: awaits Task&lt;T&gt; and ValueTask&lt;T&gt;, passes others through.</summary>
    public static Func<object?, ValueTask<object?>> Completion(Type returnType)
    {
        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            var argument = returnType.GetGenericArguments()[0];
            if (definition == typeof(Task<>))
                return CreateDelegate(nameof(AwaitTask), argument);
            if (definition == typeof(ValueTask<>))
                return CreateDelegate(nameof(AwaitValueTask), argument);
        }
        if (returnType == typeof(Task)) return async v => { await (Task)v!; return null; };
        if (returnType == typeof(ValueTask)) return async v => { await (ValueTask)v!; return null; };
        return v => new ValueTask<object?>(v);
    }

    private static Func<object?, ValueTask<object?>> CreateDelegate(string name, Type argument) =>
        typeof(Accessors).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(argument)
            .CreateDelegate<Func<object?, ValueTask<object?>>>();

    private static ValueTask<object?> AwaitTask<T>(object? value)
    {
        var task = (Task<T>)value!;
        if (task.IsCompletedSuccessfully) return new ValueTask<object?>(task.Result);
        return Await(task);
        static async ValueTask<object?> Await(Task<T> t) => await t.ConfigureAwait(false);
    }

    private static ValueTask<object?> AwaitValueTask<T>(object? value)
    {
        var task = (ValueTask<T>)value!;
        if (task.IsCompletedSuccessfully) return new ValueTask<object?>(task.Result);
        return Await(task);
        static async ValueTask<object?> Await(ValueTask<T> t) => await t.ConfigureAwait(false);
    }

    /// <summary>Views any IAsyncEnumerable&lt;T&gt; as IAsyncEnumerable&lt;object?&gt;.</summary>
    public static IAsyncEnumerable<object?> AsObjectStream(object? stream)
    {
        if (stream is IAsyncEnumerable<object?> objects) return objects;
        var element = stream!.GetType().GetInterfaces()
            .First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)).GetGenericArguments()[0];
        return (IAsyncEnumerable<object?>)typeof(Accessors).GetMethod(nameof(Box), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(element).Invoke(null, [stream, default(CancellationToken)])!;
    }

    private static async IAsyncEnumerable<object?> Box<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var item in source.WithCancellation(cancellation)) yield return item;
    }
}
