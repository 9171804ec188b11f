using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Validation;

/// <summary>
/// Tracks, during a walk of a document, the schema types in scope: parent composite type, current output type,
/// field and argument definitions, expected input type and its default (graphql-js's <c>TypeInfo</c>).
/// </summary>
public sealed class TypeInfo(GraphQLSchema schema)
{
    private readonly List<GraphQLType?> _typeStack = [];
    private readonly List<GraphQLNamedType?> _parentTypeStack = [];
    private readonly List<GraphQLType?> _inputTypeStack = [];
    private readonly List<GraphQLField?> _fieldDefStack = [];
    private readonly List<(bool Has, ValueNode? Value)> _defaultValueStack = [];

    public GraphQLSchema Schema { get; } = schema;
    /// <summary>The output type at this point (the field's type inside a field).</summary>
    public GraphQLType? Type => Top(_typeStack);
    /// <summary>The composite type whose fields are being selected.</summary>
    public GraphQLNamedType? ParentType => Top(_parentTypeStack);
    /// <summary>The input type expected at this point (argument, list item, object field).</summary>
    public GraphQLType? InputType => Top(_inputTypeStack);
    /// <summary>The input type of the enclosing input position.</summary>
    public GraphQLType? ParentInputType => _inputTypeStack.Count > 1 ? _inputTypeStack[^2] : null;
    public GraphQLField? FieldDef => Top(_fieldDefStack);
    /// <summary>Whether the current input position has a default (argument or input field default).</summary>
    public bool HasDefaultValue => _defaultValueStack.Count > 0 && _defaultValueStack[^1].Has;
    public GraphQLDirective? Directive { get; private set; }
    public GraphQLArgument? Argument { get; private set; }
    public GraphQLEnumValue? EnumValue { get; private set; }

    private static T? Top<T>(List<T?> stack) where T : class => stack.Count > 0 ? stack[^1] : null;

    public void Enter(Node node)
    {
        switch (node)
        {
            case SelectionSetNode:
                var named = Type?.NamedType;
                _parentTypeStack.Add(named is { IsCompositeType: true } ? named : null);
                break;
            case FieldNode field:
                var parent = ParentType;
                var fieldDef = parent is null ? null : Schema.GetFieldDefinition(parent, field.Name.Value);
                _fieldDefStack.Add(fieldDef);
                _typeStack.Add(fieldDef is { Type.IsOutputType: true } ? fieldDef.Type : null);
                break;
            case DirectiveNode directive:
                Directive = Schema.GetDirective(directive.Name.Value);
                break;
            case OperationDefinitionNode operation:
                _typeStack.Add(Schema.GetRootType(operation.Operation));
                break;
            case InlineFragmentNode inline:
                var inlineType = inline.TypeCondition is { } tc ? Schema.TypeFromAst(tc) : Type?.NamedType;
                _typeStack.Add(inlineType is { IsOutputType: true } ? inlineType : null);
                break;
            case FragmentDefinitionNode fragment:
                var fragmentType = Schema.TypeFromAst(fragment.TypeCondition);
                _typeStack.Add(fragmentType is { IsOutputType: true } ? fragmentType : null);
                break;
            case VariableDefinitionNode variable:
                var inputType = Schema.TypeFromAst(variable.Type);
                _inputTypeStack.Add(inputType is { IsInputType: true } ? inputType : null);
                break;
            case ArgumentNode argument:
                GraphQLArgument? argDef = null;
                if (Directive is { } d) argDef = d.GetArgument(argument.Name.Value);
                else if (FieldDef is { } f) argDef = f.GetArgument(argument.Name.Value);
                Argument = argDef;
                _defaultValueStack.Add((argDef?.DefaultValue is not null, argDef?.DefaultValue));
                _inputTypeStack.Add(argDef is { Type.IsInputType: true } ? argDef.Type : null);
                break;
            case ListValueNode:
                var listType = InputType?.Nullable;
                var itemType = listType is GraphQLListType l ? l.OfType : listType;
                _defaultValueStack.Add((false, null));
                _inputTypeStack.Add(itemType is { IsInputType: true } ? itemType : null);
                break;
            case ObjectFieldNode objectField:
                GraphQLInputField? inputField = null;
                if (InputType?.NamedType is GraphQLInputObjectType objectType)
                    inputField = objectType.Fields[objectField.Name.Value];
                _defaultValueStack.Add((inputField?.DefaultValue is not null, inputField?.DefaultValue));
                _inputTypeStack.Add(inputField is { Type.IsInputType: true } ? inputField.Type : null);
                break;
            case EnumValueNode enumValue:
                EnumValue = InputType?.NamedType is GraphQLEnumType enumType ? enumType.Values[enumValue.Value] : null;
                break;
        }
    }

    public void Leave(Node node)
    {
        switch (node)
        {
            case SelectionSetNode: Pop(_parentTypeStack); break;
            case FieldNode: Pop(_fieldDefStack); Pop(_typeStack); break;
            case DirectiveNode: Directive = null; break;
            case OperationDefinitionNode or InlineFragmentNode or FragmentDefinitionNode: Pop(_typeStack); break;
            case VariableDefinitionNode: Pop(_inputTypeStack); break;
            case ArgumentNode: Argument = null; Pop(_defaultValueStack); Pop(_inputTypeStack); break;
            case ListValueNode or ObjectFieldNode: Pop(_defaultValueStack); Pop(_inputTypeStack); break;
            case EnumValueNode: EnumValue = null; break;
        }
    }

    private static void Pop<T>(List<T> stack)
    {
        if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
    }
}
