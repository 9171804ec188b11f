using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation.Rules;

/// <summary>Directive definitions known to a document: the schema's, plus those the document itself defines.</summary>
internal static class KnownDirectiveDefinitions
{
    /// <summary>A directive as rules need it, from the schema or from a definition in the document.</summary>
    public sealed record Known(string Name, IReadOnlyList<string> Locations, bool Repeatable, IReadOnlyList<(string Name, string Type, bool Required)> Arguments);

    /// <summary>The directive named so: a definition in the document wins over the schema's, as in graphql-js.</summary>
    public static Known? Find(ValidationContext context, string name)
    {
        Known? found = null;
        foreach (var def in context.Document.Definitions)
            if (def is DirectiveDefinitionNode dd && dd.Name.Value == name)
                found = new Known(dd.Name.Value, dd.Locations.Select(l => l.Value).ToList(), dd.Repeatable,
                    dd.Arguments.Select(a => (a.Name.Value, Printer.Print(a.Type), a.Type is NonNullTypeNode && a.DefaultValue is null)).ToList());
        if (found is not null) return found;
        return context.Schema.GetDirective(name) is { } d
            ? new Known(d.Name, d.Locations.Select(l => l.ToGraphQLName()).ToList(), d.IsRepeatable,
                d.Arguments.Select(a => (a.Name, a.Type.ToString(), a.IsRequired)).ToList())
            : null;
    }

    /// <summary>Per-validation memo of <see cref="Find"/>, so each directive name is resolved once.</summary>
    public sealed class Cache(ValidationContext context)
    {
        private readonly Dictionary<string, Known?> _byName = new(StringComparer.Ordinal);

        public Known? this[string name]
        {
            get
            {
                if (!_byName.TryGetValue(name, out var known)) _byName[name] = known = Find(context, name);
                return known;
            }
        }
    }

    /// <summary>The directives written on a node, if it can carry any.</summary>
    public static IReadOnlyList<DirectiveNode>? DirectivesOf(Node node) => node switch
    {
        OperationDefinitionNode n => n.Directives,
        VariableDefinitionNode n => n.Directives,
        FieldNode n => n.Directives,
        FragmentSpreadNode n => n.Directives,
        InlineFragmentNode n => n.Directives,
        FragmentDefinitionNode n => n.Directives,
        SchemaDefinitionNode n => n.Directives,
        SchemaExtensionNode n => n.Directives,
        ITypeDefinitionOrExtension n => n.Directives,
        FieldDefinitionNode n => n.Directives,
        InputValueDefinitionNode n => n.Directives,
        EnumValueDefinitionNode n => n.Directives,
        _ => null,
    };
}

/// <summary>Directives are defined and used in allowed locations.</summary>
public sealed class KnownDirectivesRule : ValidationRule
{
    private KnownDirectiveDefinitions.Cache? _known;

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not DirectiveNode directive) return true;
        _known ??= new KnownDirectiveDefinitions.Cache(context);
        var name = directive.Name.Value;
        if (_known[name]?.Locations is not { } locations)
        {
            context.ReportError($"Unknown directive \"@{name}\".", directive);
            return true;
        }
        var candidate = LocationOf(ancestors);
        if (candidate is not null && !locations.Contains(candidate))
            context.ReportError($"Directive \"@{name}\" may not be used on {candidate}.", directive);
        return true;
    }

    private static string? LocationOf(IReadOnlyList<Node> ancestors)
    {
        if (ancestors.Count == 0) return null;
        return ancestors[^1] switch
        {
            OperationDefinitionNode op => op.Operation switch
            {
                OperationType.Query => "QUERY",
                OperationType.Mutation => "MUTATION",
                _ => "SUBSCRIPTION",
            },
            FieldNode => "FIELD",
            FragmentSpreadNode => "FRAGMENT_SPREAD",
            InlineFragmentNode => "INLINE_FRAGMENT",
            FragmentDefinitionNode => "FRAGMENT_DEFINITION",
            VariableDefinitionNode => "VARIABLE_DEFINITION",
            SchemaDefinitionNode or SchemaExtensionNode => "SCHEMA",
            ScalarTypeDefinitionNode or ScalarTypeExtensionNode => "SCALAR",
            ObjectTypeDefinitionNode or ObjectTypeExtensionNode => "OBJECT",
            FieldDefinitionNode => "FIELD_DEFINITION",
            InterfaceTypeDefinitionNode or InterfaceTypeExtensionNode => "INTERFACE",
            UnionTypeDefinitionNode or UnionTypeExtensionNode => "UNION",
            EnumTypeDefinitionNode or EnumTypeExtensionNode => "ENUM",
            EnumValueDefinitionNode => "ENUM_VALUE",
            InputObjectTypeDefinitionNode or InputObjectTypeExtensionNode => "INPUT_OBJECT",
            InputValueDefinitionNode => ancestors.Count > 1 && ancestors[^2] is InputObjectTypeDefinitionNode or InputObjectTypeExtensionNode
                ? "INPUT_FIELD_DEFINITION"
                : "ARGUMENT_DEFINITION",
            _ => null,
        };
    }
}

/// <summary>A non-repeatable directive appears at most once per location.</summary>
public sealed class UniqueDirectivesPerLocationRule : ValidationRule
{
    private KnownDirectiveDefinitions.Cache? _known;
    private readonly Dictionary<string, DirectiveNode> _schemaDirectives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DirectiveNode>> _typeDirectives = new(StringComparer.Ordinal);

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        var directives = KnownDirectiveDefinitions.DirectivesOf(node);
        if (directives is null || directives.Count == 0) return true;
        _known ??= new KnownDirectiveDefinitions.Cache(context);
        Dictionary<string, DirectiveNode> seen;
        if (node is SchemaDefinitionNode or SchemaExtensionNode) seen = _schemaDirectives;
        else if (node is ITypeDefinitionOrExtension t)
        {
            if (!_typeDirectives.TryGetValue(t.Name.Value, out seen!)) _typeDirectives[t.Name.Value] = seen = new(StringComparer.Ordinal);
        }
        else seen = new(StringComparer.Ordinal);
        foreach (var directive in directives)
        {
            var name = directive.Name.Value;
            if (_known[name] is not { Repeatable: false }) continue;
            if (seen.TryGetValue(name, out var first))
                context.ReportError($"The directive \"@{name}\" can only be used once at this location.", first, directive);
            else seen[name] = directive;
        }
        return true;
    }
}

/// <summary>Arguments given to fields and directives are defined.</summary>
public sealed class KnownArgumentNamesRule : ValidationRule
{
    private KnownDirectiveDefinitions.Cache? _directives;

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        switch (node)
        {
            case DirectiveNode directive when directive.Arguments.Count > 0:
                _directives ??= new KnownDirectiveDefinitions.Cache(context);
                if (_directives[directive.Name.Value] is { } definition)
                {
                    var known = definition.Arguments.Select(a => a.Name).ToList();
                    foreach (var arg in directive.Arguments)
                    {
                        if (known.Contains(arg.Name.Value)) continue;
                        context.ReportError($"Unknown argument \"{arg.Name.Value}\" on directive \"@{directive.Name.Value}\"."
                            + Suggestions.DidYouMean(Suggestions.List(arg.Name.Value, known)), arg);
                    }
                }
                break;
            case ArgumentNode argument:
                var info = context.TypeInfo;
                if (info.Argument is null && info.Directive is null && info.FieldDef is { } fieldDef && info.ParentType is { } parentType
                    && ancestors.Count > 0 && ancestors[^1] is FieldNode)
                {
                    context.ReportError($"Unknown argument \"{argument.Name.Value}\" on field \"{parentType.Name}.{fieldDef.Name}\"."
                        + Suggestions.DidYouMean(Suggestions.List(argument.Name.Value, fieldDef.Arguments.Select(a => a.Name))), argument);
                }
                break;
        }
        return true;
    }
}

/// <summary>An argument is given at most once per field or directive.</summary>
public sealed class UniqueArgumentNamesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        var arguments = node switch
        {
            FieldNode f => f.Arguments,
            DirectiveNode d => d.Arguments,
            _ => null,
        };
        if (arguments is { Count: > 1 } && HasDuplicate(arguments))
        {
            foreach (var group in arguments.GroupBy(a => a.Name.Value, StringComparer.Ordinal))
            {
                var list = group.ToList();
                if (list.Count > 1)
                    context.ReportError($"There can be only one argument named \"{group.Key}\".", list.Select(a => (Node?)a.Name).ToArray());
            }
        }
        return true;
    }

    // Argument lists are short: a quadratic scan beats grouping, and allocates nothing.
    private static bool HasDuplicate(IReadOnlyList<ArgumentNode> arguments)
    {
        for (var i = 1; i < arguments.Count; i++)
            for (var j = 0; j < i; j++)
                if (arguments[i].Name.Value == arguments[j].Name.Value) return true;
        return false;
    }
}

/// <summary>Required arguments (non-null without default) are given.</summary>
public sealed class ProvidedRequiredArgumentsRule : ValidationRule
{
    private KnownDirectiveDefinitions.Cache? _directives;

    public override void Leave(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        switch (node)
        {
            case FieldNode field:
                if (context.TypeInfo.FieldDef is not { } fieldDef) return;
                foreach (var argDef in fieldDef.Arguments)
                {
                    if (!argDef.IsRequired || field.Arguments.Any(a => a.Name.Value == argDef.Name)) continue;
                    context.ReportError($"Field \"{fieldDef.Name}\" argument \"{argDef.Name}\" of type \"{argDef.Type}\" is required, but it was not provided.", field);
                }
                break;
            case DirectiveNode directive:
                _directives ??= new KnownDirectiveDefinitions.Cache(context);
                if (_directives[directive.Name.Value] is not { } definition) return;
                foreach (var arg in definition.Arguments)
                {
                    if (!arg.Required) continue;
                    if (directive.Arguments.Any(a => a.Name.Value == arg.Name)) continue;
                    context.ReportError($"Directive \"@{directive.Name.Value}\" argument \"{arg.Name}\" of type \"{arg.Type}\" is required, but it was not provided.", directive);
                }
                break;
        }
    }
}
