using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation.Rules;

/// <summary>Only operations and fragments may appear in an executable document.</summary>
public sealed class ExecutableDefinitionsRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not DocumentNode document) return true;
        foreach (var definition in document.Definitions)
        {
            if (definition is ExecutableDefinitionNode) continue;
            var name = definition switch
            {
                SchemaDefinitionNode or SchemaExtensionNode => "schema",
                ITypeDefinitionOrExtension t => $"\"{t.Name.Value}\"",
                DirectiveDefinitionNode d => $"\"{d.Name.Value}\"",
                _ => "unknown",
            };
            context.ReportError($"The {name} definition is not executable.", definition);
        }
        return false;
    }
}

/// <summary>Operation names are unique.</summary>
public sealed class UniqueOperationNamesRule : ValidationRule
{
    private readonly Dictionary<string, NameNode> _known = new(StringComparer.Ordinal);

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is OperationDefinitionNode { Name: { } name })
        {
            if (_known.TryGetValue(name.Value, out var first))
                context.ReportError($"There can be only one operation named \"{name.Value}\".", first, name);
            else _known[name.Value] = name;
        }
        return node is DocumentNode;
    }
}

/// <summary>An anonymous operation must be alone in its document.</summary>
public sealed class LoneAnonymousOperationRule : ValidationRule
{
    private int _operationCount;

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is DocumentNode document)
        {
            _operationCount = document.Definitions.Count(d => d is OperationDefinitionNode);
            return true;
        }
        if (node is OperationDefinitionNode { Name: null } && _operationCount > 1)
            context.ReportError("This anonymous operation must be the only defined operation.", node);
        return false;
    }
}

/// <summary>A subscription selects exactly one root field, and not an introspection one.</summary>
public sealed class SingleFieldSubscriptionsRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is DocumentNode) return true;
        if (node is not OperationDefinitionNode { Operation: OperationType.Subscription } operation) return false;
        if (context.Schema.SubscriptionType is not { } subscriptionType) return false;
        var fields = new Dictionary<string, List<FieldNode>>(StringComparer.Ordinal);
        CollectFields(context, subscriptionType, operation.SelectionSet, fields, new HashSet<string>(StringComparer.Ordinal));
        var operationName = operation.Name is { } n ? $"Subscription \"{n.Value}\"" : "Anonymous Subscription";
        if (fields.Count > 1)
        {
            var extra = fields.Values.Skip(1).SelectMany(f => f).Cast<Node?>().ToArray();
            context.ReportError($"{operationName} must select only one top level field.", extra);
        }
        foreach (var fieldNodes in fields.Values)
        {
            if (fieldNodes[0].Name.Value.StartsWith("__", StringComparison.Ordinal))
                context.ReportError($"{operationName} must not select an introspection top level field.", fieldNodes.Cast<Node?>().ToArray());
        }
        return false;
    }

    private static void CollectFields(ValidationContext context, GraphQLObjectType type, SelectionSetNode set,
        Dictionary<string, List<FieldNode>> fields, HashSet<string> visitedFragments)
    {
        foreach (var selection in set.Selections)
        {
            if (IsExcluded(selection)) continue;
            switch (selection)
            {
                case FieldNode field:
                    if (!fields.TryGetValue(field.ResponseKey, out var list)) fields[field.ResponseKey] = list = [];
                    list.Add(field);
                    break;
                case InlineFragmentNode inline:
                    if (inline.TypeCondition is null || Applies(context, inline.TypeCondition, type))
                        CollectFields(context, type, inline.SelectionSet, fields, visitedFragments);
                    break;
                case FragmentSpreadNode spread:
                    if (!visitedFragments.Add(spread.Name.Value)) continue;
                    if (context.GetFragment(spread.Name.Value) is { } fragment && Applies(context, fragment.TypeCondition, type))
                        CollectFields(context, type, fragment.SelectionSet, fields, visitedFragments);
                    break;
            }
        }
    }

    private static bool Applies(ValidationContext context, NamedTypeNode condition, GraphQLObjectType type) =>
        context.Schema.TypeFromAst(condition) switch
        {
            GraphQLObjectType o => ReferenceEquals(o, type),
            GraphQLNamedType { IsAbstractType: true } a => context.Schema.IsSubType(a, type),
            _ => false,
        };

    private static bool IsExcluded(SelectionNode selection)
    {
        foreach (var d in selection.Directives)
        {
            var ifValue = d.Arguments.FirstOrDefault(a => a.Name.Value == "if")?.Value as BooleanValueNode;
            if (d.Name.Value == "skip" && ifValue is { Value: true }) return true;
            if (d.Name.Value == "include" && ifValue is { Value: false }) return true;
        }
        return false;
    }
}

/// <summary>Fragment names are unique.</summary>
public sealed class UniqueFragmentNamesRule : ValidationRule
{
    private readonly Dictionary<string, NameNode> _known = new(StringComparer.Ordinal);

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is FragmentDefinitionNode fragment)
        {
            if (_known.TryGetValue(fragment.Name.Value, out var first))
                context.ReportError($"There can be only one fragment named \"{fragment.Name.Value}\".", first, fragment.Name);
            else _known[fragment.Name.Value] = fragment.Name;
        }
        return node is DocumentNode;
    }
}

/// <summary>Spreads name defined fragments.</summary>
public sealed class KnownFragmentNamesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is FragmentSpreadNode spread && context.GetFragment(spread.Name.Value) is null)
            context.ReportError($"Unknown fragment \"{spread.Name.Value}\".", spread.Name);
        return true;
    }
}

/// <summary>Every fragment is used by some operation.</summary>
public sealed class NoUnusedFragmentsRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors) => node is DocumentNode;

    public override void Leave(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not DocumentNode document) return;
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in document.Definitions)
            if (definition is OperationDefinitionNode operation)
                foreach (var fragment in context.GetRecursivelyReferencedFragments(operation)) used.Add(fragment.Name.Value);
        foreach (var definition in document.Definitions)
            if (definition is FragmentDefinitionNode fragment && !used.Contains(fragment.Name.Value))
                context.ReportError($"Fragment \"{fragment.Name.Value}\" is never used.", fragment);
    }
}

/// <summary>Fragments do not spread themselves, directly or through others.</summary>
public sealed class NoFragmentCyclesRule : ValidationRule
{
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private readonly List<FragmentSpreadNode> _spreadPath = [];
    private readonly Dictionary<string, int> _spreadPathIndexByName = new(StringComparer.Ordinal);

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is FragmentDefinitionNode fragment) DetectCycle(fragment, context);
        return node is DocumentNode;
    }

    private void DetectCycle(FragmentDefinitionNode fragment, ValidationContext context)
    {
        var name = fragment.Name.Value;
        if (!_visited.Add(name)) return;
        var spreads = context.GetFragmentSpreads(fragment.SelectionSet);
        if (spreads.Count == 0) return;
        _spreadPathIndexByName[name] = _spreadPath.Count;
        foreach (var spread in spreads)
        {
            var spreadName = spread.Name.Value;
            _spreadPath.Add(spread);
            if (!_spreadPathIndexByName.TryGetValue(spreadName, out var cycleIndex))
            {
                if (context.GetFragment(spreadName) is { } spreadFragment) DetectCycle(spreadFragment, context);
            }
            else
            {
                var cyclePath = _spreadPath.Skip(cycleIndex).ToList();
                var via = string.Join(", ", cyclePath.Take(cyclePath.Count - 1).Select(s => $"\"{s.Name.Value}\""));
                context.ReportError($"Cannot spread fragment \"{spreadName}\" within itself" + (via.Length > 0 ? $" via {via}." : "."),
                    cyclePath.Cast<Node?>().ToArray());
            }
            _spreadPath.RemoveAt(_spreadPath.Count - 1);
        }
        _spreadPathIndexByName.Remove(name);
    }
}

/// <summary>Introspection queries may not nest list fields (fields, interfaces, possibleTypes, inputFields) three deep.</summary>
public sealed class MaxIntrospectionDepthRule : ValidationRule
{
    private const int MaxListsDepth = 3;

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is FieldNode { Name.Value: "__schema" or "__type" } field && CheckDepth(field, context, new HashSet<string>(StringComparer.Ordinal), 0))
        {
            context.ReportError("Maximum introspection depth exceeded", field);
            return false;
        }
        return true;
    }

    private static bool CheckDepth(Node node, ValidationContext context, HashSet<string> visitedFragments, int depth)
    {
        if (node is FragmentSpreadNode spread)
        {
            var name = spread.Name.Value;
            if (visitedFragments.Contains(name)) return false;
            if (context.GetFragment(name) is not { } fragment) return false;
            visitedFragments.Add(name);
            try { return CheckDepth(fragment, context, visitedFragments, depth); }
            finally { visitedFragments.Remove(name); }
        }
        if (node is FieldNode { Name.Value: "fields" or "interfaces" or "possibleTypes" or "inputFields" })
        {
            depth++;
            if (depth >= MaxListsDepth) return true;
        }
        var selectionSet = node switch
        {
            FieldNode f => f.SelectionSet,
            InlineFragmentNode i => i.SelectionSet,
            FragmentDefinitionNode fd => fd.SelectionSet,
            _ => null,
        };
        if (selectionSet is not null)
            foreach (var child in selectionSet.Selections)
                if (CheckDepth(child, context, visitedFragments, depth)) return true;
        return false;
    }
}

/// <summary>
/// Operations use a root the schema has (graphql-js 17's <c>KnownOperationTypesRule</c>). Not in
/// <see cref="Validator.SpecifiedRules"/>, which follows the conformance cases; add it where wanted.
/// </summary>
public sealed class KnownOperationTypesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not OperationDefinitionNode operation) return node is DocumentNode;
        if (context.Schema.GetRootType(operation.Operation) is null)
            context.ReportError($"The {Printing.DocumentWriter.OperationName(operation.Operation)} operation is not supported by the schema.", operation);
        return false;
    }
}
