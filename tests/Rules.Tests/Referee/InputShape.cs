using System.Collections;
using System.Linq.Dynamic.Core;
using System.Text.Json;
using FsCheck.Fluent;

namespace Actors.Rules.Tests.Referee;

/// <summary>
/// The CLR shape of one input, read off every case of a tests file: grains pass typed objects (strings, ints,
/// decimals, lists of them), so the typed run gives both engines objects of one generated class per input, with the
/// type each member has in every case (an array empty in one case takes its element type from the others).
/// </summary>
public sealed class InputShape
{
    enum Kind { Unknown, String, Bool, Int, Decimal, List, Object }

    Kind kind;
    InputShape? element;
    readonly SortedDictionary<string, InputShape> members = new(StringComparer.Ordinal);
    readonly List<object> samples = [];
    Type? clrType;

    /// <summary>Widens the shape with one more value as a case writes it (plain JSON values: string, long, double, bool, lists, dictionaries).</summary>
    public void Add(object? value)
    {
        switch (value)
        {
            case null: break;
            case string s: kind = Kind.String; samples.Add(s); break;
            case bool b: kind = Kind.Bool; samples.Add(b); break;
            case long l: kind = kind == Kind.Decimal ? Kind.Decimal : Kind.Int; samples.Add(l); break;
            case double d: kind = Kind.Decimal; samples.Add(d); break;
            case IDictionary<string, object?> dict:
                kind = Kind.Object;
                foreach (var (key, member) in dict)
                {
                    if (!members.TryGetValue(key, out var shape)) members[key] = shape = new InputShape();
                    shape.Add(member);
                }
                break;
            case IList list:
                kind = Kind.List;
                element ??= new InputShape();
                foreach (var item in list) element.Add(item);
                break;
        }
    }

    /// <summary>The CLR type: a Dynamic LINQ class for objects, List&lt;T&gt; for arrays (of string when never seen with an element).</summary>
    public Type ClrType => clrType ??= kind switch
    {
        Kind.String or Kind.Unknown => typeof(string),
        Kind.Bool => typeof(bool),
        Kind.Int => typeof(int),
        Kind.Decimal => typeof(decimal),
        Kind.List => typeof(List<>).MakeGenericType(element!.ClrType),
        _ => DynamicClassFactory.CreateType(members.Select(m => new DynamicProperty(m.Key, m.Value.ClrType)).ToList(), false),
    };

    /// <summary>A typed instance of a plain value of this shape; members the value lacks keep their default.</summary>
    public object? Typed(object? value)
    {
        if (value is null) return ClrType.IsValueType ? Activator.CreateInstance(ClrType) : null;
        switch (kind)
        {
            case Kind.String or Kind.Unknown: return value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            case Kind.Bool: return (bool)value;
            case Kind.Int: return Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            case Kind.Decimal: return Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture);
            case Kind.List:
                var list = (IList)Activator.CreateInstance(ClrType)!;
                foreach (var item in (IList)value) list.Add(element!.Typed(item));
                return list;
            default:
                var instance = Activator.CreateInstance(ClrType)!;
                var dict = (IDictionary<string, object?>)value;
                foreach (var (name, shape) in members)
                    ClrType.GetProperty(name)!.SetValue(instance, shape.Typed(dict.TryGetValue(name, out var v) ? v : null));
                return instance;
        }
    }

    /// <summary>Plain values of this shape: scalars near the ones the cases use, lists of any length up to four.</summary>
    public FsCheck.Gen<object?> Values()
    {
        switch (kind)
        {
            case Kind.Bool: return FsCheck.Fluent.Gen.Elements<object?>(true, false);
            case Kind.String:
                return FsCheck.Fluent.Gen.Frequency(
                    (6, FsCheck.Fluent.Gen.Elements(samples.Distinct().ToArray()).Select(s => (object?)s)),
                    (1, FsCheck.Fluent.Gen.Elements<object?>("", "Other", "x")));
            case Kind.Int:
            case Kind.Decimal:
                var seen = samples.Select(s => Convert.ToDecimal(s, System.Globalization.CultureInfo.InvariantCulture)).Append(0m).ToArray();
                var near = FsCheck.Fluent.Gen.Elements(seen).SelectMany(s => FsCheck.Fluent.Gen.Choose(-3, 3).Select(d => s + d));
                var scalars = kind == Kind.Int
                    ? near.Select(n => (object?)(long)n)
                    : FsCheck.Fluent.Gen.Frequency((3, near.Select(n => (object?)(double)n)), (1, near.Select(n => (object?)((double)n + 0.5))));
                return scalars;
            case Kind.List:
                return FsCheck.Fluent.Gen.Choose(0, 4).SelectMany(n => FsCheck.Fluent.Gen.ListOf(element!.Values(), n)).Select(l => (object?)l.ToList<object?>());
            case Kind.Object:
                var gen = FsCheck.Fluent.Gen.Constant(new Dictionary<string, object?>(StringComparer.Ordinal));
                foreach (var (name, shape) in members)
                    gen = gen.SelectMany(d => shape.Values().Select(v => new Dictionary<string, object?>(d, StringComparer.Ordinal) { [name] = v }));
                return gen.Select(d => (object?)d);
            default: return FsCheck.Fluent.Gen.Constant<object?>(null);
        }
    }

    /// <summary>The shapes of every input of a tests file, by input name.</summary>
    public static Dictionary<string, InputShape> Of(IEnumerable<WorkflowTestCase> cases)
    {
        var shapes = new Dictionary<string, InputShape>(StringComparer.Ordinal);
        foreach (var testCase in cases)
            foreach (var (name, value) in testCase.Inputs)
            {
                if (!shapes.TryGetValue(name, out var shape)) shapes[name] = shape = new InputShape();
                shape.Add(WorkflowReader.ToPlain(value));
            }
        return shapes;
    }

    /// <summary>JSON of a case's inputs as plain values (what analysts write).</summary>
    public static object? Plain(JsonElement value) => WorkflowReader.ToPlain(value);
}
