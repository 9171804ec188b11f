using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation.Rules;

/// <summary>Named types exist in the schema (or the document).</summary>
public sealed class KnownTypeNamesRule : ValidationRule
{
    private static readonly string[] StandardTypeNames =
        ["String", "Int", "Float", "Boolean", "ID", "__Schema", "__Directive", "__DirectiveLocation", "__Type", "__Field", "__InputValue", "__EnumValue", "__TypeKind"];

    private HashSet<string>? _documentTypeNames;

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not NamedTypeNode named) return true;
        var typeName = named.Name.Value;
        // Executable documents rarely define types: look the schema up first, the document only when needed.
        if (context.Schema.GetType(typeName) is not null) return true;
        _documentTypeNames ??= context.Document.Definitions.OfType<TypeDefinitionNode>().Select(t => t.Name.Value).ToHashSet(StringComparer.Ordinal);
        if (_documentTypeNames.Contains(typeName)) return true;
        var definitionNode = ancestors.Count > 1 ? ancestors[1] : ancestors.Count > 0 ? ancestors[^1] : null;
        var isSdl = definitionNode is TypeSystemDefinitionNode;
        if (isSdl && StandardTypeNames.Contains(typeName)) return true;
        var known = context.Schema.Types.Select(t => t.Name).Concat(_documentTypeNames).Distinct(StringComparer.Ordinal);
        var suggestions = Suggestions.List(typeName, isSdl ? StandardTypeNames.Concat(known) : known);
        context.ReportError($"Unknown type \"{typeName}\"." + Suggestions.DidYouMean(suggestions), named);
        return true;
    }
}

/// <summary>Fragments condition on objects, interfaces or unions.</summary>
public sealed class FragmentsOnCompositeTypesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        switch (node)
        {
            case InlineFragmentNode { TypeCondition: { } condition }:
                if (context.Schema.TypeFromAst(condition) is { IsCompositeType: false })
                    context.ReportError($"Fragment cannot condition on non composite type \"{Printer.Print(condition)}\".", condition);
                break;
            case FragmentDefinitionNode fragment:
                if (context.Schema.TypeFromAst(fragment.TypeCondition) is { IsCompositeType: false })
                    context.ReportError($"Fragment \"{fragment.Name.Value}\" cannot condition on non composite type \"{Printer.Print(fragment.TypeCondition)}\".", fragment.TypeCondition);
                break;
        }
        return true;
    }
}

/// <summary>Variables are of input types.</summary>
public sealed class VariablesAreInputTypesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is VariableDefinitionNode variable && context.Schema.TypeFromAst(variable.Type) is { IsInputType: false })
            context.ReportError($"Variable \"${variable.Variable.Name.Value}\" cannot be non-input type \"{Printer.Print(variable.Type)}\".", variable.Type);
        return node is DocumentNode or OperationDefinitionNode or VariableDefinitionNode;
    }
}

/// <summary>Leaf fields have no selection; composite fields have one.</summary>
public sealed class ScalarLeafsRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is FieldNode field && context.TypeInfo.Type is { } type)
        {
            var name = field.Name.Value;
            if (type.NamedType.IsLeafType)
            {
                if (field.SelectionSet is { } set)
                    context.ReportError($"Field \"{name}\" must not have a selection since type \"{type}\" has no subfields.", set);
            }
            else if (field.SelectionSet is null)
                context.ReportError($"Field \"{name}\" of type \"{type}\" must have a selection of subfields. Did you mean \"{name} {{ ... }}\"?", field);
        }
        return true;
    }
}

/// <summary>Selected fields exist on their parent type.</summary>
public sealed class FieldsOnCorrectTypeRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not FieldNode field || context.TypeInfo.ParentType is not { } parentType || context.TypeInfo.FieldDef is not null)
            return true;
        var fieldName = field.Name.Value;
        var suggestion = Suggestions.DidYouMean("to use an inline fragment on", SuggestedTypeNames(context.Schema, parentType, fieldName));
        if (suggestion.Length == 0)
            suggestion = Suggestions.DidYouMean(parentType is GraphQLFieldsType f
                ? Suggestions.List(fieldName, f.Fields.Select(x => x.Name))
                : []);
        context.ReportError($"Cannot query field \"{fieldName}\" on type \"{parentType.Name}\"." + suggestion, field);
        return true;
    }

    private static List<string> SuggestedTypeNames(GraphQLSchema schema, GraphQLNamedType type, string fieldName)
    {
        if (!type.IsAbstractType) return [];
        var suggested = new List<GraphQLFieldsType>();
        var usage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var possible in schema.GetPossibleTypes(type))
        {
            if (possible.GetField(fieldName) is null) continue;
            if (!suggested.Contains(possible)) suggested.Add(possible);
            usage[possible.Name] = 1;
            foreach (var iface in possible.Interfaces)
            {
                if (iface.GetField(fieldName) is null) continue;
                if (!suggested.Contains(iface)) suggested.Add(iface);
                usage[iface.Name] = usage.GetValueOrDefault(iface.Name) + 1;
            }
        }
        suggested.Sort((a, b) =>
        {
            var diff = usage[b.Name] - usage[a.Name];
            if (diff != 0) return diff;
            if (a is GraphQLInterfaceType && schema.IsSubType(a, b)) return -1;
            if (b is GraphQLInterfaceType && schema.IsSubType(b, a)) return 1;
            return Suggestions.NaturalCompare(a.Name, b.Name);
        });
        return suggested.Select(t => t.Name).ToList();
    }
}

/// <summary>Fragments are spread only where their type can apply.</summary>
public sealed class PossibleFragmentSpreadsRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        switch (node)
        {
            case InlineFragmentNode inline:
                if (context.TypeInfo.Type is GraphQLNamedType { IsCompositeType: true } fragType
                    && context.TypeInfo.ParentType is { IsCompositeType: true } parentType
                    && !TypesOverlap(context.Schema, fragType, parentType))
                    context.ReportError($"Fragment cannot be spread here as objects of type \"{parentType}\" can never be of type \"{fragType}\".", inline);
                break;
            case FragmentSpreadNode spread:
                var name = spread.Name.Value;
                var fragmentType = context.GetFragment(name) is { } fragment ? context.Schema.TypeFromAst(fragment.TypeCondition) : null;
                if (fragmentType is GraphQLNamedType { IsCompositeType: true } ft
                    && context.TypeInfo.ParentType is { } parent
                    && !TypesOverlap(context.Schema, ft, parent))
                    context.ReportError($"Fragment \"{name}\" cannot be spread here as objects of type \"{parent}\" can never be of type \"{ft}\".", spread);
                break;
        }
        return true;
    }

    /// <summary>Whether some object type could be of both types.</summary>
    public static bool TypesOverlap(GraphQLSchema schema, GraphQLNamedType a, GraphQLNamedType b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.IsAbstractType)
        {
            if (b.IsAbstractType) return schema.GetPossibleTypes(a).Any(t => schema.IsSubType(b, t));
            return schema.IsSubType(a, b);
        }
        if (b.IsAbstractType) return schema.IsSubType(b, a);
        return false;
    }
}
