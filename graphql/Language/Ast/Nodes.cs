namespace Actors.GraphQL.Language.Ast;

/// <summary>Where a node starts and ends in its source: character offsets, and the 1-based line and column of its first character.</summary>
public readonly record struct Location(int Start, int End, int Line, int Column)
{
    /// <summary>The line and column, as reported in errors.</summary>
    public SourceLocation ToSourceLocation() => new(Line, Column);
}

/// <summary>A 1-based line and column, as graphql-js reports them in errors.</summary>
public readonly record struct SourceLocation(int Line, int Column);

/// <summary>Every AST node of the GraphQL language (October 2021 spec). Nodes are immutable after parsing.</summary>
public abstract class Node
{
    /// <summary>Where the node starts and ends in the parsed source; default for nodes built in code.</summary>
    public Location Location { get; internal set; }
}

/// <summary>A name: identifiers of fields, types, arguments, directives and so on.</summary>
public sealed class NameNode(string value) : Node
{
    public string Value { get; } = value;
    public override string ToString() => Value;
}

/// <summary>A whole GraphQL document: executable definitions and/or type system definitions and extensions.</summary>
public sealed class DocumentNode(IReadOnlyList<DefinitionNode> definitions) : Node
{
    public IReadOnlyList<DefinitionNode> Definitions { get; } = definitions;
}

/// <summary>A top-level definition of a document.</summary>
public abstract class DefinitionNode : Node;

/// <summary>Operations and fragments: the definitions a server executes.</summary>
public abstract class ExecutableDefinitionNode : DefinitionNode
{
    /// <summary>The operation's or fragment's name; null for anonymous operations.</summary>
    public abstract NameNode? Name { get; }
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }
    public abstract SelectionSetNode SelectionSet { get; }
}

/// <summary>The three kinds of operation.</summary>
public enum OperationType { Query, Mutation, Subscription }

/// <summary><c>query Name($v: T) @d { ... }</c>, or the shorthand <c>{ ... }</c>.</summary>
public sealed class OperationDefinitionNode(
    OperationType operation, NameNode? name, IReadOnlyList<VariableDefinitionNode> variableDefinitions,
    IReadOnlyList<DirectiveNode> directives, SelectionSetNode selectionSet) : ExecutableDefinitionNode
{
    public OperationType Operation { get; } = operation;
    public override NameNode? Name { get; } = name;
    public IReadOnlyList<VariableDefinitionNode> VariableDefinitions { get; } = variableDefinitions;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public override SelectionSetNode SelectionSet { get; } = selectionSet;
    /// <summary>Description of the operation (graphql-js 17 accepts these on named operations).</summary>
    public StringValueNode? Description { get; init; }
}

/// <summary><c>$name: Type = default @d</c> in an operation's variable list.</summary>
public sealed class VariableDefinitionNode(
    VariableNode variable, TypeNode type, ValueNode? defaultValue, IReadOnlyList<DirectiveNode> directives) : Node
{
    public VariableNode Variable { get; } = variable;
    public TypeNode Type { get; } = type;
    public ValueNode? DefaultValue { get; } = defaultValue;
    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    /// <summary>Description of the variable (graphql-js 17 accepts these).</summary>
    public StringValueNode? Description { get; init; }
}

/// <summary><c>{ selection ... }</c>.</summary>
public sealed class SelectionSetNode(IReadOnlyList<SelectionNode> selections) : Node
{
    public IReadOnlyList<SelectionNode> Selections { get; } = selections;
}

/// <summary>A field, fragment spread or inline fragment inside a selection set.</summary>
public abstract class SelectionNode : Node
{
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }
}

/// <summary><c>alias: name(args) @d { ... }</c>.</summary>
public sealed class FieldNode(
    NameNode? alias, NameNode name, IReadOnlyList<ArgumentNode> arguments,
    IReadOnlyList<DirectiveNode> directives, SelectionSetNode? selectionSet) : SelectionNode
{
    public NameNode? Alias { get; } = alias;
    public NameNode Name { get; } = name;
    public IReadOnlyList<ArgumentNode> Arguments { get; } = arguments;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public SelectionSetNode? SelectionSet { get; } = selectionSet;

    /// <summary>The key of this field in the response: the alias if any, else the name.</summary>
    public string ResponseKey => Alias?.Value ?? Name.Value;
}

/// <summary><c>...FragmentName @d</c>.</summary>
public sealed class FragmentSpreadNode(NameNode name, IReadOnlyList<DirectiveNode> directives) : SelectionNode
{
    public NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

/// <summary><c>... on Type @d { ... }</c>; the type condition is optional.</summary>
public sealed class InlineFragmentNode(
    NamedTypeNode? typeCondition, IReadOnlyList<DirectiveNode> directives, SelectionSetNode selectionSet) : SelectionNode
{
    public NamedTypeNode? TypeCondition { get; } = typeCondition;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public SelectionSetNode SelectionSet { get; } = selectionSet;
}

/// <summary><c>fragment Name on Type @d { ... }</c>.</summary>
public sealed class FragmentDefinitionNode(
    NameNode name, NamedTypeNode typeCondition, IReadOnlyList<DirectiveNode> directives, SelectionSetNode selectionSet)
    : ExecutableDefinitionNode
{
    public override NameNode Name { get; } = name;
    public NamedTypeNode TypeCondition { get; } = typeCondition;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public override SelectionSetNode SelectionSet { get; } = selectionSet;
    /// <summary>Description of the fragment (graphql-js 17 accepts these).</summary>
    public StringValueNode? Description { get; init; }
}

/// <summary><c>name: value</c> in a field's or directive's argument list.</summary>
public sealed class ArgumentNode(NameNode name, ValueNode value) : Node
{
    public NameNode Name { get; } = name;
    public ValueNode Value { get; } = value;
}

/// <summary><c>@name(args)</c>.</summary>
public sealed class DirectiveNode(NameNode name, IReadOnlyList<ArgumentNode> arguments) : Node
{
    public NameNode Name { get; } = name;
    public IReadOnlyList<ArgumentNode> Arguments { get; } = arguments;
}

// ---------------------------------------------------------------- values

/// <summary>Every literal, plus variables.</summary>
public abstract class ValueNode : Node;

/// <summary><c>$name</c>.</summary>
public sealed class VariableNode(NameNode name) : ValueNode
{
    public NameNode Name { get; } = name;
}

/// <summary>An integer literal, kept as its source text so no precision is lost.</summary>
public sealed class IntValueNode(string value) : ValueNode
{
    public string Value { get; } = value;
}

/// <summary>A float literal, kept as its source text.</summary>
public sealed class FloatValueNode(string value) : ValueNode
{
    public string Value { get; } = value;
}

/// <summary>A string literal, already unescaped (block strings already dedented).</summary>
public sealed class StringValueNode(string value, bool block = false) : ValueNode
{
    public string Value { get; } = value;
    /// <summary>Whether the source used <c>"""block"""</c> syntax.</summary>
    public bool Block { get; } = block;
}

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed class BooleanValueNode(bool value) : ValueNode
{
    public bool Value { get; } = value;
}

/// <summary><c>null</c>.</summary>
public sealed class NullValueNode : ValueNode;

/// <summary>An enum value: a name other than true, false, null.</summary>
public sealed class EnumValueNode(string value) : ValueNode
{
    public string Value { get; } = value;
}

/// <summary><c>[a, b]</c>.</summary>
public sealed class ListValueNode(IReadOnlyList<ValueNode> values) : ValueNode
{
    public IReadOnlyList<ValueNode> Values { get; } = values;
}

/// <summary><c>{ name: value }</c>.</summary>
public sealed class ObjectValueNode(IReadOnlyList<ObjectFieldNode> fields) : ValueNode
{
    public IReadOnlyList<ObjectFieldNode> Fields { get; } = fields;
}

/// <summary>One <c>name: value</c> of an object literal.</summary>
public sealed class ObjectFieldNode(NameNode name, ValueNode value) : Node
{
    public NameNode Name { get; } = name;
    public ValueNode Value { get; } = value;
}

// ---------------------------------------------------------------- type references

/// <summary>A type reference: named, list or non-null.</summary>
public abstract class TypeNode : Node;

/// <summary><c>TypeName</c>.</summary>
public sealed class NamedTypeNode(NameNode name) : TypeNode
{
    public NameNode Name { get; } = name;
}

/// <summary><c>[Type]</c>.</summary>
public sealed class ListTypeNode(TypeNode type) : TypeNode
{
    public TypeNode Type { get; } = type;
}

/// <summary><c>Type!</c>; the inner type is a named or list type.</summary>
public sealed class NonNullTypeNode(TypeNode type) : TypeNode
{
    public TypeNode Type { get; } = type;
}

// ---------------------------------------------------------------- type system definitions

/// <summary>Schema, type and directive definitions and their extensions.</summary>
public abstract class TypeSystemDefinitionNode : DefinitionNode;

/// <summary><c>query: TypeName</c> inside a schema definition or extension.</summary>
public sealed class OperationTypeDefinitionNode(OperationType operation, NamedTypeNode type) : Node
{
    public OperationType Operation { get; } = operation;
    public NamedTypeNode Type { get; } = type;
}

/// <summary><c>"desc" schema @d { query: Q ... }</c>.</summary>
public sealed class SchemaDefinitionNode(
    StringValueNode? description, IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<OperationTypeDefinitionNode> operationTypes) : TypeSystemDefinitionNode
{
    public StringValueNode? Description { get; } = description;
    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<OperationTypeDefinitionNode> OperationTypes { get; } = operationTypes;
}

/// <summary><c>"desc" directive @name(args) repeatable on LOCATION | ...</c>.</summary>
public sealed class DirectiveDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<InputValueDefinitionNode> arguments,
    bool repeatable, IReadOnlyList<NameNode> locations) : TypeSystemDefinitionNode
{
    public StringValueNode? Description { get; } = description;
    public NameNode Name { get; } = name;
    public IReadOnlyList<InputValueDefinitionNode> Arguments { get; } = arguments;
    public bool Repeatable { get; } = repeatable;
    public IReadOnlyList<NameNode> Locations { get; } = locations;
}

/// <summary>Definitions and extensions of named types share a name and directives.</summary>
public interface ITypeDefinitionOrExtension
{
    NameNode Name { get; }
    IReadOnlyList<DirectiveNode> Directives { get; }
}

/// <summary>A named type's definition.</summary>
public abstract class TypeDefinitionNode : TypeSystemDefinitionNode, ITypeDefinitionOrExtension
{
    public abstract StringValueNode? Description { get; }
    public abstract NameNode Name { get; }
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }
}

/// <summary><c>scalar Name @d</c>.</summary>
public sealed class ScalarTypeDefinitionNode(StringValueNode? description, NameNode name, IReadOnlyList<DirectiveNode> directives)
    : TypeDefinitionNode
{
    public override StringValueNode? Description { get; } = description;
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

/// <summary>Object and interface definitions: fields, and the interfaces they implement.</summary>
public interface IFieldsContainerNode : ITypeDefinitionOrExtension
{
    IReadOnlyList<NamedTypeNode> Interfaces { get; }
    IReadOnlyList<FieldDefinitionNode> Fields { get; }
}

/// <summary><c>type Name implements A &amp; B @d { fields }</c>.</summary>
public sealed class ObjectTypeDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<NamedTypeNode> interfaces,
    IReadOnlyList<DirectiveNode> directives, IReadOnlyList<FieldDefinitionNode> fields) : TypeDefinitionNode, IFieldsContainerNode
{
    public override StringValueNode? Description { get; } = description;
    public override NameNode Name { get; } = name;
    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

/// <summary><c>interface Name implements A @d { fields }</c>.</summary>
public sealed class InterfaceTypeDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<NamedTypeNode> interfaces,
    IReadOnlyList<DirectiveNode> directives, IReadOnlyList<FieldDefinitionNode> fields) : TypeDefinitionNode, IFieldsContainerNode
{
    public override StringValueNode? Description { get; } = description;
    public override NameNode Name { get; } = name;
    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

/// <summary><c>"desc" name(args): Type @d</c> in an object or interface.</summary>
public sealed class FieldDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<InputValueDefinitionNode> arguments,
    TypeNode type, IReadOnlyList<DirectiveNode> directives) : Node
{
    public StringValueNode? Description { get; } = description;
    public NameNode Name { get; } = name;
    public IReadOnlyList<InputValueDefinitionNode> Arguments { get; } = arguments;
    public TypeNode Type { get; } = type;
    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

/// <summary><c>"desc" name: Type = default @d</c>: an argument or an input object field.</summary>
public sealed class InputValueDefinitionNode(
    StringValueNode? description, NameNode name, TypeNode type, ValueNode? defaultValue,
    IReadOnlyList<DirectiveNode> directives) : Node
{
    public StringValueNode? Description { get; } = description;
    public NameNode Name { get; } = name;
    public TypeNode Type { get; } = type;
    public ValueNode? DefaultValue { get; } = defaultValue;
    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

/// <summary><c>union Name @d = A | B</c>.</summary>
public sealed class UnionTypeDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<DirectiveNode> directives, IReadOnlyList<NamedTypeNode> types)
    : TypeDefinitionNode
{
    public override StringValueNode? Description { get; } = description;
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<NamedTypeNode> Types { get; } = types;
}

/// <summary><c>enum Name @d { VALUES }</c>.</summary>
public sealed class EnumTypeDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<DirectiveNode> directives, IReadOnlyList<EnumValueDefinitionNode> values)
    : TypeDefinitionNode
{
    public override StringValueNode? Description { get; } = description;
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<EnumValueDefinitionNode> Values { get; } = values;
}

/// <summary><c>"desc" VALUE @d</c>.</summary>
public sealed class EnumValueDefinitionNode(StringValueNode? description, NameNode name, IReadOnlyList<DirectiveNode> directives) : Node
{
    public StringValueNode? Description { get; } = description;
    public NameNode Name { get; } = name;
    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

/// <summary><c>input Name @d { fields }</c>.</summary>
public sealed class InputObjectTypeDefinitionNode(
    StringValueNode? description, NameNode name, IReadOnlyList<DirectiveNode> directives, IReadOnlyList<InputValueDefinitionNode> fields)
    : TypeDefinitionNode
{
    public override StringValueNode? Description { get; } = description;
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<InputValueDefinitionNode> Fields { get; } = fields;
}

// ---------------------------------------------------------------- type system extensions

/// <summary><c>extend schema @d { query: Q }</c>.</summary>
public sealed class SchemaExtensionNode(IReadOnlyList<DirectiveNode> directives, IReadOnlyList<OperationTypeDefinitionNode> operationTypes)
    : TypeSystemDefinitionNode
{
    public IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<OperationTypeDefinitionNode> OperationTypes { get; } = operationTypes;
}

/// <summary>An extension of a named type: <c>extend type|interface|... Name ...</c>.</summary>
public abstract class TypeExtensionNode : TypeSystemDefinitionNode, ITypeDefinitionOrExtension
{
    public abstract NameNode Name { get; }
    public abstract IReadOnlyList<DirectiveNode> Directives { get; }
}

/// <summary><c>extend scalar Name @d</c>.</summary>
public sealed class ScalarTypeExtensionNode(NameNode name, IReadOnlyList<DirectiveNode> directives) : TypeExtensionNode
{
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
}

/// <summary><c>extend type Name implements A @d { fields }</c>.</summary>
public sealed class ObjectTypeExtensionNode(
    NameNode name, IReadOnlyList<NamedTypeNode> interfaces, IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<FieldDefinitionNode> fields) : TypeExtensionNode, IFieldsContainerNode
{
    public override NameNode Name { get; } = name;
    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

/// <summary><c>extend interface Name implements A @d { fields }</c>.</summary>
public sealed class InterfaceTypeExtensionNode(
    NameNode name, IReadOnlyList<NamedTypeNode> interfaces, IReadOnlyList<DirectiveNode> directives,
    IReadOnlyList<FieldDefinitionNode> fields) : TypeExtensionNode, IFieldsContainerNode
{
    public override NameNode Name { get; } = name;
    public IReadOnlyList<NamedTypeNode> Interfaces { get; } = interfaces;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<FieldDefinitionNode> Fields { get; } = fields;
}

/// <summary><c>extend union Name @d = A | B</c>.</summary>
public sealed class UnionTypeExtensionNode(NameNode name, IReadOnlyList<DirectiveNode> directives, IReadOnlyList<NamedTypeNode> types)
    : TypeExtensionNode
{
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<NamedTypeNode> Types { get; } = types;
}

/// <summary><c>extend enum Name @d { VALUES }</c>.</summary>
public sealed class EnumTypeExtensionNode(NameNode name, IReadOnlyList<DirectiveNode> directives, IReadOnlyList<EnumValueDefinitionNode> values)
    : TypeExtensionNode
{
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<EnumValueDefinitionNode> Values { get; } = values;
}

/// <summary><c>extend input Name @d { fields }</c>.</summary>
public sealed class InputObjectTypeExtensionNode(NameNode name, IReadOnlyList<DirectiveNode> directives, IReadOnlyList<InputValueDefinitionNode> fields)
    : TypeExtensionNode
{
    public override NameNode Name { get; } = name;
    public override IReadOnlyList<DirectiveNode> Directives { get; } = directives;
    public IReadOnlyList<InputValueDefinitionNode> Fields { get; } = fields;
}
