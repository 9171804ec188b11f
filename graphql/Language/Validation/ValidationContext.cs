using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation;

/// <summary>A variable as used in a document, with the input type and default expected where it is used.</summary>
public readonly record struct VariableUsage(VariableNode Node, GraphQLType? Type, bool HasLocationDefault, GraphQLType? ParentType);

/// <summary>What rules see while validating one document: the schema, the document, the type info of the walk, and error reporting.</summary>
public sealed class ValidationContext
{
    private readonly Dictionary<string, FragmentDefinitionNode> _fragments = new(StringComparer.Ordinal);
    private readonly Dictionary<SelectionSetNode, List<FragmentSpreadNode>> _fragmentSpreads = [];
    private readonly Dictionary<OperationDefinitionNode, List<FragmentDefinitionNode>> _recursiveFragments = [];
    private readonly Dictionary<Node, List<VariableUsage>> _variableUsages = [];
    private readonly Dictionary<OperationDefinitionNode, List<VariableUsage>> _recursiveVariableUsages = [];
    private readonly List<GraphQLError> _errors = [];

    public ValidationContext(GraphQLSchema schema, DocumentNode document, TypeInfo typeInfo)
    {
        Schema = schema;
        Document = document;
        TypeInfo = typeInfo;
        foreach (var d in document.Definitions)
            if (d is FragmentDefinitionNode f) _fragments.TryAdd(f.Name.Value, f);
    }

    public GraphQLSchema Schema { get; }
    public DocumentNode Document { get; }
    public TypeInfo TypeInfo { get; }
    public IReadOnlyList<GraphQLError> Errors => _errors;

    public void ReportError(GraphQLError error) => _errors.Add(error);
    public void ReportError(string message, params ReadOnlySpan<Node?> nodes) => _errors.Add(new GraphQLError(message, nodes));

    public FragmentDefinitionNode? GetFragment(string name) => _fragments.GetValueOrDefault(name);

    /// <summary>Fragment spreads in a selection set, nested ones included but not through other fragments (graphql-js order).</summary>
    public IReadOnlyList<FragmentSpreadNode> GetFragmentSpreads(SelectionSetNode node)
    {
        if (_fragmentSpreads.TryGetValue(node, out var cached)) return cached;
        var spreads = new List<FragmentSpreadNode>();
        var setsToVisit = new Stack<SelectionSetNode>();
        setsToVisit.Push(node);
        while (setsToVisit.TryPop(out var set))
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case FragmentSpreadNode spread: spreads.Add(spread); break;
                    case FieldNode { SelectionSet: { } fs }: setsToVisit.Push(fs); break;
                    case InlineFragmentNode inline: setsToVisit.Push(inline.SelectionSet); break;
                }
            }
        }
        _fragmentSpreads[node] = spreads;
        return spreads;
    }

    /// <summary>Every fragment an operation uses, directly or through other fragments.</summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(OperationDefinitionNode operation)
    {
        if (_recursiveFragments.TryGetValue(operation, out var cached)) return cached;
        var fragments = new List<FragmentDefinitionNode>();
        var collected = new HashSet<string>(StringComparer.Ordinal);
        var nodesToVisit = new Stack<SelectionSetNode>();
        nodesToVisit.Push(operation.SelectionSet);
        while (nodesToVisit.TryPop(out var node))
        {
            foreach (var spread in GetFragmentSpreads(node))
            {
                if (!collected.Add(spread.Name.Value)) continue;
                if (GetFragment(spread.Name.Value) is { } fragment)
                {
                    fragments.Add(fragment);
                    nodesToVisit.Push(fragment.SelectionSet);
                }
            }
        }
        _recursiveFragments[operation] = fragments;
        return fragments;
    }

    /// <summary>Variables used in an operation or fragment (not in variable definitions), with their expected types.</summary>
    public IReadOnlyList<VariableUsage> GetVariableUsages(Node node)
    {
        if (_variableUsages.TryGetValue(node, out var cached)) return cached;
        var collector = new VariableUsageCollector(new TypeInfo(Schema));
        new DocumentWalker(collector.TypeInfo, collector).Walk(node);
        _variableUsages[node] = collector.Usages;
        return collector.Usages;
    }

    /// <summary>Variables used by an operation, including in the fragments it uses.</summary>
    public IReadOnlyList<VariableUsage> GetRecursiveVariableUsages(OperationDefinitionNode operation)
    {
        if (_recursiveVariableUsages.TryGetValue(operation, out var cached)) return cached;
        var usages = new List<VariableUsage>(GetVariableUsages(operation));
        foreach (var fragment in GetRecursivelyReferencedFragments(operation)) usages.AddRange(GetVariableUsages(fragment));
        _recursiveVariableUsages[operation] = usages;
        return usages;
    }

    private sealed class VariableUsageCollector(TypeInfo typeInfo) : IDocumentListener
    {
        public TypeInfo TypeInfo { get; } = typeInfo;
        public List<VariableUsage> Usages { get; } = [];

        public bool Enter(Node node, IReadOnlyList<Node> ancestors)
        {
            if (node is VariableDefinitionNode) return false;
            if (node is VariableNode variable)
                Usages.Add(new VariableUsage(variable, TypeInfo.InputType, TypeInfo.HasDefaultValue, TypeInfo.ParentInputType));
            return true;
        }

        public void Leave(Node node, IReadOnlyList<Node> ancestors) { }
    }
}
