using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation.Rules;

/// <summary>Variable names are unique within an operation.</summary>
public sealed class UniqueVariableNamesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not OperationDefinitionNode operation) return node is DocumentNode;
        foreach (var group in operation.VariableDefinitions.GroupBy(v => v.Variable.Name.Value, StringComparer.Ordinal))
        {
            var list = group.ToList();
            if (list.Count > 1)
                context.ReportError($"There can be only one variable named \"${group.Key}\".", list.Select(v => (Node?)v.Variable.Name).ToArray());
        }
        return false;
    }
}

/// <summary>Every variable used is defined by the operation.</summary>
public sealed class NoUndefinedVariablesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors) => node is DocumentNode or OperationDefinitionNode;

    public override void Leave(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not OperationDefinitionNode operation) return;
        var defined = new HashSet<string>(operation.VariableDefinitions.Select(v => v.Variable.Name.Value), StringComparer.Ordinal);
        foreach (var usage in context.GetRecursiveVariableUsages(operation))
        {
            var name = usage.Node.Name.Value;
            if (defined.Contains(name)) continue;
            context.ReportError(operation.Name is { } opName
                ? $"Variable \"${name}\" is not defined by operation \"{opName.Value}\"."
                : $"Variable \"${name}\" is not defined.", usage.Node, operation);
        }
    }
}

/// <summary>Every variable defined is used.</summary>
public sealed class NoUnusedVariablesRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors) => node is DocumentNode or OperationDefinitionNode;

    public override void Leave(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not OperationDefinitionNode operation) return;
        var used = new HashSet<string>(context.GetRecursiveVariableUsages(operation).Select(u => u.Node.Name.Value), StringComparer.Ordinal);
        foreach (var definition in operation.VariableDefinitions)
        {
            var name = definition.Variable.Name.Value;
            if (used.Contains(name)) continue;
            context.ReportError(operation.Name is { } opName
                ? $"Variable \"${name}\" is never used in operation \"{opName.Value}\"."
                : $"Variable \"${name}\" is never used.", definition);
        }
    }
}

/// <summary>Variables are used only where their type fits.</summary>
public sealed class VariablesInAllowedPositionRule : ValidationRule
{
    public override bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors) => node is DocumentNode or OperationDefinitionNode;

    public override void Leave(Node node, ValidationContext context, IReadOnlyList<Node> ancestors)
    {
        if (node is not OperationDefinitionNode operation) return;
        var definitions = new Dictionary<string, VariableDefinitionNode>(StringComparer.Ordinal);
        foreach (var d in operation.VariableDefinitions) definitions[d.Variable.Name.Value] = d;
        var schema = context.Schema;
        foreach (var usage in context.GetRecursiveVariableUsages(operation))
        {
            var name = usage.Node.Name.Value;
            if (!definitions.TryGetValue(name, out var definition) || usage.Type is null) continue;
            var varType = schema.TypeFromAst(definition.Type);
            if (varType is null) continue;
            if (!AllowedUsage(schema, varType, definition.DefaultValue, usage.Type, usage.HasLocationDefault))
                context.ReportError($"Variable \"${name}\" of type \"{varType}\" used in position expecting type \"{usage.Type}\".", definition, usage.Node);
            if (usage.ParentType is GraphQLInputObjectType { IsOneOf: true } oneOf && varType is not GraphQLNonNullType)
                context.ReportError($"Variable \"${name}\" is of type \"{varType}\" but must be non-nullable to be used for OneOf Input Object \"{oneOf.Name}\".", definition, usage.Node);
        }
    }

    private static bool AllowedUsage(GraphQLSchema schema, GraphQLType varType, ValueNode? varDefault, GraphQLType locationType, bool hasLocationDefault)
    {
        if (locationType is GraphQLNonNullType nonNullLocation && varType is not GraphQLNonNullType)
        {
            var hasNonNullVariableDefault = varDefault is not null and not NullValueNode;
            if (!hasNonNullVariableDefault && !hasLocationDefault) return false;
            return IsSubTypeOf(schema, varType, nonNullLocation.OfType);
        }
        return IsSubTypeOf(schema, varType, locationType);
    }

    /// <summary>graphql-js <c>isTypeSubTypeOf</c>.</summary>
    public static bool IsSubTypeOf(GraphQLSchema schema, GraphQLType maybeSub, GraphQLType super)
    {
        if (maybeSub.IsEqualType(super)) return true;
        if (super is GraphQLNonNullType superNonNull)
            return maybeSub is GraphQLNonNullType subNonNull && IsSubTypeOf(schema, subNonNull.OfType, superNonNull.OfType);
        if (maybeSub is GraphQLNonNullType nn) return IsSubTypeOf(schema, nn.OfType, super);
        if (super is GraphQLListType superList)
            return maybeSub is GraphQLListType subList && IsSubTypeOf(schema, subList.OfType, superList.OfType);
        if (maybeSub is GraphQLListType) return false;
        return super is GraphQLNamedType { IsAbstractType: true } abstractType
            && maybeSub is GraphQLInterfaceType or GraphQLObjectType
            && schema.IsSubType(abstractType, (GraphQLNamedType)maybeSub);
    }
}
