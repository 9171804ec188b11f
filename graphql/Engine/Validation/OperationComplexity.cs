using Actors.GraphQL.Documents;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.Validation;

/// <summary>
/// Measures an operation before it runs: its depth (nesting of selection sets) and its cost, where each field costs its
/// weight times the page sizes of the lists above it (<c>first</c>/<c>last</c> when given, else the field's default page size).
/// </summary>
public static class OperationComplexity
{
    public readonly record struct Measure(int Depth, long Cost);

    public static Measure Of(Schema schema, ExecutableDocument document, OperationDefinition operation, IReadOnlyDictionary<string, object?>? variables)
    {
        var root = schema.RootType(operation.Kind);
        if (root is null) return new Measure(0, 0);
        int maxDepth = 0;
        long cost = Walk(operation.SelectionSet, root, 1, 1, []);
        return new Measure(maxDepth, cost);

        long Walk(SelectionSet set, NamedType parent, int depth, long multiplier, HashSet<string> spreads)
        {
            if (depth > maxDepth) maxDepth = depth;
            long total = 0;
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case FieldSelection field:
                        if (field.Name.StartsWith("__", StringComparison.Ordinal))
                        {
                            // Introspection is bounded by the schema; count it once and its nesting for depth only.
                            if (field.SelectionSet is not null && depth + 1 > maxDepth) maxDepth = Math.Max(maxDepth, depth + 1);
                            total += 1;
                            break;
                        }
                        var definition = (parent as IFieldsType)?.Fields.Find(field.Name);
                        if (definition is null) break;
                        total = Saturating(total, Saturating(definition.Cost, multiplier));
                        if (field.SelectionSet is { } child)
                        {
                            var childMultiplier = definition.Type.Nullable is ListType || definition.Features.ContainsKey("pageSize")
                                ? Saturating(multiplier, PageSize(field, definition, variables))
                                : multiplier;
                            total = Saturating(total, Walk(child, definition.Type.Named, depth + 1, childMultiplier, spreads));
                        }
                        break;
                    case InlineFragment inline:
                        var target = inline.TypeCondition is { } c ? schema.FindType(c) ?? parent : parent;
                        total = Saturating(total, Walk(inline.SelectionSet, target, depth, multiplier, spreads));
                        break;
                    case FragmentSpread spread:
                        if (!spreads.Add(spread.Name) || !document.Fragments.TryGetValue(spread.Name, out var fragment)) break;
                        total = Saturating(total, Walk(fragment.SelectionSet, schema.FindType(fragment.TypeCondition) ?? parent, depth, multiplier, spreads));
                        spreads.Remove(spread.Name);
                        break;
                }
            }
            return total;
        }
    }

    private static long PageSize(FieldSelection field, FieldDefinition definition, IReadOnlyDictionary<string, object?>? variables)
    {
        foreach (var argument in field.Arguments)
        {
            if (argument.Name is not ("first" or "last")) continue;
            switch (argument.Value)
            {
                case IntValueSyntax i when long.TryParse(i.Text, out var n): return Math.Max(1, n);
                case VariableSyntax v when variables is not null && variables.TryGetValue(v.Name, out var x) && x is int n: return Math.Max(1, n);
            }
        }
        return definition.Features.TryGetValue("pageSize", out var size) && size is int s ? s : 1;
    }

    private static long Saturating(long a, long b)
    {
        try { return checked(a + b); } catch (OverflowException) { return long.MaxValue; }
    }

    private static long Saturating(int weight, long multiplier)
    {
        try { return checked(weight * multiplier); } catch (OverflowException) { return long.MaxValue; }
    }
}
