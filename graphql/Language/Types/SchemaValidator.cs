using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Validation.Rules;

namespace Actors.GraphQL.Language.Types;

/// <summary>
/// Checks a schema against the type system rules of the specification (graphql-js <c>validateSchema</c>, with its
/// messages): a query root, non-empty types, reserved names, interface implementations, @oneOf inputs, and input
/// objects that can be given a finite value. Code-first schemas should pass this before serving.
/// </summary>
public static class SchemaValidator
{
    public static IReadOnlyList<GraphQLError> Validate(GraphQLSchema schema)
    {
        var errors = new List<GraphQLError>();
        void Report(string message, params ReadOnlySpan<Node?> nodes) => errors.Add(new GraphQLError(message, nodes));

        if (schema.QueryType is null) Report("Query root type must be provided.", schema.AstNode);

        foreach (var directive in schema.Directives)
        {
            ValidateName(directive.Name, directive.AstNode, Report);
            if (directive.Locations.Count == 0) Report($"Directive @{directive.Name} must include 1 or more locations.", directive.AstNode);
            foreach (var arg in directive.Arguments)
            {
                ValidateName(arg.Name, arg.AstNode, Report);
                if (!arg.Type.IsInputType) Report($"The type of @{directive.Name}({arg.Name}:) must be Input Type but got: {arg.Type}.", arg.AstNode);
                if (arg.IsRequired && arg.IsDeprecated) Report($"Required argument @{directive.Name}({arg.Name}:) cannot be deprecated.", arg.AstNode);
            }
        }

        var cycles = new InputCycleDetector(Report);
        foreach (var type in schema.Types)
        {
            if (!type.IsBuiltIn) ValidateName(type.Name, type.AstNode, Report);
            switch (type)
            {
                case GraphQLFieldsType fieldsType:
                    ValidateFields(fieldsType, Report);
                    ValidateInterfaces(schema, fieldsType, Report);
                    break;
                case GraphQLUnionType union:
                    if (union.Types.Count == 0) Report($"Union type {union.Name} must define one or more member types.", union.AstNode);
                    var included = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var member in union.Types)
                        if (!included.Add(member.Name)) Report($"Union type {union.Name} can only include type {member.Name} once.", union.AstNode);
                    break;
                case GraphQLEnumType enumType:
                    if (enumType.Values.Count == 0) Report($"Enum type {enumType.Name} must define one or more values.", enumType.AstNode);
                    foreach (var value in enumType.Values) ValidateName(value.Name, value.AstNode, Report);
                    break;
                case GraphQLInputObjectType input:
                    if (input.Fields.Count == 0) Report($"Input Object type {input.Name} must define one or more fields.", input.AstNode);
                    foreach (var field in input.Fields)
                    {
                        ValidateName(field.Name, field.AstNode, Report);
                        if (!field.Type.IsInputType) Report($"The type of {input.Name}.{field.Name} must be Input Type but got: {field.Type}.", field.AstNode);
                        if (field.IsRequired && field.IsDeprecated) Report($"Required input field {input.Name}.{field.Name} cannot be deprecated.", field.AstNode);
                        if (input.IsOneOf)
                        {
                            if (field.Type is GraphQLNonNullType) Report($"OneOf input field {input.Name}.{field.Name} must be nullable.", field.AstNode);
                            if (field.DefaultValue is not null) Report($"OneOf input field {input.Name}.{field.Name} cannot have a default value.", field.AstNode);
                        }
                    }
                    cycles.Detect(input);
                    break;
            }
        }
        return errors;
    }

    private delegate void Reporter(string message, params ReadOnlySpan<Node?> nodes);

    private static void ValidateName(string name, Node? node, Reporter report)
    {
        if (name.StartsWith("__", StringComparison.Ordinal))
            report($"Name \"{name}\" must not begin with \"__\", which is reserved by GraphQL introspection.", node);
    }

    private static void ValidateFields(GraphQLFieldsType type, Reporter report)
    {
        if (type.Fields.Count == 0) report($"Type {type.Name} must define one or more fields.", type.AstNode);
        foreach (var field in type.Fields)
        {
            ValidateName(field.Name, field.AstNode, report);
            if (!field.Type.IsOutputType) report($"The type of {type.Name}.{field.Name} must be Output Type but got: {field.Type}.", field.AstNode);
            foreach (var arg in field.Arguments)
            {
                ValidateName(arg.Name, arg.AstNode, report);
                if (!arg.Type.IsInputType) report($"The type of {type.Name}.{field.Name}({arg.Name}:) must be Input Type but got: {arg.Type}.", arg.AstNode);
                if (arg.IsRequired && arg.IsDeprecated) report($"Required argument {type.Name}.{field.Name}({arg.Name}:) cannot be deprecated.", arg.AstNode);
            }
        }
    }

    private static void ValidateInterfaces(GraphQLSchema schema, GraphQLFieldsType type, Reporter report)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var iface in type.Interfaces)
        {
            if (ReferenceEquals(type, iface))
            {
                report($"Type {type.Name} cannot implement itself because it would create a circular reference.", type.AstNode);
                continue;
            }
            if (!seen.Add(iface.Name))
            {
                report($"Type {type.Name} can only implement {iface.Name} once.", type.AstNode);
                continue;
            }
            foreach (var transitive in iface.Interfaces)
            {
                if (type.Interfaces.Contains(transitive)) continue;
                report(ReferenceEquals(transitive, type)
                    ? $"Type {type.Name} cannot implement {iface.Name} because it would create a circular reference."
                    : $"Type {type.Name} must implement {transitive.Name} because it is implemented by {iface.Name}.", type.AstNode);
            }
            foreach (var ifaceField in iface.Fields)
            {
                var name = ifaceField.Name;
                if (type.GetField(name) is not { } typeField)
                {
                    report($"Interface field {iface.Name}.{name} expected but {type.Name} does not provide it.", ifaceField.AstNode, type.AstNode);
                    continue;
                }
                if (!VariablesInAllowedPositionRule.IsSubTypeOf(schema, typeField.Type, ifaceField.Type))
                    report($"Interface field {iface.Name}.{name} expects type {ifaceField.Type} but {type.Name}.{name} is type {typeField.Type}.",
                        ifaceField.AstNode?.Type, typeField.AstNode?.Type);
                foreach (var ifaceArg in ifaceField.Arguments)
                {
                    if (typeField.GetArgument(ifaceArg.Name) is not { } typeArg)
                    {
                        report($"Interface field argument {iface.Name}.{name}({ifaceArg.Name}:) expected but {type.Name}.{name} does not provide it.",
                            ifaceArg.AstNode, typeField.AstNode);
                        continue;
                    }
                    if (!ifaceArg.Type.IsEqualType(typeArg.Type))
                        report($"Interface field argument {iface.Name}.{name}({ifaceArg.Name}:) expects type {ifaceArg.Type} but {type.Name}.{name}({ifaceArg.Name}:) is type {typeArg.Type}.",
                            ifaceArg.AstNode?.Type, typeArg.AstNode?.Type);
                }
                foreach (var typeArg in typeField.Arguments)
                    if (ifaceField.GetArgument(typeArg.Name) is null && typeArg.IsRequired)
                        report($"Argument \"{type.Name}.{name}({typeArg.Name}:)\" must not be required type \"{typeArg.Type}\" if not provided by the Interface field \"{iface.Name}.{name}\".",
                            typeArg.AstNode, ifaceField.AstNode);
            }
        }
    }

    /// <summary>An input object whose required (non-null, non-list) fields lead back to itself has no finite value.</summary>
    private sealed class InputCycleDetector(Reporter report)
    {
        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
        private readonly List<(GraphQLInputObjectType Owner, GraphQLInputField Field)> _path = [];
        private readonly Dictionary<string, int> _pathIndexByType = new(StringComparer.Ordinal);

        public void Detect(GraphQLInputObjectType input)
        {
            if (!_visited.Add(input.Name)) return;
            _pathIndexByType[input.Name] = _path.Count;
            foreach (var field in input.Fields)
            {
                if (field.Type is not GraphQLNonNullType { OfType: GraphQLInputObjectType fieldType }) continue;
                _path.Add((input, field));
                if (!_pathIndexByType.TryGetValue(fieldType.Name, out var cycleIndex)) Detect(fieldType);
                else
                {
                    var cycle = _path.Skip(cycleIndex).ToList();
                    report($"Input Object {fieldType.Name} cannot be provided a finite value because it references itself through fields: "
                        + string.Join(", ", cycle.Select(c => $"{c.Owner.Name}.{c.Field.Name}")) + ".",
                        cycle.Select(c => (Node?)c.Field.AstNode).ToArray());
                }
                _path.RemoveAt(_path.Count - 1);
            }
            _pathIndexByType.Remove(input.Name);
        }
    }
}
