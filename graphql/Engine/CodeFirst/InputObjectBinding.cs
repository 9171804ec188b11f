using System.Reflection;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Binds an input object type to a CLR class or record: fields from settable properties and constructor parameters.</summary>
internal static class InputObjectBinding
{
    public static void Bind(SchemaBuilder builder, InputObjectType type, Type clr)
    {
        var properties = clr.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<GraphQLIgnoreAttribute>() is null)
            .ToList();
        var constructor = clr.GetConstructor(Type.EmptyTypes)
            ?? clr.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Input type {clr.Name} needs a public constructor.");
        var ctorParameters = constructor.GetParameters();
        var byParameter = ctorParameters.ToDictionary(p => p.Name!, StringComparer.OrdinalIgnoreCase);

        var setters = new List<(string Name, Action<object, object?> Set, Func<object?, object?> Convert)>();
        foreach (var property in properties)
        {
            bool inConstructor = byParameter.ContainsKey(property.Name);
            if (!inConstructor && (property.SetMethod is null || !property.SetMethod.IsPublic)) continue;
            var name = property.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.CamelCase(property.Name);
            var info = builder.Nullability(property);
            var isId = property.GetCustomAttribute<IDAttribute>() is not null;
            var field = new ArgumentDefinition(name, builder.Input(property.PropertyType, info, isId))
            {
                Description = SchemaBuilder.Describe(property),
                Getter = Accessors.Getter(property),
            };
            if (inConstructor && byParameter[property.Name] is { HasDefaultValue: true, DefaultValue: not null } p)
            {
                field.HasDefaultValue = true;
                field.DefaultValue = p.DefaultValue;
            }
            type.Fields.Add(field);
            if (!inConstructor) setters.Add((name, Accessors.Setter(property), ClrConverter.For(property.PropertyType)));
        }

        var invoke = Accessors.Invoker(constructor);
        var arguments = ctorParameters.Select(p =>
        {
            var property = properties.FirstOrDefault(x => string.Equals(x.Name, p.Name, StringComparison.OrdinalIgnoreCase));
            var name = property?.GetCustomAttribute<GraphQLNameAttribute>()?.Name ?? Naming.CamelCase(property?.Name ?? p.Name!);
            object? fallback = p.HasDefaultValue ? p.DefaultValue : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null;
            return (Name: name, Convert: ClrConverter.For(p.ParameterType), Fallback: fallback);
        }).ToArray();

        type.Build = values =>
        {
            var args = new object?[arguments.Length];
            for (int i = 0; i < args.Length; i++)
                args[i] = values.TryGetValue(arguments[i].Name, out var v) ? arguments[i].Convert(v) : arguments[i].Fallback;
            var instance = invoke(null, args)!;
            foreach (var (name, set, convert) in setters)
                if (values.TryGetValue(name, out var value)) set(instance, convert(value));
            return instance;
        };
    }
}
