using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Types;

/// <summary>Where a directive may be applied; <see cref="DirectiveLocations"/> maps them to and from their GraphQL names.</summary>
public enum DirectiveLocation
{
    // executable
    Query, Mutation, Subscription, Field, FragmentDefinition, FragmentSpread, InlineFragment, VariableDefinition,
    // type system
    Schema, Scalar, Object, FieldDefinition, ArgumentDefinition, Interface, Union, Enum, EnumValue, InputObject, InputFieldDefinition,
}

/// <summary>GraphQL names of <see cref="DirectiveLocation"/> (<c>FIELD_DEFINITION</c> etc.).</summary>
public static class DirectiveLocations
{
    private static readonly string[] Names =
    [
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION",
        "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
        "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
    ];

    public static string ToGraphQLName(this DirectiveLocation location) => Names[(int)location];

    public static bool TryParse(string name, out DirectiveLocation location)
    {
        var index = Array.IndexOf(Names, name);
        location = (DirectiveLocation)Math.Max(index, 0);
        return index >= 0;
    }
}

/// <summary>A directive definition.</summary>
public sealed class GraphQLDirective(string name, IReadOnlyList<DirectiveLocation> locations) : SchemaElement(name)
{
    public IReadOnlyList<DirectiveLocation> Locations { get; } = locations;
    public NamedCollection<GraphQLArgument> Arguments { get; } = new(a => a.Name);
    public bool IsRepeatable { get; set; }
    public DirectiveDefinitionNode? AstNode { get; set; }

    public GraphQLArgument? GetArgument(string name) => Arguments[name];

    /// <summary>Whether this is one of the spec's directives (skip, include, deprecated, specifiedBy, oneOf).</summary>
    public bool IsBuiltIn => Name is "skip" or "include" or "deprecated" or "specifiedBy" or "oneOf";
}

/// <summary>The directives the specification defines. Each call creates fresh instances, so no schema shares mutable state.</summary>
public static class SpecifiedDirectives
{
    public const string DefaultDeprecationReason = "No longer supported";

    public static GraphQLDirective Skip() => WithIf("skip", "Directs the executor to skip this field or fragment when the `if` argument is true.", "Skipped when true.");
    public static GraphQLDirective Include() => WithIf("include", "Directs the executor to include this field or fragment only when the `if` argument is true.", "Included when true.");

    public static GraphQLDirective Deprecated()
    {
        var d = new GraphQLDirective("deprecated",
            [DirectiveLocation.FieldDefinition, DirectiveLocation.ArgumentDefinition, DirectiveLocation.InputFieldDefinition, DirectiveLocation.EnumValue])
        { Description = "Marks an element of a GraphQL schema as no longer supported." };
        d.Arguments.Add(new GraphQLArgument("reason", Scalars.String)
        {
            Description = "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).",
            DefaultValue = new StringValueNode(DefaultDeprecationReason),
        });
        return d;
    }

    public static GraphQLDirective SpecifiedBy()
    {
        var d = new GraphQLDirective("specifiedBy", [DirectiveLocation.Scalar]) { Description = "Exposes a URL that specifies the behavior of this scalar." };
        d.Arguments.Add(new GraphQLArgument("url", new GraphQLNonNullType(Scalars.String)) { Description = "The URL that specifies the behavior of this scalar." });
        return d;
    }

    public static GraphQLDirective OneOf() =>
        new("oneOf", [DirectiveLocation.InputObject]) { Description = "Indicates exactly one field must be supplied and this field must not be `null`." };

    /// <summary>skip, include, deprecated, specifiedBy, oneOf — in graphql-js's order.</summary>
    public static List<GraphQLDirective> All() => [Include(), Skip(), Deprecated(), SpecifiedBy(), OneOf()];

    private static GraphQLDirective WithIf(string name, string description, string argDescription)
    {
        var d = new GraphQLDirective(name, [DirectiveLocation.Field, DirectiveLocation.FragmentSpread, DirectiveLocation.InlineFragment])
        { Description = description };
        d.Arguments.Add(new GraphQLArgument("if", new GraphQLNonNullType(Scalars.Boolean)) { Description = argDescription });
        return d;
    }
}
