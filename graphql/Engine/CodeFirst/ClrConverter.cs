using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Converts coerced input values (lists as List&lt;object&gt;, scalars in their runtime type) to the CLR types resolvers declare.</summary>
internal static class ClrConverter
{
    private static readonly ConcurrentDictionary<Type, Func<object?, object?>> Converters = new();

    public static Func<object?, object?> For(Type target) => Converters.GetOrAdd(target, Create);

    private static Func<object?, object?> Create(Type target)
    {
        var underlying = Nullable.GetUnderlyingType(target);
        if (underlying is not null)
        {
            var inner = For(underlying);
            return v => v is null ? null : inner(v);
        }
        if (target == typeof(object)) return v => v;
        var element = ElementType(target);
        if (element is not null)
        {
            var convertElement = For(element);
            if (target.IsArray)
                return v =>
                {
                    if (v is null) return null;
                    var source = (IList)v;
                    var array = Array.CreateInstance(element, source.Count);
                    for (int i = 0; i < source.Count; i++) array.SetValue(convertElement(source[i]), i);
                    return array;
                };
            var listType = target.IsInterface ? typeof(List<>).MakeGenericType(element) : target;
            var isSet = target.IsGenericType && target.GetGenericTypeDefinition() == typeof(HashSet<>);
            return v =>
            {
                if (v is null) return null;
                if (target.IsInstanceOfType(v) && v is not List<object?>) return v;
                var list = (IList)Activator.CreateInstance(isSet ? typeof(List<>).MakeGenericType(element) : listType)!;
                foreach (var item in (IEnumerable)v) list.Add(convertElement(item));
                return isSet ? Activator.CreateInstance(target, list) : list;
            };
        }
        return v =>
        {
            if (v is null || target.IsInstanceOfType(v)) return v;
            try
            {
                if (target == typeof(Guid) && v is string g) return Guid.Parse(g);
                if (target.IsEnum) return Enum.ToObject(target, v);
                if (v is string s && (target == typeof(int) || target == typeof(long))) return Convert.ChangeType(s, target, CultureInfo.InvariantCulture);
                return Convert.ChangeType(v, target, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new InputCoercionException($"Value {v} cannot be converted to {target.Name}.");
            }
        };
    }

    /// <summary>The element type of a list-like CLR type (arrays, List, IEnumerable...), null for strings and non-lists.</summary>
    public static Type? ElementType(Type type)
    {
        if (type == typeof(string) || type == typeof(byte[])) return null;
        if (type.IsArray) return type.GetElementType();
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(List<>)
                || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(HashSet<>)
                || definition == typeof(ISet<>) || definition == typeof(IQueryable<>) || definition == typeof(IOrderedQueryable<>) || definition == typeof(IOrderedEnumerable<>))
                return type.GetGenericArguments()[0];
        }
        if (type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))) return null;
        var enumerable = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
