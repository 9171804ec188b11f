using System.Collections.Concurrent;
using Actors.GraphQL.Documents;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.Execution;

/// <summary>A parsed and validated operation, ready to run with any variables; cached by query text.</summary>
public sealed class PreparedOperation
{
    internal PreparedOperation(ExecutableDocument document, OperationDefinition definition)
    {
        Document = document;
        Definition = definition;
        PlansAreStable = !UsesVariableConditions(document);
    }

    public ExecutableDocument Document { get; }
    public OperationDefinition Definition { get; }
    public OperationKind Kind => Definition.Kind;

    /// <summary>Without <c>@skip</c>/<c>@include</c> on variables, field collection does not depend on variables and plans are cached.</summary>
    internal bool PlansAreStable { get; }

    internal readonly ConcurrentDictionary<ObjectType, SelectionPlan> RootPlans = new();

    /// <summary>Depth and cost, kept when they cannot depend on variables.</summary>
    internal Validation.OperationComplexity.Measure? CachedMeasure { get; set; }

    private static bool UsesVariableConditions(ExecutableDocument document)
    {
        bool Visit(SelectionSet set)
        {
            foreach (var s in set.Selections)
            {
                foreach (var d in s.Directives)
                    if (d.Name is "skip" or "include" && d.Arguments.Any(a => InputCoercion.HasVariables(a.Value))) return true;
                if (s is FieldSelection { SelectionSet: { } child } && Visit(child)) return true;
                if (s is InlineFragment inline && Visit(inline.SelectionSet)) return true;
            }
            return false;
        }
        return document.Operations.Any(o => Visit(o.SelectionSet)) || document.FragmentList.Any(f => Visit(f.SelectionSet));
    }
}

/// <summary>The fields one selection set yields on one object type, in response order.</summary>
internal sealed class SelectionPlan(PlannedField[] fields)
{
    public PlannedField[] Fields { get; } = fields;
    public string[] Keys { get; } = fields.Select(f => f.ResponseKey).ToArray();

    /// <summary>The keys escaped for JSON once, so writing a response does not escape them per object.</summary>
    public System.Text.Json.JsonEncodedText[] EncodedKeys { get; } = fields.Select(f => System.Text.Json.JsonEncodedText.Encode(f.ResponseKey)).ToArray();
}

/// <summary>One response key of a selection plan: the field definition and every selection merged into it.</summary>
internal sealed class PlannedField(string responseKey, FieldDefinition? definition, FieldSelection first, ObjectType parentType)
{
    public string ResponseKey { get; } = responseKey;

    /// <summary>The object type this field is selected on (for messages such as "Cannot return null for Book.title").</summary>
    public ObjectType ParentType { get; } = parentType;

    /// <summary>Null for <c>__typename</c>.</summary>
    public FieldDefinition? Definition { get; } = definition;

    public FieldSelection First { get; } = first;

    /// <summary>A scalar or enum field (no selection set, no list): completes without paths or contexts.</summary>
    public bool IsLeaf { get; } = definition is not null && definition.Type.Nullable is not ListType && definition.Type.IsLeaf;

    /// <summary>A list (of any depth 1) of scalars or enums.</summary>
    public bool IsLeafList { get; } = definition is not null && definition.Type.Nullable is ListType l && l.OfType.Nullable is not ListType && l.OfType.IsLeaf;
    public List<FieldSelection> Selections { get; } = [first];

    private Dictionary<string, object?>? _constantArguments;
    private VariableArguments? _lastVariableArguments;

    private sealed record VariableArguments(IReadOnlyDictionary<string, object?> Variables, Dictionary<string, object?> Arguments);
    private readonly bool _argumentsUseVariables = first.Arguments.Any(a => InputCoercion.HasVariables(a.Value));

    public readonly ConcurrentDictionary<ObjectType, SelectionPlan> ChildPlans = new();

    public IReadOnlyDictionary<string, object?> Arguments(IReadOnlyDictionary<string, object?> variables)
    {
        var definition = Definition!;
        if (definition.Arguments.Count == 0) return Empty;
        if (_argumentsUseVariables)
        {
            // Within one request the variables are fixed, so the field's arguments are too: coerce once per request.
            if (_lastVariableArguments is { } last && ReferenceEquals(last.Variables, variables)) return last.Arguments;
            var arguments = InputCoercion.Arguments(definition.Arguments, First.Arguments, variables, definition.Name);
            _lastVariableArguments = new VariableArguments(variables, arguments);
            return arguments;
        }
        return _constantArguments ??= InputCoercion.Arguments(definition.Arguments, First.Arguments, null, definition.Name);
    }

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();
}

/// <summary>Collects fields per the spec's CollectFields: merges by response key, applies @skip/@include and fragment type conditions.</summary>
internal static class FieldCollector
{
    public static SelectionPlan Collect(Schema schema, PreparedOperation operation, ObjectType type,
        IEnumerable<SelectionSet> sets, IReadOnlyDictionary<string, object?> variables)
    {
        var fields = new List<PlannedField>();
        var byKey = new Dictionary<string, PlannedField>(StringComparer.Ordinal);
        HashSet<string>? visited = null;
        foreach (var set in sets) CollectInto(set);
        return new SelectionPlan([.. fields]);

        void CollectInto(SelectionSet set)
        {
            foreach (var selection in set.Selections)
            {
                if (!ShouldInclude(selection.Directives, variables)) continue;
                switch (selection)
                {
                    case FieldSelection field:
                        if (byKey.TryGetValue(field.ResponseKey, out var existing)) { existing.Selections.Add(field); break; }
                        var definition = field.Name switch
                        {
                            "__typename" => null,
                            "__schema" when ReferenceEquals(type, schema.Query) => schema.Introspection.SchemaField,
                            "__type" when ReferenceEquals(type, schema.Query) => schema.Introspection.TypeField,
                            _ => type.Fields.Find(field.Name),
                        };
                        if (definition is null && field.Name != "__typename") break; // validation reports unknown fields
                        var planned = new PlannedField(field.ResponseKey, definition, field, type);
                        byKey[field.ResponseKey] = planned;
                        fields.Add(planned);
                        break;
                    case InlineFragment inline:
                        if (inline.TypeCondition is null || Applies(schema, inline.TypeCondition, type)) CollectInto(inline.SelectionSet);
                        break;
                    case FragmentSpread spread:
                        visited ??= [];
                        if (!visited.Add(spread.Name)) break;
                        if (operation.Document.Fragments.TryGetValue(spread.Name, out var fragment) && Applies(schema, fragment.TypeCondition, type))
                            CollectInto(fragment.SelectionSet);
                        break;
                }
            }
        }
    }

    private static bool Applies(Schema schema, string typeCondition, ObjectType type) =>
        typeCondition == type.Name || schema.FindType(typeCondition) is { } condition && schema.IsPossibleType(condition, type);

    public static bool ShouldInclude(IReadOnlyList<Directive> directives, IReadOnlyDictionary<string, object?> variables)
    {
        foreach (var directive in directives)
        {
            if (directive.Name is not ("skip" or "include")) continue;
            var argument = directive.Arguments.FirstOrDefault(a => a.Name == "if");
            if (argument is null) continue;
            var value = argument.Value switch
            {
                BooleanValueSyntax b => b.Value,
                VariableSyntax v => variables.TryGetValue(v.Name, out var x) && x is true,
                _ => false,
            };
            if (directive.Name == "skip" && value) return false;
            if (directive.Name == "include" && !value) return false;
        }
        return true;
    }
}
