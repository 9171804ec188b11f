using System.Reflection;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.CodeFirst;

/// <summary>What a mutation under the conventions returns: its value, or the errors its [Error] exceptions became.</summary>
public sealed record MutationPayload(object? Value, IReadOnlyList<Exception>? Errors);

/// <summary>
/// Hot Chocolate's mutation conventions: <c>doThing(input: DoThingInput!): DoThingPayload!</c>, the payload holding the result
/// under the camelCase name of its type and, when the method declares [Error] exceptions, <c>errors: [DoThingError!]</c>.
/// </summary>
internal static class MutationConvention
{
    public static FieldDefinition Apply(SchemaBuilder builder, FieldDefinition field, MethodInfo method)
    {
        var pascal = char.ToUpperInvariant(field.Name[0]) + field.Name[1..];
        var input = new InputObjectType(pascal + "Input");
        foreach (var argument in field.Arguments) input.Fields.Add(argument);
        builder.RegisterType(input);

        var errorTypes = method.GetCustomAttributes<ErrorAttribute>().Select(a => a.ExceptionType)
            .Concat(method.GetCustomAttributes().Where(a => a.GetType().IsGenericType && a.GetType().GetGenericTypeDefinition() == typeof(ErrorAttribute<>))
                .Select(a => a.GetType().GetGenericArguments()[0]))
            .ToList();

        var payload = builder.NewObjectType(pascal + "Payload");
        var valueName = Naming.CamelCase(field.Type.Named.Name);
        payload.Fields.Add(new FieldDefinition(valueName, field.Type.Nullable) { Getter = o => ((MutationPayload)o).Value });
        if (errorTypes.Count > 0)
        {
            var union = new UnionType(pascal + "Error");
            foreach (var exceptionType in errorTypes) union.Types.Add(ErrorType(builder, exceptionType));
            builder.RegisterType(union);
            payload.Fields.Add(new FieldDefinition("errors", union.NonNull().ListOf()) { Getter = o => ((MutationPayload)o).Errors });
        }

        var resolve = field.Resolver!;
        var converted = new FieldDefinition(field.Name, payload.NonNull())
        {
            Description = field.Description,
            DeprecationReason = field.DeprecationReason,
            Authorization = field.Authorization,
            Cost = field.Cost,
        };
        converted.Arguments.Add(new ArgumentDefinition("input", input.NonNull()));
        converted.Resolver = async ctx =>
        {
            var arguments = (IReadOnlyDictionary<string, object?>)ctx.Arguments["input"]!;
            var inner = new ResolverContext(ctx.Request, ctx.ObjectType, field, ctx.Selection, ctx.Selections, ctx.Parent, arguments, ctx.Path);
            try
            {
                return new MutationPayload(await resolve(inner), null);
            }
            catch (Exception e) when (errorTypes.Any(t => t.IsInstanceOfType(e)))
            {
                return new MutationPayload(null, [e]);
            }
        };
        return converted;
    }

    private static ObjectType ErrorType(SchemaBuilder builder, Type exceptionType)
    {
        var name = exceptionType.Name.EndsWith("Exception", StringComparison.Ordinal) ? exceptionType.Name[..^"Exception".Length] + "Error" : exceptionType.Name + "Error";
        if (builder.FindNamed(name) is ObjectType existing) return existing;
        var errorInterface = builder.FindNamed("Error") as InterfaceType;
        if (errorInterface is null)
        {
            errorInterface = new InterfaceType("Error");
            errorInterface.Fields.Add(new FieldDefinition("message", Scalars.String.NonNull()));
            builder.RegisterType(errorInterface);
        }
        var type = builder.NewObjectType(name);
        type.ClrType = exceptionType;
        type.Interfaces.Add(errorInterface);
        type.Fields.Add(new FieldDefinition("message", Scalars.String.NonNull()) { Getter = e => ((Exception)e).Message });
        foreach (var property in exceptionType.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0) continue;
            var fieldName = Naming.CamelCase(property.Name);
            if (type.Fields.Find(fieldName) is not null) continue;
            type.Fields.Add(new FieldDefinition(fieldName, builder.Output(property.PropertyType, builder.Nullability(property), false)) { Getter = Accessors.Getter(property) });
        }
        return type;
    }
}
