using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.Introspection;

/// <summary>The introspection types (<c>__Schema</c>, <c>__Type</c>, ...) and the root meta-fields, resolving over the type model.</summary>
internal sealed class IntrospectionFields
{
    public FieldDefinition SchemaField { get; }
    public FieldDefinition TypeField { get; }
    public IReadOnlyList<NamedType> Types { get; }

    public IntrospectionFields()
    {
        var typeKind = new EnumType("__TypeKind") { Description = "An enum describing what kind of type a given `__Type` is." };
        foreach (TypeKind kind in Enum.GetValues<TypeKind>())
            typeKind.Add(new EnumValueDefinition(kind switch
            {
                TypeKind.InputObject => "INPUT_OBJECT",
                TypeKind.NonNull => "NON_NULL",
                _ => kind.ToString().ToUpperInvariant(),
            }, kind));

        var directiveLocation = new EnumType("__DirectiveLocation") { Description = "A Directive can be adjacent to many parts of the GraphQL language." };
        foreach (var location in new[] { "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
                     "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION",
                     "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION" })
            directiveLocation.Add(new EnumValueDefinition(location, location));

        var schemaType = new ObjectType("__Schema") { Description = "A GraphQL Schema defines the capabilities of a GraphQL server." };
        var type = new ObjectType("__Type") { Description = "The fundamental unit of any GraphQL Schema is the type." };
        var field = new ObjectType("__Field") { Description = "Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type." };
        var inputValue = new ObjectType("__InputValue") { Description = "Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value." };
        var enumValue = new ObjectType("__EnumValue") { Description = "One possible value for a given Enum." };
        var directive = new ObjectType("__Directive") { Description = "A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document." };

        GraphType String = Scalars.String, Boolean = Scalars.Boolean;
        GraphType NonNullList(GraphType t) => t.NonNull().ListOf().NonNull();

        // __Schema
        Add(schemaType, "description", String, c => ((Schema)c.Parent!).Description);
        Add(schemaType, "types", NonNullList(type), c => ((Schema)c.Parent!).Types.Values.ToList());
        Add(schemaType, "queryType", type.NonNull(), c => ((Schema)c.Parent!).Query);
        Add(schemaType, "mutationType", type, c => ((Schema)c.Parent!).Mutation);
        Add(schemaType, "subscriptionType", type, c => ((Schema)c.Parent!).Subscription);
        Add(schemaType, "directives", NonNullList(directive), c => ((Schema)c.Parent!).Directives);

        // __Type
        Add(type, "kind", typeKind.NonNull(), c => ((GraphType)c.Parent!).Kind);
        Add(type, "name", String, c => (c.Parent as NamedType)?.Name);
        Add(type, "description", String, c => (c.Parent as NamedType)?.Description);
        Add(type, "specifiedByURL", String, c => (c.Parent as ScalarType)?.SpecifiedByUrl);
        Add(type, "fields", field.NonNull().ListOf(), c => c.Parent is IFieldsType f
            ? f.Fields.Where(x => !x.Name.StartsWith("__", StringComparison.Ordinal) && (IncludeDeprecated(c) || x.DeprecationReason is null)).ToList()
            : null, IncludeDeprecatedArgument());
        Add(type, "interfaces", type.NonNull().ListOf(), c => (c.Parent as IFieldsType)?.Interfaces);
        Add(type, "possibleTypes", type.NonNull().ListOf(), c => c.Parent is InterfaceType or UnionType ? c.Request.Schema.PossibleTypes((NamedType)c.Parent) : null);
        Add(type, "enumValues", enumValue.NonNull().ListOf(), c => c.Parent is EnumType e
            ? e.Values.Where(x => IncludeDeprecated(c) || x.DeprecationReason is null).ToList() : null, IncludeDeprecatedArgument());
        Add(type, "inputFields", inputValue.NonNull().ListOf(), c => c.Parent is InputObjectType i
            ? i.Fields.Where(x => IncludeDeprecated(c) || x.DeprecationReason is null).ToList() : null, IncludeDeprecatedArgument());
        Add(type, "ofType", type, c => c.Parent switch { ListType l => l.OfType, NonNullType n => n.OfType, _ => null });
        Add(type, "isOneOf", Boolean, c => c.Parent is InputObjectType i ? i.IsOneOf : null);

        // __Field
        Add(field, "name", String.NonNull(), c => ((FieldDefinition)c.Parent!).Name);
        Add(field, "description", String, c => ((FieldDefinition)c.Parent!).Description);
        Add(field, "args", NonNullList(inputValue), c => ((FieldDefinition)c.Parent!).Arguments
            .Where(x => IncludeDeprecated(c) || x.DeprecationReason is null).ToList(), IncludeDeprecatedArgument());
        Add(field, "type", type.NonNull(), c => ((FieldDefinition)c.Parent!).Type);
        Add(field, "isDeprecated", Boolean.NonNull(), c => ((FieldDefinition)c.Parent!).DeprecationReason is not null);
        Add(field, "deprecationReason", String, c => ((FieldDefinition)c.Parent!).DeprecationReason);

        // __InputValue
        Add(inputValue, "name", String.NonNull(), c => ((ArgumentDefinition)c.Parent!).Name);
        Add(inputValue, "description", String, c => ((ArgumentDefinition)c.Parent!).Description);
        Add(inputValue, "type", type.NonNull(), c => ((ArgumentDefinition)c.Parent!).Type);
        Add(inputValue, "defaultValue", String, c => c.Parent is ArgumentDefinition { HasDefaultValue: true } a ? ValuePrinter.Print(a.DefaultValue, a.Type) : null);
        Add(inputValue, "isDeprecated", Boolean.NonNull(), c => ((ArgumentDefinition)c.Parent!).DeprecationReason is not null);
        Add(inputValue, "deprecationReason", String, c => ((ArgumentDefinition)c.Parent!).DeprecationReason);

        // __EnumValue
        Add(enumValue, "name", String.NonNull(), c => ((EnumValueDefinition)c.Parent!).Name);
        Add(enumValue, "description", String, c => ((EnumValueDefinition)c.Parent!).Description);
        Add(enumValue, "isDeprecated", Boolean.NonNull(), c => ((EnumValueDefinition)c.Parent!).DeprecationReason is not null);
        Add(enumValue, "deprecationReason", String, c => ((EnumValueDefinition)c.Parent!).DeprecationReason);

        // __Directive
        Add(directive, "name", String.NonNull(), c => ((DirectiveDefinition)c.Parent!).Name);
        Add(directive, "description", String, c => ((DirectiveDefinition)c.Parent!).Description);
        Add(directive, "isRepeatable", Boolean.NonNull(), c => ((DirectiveDefinition)c.Parent!).IsRepeatable);
        Add(directive, "locations", NonNullList(directiveLocation), c => ((DirectiveDefinition)c.Parent!).Locations);
        Add(directive, "args", NonNullList(inputValue), c => ((DirectiveDefinition)c.Parent!).Arguments
            .Where(x => IncludeDeprecated(c) || x.DeprecationReason is null).ToList(), IncludeDeprecatedArgument());

        SchemaField = new FieldDefinition("__schema", schemaType.NonNull())
        {
            Description = "Access the current type schema of this server.",
            Resolver = c => new ValueTask<object?>(c.Request.Schema),
        };
        TypeField = new FieldDefinition("__type", type)
        {
            Description = "Request the type information of a single type.",
            Resolver = c => new ValueTask<object?>(c.Request.Schema.FindType(c.Argument<string>("name")!)),
        };
        TypeField.Arguments.Add(new ArgumentDefinition("name", String.NonNull()));

        Types = [schemaType, type, typeKind, field, inputValue, enumValue, directive, directiveLocation];
    }

    private static bool IncludeDeprecated(ResolverContext c) => c.Argument<bool>("includeDeprecated");

    private static ArgumentDefinition IncludeDeprecatedArgument() =>
        new("includeDeprecated", Scalars.Boolean) { HasDefaultValue = true, DefaultValue = false };

    private static void Add(ObjectType owner, string name, GraphType type, Func<ResolverContext, object?> resolve, ArgumentDefinition? argument = null)
    {
        var definition = new FieldDefinition(name, type) { Resolver = c => new ValueTask<object?>(resolve(c)) };
        if (argument is not null) definition.Arguments.Add(argument);
        owner.Fields.Add(definition);
    }
}

/// <summary>Prints coerced input values as GraphQL literals, as introspection's <c>defaultValue</c> needs.</summary>
public static class ValuePrinter
{
    public static string Print(object? value, GraphType type)
    {
        var builder = new StringBuilder();
        Write(builder, value, type);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object? value, GraphType type)
    {
        if (value is null) { builder.Append("null"); return; }
        switch (type)
        {
            case NonNullType n: Write(builder, value, n.OfType); return;
            case ListType l:
                if (value is IEnumerable items and not string)
                {
                    builder.Append('[');
                    bool first = true;
                    foreach (var item in items)
                    {
                        if (!first) builder.Append(", ");
                        first = false;
                        Write(builder, item, l.OfType);
                    }
                    builder.Append(']');
                }
                else Write(builder, value, l.OfType);
                return;
            case ScalarType s: builder.Append(s.PrintLiteral(value)); return;
            case EnumType e: builder.Append(e.FindByValue(value)?.Name ?? value.ToString()); return;
            case InputObjectType input:
                builder.Append('{');
                bool firstField = true;
                foreach (var field in input.Fields)
                {
                    object? fieldValue;
                    if (value is IDictionary<string, object?> d) { if (!d.TryGetValue(field.Name, out fieldValue)) continue; }
                    else if (field.Getter is { } getter) fieldValue = getter(value);
                    else continue;
                    if (!firstField) builder.Append(", ");
                    firstField = false;
                    builder.Append(field.Name).Append(": ");
                    Write(builder, fieldValue, field.Type);
                }
                builder.Append('}');
                return;
            default:
                builder.Append(JsonSerializer.Serialize(Convert.ToString(value, CultureInfo.InvariantCulture)));
                return;
        }
    }
}
