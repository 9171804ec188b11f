using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Validation;

/// <summary>
/// One validation rule. A fresh instance validates one document (rules keep per-document state), so rule sets are
/// given as factories. <see cref="Enter"/> returns false to skip the node's children for this rule only.
/// </summary>
public abstract class ValidationRule
{
    public virtual bool Enter(Node node, ValidationContext context, IReadOnlyList<Node> ancestors) => true;
    public virtual void Leave(Node node, ValidationContext context, IReadOnlyList<Node> ancestors) { }
}
