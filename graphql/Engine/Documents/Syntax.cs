namespace Actors.GraphQL.Documents;

/// <summary>A 1-based line and column in the request's query text.</summary>
public readonly record struct SourceLocation(int Line, int Column);

/// <summary>The kind of an operation: what its root selection set runs against.</summary>
public enum OperationKind { Query, Mutation, Subscription }

/// <summary>An executable document: the operations and fragments of one request.</summary>
public sealed class ExecutableDocument(IReadOnlyList<OperationDefinition> operations, IReadOnlyDictionary<string, FragmentDefinition> fragments, IReadOnlyList<FragmentDefinition> fragmentList)
{
    public IReadOnlyList<OperationDefinition> Operations { get; } = operations;
    public IReadOnlyDictionary<string, FragmentDefinition> Fragments { get; } = fragments;
    /// <summary>Fragments in document order, duplicates included (validation reports those).</summary>
    public IReadOnlyList<FragmentDefinition> FragmentList { get; } = fragmentList;
}

public sealed record OperationDefinition(
    OperationKind Kind, string? Name, IReadOnlyList<VariableDefinition> Variables,
    IReadOnlyList<Directive> Directives, SelectionSet SelectionSet, SourceLocation Location);

public sealed record VariableDefinition(string Name, TypeSyntax Type, ValueSyntax? DefaultValue, SourceLocation Location);

public sealed record FragmentDefinition(
    string Name, string TypeCondition, IReadOnlyList<Directive> Directives, SelectionSet SelectionSet, SourceLocation Location);

public sealed record SelectionSet(IReadOnlyList<Selection> Selections, SourceLocation Location);

public abstract record Selection(IReadOnlyList<Directive> Directives, SourceLocation Location);

public sealed record FieldSelection(
    string? Alias, string Name, IReadOnlyList<ArgumentSyntax> Arguments, IReadOnlyList<Directive> Directives,
    SelectionSet? SelectionSet, SourceLocation Location) : Selection(Directives, Location)
{
    /// <summary>The key of this field in the response: its alias, else its name.</summary>
    public string ResponseKey => Alias ?? Name;
}

public sealed record FragmentSpread(string Name, IReadOnlyList<Directive> Directives, SourceLocation Location)
    : Selection(Directives, Location);

public sealed record InlineFragment(string? TypeCondition, IReadOnlyList<Directive> Directives, SelectionSet SelectionSet, SourceLocation Location)
    : Selection(Directives, Location);

public sealed record ArgumentSyntax(string Name, ValueSyntax Value, SourceLocation Location);

public sealed record Directive(string Name, IReadOnlyList<ArgumentSyntax> Arguments, SourceLocation Location);

/// <summary>A type as written in a variable definition: <c>Int</c>, <c>[Int]</c>, <c>Int!</c>.</summary>
public abstract record TypeSyntax
{
    public abstract string NamedType { get; }
}
public sealed record NamedTypeSyntax(string Name) : TypeSyntax
{
    public override string NamedType => Name;
    public override string ToString() => Name;
}
public sealed record ListTypeSyntax(TypeSyntax OfType) : TypeSyntax
{
    public override string NamedType => OfType.NamedType;
    public override string ToString() => $"[{OfType}]";
}
public sealed record NonNullTypeSyntax(TypeSyntax OfType) : TypeSyntax
{
    public override string NamedType => OfType.NamedType;
    public override string ToString() => $"{OfType}!";
}

/// <summary>A literal value or variable reference in the document.</summary>
public abstract record ValueSyntax(SourceLocation Location);
public sealed record VariableSyntax(string Name, SourceLocation Location) : ValueSyntax(Location);
public sealed record IntValueSyntax(string Text, SourceLocation Location) : ValueSyntax(Location);
public sealed record FloatValueSyntax(string Text, SourceLocation Location) : ValueSyntax(Location);
public sealed record StringValueSyntax(string Value, SourceLocation Location) : ValueSyntax(Location);
public sealed record BooleanValueSyntax(bool Value, SourceLocation Location) : ValueSyntax(Location);
public sealed record NullValueSyntax(SourceLocation Location) : ValueSyntax(Location);
public sealed record EnumValueSyntax(string Name, SourceLocation Location) : ValueSyntax(Location);
public sealed record ListValueSyntax(IReadOnlyList<ValueSyntax> Items, SourceLocation Location) : ValueSyntax(Location);
public sealed record ObjectValueSyntax(IReadOnlyList<ObjectFieldSyntax> Fields, SourceLocation Location) : ValueSyntax(Location);
public sealed record ObjectFieldSyntax(string Name, ValueSyntax Value, SourceLocation Location);
