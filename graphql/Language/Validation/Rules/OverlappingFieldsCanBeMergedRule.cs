using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation.Rules;

/// <summary>
/// Fields sharing a response name can be merged: same field and arguments (unless their parents are distinct object
/// types), compatible return types, and mergeable sub-selections — graphql-js's algorithm, including its caching
/// of compared fragment pairs.
/// </summary>
public sealed class OverlappingFieldsCanBeMergedRule : ValidationRule
{
    private readonly record struct FieldEntry(GraphQLNamedType? ParentType, FieldNode Node, GraphQLField? Definition);

    /// <summary>A reason is either a message or the list of conflicting subfields.</summary>
    private sealed record Reason(string? Message, List<(string ResponseName, Reason Reason)>? Subreasons);

    private sealed record Conflict(string ResponseName, Reason Reason, List<FieldNode> Fields1, List<FieldNode> Fields2);

    private sealed class FieldMap : Dictionary<string, List<FieldEntry>>
    {
        public FieldMap() : base(StringComparer.Ordinal) { }
        public List<string> Order { get; } = [];
    }

    private readonly Dictionary<SelectionSetNode, (FieldMap Fields, List<string> FragmentNames)> _cache = [];
    private readonly Dictionary<(string, string), bool> _comparedFragmentPairs = [];
    private readonly Dictionary<(FieldMap, string), bool> _comparedFieldsAndFragments = [];
    private ValidationContext _context = null!;

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not SelectionSetNode selectionSet || CannotConflict(selectionSet)) return true;
        _context = context;
        foreach (var conflict in FindConflictsWithinSelectionSet(context.TypeInfo.ParentType, selectionSet))
        {
            context.ReportError(
                $"Fields \"{conflict.ResponseName}\" conflict because {ReasonMessage(conflict.Reason)}. Use different aliases on the fields to fetch both if this was intentional.",
                conflict.Fields1.Concat(conflict.Fields2).Select(f => (Node?)f).ToArray());
        }
        return true;
    }

    /// <summary>
    /// Plain fields with distinct response names cannot conflict among themselves; their sub-selections are checked
    /// when the walk reaches them. Most selection sets are like this, so they skip building field maps.
    /// </summary>
    private static bool CannotConflict(SelectionSetNode selectionSet)
    {
        var selections = selectionSet.Selections;
        if (selections.Count > 32) return false;
        for (var i = 0; i < selections.Count; i++)
        {
            if (selections[i] is not FieldNode field) return false;
            var key = field.ResponseKey;
            for (var j = 0; j < i; j++)
                if (((FieldNode)selections[j]).ResponseKey == key) return false;
        }
        return true;
    }

    private static string ReasonMessage(Reason reason) => reason.Subreasons is { } subs
        ? string.Join(" and ", subs.Select(s => $"subfields \"{s.ResponseName}\" conflict because {ReasonMessage(s.Reason)}"))
        : reason.Message!;

    private List<Conflict> FindConflictsWithinSelectionSet(GraphQLNamedType? parentType, SelectionSetNode selectionSet)
    {
        var conflicts = new List<Conflict>();
        var (fieldMap, fragmentNames) = GetFieldsAndFragmentNames(parentType, selectionSet);
        CollectConflictsWithin(conflicts, fieldMap);
        for (var i = 0; i < fragmentNames.Count; i++)
        {
            CollectConflictsBetweenFieldsAndFragment(conflicts, false, fieldMap, fragmentNames[i]);
            for (var j = i + 1; j < fragmentNames.Count; j++)
                CollectConflictsBetweenFragments(conflicts, false, fragmentNames[i], fragmentNames[j]);
        }
        return conflicts;
    }

    private void CollectConflictsBetweenFieldsAndFragment(List<Conflict> conflicts, bool mutuallyExclusive, FieldMap fieldMap, string fragmentName)
    {
        // Compare a field map with a fragment once: this also stops cycles through recursive fragments.
        var key = (fieldMap, fragmentName);
        if (_comparedFieldsAndFragments.TryGetValue(key, out var stored) && (mutuallyExclusive || stored == mutuallyExclusive)) return;
        _comparedFieldsAndFragments[key] = mutuallyExclusive;
        if (_context.GetFragment(fragmentName) is not { } fragment) return;
        var (fieldMap2, referenced) = GetReferencedFieldsAndFragmentNames(fragment);
        if (ReferenceEquals(fieldMap, fieldMap2)) return;
        CollectConflictsBetween(conflicts, mutuallyExclusive, fieldMap, fieldMap2);
        foreach (var referencedName in referenced)
            CollectConflictsBetweenFieldsAndFragment(conflicts, mutuallyExclusive, fieldMap, referencedName);
    }

    private void CollectConflictsBetweenFragments(List<Conflict> conflicts, bool mutuallyExclusive, string name1, string name2)
    {
        if (name1 == name2) return;
        if (HasPair(name1, name2, mutuallyExclusive)) return;
        AddPair(name1, name2, mutuallyExclusive);
        if (_context.GetFragment(name1) is not { } fragment1 || _context.GetFragment(name2) is not { } fragment2) return;
        var (fieldMap1, referenced1) = GetReferencedFieldsAndFragmentNames(fragment1);
        var (fieldMap2, referenced2) = GetReferencedFieldsAndFragmentNames(fragment2);
        CollectConflictsBetween(conflicts, mutuallyExclusive, fieldMap1, fieldMap2);
        foreach (var r2 in referenced2) CollectConflictsBetweenFragments(conflicts, mutuallyExclusive, name1, r2);
        foreach (var r1 in referenced1) CollectConflictsBetweenFragments(conflicts, mutuallyExclusive, r1, name2);
    }

    private List<Conflict> FindConflictsBetweenSubSelectionSets(bool mutuallyExclusive,
        GraphQLNamedType? parentType1, SelectionSetNode set1, GraphQLNamedType? parentType2, SelectionSetNode set2)
    {
        var conflicts = new List<Conflict>();
        var (fieldMap1, fragmentNames1) = GetFieldsAndFragmentNames(parentType1, set1);
        var (fieldMap2, fragmentNames2) = GetFieldsAndFragmentNames(parentType2, set2);
        CollectConflictsBetween(conflicts, mutuallyExclusive, fieldMap1, fieldMap2);
        foreach (var f2 in fragmentNames2) CollectConflictsBetweenFieldsAndFragment(conflicts, mutuallyExclusive, fieldMap1, f2);
        foreach (var f1 in fragmentNames1) CollectConflictsBetweenFieldsAndFragment(conflicts, mutuallyExclusive, fieldMap2, f1);
        foreach (var f1 in fragmentNames1)
            foreach (var f2 in fragmentNames2)
                CollectConflictsBetweenFragments(conflicts, mutuallyExclusive, f1, f2);
        return conflicts;
    }

    private void CollectConflictsWithin(List<Conflict> conflicts, FieldMap fieldMap)
    {
        foreach (var responseName in fieldMap.Order)
        {
            var fields = fieldMap[responseName];
            for (var i = 0; i < fields.Count; i++)
                for (var j = i + 1; j < fields.Count; j++)
                    if (FindConflict(false, responseName, fields[i], fields[j]) is { } conflict) conflicts.Add(conflict);
        }
    }

    private void CollectConflictsBetween(List<Conflict> conflicts, bool parentsMutuallyExclusive, FieldMap fieldMap1, FieldMap fieldMap2)
    {
        foreach (var responseName in fieldMap1.Order)
        {
            if (!fieldMap2.TryGetValue(responseName, out var fields2)) continue;
            foreach (var field1 in fieldMap1[responseName])
                foreach (var field2 in fields2)
                    if (FindConflict(parentsMutuallyExclusive, responseName, field1, field2) is { } conflict) conflicts.Add(conflict);
        }
    }

    private Conflict? FindConflict(bool parentsMutuallyExclusive, string responseName, FieldEntry field1, FieldEntry field2)
    {
        var (parentType1, node1, def1) = field1;
        var (parentType2, node2, def2) = field2;
        var mutuallyExclusive = parentsMutuallyExclusive
            || (!ReferenceEquals(parentType1, parentType2) && parentType1 is GraphQLObjectType && parentType2 is GraphQLObjectType);
        if (!mutuallyExclusive)
        {
            var name1 = node1.Name.Value;
            var name2 = node2.Name.Value;
            if (name1 != name2)
                return new Conflict(responseName, new Reason($"\"{name1}\" and \"{name2}\" are different fields", null), [node1], [node2]);
            if (!SameArguments(node1, node2))
                return new Conflict(responseName, new Reason("they have differing arguments", null), [node1], [node2]);
        }
        var type1 = def1?.Type;
        var type2 = def2?.Type;
        if (type1 is not null && type2 is not null && TypesConflict(type1, type2))
            return new Conflict(responseName, new Reason($"they return conflicting types \"{type1}\" and \"{type2}\"", null), [node1], [node2]);
        if (node1.SelectionSet is { } set1 && node2.SelectionSet is { } set2)
        {
            var sub = FindConflictsBetweenSubSelectionSets(mutuallyExclusive, type1?.NamedType, set1, type2?.NamedType, set2);
            if (sub.Count > 0)
                return new Conflict(responseName,
                    new Reason(null, sub.Select(c => (c.ResponseName, c.Reason)).ToList()),
                    [node1, .. sub.SelectMany(c => c.Fields1)],
                    [node2, .. sub.SelectMany(c => c.Fields2)]);
        }
        return null;
    }

    private static bool SameArguments(FieldNode node1, FieldNode node2)
    {
        var args1 = node1.Arguments;
        var args2 = node2.Arguments;
        if (args1.Count == 0) return args2.Count == 0;
        if (args2.Count == 0 || args1.Count != args2.Count) return false;
        foreach (var arg1 in args1)
        {
            var arg2 = args2.FirstOrDefault(a => a.Name.Value == arg1.Name.Value);
            if (arg2 is null) return false;
            if (StringifyValue(arg1.Value) != StringifyValue(arg2.Value)) return false;
        }
        return true;
    }

    /// <summary>A value printed with object fields sorted, so field order does not matter.</summary>
    private static string StringifyValue(ValueNode value) => Printer.Print(Sorted(value));

    private static ValueNode Sorted(ValueNode value) => value switch
    {
        ObjectValueNode o => new ObjectValueNode(o.Fields
            .OrderBy(f => f.Name.Value, Comparer<string>.Create(Suggestions.NaturalCompare))
            .Select(f => new ObjectFieldNode(f.Name, Sorted(f.Value))).ToList()),
        ListValueNode l => new ListValueNode(l.Values.Select(Sorted).ToList()),
        _ => value,
    };

    private static bool TypesConflict(GraphQLType type1, GraphQLType type2)
    {
        if (type1 is GraphQLListType l1) return type2 is GraphQLListType l2 ? TypesConflict(l1.OfType, l2.OfType) : true;
        if (type2 is GraphQLListType) return true;
        if (type1 is GraphQLNonNullType n1) return type2 is GraphQLNonNullType n2 ? TypesConflict(n1.OfType, n2.OfType) : true;
        if (type2 is GraphQLNonNullType) return true;
        if (type1.IsLeafType || type2.IsLeafType) return !ReferenceEquals(type1, type2);
        return false;
    }

    private (FieldMap, List<string>) GetFieldsAndFragmentNames(GraphQLNamedType? parentType, SelectionSetNode selectionSet)
    {
        if (_cache.TryGetValue(selectionSet, out var cached)) return cached;
        var fieldMap = new FieldMap();
        var fragmentNames = new List<string>();
        CollectFieldsAndFragmentNames(parentType, selectionSet, fieldMap, fragmentNames);
        var result = (fieldMap, fragmentNames);
        _cache[selectionSet] = result;
        return result;
    }

    private (FieldMap, List<string>) GetReferencedFieldsAndFragmentNames(FragmentDefinitionNode fragment)
    {
        if (_cache.TryGetValue(fragment.SelectionSet, out var cached)) return cached;
        var fragmentType = _context.Schema.TypeFromAst(fragment.TypeCondition) as GraphQLNamedType;
        return GetFieldsAndFragmentNames(fragmentType, fragment.SelectionSet);
    }

    private void CollectFieldsAndFragmentNames(GraphQLNamedType? parentType, SelectionSetNode selectionSet, FieldMap fieldMap, List<string> fragmentNames)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case FieldNode field:
                    var definition = parentType is GraphQLFieldsType fieldsType ? fieldsType.GetField(field.Name.Value) : null;
                    var responseName = field.ResponseKey;
                    if (!fieldMap.TryGetValue(responseName, out var list))
                    {
                        fieldMap[responseName] = list = [];
                        fieldMap.Order.Add(responseName);
                    }
                    list.Add(new FieldEntry(parentType, field, definition));
                    break;
                case FragmentSpreadNode spread:
                    if (!fragmentNames.Contains(spread.Name.Value)) fragmentNames.Add(spread.Name.Value);
                    break;
                case InlineFragmentNode inline:
                    var inlineType = inline.TypeCondition is { } condition ? _context.Schema.TypeFromAst(condition) as GraphQLNamedType : parentType;
                    CollectFieldsAndFragmentNames(inlineType, inline.SelectionSet, fieldMap, fragmentNames);
                    break;
            }
        }
    }

    // A pair compared as not mutually exclusive covers the exclusive case too, not the other way round.
    private bool HasPair(string a, string b, bool mutuallyExclusive)
    {
        var key = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
        if (!_comparedFragmentPairs.TryGetValue(key, out var stored)) return false;
        return mutuallyExclusive || stored == mutuallyExclusive;
    }

    private void AddPair(string a, string b, bool mutuallyExclusive)
    {
        var key = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
        _comparedFragmentPairs[key] = mutuallyExclusive;
    }
}
