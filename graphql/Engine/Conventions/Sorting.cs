using System.Collections;
using System.Reflection;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Hot Chocolate's <c>order</c> inputs: <c>[{Type}SortInput!]</c> of <c>SortEnumType</c> (ASC/DESC) per property, nested for objects.</summary>
internal sealed class Sorting
{
    private readonly Dictionary<string, (Func<object, object?> Get, Sorting? Nested)> _fields = new(StringComparer.Ordinal);

    public InputObjectType InputType { get; private init; } = null!;

    private static readonly EnumType SortEnum = CreateSortEnum();

    private static EnumType CreateSortEnum()
    {
        var type = new EnumType("SortEnumType");
        type.Add(new EnumValueDefinition("ASC", "ASC"));
        type.Add(new EnumValueDefinition("DESC", "DESC"));
        return type;
    }

    public static Sorting For(SchemaBuilder builder, Type clr)
    {
        var name = Naming.Type(clr) + "SortInput";
        if (builder.Sorts.TryGetValue(name, out var known)) return known;
        if (builder.FindNamed("SortEnumType") is null) builder.RegisterType(SortEnum);
        var input = new InputObjectType(name);
        var sorting = new Sorting { InputType = input };
        builder.Sorts[name] = sorting;
        builder.RegisterType(input);
        foreach (var property in clr.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<GraphQLIgnoreAttribute>() is not null) continue;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var fieldName = property.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.Field(property.Name);
            if (typeof(IComparable).IsAssignableFrom(type))
            {
                input.Fields.Add(new ArgumentDefinition(fieldName, SortEnum));
                sorting._fields[fieldName] = (Accessors.Getter(property), null);
            }
            else if (type.IsClass && ClrConverter.ElementType(type) is null && !builder.IsScalar(type))
            {
                var nested = For(builder, type);
                input.Fields.Add(new ArgumentDefinition(fieldName, nested.InputType));
                sorting._fields[fieldName] = (Accessors.Getter(property), nested);
            }
        }
        return sorting;
    }

    public IEnumerable Apply(IEnumerable items, IList order)
    {
        var keys = new List<(Func<object, object?> Key, bool Descending)>();
        foreach (IReadOnlyDictionary<string, object?> clause in order) Collect(clause, o => o, keys);
        if (keys.Count == 0) return items;
        var list = items.Cast<object>().ToList();
        var comparer = Comparer<object?>.Default;
        // A stable sort keeps the source order among equal keys, as LINQ's OrderBy does.
        return list.Select((item, index) => (item, index)).OrderBy(x => x, Comparer<(object item, int index)>.Create((a, b) =>
        {
            foreach (var (key, descending) in keys)
            {
                int c = comparer.Compare(key(a.item), key(b.item));
                if (c != 0) return descending ? -c : c;
            }
            return a.index.CompareTo(b.index);
        })).Select(x => x.item).ToList();
    }

    private void Collect(IReadOnlyDictionary<string, object?> clause, Func<object, object?> path, List<(Func<object, object?>, bool)> keys)
    {
        foreach (var (name, value) in clause)
        {
            if (value is null || !_fields.TryGetValue(name, out var field)) continue;
            var get = field.Get;
            Func<object, object?> key = o => path(o) is { } parent ? get(parent) : null;
            if (field.Nested is { } nested && value is IReadOnlyDictionary<string, object?> inner) nested.Collect(inner, key, keys);
            else if (value is string direction) keys.Add((key, direction == "DESC"));
        }
    }
}
