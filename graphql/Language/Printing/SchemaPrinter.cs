using System.Text;
using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Printing;

/// <summary>
/// SDL of a schema exactly as graphql-js 17's <c>printSchema</c> writes it: types in schema order, built-in scalars,
/// introspection types and specified directives left out, <c>schema { }</c> only when roots are not named
/// Query/Mutation/Subscription (or the schema has a description), descriptions as block strings when they can be,
/// default values as their literals.
/// </summary>
public static class SchemaPrinter
{
    public static string Print(GraphQLSchema schema)
    {
        var parts = new List<string>();
        if (SchemaDefinition(schema) is { } definition) parts.Add(definition);
        foreach (var directive in schema.Directives)
            if (!directive.IsBuiltIn) parts.Add(PrintDirective(directive));
        foreach (var type in schema.Types)
            if (!type.IsBuiltIn) parts.Add(PrintType(type));
        return string.Join("\n\n", parts);
    }

    private static string? SchemaDefinition(GraphQLSchema schema)
    {
        if (schema.Description is null && HasCommonRootNames(schema)) return null;
        var operationTypes = new List<string>();
        if (schema.QueryType is { } q) operationTypes.Add($"  query: {q.Name}");
        if (schema.MutationType is { } m) operationTypes.Add($"  mutation: {m.Name}");
        if (schema.SubscriptionType is { } s) operationTypes.Add($"  subscription: {s.Name}");
        return Description(schema.Description) + "schema {\n" + string.Join("\n", operationTypes) + "\n}";
    }

    private static bool HasCommonRootNames(GraphQLSchema schema) =>
        schema.QueryType is null or { Name: "Query" }
        && schema.MutationType is null or { Name: "Mutation" }
        && schema.SubscriptionType is null or { Name: "Subscription" };

    /// <summary>One named type's SDL.</summary>
    public static string PrintType(GraphQLNamedType type) => type switch
    {
        GraphQLScalarType scalar => Description(scalar.Description) + "scalar " + scalar.Name
            + (scalar.SpecifiedByUrl is { } url ? $" @specifiedBy(url: {DocumentWriter.PrintString(url)})" : ""),
        GraphQLObjectType obj => Description(obj.Description) + "type " + obj.Name + Implements(obj) + Fields(obj),
        GraphQLInterfaceType iface => Description(iface.Description) + "interface " + iface.Name + Implements(iface) + Fields(iface),
        GraphQLUnionType union => Description(union.Description) + "union " + union.Name
            + (union.Types.Count > 0 ? " = " + string.Join(" | ", union.Types.Select(t => t.Name)) : ""),
        GraphQLEnumType enumType => Description(enumType.Description) + "enum " + enumType.Name
            + Block(enumType.Values.Select((v, i) => Description(v.Description, "  ", i == 0) + "  " + v.Name + Deprecated(v.DeprecationReason))),
        GraphQLInputObjectType input => Description(input.Description) + "input " + input.Name + (input.IsOneOf ? " @oneOf" : "")
            + Block(input.Fields.Select((f, i) => Description(f.Description, "  ", i == 0) + "  " + InputValue(f))),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>One directive definition's SDL.</summary>
    public static string PrintDirective(GraphQLDirective directive) =>
        Description(directive.Description) + "directive @" + directive.Name + Args(directive.Arguments)
        + (directive.IsRepeatable ? " repeatable" : "") + " on " + string.Join(" | ", directive.Locations.Select(l => l.ToGraphQLName()));

    private static string Implements(GraphQLFieldsType type) =>
        type.Interfaces.Count > 0 ? " implements " + string.Join(" & ", type.Interfaces.Select(i => i.Name)) : "";

    private static string Fields(GraphQLFieldsType type) =>
        Block(type.Fields.Select((f, i) => Description(f.Description, "  ", i == 0) + "  " + f.Name + Args(f.Arguments, "  ")
            + ": " + f.Type + Deprecated(f.DeprecationReason)));

    private static string Block(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count != 0 ? " {\n" + string.Join("\n", list) + "\n}" : "";
    }

    private static string Args(IReadOnlyList<GraphQLArgument> args, string indentation = "")
    {
        if (args.Count == 0) return "";
        if (args.All(a => string.IsNullOrEmpty(a.Description)))
            return "(" + string.Join(", ", args.Select(InputValue)) + ")";
        var sb = new StringBuilder("(\n");
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0) sb.Append('\n');
            sb.Append(Description(args[i].Description, "  " + indentation, i == 0)).Append("  ").Append(indentation).Append(InputValue(args[i]));
        }
        return sb.Append('\n').Append(indentation).Append(')').ToString();
    }

    private static string InputValue(GraphQLInputValue value)
    {
        var decl = value.Name + ": " + value.Type;
        if (value.DefaultValue is { } defaultValue) decl += " = " + Printer.Print(defaultValue);
        return decl + Deprecated(value.DeprecationReason);
    }

    private static string Deprecated(string? reason) => reason switch
    {
        null => "",
        SpecifiedDirectives.DefaultDeprecationReason => " @deprecated",
        _ => $" @deprecated(reason: {DocumentWriter.PrintString(reason)})",
    };

    private static string Description(string? description, string indentation = "", bool firstInBlock = true)
    {
        if (description is null) return "";
        var literal = BlockStrings.IsPrintableAsBlockString(description)
            ? BlockStrings.Print(description)
            : DocumentWriter.PrintString(description);
        var prefix = indentation.Length > 0 && !firstInBlock ? "\n" + indentation : indentation;
        return prefix + literal.Replace("\n", "\n" + indentation) + "\n";
    }
}
