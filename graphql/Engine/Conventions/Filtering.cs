using System.Collections;
using System.Reflection;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>
/// Hot Chocolate's <c>where</c> inputs over in-memory sequences: <c>{Type}FilterInput</c> with <c>and</c>/<c>or</c>, one
/// operation input per property (<c>StringOperationFilterInput</c>, <c>IntOperationFilterInput</c>, <c>{Enum}OperationFilterInput</c>...),
/// nested objects, and <c>ListFilterInputTypeOf{Type}FilterInput</c> (all/none/some/any) for lists of objects.
/// Predicates run on compiled getters; no expression is compiled per request.
/// </summary>
internal sealed class Filtering
{
    private readonly Dictionary<string, Func<object?, object?, bool>> _fields = new(StringComparer.Ordinal);

    public InputObjectType InputType { get; private init; } = null!;

    private static readonly string[] ComparableOperations = ["eq", "neq", "in", "nin", "gt", "ngt", "gte", "ngte", "lt", "nlt", "lte", "nlte"];

    public static Filtering For(SchemaBuilder builder, Type clr)
    {
        var name = Naming.Type(clr) + "FilterInput";
        if (builder.Filters.TryGetValue(name, out var known)) return known;
        var input = new InputObjectType(name);
        var filtering = new Filtering { InputType = input };
        builder.Filters[name] = filtering;
        builder.RegisterType(input);
        input.Fields.Add(new ArgumentDefinition("and", input.NonNull().ListOf()));
        input.Fields.Add(new ArgumentDefinition("or", input.NonNull().ListOf()));

        foreach (var property in clr.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<GraphQLIgnoreAttribute>() is not null) continue;
            var fieldName = property.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.Field(property.Name);
            var getter = Accessors.Getter(property);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var isId = property.GetCustomAttribute<IDAttribute>() is not null;
            Func<object?, object?, bool>? test = null;
            InputObjectType? operations = null;

            if (type == typeof(string) || isId)
            {
                operations = StringOperations(builder, isId ? "IdOperationFilterInput" : "StringOperationFilterInput", isId ? Scalars.ID : Scalars.String, isId);
                test = (value, filter) => Evaluate(filter, value, isId ? EqualityOps : StringOps);
            }
            else if (type == typeof(bool))
            {
                operations = Operations(builder, "BooleanOperationFilterInput", Scalars.Boolean, ["eq", "neq"]);
                test = (value, filter) => Evaluate(filter, value, EqualityOps);
            }
            else if (type.IsEnum)
            {
                var enumType = builder.EnumOf(type);
                operations = Operations(builder, enumType.Name + "OperationFilterInput", enumType, ["eq", "neq", "in", "nin"]);
                test = (value, filter) => Evaluate(filter, value, EqualityOps);
            }
            else if (builder.ScalarOf(type) is { } scalar && typeof(IComparable).IsAssignableFrom(type))
            {
                operations = Operations(builder, (scalar.Name == "ID" ? "Id" : scalar.Name) + "OperationFilterInput", scalar, ComparableOperations);
                var convert = ClrConverter.For(type);
                test = (value, filter) => Evaluate(filter, value, ComparableOps, convert);
            }
            else if (ClrConverter.ElementType(type) is { } scalarElement && (builder.IsScalar(scalarElement) || scalarElement.IsEnum)
                     && ScalarTest(builder, scalarElement) is { } elementFilter)
            {
                // Lists of scalars: ListStringOperationFilterInput { all none some: StringOperationFilterInput any: Boolean }
                var listName = "List" + elementFilter.Operations.Name;
                operations = builder.FindInput(listName) ?? CreateListOperations(builder, listName, elementFilter.Operations);
                var elementTest = elementFilter.Test;
                test = (value, filter) => EvaluateScalarList(elementTest, value as IEnumerable, filter);
            }
            else if (ClrConverter.ElementType(type) is { } element && !builder.IsScalar(element) && !element.IsEnum && element.IsClass)
            {
                var nested = For(builder, element);
                var listName = "ListFilterInputTypeOf" + nested.InputType.Name;
                operations = builder.FindInput(listName) ?? CreateListOperations(builder, listName, nested.InputType);
                test = (value, filter) => EvaluateList(nested, value as IEnumerable, filter);
            }
            else if (type.IsClass && !builder.IsScalar(type) && ClrConverter.ElementType(type) is null)
            {
                var nested = For(builder, type);
                operations = nested.InputType;
                test = (value, filter) => value is not null && nested.Matches(value, (IReadOnlyDictionary<string, object?>)filter!);
            }
            if (operations is null || test is null) continue;
            input.Fields.Add(new ArgumentDefinition(fieldName, operations));
            filtering._fields[fieldName] = (item, filter) => filter is null || test(getter(item!), filter);
        }
        return filtering;
    }

    /// <summary>The operation input and test for a scalar or enum element type (used for lists of scalars).</summary>
    private static (InputObjectType Operations, Func<object?, object?, bool> Test)? ScalarTest(SchemaBuilder builder, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return (StringOperations(builder, "StringOperationFilterInput", Scalars.String, false), (v, f) => Evaluate(f, v, StringOps));
        if (type == typeof(bool))
            return (Operations(builder, "BooleanOperationFilterInput", Scalars.Boolean, ["eq", "neq"]), (v, f) => Evaluate(f, v, EqualityOps));
        if (type.IsEnum)
        {
            var enumType = builder.EnumOf(type);
            return (Operations(builder, enumType.Name + "OperationFilterInput", enumType, ["eq", "neq", "in", "nin"]), (v, f) => Evaluate(f, v, EqualityOps));
        }
        if (builder.ScalarOf(type) is { } scalar && typeof(IComparable).IsAssignableFrom(type))
        {
            var convert = ClrConverter.For(type);
            return (Operations(builder, scalar.Name + "OperationFilterInput", scalar, ComparableOperations), (v, f) => Evaluate(f, v, ComparableOps, convert));
        }
        return null;
    }

    private static bool EvaluateScalarList(Func<object?, object?, bool> test, IEnumerable? values, object? filter)
    {
        var items = values?.Cast<object?>().ToList() ?? [];
        foreach (var (op, argument) in (IReadOnlyDictionary<string, object?>)filter!)
        {
            if (argument is null) continue;
            bool ok = op switch
            {
                "all" => items.All(i => test(i, argument)),
                "none" => !items.Any(i => test(i, argument)),
                "some" => items.Any(i => test(i, argument)),
                "any" => (bool)argument == items.Count > 0,
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    public IEnumerable Apply(IEnumerable items, IReadOnlyDictionary<string, object?> where)
    {
        var list = new List<object?>();
        foreach (var item in items) if (item is not null && Matches(item, where)) list.Add(item);
        return list;
    }

    public bool Matches(object item, IReadOnlyDictionary<string, object?> where)
    {
        foreach (var (key, value) in where)
        {
            switch (key)
            {
                case "and":
                    if (value is IEnumerable all && !all.Cast<IReadOnlyDictionary<string, object?>>().All(f => Matches(item, f))) return false;
                    break;
                case "or":
                    if (value is IEnumerable any && !any.Cast<IReadOnlyDictionary<string, object?>>().Any(f => Matches(item, f))) return false;
                    break;
                default:
                    if (_fields.TryGetValue(key, out var test) && !test(item, value)) return false;
                    break;
            }
        }
        return true;
    }

    private static bool EvaluateList(Filtering nested, IEnumerable? values, object? filter)
    {
        var items = values?.Cast<object?>().Where(i => i is not null).ToList() ?? [];
        foreach (var (op, argument) in (IReadOnlyDictionary<string, object?>)filter!)
        {
            if (argument is null) continue;
            bool ok = op switch
            {
                "all" => items.All(i => nested.Matches(i!, (IReadOnlyDictionary<string, object?>)argument)),
                "none" => !items.Any(i => nested.Matches(i!, (IReadOnlyDictionary<string, object?>)argument)),
                "some" => items.Any(i => nested.Matches(i!, (IReadOnlyDictionary<string, object?>)argument)),
                "any" => (bool)argument == items.Count > 0,
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    private delegate bool Operation(string op, object? value, object? argument, Func<object?, object?>? convert);

    private static bool Evaluate(object? filter, object? value, Operation operation, Func<object?, object?>? convert = null)
    {
        foreach (var (op, argument) in (IReadOnlyDictionary<string, object?>)filter!)
        {
            if (op is "and" && argument is IEnumerable all) { if (!all.Cast<object?>().All(f => Evaluate(f, value, operation, convert))) return false; continue; }
            if (op is "or" && argument is IEnumerable any) { if (!any.Cast<object?>().Any(f => Evaluate(f, value, operation, convert))) return false; continue; }
            if (!operation(op, value, argument, convert)) return false;
        }
        return true;
    }

    private static bool EqualityOps(string op, object? value, object? argument, Func<object?, object?>? convert) => op switch
    {
        "eq" => Equals(value, argument),
        "neq" => !Equals(value, argument),
        "in" => argument is IEnumerable set && set.Cast<object?>().Any(a => Equals(value, a)),
        "nin" => argument is IEnumerable set && !set.Cast<object?>().Any(a => Equals(value, a)),
        _ => true,
    };

    private static bool StringOps(string op, object? value, object? argument, Func<object?, object?>? convert)
    {
        var text = value as string;
        var pattern = argument as string;
        return op switch
        {
            "contains" => pattern is null || text is not null && text.Contains(pattern, StringComparison.Ordinal),
            "ncontains" => pattern is null || text is null || !text.Contains(pattern, StringComparison.Ordinal),
            "startsWith" => pattern is null || text is not null && text.StartsWith(pattern, StringComparison.Ordinal),
            "nstartsWith" => pattern is null || text is null || !text.StartsWith(pattern, StringComparison.Ordinal),
            "endsWith" => pattern is null || text is not null && text.EndsWith(pattern, StringComparison.Ordinal),
            "nendsWith" => pattern is null || text is null || !text.EndsWith(pattern, StringComparison.Ordinal),
            _ => EqualityOps(op, value, argument, convert),
        };
    }

    private static bool ComparableOps(string op, object? value, object? argument, Func<object?, object?>? convert)
    {
        if (convert is not null)
        {
            argument = argument is IList list && argument is not string ? list.Cast<object?>().Select(convert).ToList() : convert(argument);
        }
        int Compare() => value is null || argument is null ? int.MinValue : ((IComparable)value).CompareTo(argument);
        return op switch
        {
            "gt" => argument is null || Compare() is > 0 and not int.MinValue,
            "ngt" => argument is null || !(Compare() is > 0 and not int.MinValue),
            "gte" => argument is null || Compare() is >= 0,
            "ngte" => argument is null || !(Compare() >= 0),
            "lt" => argument is null || Compare() is < 0 and not int.MinValue,
            "nlt" => argument is null || !(Compare() is < 0 and not int.MinValue),
            "lte" => argument is null || Compare() is <= 0 and not int.MinValue,
            "nlte" => argument is null || !(Compare() is <= 0 and not int.MinValue),
            _ => EqualityOps(op, value, argument, convert),
        };
    }

    private static InputObjectType StringOperations(SchemaBuilder builder, string name, GraphType scalar, bool isId) =>
        Operations(builder, name, scalar, isId ? ["eq", "neq", "in", "nin"]
            : ["eq", "neq", "contains", "ncontains", "in", "nin", "startsWith", "nstartsWith", "endsWith", "nendsWith"]);

    private static InputObjectType Operations(SchemaBuilder builder, string name, GraphType scalar, string[] operations)
    {
        if (builder.FindInput(name) is { } existing) return existing;
        var type = new InputObjectType(name);
        builder.RegisterType(type);
        type.Fields.Add(new ArgumentDefinition("and", type.NonNull().ListOf()));
        type.Fields.Add(new ArgumentDefinition("or", type.NonNull().ListOf()));
        foreach (var op in operations)
            type.Fields.Add(new ArgumentDefinition(op, op is "in" or "nin" ? scalar.ListOf() : scalar));
        return type;
    }

    private static InputObjectType CreateListOperations(SchemaBuilder builder, string name, InputObjectType element)
    {
        var type = new InputObjectType(name);
        builder.RegisterType(type);
        type.Fields.Add(new ArgumentDefinition("all", element));
        type.Fields.Add(new ArgumentDefinition("none", element));
        type.Fields.Add(new ArgumentDefinition("some", element));
        type.Fields.Add(new ArgumentDefinition("any", Scalars.Boolean));
        return type;
    }
}
