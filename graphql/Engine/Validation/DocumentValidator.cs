using Actors.GraphQL.Documents;
using Actors.GraphQL.Execution;
using Actors.GraphQL.Types;

namespace Actors.GraphQL.Validation;

/// <summary>
/// Checks an executable document against a schema: the rules of the spec's Validation section that keep execution
/// sound (fields, arguments, fragments, variables, directives, leaf selections, subscriptions), in one walk.
/// Overlapping-field merging is checked only for same-named keys on the same type.
/// </summary>
public sealed class DocumentValidator(Schema schema, bool allowIntrospection = true)
{
    private readonly List<GraphQLError> _errors = [];
    private ExecutableDocument _document = null!;
    private Dictionary<string, VariableDefinition> _variables = null!;
    private HashSet<string> _usedVariables = null!;
    private HashSet<string> _usedFragments = null!;

    public IReadOnlyList<GraphQLError> Validate(ExecutableDocument document)
    {
        _errors.Clear();
        _document = document;
        _usedFragments = [];
        CheckOperations(document);
        CheckFragmentDefinitions(document);
        foreach (var operation in document.Operations) CheckOperation(operation);
        foreach (var fragment in document.FragmentList)
            if (!_usedFragments.Contains(fragment.Name))
                Report($"Fragment \"{fragment.Name}\" is never used.", fragment.Location);
        return [.. _errors];
    }

    private void Report(string message, SourceLocation location) =>
        _errors.Add(GraphQLError.WithCode(message, ErrorCodes.ValidationFailed, location));

    private void CheckOperations(ExecutableDocument document)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in document.Operations)
        {
            if (operation.Name is null && document.Operations.Count > 1)
                Report("This anonymous operation must be the only defined operation.", operation.Location);
            if (operation.Name is { } name && !names.Add(name))
                Report($"There can be only one operation named \"{name}\".", operation.Location);
        }
        if (document.Operations.Count == 0)
            Report("The document contains no operation.", new SourceLocation(1, 1));
    }

    private void CheckFragmentDefinitions(ExecutableDocument document)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fragment in document.FragmentList)
        {
            if (!names.Add(fragment.Name)) Report($"There can be only one fragment named \"{fragment.Name}\".", fragment.Location);
            var type = schema.FindType(fragment.TypeCondition);
            if (type is null) Report($"Unknown type \"{fragment.TypeCondition}\".", fragment.Location);
            else if (type is not (ObjectType or InterfaceType or UnionType))
                Report($"Fragment \"{fragment.Name}\" cannot condition on non composite type \"{fragment.TypeCondition}\".", fragment.Location);
        }
        // Cycles: a fragment must not spread itself, directly or through others.
        foreach (var fragment in document.FragmentList)
        {
            var path = new Stack<string>();
            if (SpreadsItself(fragment.Name, fragment.SelectionSet, path, []))
                Report($"Cannot spread fragment \"{fragment.Name}\" within itself.", fragment.Location);
        }
    }

    private bool SpreadsItself(string target, SelectionSet set, Stack<string> path, HashSet<string> seen)
    {
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case FragmentSpread spread:
                    if (spread.Name == target) return true;
                    if (seen.Add(spread.Name) && _document.Fragments.TryGetValue(spread.Name, out var f) && SpreadsItself(target, f.SelectionSet, path, seen)) return true;
                    break;
                case InlineFragment inline when SpreadsItself(target, inline.SelectionSet, path, seen): return true;
                case FieldSelection { SelectionSet: { } child } when SpreadsItself(target, child, path, seen): return true;
            }
        }
        return false;
    }

    private void CheckOperation(OperationDefinition operation)
    {
        _variables = new Dictionary<string, VariableDefinition>(StringComparer.Ordinal);
        _usedVariables = [];
        foreach (var variable in operation.Variables)
        {
            if (!_variables.TryAdd(variable.Name, variable))
                Report($"There can be only one variable named \"${variable.Name}\".", variable.Location);
            var type = ResolveType(variable.Type);
            if (type is null) Report($"Unknown type \"{variable.Type.NamedType}\".", variable.Location);
            else if (!type.IsInputType)
                Report($"Variable \"${variable.Name}\" cannot be non-input type \"{variable.Type}\".", variable.Location);
            else if (variable.DefaultValue is { } defaultValue) CheckLiteral(defaultValue, type, $"Variable \"${variable.Name}\" default value");
        }
        var root = schema.RootType(operation.Kind);
        if (root is null)
        {
            Report($"Schema is not configured to execute {operation.Kind.ToString().ToLowerInvariant()} operation.", operation.Location);
            return;
        }
        CheckDirectives(operation.Directives, operation.Kind.ToString().ToUpperInvariant());
        if (operation.Kind == OperationKind.Subscription) CheckSubscriptionRoot(operation, root);
        CheckSelectionSet(operation.SelectionSet, root, [], 0);
        foreach (var variable in operation.Variables)
            if (!_usedVariables.Contains(variable.Name))
                Report(operation.Name is null ? $"Variable \"${variable.Name}\" is never used." : $"Variable \"${variable.Name}\" is never used in operation \"{operation.Name}\".", variable.Location);
    }

    private void CheckSubscriptionRoot(OperationDefinition operation, ObjectType root)
    {
        var fields = new List<FieldSelection>();
        void Collect(SelectionSet set, HashSet<string> seen)
        {
            foreach (var s in set.Selections)
            {
                if (s is FieldSelection f) fields.Add(f);
                else if (s is InlineFragment i) Collect(i.SelectionSet, seen);
                else if (s is FragmentSpread spread && seen.Add(spread.Name) && _document.Fragments.TryGetValue(spread.Name, out var fragment)) Collect(fragment.SelectionSet, seen);
            }
        }
        Collect(operation.SelectionSet, []);
        var keys = fields.Select(f => f.ResponseKey).Distinct().Count();
        var name = operation.Name is null ? "Anonymous Subscription" : $"Subscription \"{operation.Name}\"";
        if (keys > 1) Report($"{name} must select only one top level field.", operation.Location);
        foreach (var f in fields.Where(f => f.Name.StartsWith("__", StringComparison.Ordinal)))
            Report($"{name} must not select an introspection top level field.", f.Location);
    }

    private void CheckSelectionSet(SelectionSet set, NamedType parent, HashSet<string> spreadPath, int depth)
    {
        var seenKeys = new Dictionary<string, FieldSelection>(StringComparer.Ordinal);
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case FieldSelection field:
                    CheckDirectives(field.Directives, "FIELD");
                    if (seenKeys.TryGetValue(field.ResponseKey, out var other) && other.Name != field.Name)
                        Report($"Fields \"{field.ResponseKey}\" conflict because \"{other.Name}\" and \"{field.Name}\" are different fields. Use different aliases on the fields to fetch both if this was intentional.", field.Location);
                    else seenKeys.TryAdd(field.ResponseKey, field);
                    CheckField(field, parent, spreadPath, depth);
                    break;
                case InlineFragment inline:
                    CheckDirectives(inline.Directives, "INLINE_FRAGMENT");
                    var target = parent;
                    if (inline.TypeCondition is { } condition)
                    {
                        var type = schema.FindType(condition);
                        if (type is null) { Report($"Unknown type \"{condition}\".", inline.Location); break; }
                        if (type is not (ObjectType or InterfaceType or UnionType))
                        { Report($"Fragment cannot condition on non composite type \"{condition}\".", inline.Location); break; }
                        if (!Overlaps(type, parent))
                            Report($"Fragment cannot be spread here as objects of type \"{parent.Name}\" can never be of type \"{type.Name}\".", inline.Location);
                        target = type;
                    }
                    CheckSelectionSet(inline.SelectionSet, target, spreadPath, depth);
                    break;
                case FragmentSpread spread:
                    CheckDirectives(spread.Directives, "FRAGMENT_SPREAD");
                    _usedFragments.Add(spread.Name);
                    if (!_document.Fragments.TryGetValue(spread.Name, out var fragment))
                    { Report($"Unknown fragment \"{spread.Name}\".", spread.Location); break; }
                    var fragmentType = schema.FindType(fragment.TypeCondition);
                    if (fragmentType is null || fragmentType is not (ObjectType or InterfaceType or UnionType)) break;
                    if (!Overlaps(fragmentType, parent))
                        Report($"Fragment \"{spread.Name}\" cannot be spread here as objects of type \"{parent.Name}\" can never be of type \"{fragmentType.Name}\".", spread.Location);
                    if (!spreadPath.Add(spread.Name)) break; // cycle, reported with the fragment
                    CheckSelectionSet(fragment.SelectionSet, fragmentType, spreadPath, depth);
                    spreadPath.Remove(spread.Name);
                    break;
            }
        }
    }

    private bool Overlaps(NamedType a, NamedType b)
    {
        if (ReferenceEquals(a, b)) return true;
        var left = schema.PossibleTypes(a);
        var right = schema.PossibleTypes(b);
        return left.Any(right.Contains);
    }

    private void CheckField(FieldSelection field, NamedType parent, HashSet<string> spreadPath, int depth)
    {
        FieldDefinition? definition = null;
        if (field.Name == "__typename")
        {
            CheckNoSubselection(field, Scalars.String.NonNull());
            return;
        }
        if (field.Name is "__schema" or "__type" && ReferenceEquals(parent, schema.Query))
        {
            if (!allowIntrospection)
            {
                _errors.Add(GraphQLError.WithCode("Introspection is not allowed for the current request.", ErrorCodes.IntrospectionDisabled, field.Location));
                return;
            }
            definition = field.Name == "__schema" ? schema.Introspection.SchemaField : schema.Introspection.TypeField;
        }
        else if (parent is IFieldsType fieldsType) definition = fieldsType.Fields.Find(field.Name);
        if (definition is null)
        {
            Report($"Cannot query field \"{field.Name}\" on type \"{parent.Name}\".", field.Location);
            return;
        }
        CheckArguments(field, definition, parent);
        var named = definition.Type.Named;
        if (named is ScalarType or EnumType) CheckNoSubselection(field, definition.Type);
        else if (field.SelectionSet is null)
            Report($"Field \"{field.Name}\" of type \"{definition.Type}\" must have a selection of subfields. Did you mean \"{field.Name} {{ ... }}\"?", field.Location);
        else CheckSelectionSet(field.SelectionSet, named, spreadPath, depth + 1);
    }

    private void CheckNoSubselection(FieldSelection field, GraphType type)
    {
        if (field.SelectionSet is not null)
            Report($"Field \"{field.Name}\" must not have a selection since type \"{type}\" has no subfields.", field.Location);
    }

    private void CheckArguments(FieldSelection field, FieldDefinition definition, NamedType parent)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in field.Arguments)
        {
            if (!seen.Add(argument.Name)) Report($"There can be only one argument named \"{argument.Name}\".", argument.Location);
            var argumentDefinition = definition.FindArgument(argument.Name);
            if (argumentDefinition is null)
            {
                Report($"Unknown argument \"{argument.Name}\" on field \"{parent.Name}.{field.Name}\".", argument.Location);
                continue;
            }
            CheckValue(argument.Value, argumentDefinition.Type, argumentDefinition.HasDefaultValue, $"Argument \"{argument.Name}\"");
        }
        foreach (var argumentDefinition in definition.Arguments)
            if (argumentDefinition.Type is NonNullType && !argumentDefinition.HasDefaultValue && !seen.Contains(argumentDefinition.Name))
                Report($"Field \"{field.Name}\" argument \"{argumentDefinition.Name}\" of type \"{argumentDefinition.Type}\" is required, but it was not provided.", field.Location);
    }

    private void CheckDirectives(IReadOnlyList<Directive> directives, string location)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in directives)
        {
            var definition = schema.Directives.FirstOrDefault(d => d.Name == directive.Name);
            if (definition is null) { Report($"Unknown directive \"@{directive.Name}\".", directive.Location); continue; }
            if (!definition.Locations.Contains(location)) Report($"Directive \"@{directive.Name}\" may not be used on {location}.", directive.Location);
            if (!definition.IsRepeatable && !seen.Add(directive.Name)) Report($"The directive \"@{directive.Name}\" can only be used once at this location.", directive.Location);
            foreach (var argument in directive.Arguments)
            {
                var argumentDefinition = definition.Arguments.FirstOrDefault(a => a.Name == argument.Name);
                if (argumentDefinition is null) Report($"Unknown argument \"{argument.Name}\" on directive \"@{directive.Name}\".", argument.Location);
                else CheckValue(argument.Value, argumentDefinition.Type, argumentDefinition.HasDefaultValue, $"Argument \"{argument.Name}\"");
            }
            foreach (var argumentDefinition in definition.Arguments)
                if (argumentDefinition.Type is NonNullType && !argumentDefinition.HasDefaultValue && directive.Arguments.All(a => a.Name != argumentDefinition.Name))
                    Report($"Directive \"@{directive.Name}\" argument \"{argumentDefinition.Name}\" of type \"{argumentDefinition.Type}\" is required, but it was not provided.", directive.Location);
        }
    }

    /// <summary>Checks a value at a location of <paramref name="type"/>: variables for defined and compatible, literals for coercibility.</summary>
    private void CheckValue(ValueSyntax value, GraphType type, bool locationHasDefault, string what)
    {
        if (value is VariableSyntax variable)
        {
            _usedVariables.Add(variable.Name);
            if (!_variables.TryGetValue(variable.Name, out var definition))
            {
                Report($"Variable \"${variable.Name}\" is not defined.", variable.Location);
                return;
            }
            var variableType = ResolveType(definition.Type);
            if (variableType is null) return;
            bool defaultSatisfies = definition.DefaultValue is not null and not NullValueSyntax || locationHasDefault;
            if (!IsCompatible(variableType, type, defaultSatisfies))
                Report($"Variable \"${variable.Name}\" of type \"{definition.Type}\" used in position expecting type \"{type}\".", variable.Location);
            return;
        }
        switch (type)
        {
            case NonNullType n:
                if (value is NullValueSyntax) { Report($"{what}: expected value of type \"{type}\", found null.", value.Location); return; }
                CheckValue(value, n.OfType, false, what);
                return;
            case ListType l:
                if (value is ListValueSyntax list) foreach (var item in list.Items) CheckValue(item, l.OfType, false, what);
                else CheckValue(value, l.OfType, false, what);
                return;
            case InputObjectType input when value is ObjectValueSyntax obj:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var field in obj.Fields)
                {
                    if (!names.Add(field.Name)) Report($"There can be only one input field named \"{field.Name}\".", field.Location);
                    var definition = input.FindField(field.Name);
                    if (definition is null) Report($"Field \"{field.Name}\" is not defined by type \"{input.Name}\".", field.Location);
                    else CheckValue(field.Value, definition.Type, definition.HasDefaultValue, what);
                }
                foreach (var definition in input.Fields)
                    if (definition.Type is NonNullType && !definition.HasDefaultValue && !names.Contains(definition.Name))
                        Report($"Field \"{input.Name}.{definition.Name}\" of required type \"{definition.Type}\" was not provided.", value.Location);
                if (input.IsOneOf && obj.Fields.Count != 1)
                    Report($"OneOf Input Object \"{input.Name}\" must specify exactly one key.", value.Location);
                return;
            default:
                if (value is NullValueSyntax) return;
                try { InputCoercion.FromLiteral(value, type, null, what); }
                catch (InputCoercionException e) { Report(e.Message, value.Location); }
                return;
        }
    }

    private void CheckLiteral(ValueSyntax value, GraphType type, string what)
    {
        try { InputCoercion.FromLiteral(value, type, null, what); }
        catch (InputCoercionException e) { Report(e.Message, value.Location); }
    }

    private static bool IsCompatible(GraphType variableType, GraphType locationType, bool defaultSatisfies)
    {
        if (locationType is NonNullType locationNonNull && variableType is not NonNullType)
        {
            if (!defaultSatisfies) return false;
            return IsSubType(variableType, locationNonNull.OfType);
        }
        return IsSubType(variableType, locationType);
    }

    private static bool IsSubType(GraphType candidate, GraphType target)
    {
        if (target is NonNullType t) return candidate is NonNullType c && IsSubType(c.OfType, t.OfType);
        if (candidate is NonNullType cn) return IsSubType(cn.OfType, target);
        if (target is ListType tl) return candidate is ListType cl && IsSubType(cl.OfType, tl.OfType);
        if (candidate is ListType) return false;
        return ReferenceEquals(candidate.Named, target.Named);
    }

    /// <summary>Resolves a type as written in a variable definition against the schema; null when its named type is unknown.</summary>
    public GraphType? ResolveType(TypeSyntax syntax) => syntax switch
    {
        NamedTypeSyntax n => schema.FindType(n.Name),
        ListTypeSyntax l => ResolveType(l.OfType) is { } inner ? new ListType(inner) : null,
        NonNullTypeSyntax nn => ResolveType(nn.OfType) is { } inner ? new NonNullType(inner) : null,
        _ => null,
    };
}
