namespace Actors.Rules.Expressions;

/// <summary>A node of a parsed expression, before types are known.</summary>
public abstract record Node(int Position);

public sealed record LiteralNode(object? Value, string Text, int Position) : Node(Position);

public sealed record IdentifierNode(string Name, int Position) : Node(Position);

public sealed record MemberNode(Node Target, string Name, int Position) : Node(Position);

/// <summary>A call: <c>Target.Name(args)</c>, or <c>Name(args)</c> when Target is null (iif, np, type conversions).</summary>
public sealed record CallNode(Node? Target, string Name, IReadOnlyList<Node> Arguments, int Position) : Node(Position);

public sealed record IndexNode(Node Target, IReadOnlyList<Node> Arguments, int Position) : Node(Position);

public sealed record UnaryNode(string Operator, Node Operand, int Position) : Node(Position);

public sealed record BinaryNode(string Operator, Node Left, Node Right, int Position) : Node(Position);

public sealed record ConditionalNode(Node Test, Node IfTrue, Node IfFalse, int Position) : Node(Position);

public sealed record InNode(Node Value, IReadOnlyList<Node> Candidates, int Position) : Node(Position);

public sealed record LambdaNode(IReadOnlyList<string> Parameters, Node Body, int Position) : Node(Position);

/// <summary><c>new (a as X, b as Y)</c>: a record of named values.</summary>
public sealed record NewObjectNode(IReadOnlyList<(string Name, Node Value)> Members, int Position) : Node(Position);

/// <summary><c>new T[] { ... }</c> or <c>new [] { ... }</c>.</summary>
public sealed record NewArrayNode(string? ElementType, IReadOnlyList<Node> Items, int Position) : Node(Position);
