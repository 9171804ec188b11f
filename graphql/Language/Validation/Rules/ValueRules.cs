using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation.Rules;

/// <summary>Literals are valid for the input type expected where they appear (scalars, enums, input objects, @oneOf).</summary>
public sealed class ValuesOfCorrectTypeRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        var info = context.TypeInfo;
        switch (node)
        {
            case ListValueNode list:
                // TypeInfo has already moved to the item type; the parent input type tells whether a list is expected.
                if (info.ParentInputType?.Nullable is not GraphQLListType)
                {
                    CheckLeaf(context, list);
                    return false;
                }
                break;
            case ObjectValueNode obj:
                if (info.InputType?.NamedType is not GraphQLInputObjectType type)
                {
                    CheckLeaf(context, obj);
                    return false;
                }
                var given = new Dictionary<string, ObjectFieldNode>(StringComparer.Ordinal);
                foreach (var f in obj.Fields) given[f.Name.Value] = f;
                foreach (var field in type.Fields)
                    if (!given.ContainsKey(field.Name) && field.IsRequired)
                        context.ReportError($"Field \"{type.Name}.{field.Name}\" of required type \"{field.Type}\" was not provided.", obj);
                if (type.IsOneOf) CheckOneOf(context, obj, type, given);
                break;
            case ObjectFieldNode objectField:
                if (info.InputType is null && info.ParentInputType?.NamedType is GraphQLInputObjectType parentType)
                    context.ReportError($"Field \"{objectField.Name.Value}\" is not defined by type \"{parentType.Name}\"."
                        + Suggestions.DidYouMean(Suggestions.List(objectField.Name.Value, parentType.Fields.Select(f => f.Name))), objectField);
                break;
            case NullValueNode:
                if (info.InputType is GraphQLNonNullType nonNull)
                    context.ReportError($"Expected value of type \"{nonNull}\", found null.", node);
                break;
            case EnumValueNode or IntValueNode or FloatValueNode or StringValueNode or BooleanValueNode:
                CheckLeaf(context, (ValueNode)node);
                break;
        }
        return true;
    }

    private static void CheckLeaf(ValidationContext context, ValueNode node)
    {
        if (context.TypeInfo.InputType is not { } locationType) return;
        var type = locationType.NamedType;
        if (!type.IsLeafType)
        {
            context.ReportError($"Expected value of type \"{locationType}\", found {Printer.Print(node)}.", node);
            return;
        }
        try
        {
            if (type is GraphQLEnumType enumType) enumType.ParseLiteral(node);
            else ((GraphQLScalarType)type).ParseLiteral(node, null);
        }
        catch (GraphQLException ex)
        {
            context.ReportError(ex.Error);
        }
        catch (Exception ex)
        {
            context.ReportError($"Expected value of type \"{locationType}\", found {Printer.Print(node)}; {ex.Message}", node);
        }
    }

    private static void CheckOneOf(ValidationContext context, ObjectValueNode node, GraphQLInputObjectType type, Dictionary<string, ObjectFieldNode> given)
    {
        if (given.Count != 1)
        {
            context.ReportError($"OneOf Input Object \"{type.Name}\" must specify exactly one key.", node);
            return;
        }
        var (key, field) = given.First();
        if (field.Value is NullValueNode)
        {
            context.ReportError($"Field \"{type.Name}.{key}\" must be non-null.", node);
            return;
        }
        // A nullable variable here is VariablesInAllowedPositionRule's to report (as graphql-js does).
    }
}

/// <summary>Input object literals name each field at most once.</summary>
public sealed class UniqueInputFieldNamesRule : ValidationRule
{
    private readonly Stack<Dictionary<string, NameNode>> _stack = new();

    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        switch (node)
        {
            case ObjectValueNode:
                _stack.Push(new Dictionary<string, NameNode>(StringComparer.Ordinal));
                break;
            case ObjectFieldNode field when _stack.TryPeek(out var known):
                if (known.TryGetValue(field.Name.Value, out var first))
                    context.ReportError($"There can be only one input field named \"{field.Name.Value}\".", first, field.Name);
                else known[field.Name.Value] = field.Name;
                break;
        }
        return true;
    }

    public override void Leave(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is ObjectValueNode) _stack.Pop();
    }
}
