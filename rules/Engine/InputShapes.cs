using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json;

namespace Actors.Rules;

/// <summary>
/// Gives dictionary-shaped inputs (ExpandoObject, Dictionary&lt;string, object&gt;, JSON objects) a real CLR type, as RulesEngine does,
/// so expressions over them are bound and compiled like expressions over typed inputs. One type per shape, cached.
/// </summary>
public static class InputShapes
{
    static readonly ModuleBuilder Module = AssemblyBuilder
        .DefineDynamicAssembly(new AssemblyName("Actors.Rules.InputShapes"), AssemblyBuilderAccess.Run)
        .DefineDynamicModule("Shapes");
    static readonly ConcurrentDictionary<string, Type> TypesByShape = new();
    static int counter;

    /// <summary>True when <paramref name="value"/> is dictionary-shaped and needs <see cref="ToTyped"/>.</summary>
    public static bool NeedsShaping(object? value) => value switch
    {
        IDictionary<string, object?> => true,
        JsonElement { ValueKind: JsonValueKind.Object or JsonValueKind.Array } => true,
        IList list => IsLooselyTyped(list.GetType()),
        _ => false,
    };

    /// <summary>Converts a dictionary-shaped value (recursively) into an instance of a generated type with one public field per key.</summary>
    public static object? ToTyped(object? value)
    {
        switch (value)
        {
            case null: return null;
            case IDictionary<string, object?> dict:
                {
                    // Keys become field names; an empty key cannot be named in an expression anyway.
                    var fields = dict.Where(p => p.Key.Length > 0).Select(p => (p.Key, Value: ToTyped(p.Value))).ToList();
                    var type = TypeFor(fields.Select(f => (f.Key, f.Value?.GetType() ?? typeof(object))).ToList());
                    var instance = Activator.CreateInstance(type)!;
                    foreach (var (key, v) in fields) type.GetField(key)!.SetValue(instance, v);
                    return instance;
                }
            case JsonElement element:
                return element.ValueKind switch
                {
                    JsonValueKind.Object => ToTyped(element.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value)),
                    JsonValueKind.Array => ToTyped(element.EnumerateArray().Select(e => (object?)e).ToList()),
                    _ => WorkflowReader.ToPlain(element),
                };
            case IList list when IsLooselyTyped(list.GetType()):
                {
                    var items = list.Cast<object?>().Select(ToTyped).ToList();
                    var elementType = items.FirstOrDefault(i => i is not null)?.GetType() ?? typeof(object);
                    if (items.Any(i => i is not null && i.GetType() != elementType)) elementType = typeof(object);
                    var typed = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
                    foreach (var item in items) typed.Add(item);
                    return typed;
                }
            default: return value;
        }
    }

    /// <summary>Lists of object or of dictionaries get a typed element; lists of typed values stay as they are.</summary>
    static bool IsLooselyTyped(Type listType)
    {
        var element = listType.IsArray ? listType.GetElementType()
            : listType.GetInterfaces().Append(listType).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element is null || element == typeof(object) || typeof(IDictionary<string, object?>).IsAssignableFrom(element);
    }

    static Type TypeFor(List<(string Name, Type Type)> fields)
    {
        var signature = string.Join(";", fields.Select(f => f.Name + ":" + f.Type.AssemblyQualifiedName));
        return TypesByShape.GetOrAdd(signature, _ =>
        {
            lock (Module)
            {
                var builder = Module.DefineType($"Input{Interlocked.Increment(ref counter)}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class);
                foreach (var (name, type) in fields) builder.DefineField(name, type, FieldAttributes.Public);
                builder.DefineDefaultConstructor(MethodAttributes.Public);
                return builder.CreateType();
            }
        });
    }
}
