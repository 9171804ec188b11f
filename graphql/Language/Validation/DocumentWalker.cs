using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Validation;

/// <summary>Receives the nodes of a walk; <see cref="Enter"/> returns false to skip the node's children.</summary>
public interface IDocumentListener
{
    bool Enter(Node node, IReadOnlyList<Node> ancestors);
    void Leave(Node node, IReadOnlyList<Node> ancestors);
}

/// <summary>
/// Depth-first walk in graphql-js's visiting order (its <c>QueryDocumentKeys</c>), keeping a <see cref="TypeInfo"/>
/// in step: the type info enters a node before listeners do, and leaves it after them. <see cref="NameNode"/>s are
/// leaves no validation rule looks at, so they are only visited when <paramref name="visitNames"/> is set.
/// </summary>
public sealed class DocumentWalker(TypeInfo typeInfo, IDocumentListener listener, bool visitNames = false)
{
    private readonly List<Node> _ancestors = [];

    public void Walk(Node node)
    {
        if (node is NameNode && !visitNames) return;
        typeInfo.Enter(node);
        if (listener.Enter(node, _ancestors))
        {
            _ancestors.Add(node);
            WalkChildren(node);
            _ancestors.RemoveAt(_ancestors.Count - 1);
            listener.Leave(node, _ancestors);
        }
        typeInfo.Leave(node);
    }

    private void WalkOptional(Node? node)
    {
        if (node is not null) Walk(node);
    }

    private void WalkAll<T>(IReadOnlyList<T> nodes) where T : Node
    {
        for (var i = 0; i < nodes.Count; i++) Walk(nodes[i]);
    }

    private void WalkChildren(Node node)
    {
        switch (node)
        {
            case DocumentNode d: WalkAll(d.Definitions); break;
            case OperationDefinitionNode op:
                WalkOptional(op.Name); WalkAll(op.VariableDefinitions); WalkAll(op.Directives); Walk(op.SelectionSet);
                break;
            case VariableDefinitionNode vd:
                Walk(vd.Variable); Walk(vd.Type); WalkOptional(vd.DefaultValue); WalkAll(vd.Directives);
                break;
            case VariableNode v: Walk(v.Name); break;
            case SelectionSetNode s: WalkAll(s.Selections); break;
            case FieldNode f:
                WalkOptional(f.Alias); Walk(f.Name); WalkAll(f.Arguments); WalkAll(f.Directives); WalkOptional(f.SelectionSet);
                break;
            case ArgumentNode a: Walk(a.Name); Walk(a.Value); break;
            case FragmentSpreadNode fs: Walk(fs.Name); WalkAll(fs.Directives); break;
            case InlineFragmentNode inf: WalkOptional(inf.TypeCondition); WalkAll(inf.Directives); Walk(inf.SelectionSet); break;
            case FragmentDefinitionNode fd: Walk(fd.Name); Walk(fd.TypeCondition); WalkAll(fd.Directives); Walk(fd.SelectionSet); break;
            case ListValueNode l: WalkAll(l.Values); break;
            case ObjectValueNode o: WalkAll(o.Fields); break;
            case ObjectFieldNode of: Walk(of.Name); Walk(of.Value); break;
            case DirectiveNode dir: Walk(dir.Name); WalkAll(dir.Arguments); break;
            case NamedTypeNode nt: Walk(nt.Name); break;
            case ListTypeNode lt: Walk(lt.Type); break;
            case NonNullTypeNode nn: Walk(nn.Type); break;
            case SchemaDefinitionNode sd: WalkOptional(sd.Description); WalkAll(sd.Directives); WalkAll(sd.OperationTypes); break;
            case OperationTypeDefinitionNode ot: Walk(ot.Type); break;
            case ScalarTypeDefinitionNode sc: WalkOptional(sc.Description); Walk(sc.Name); WalkAll(sc.Directives); break;
            case ObjectTypeDefinitionNode ob:
                WalkOptional(ob.Description); Walk(ob.Name); WalkAll(ob.Interfaces); WalkAll(ob.Directives); WalkAll(ob.Fields);
                break;
            case FieldDefinitionNode fdn:
                WalkOptional(fdn.Description); Walk(fdn.Name); WalkAll(fdn.Arguments); Walk(fdn.Type); WalkAll(fdn.Directives);
                break;
            case InputValueDefinitionNode iv:
                WalkOptional(iv.Description); Walk(iv.Name); Walk(iv.Type); WalkOptional(iv.DefaultValue); WalkAll(iv.Directives);
                break;
            case InterfaceTypeDefinitionNode it:
                WalkOptional(it.Description); Walk(it.Name); WalkAll(it.Interfaces); WalkAll(it.Directives); WalkAll(it.Fields);
                break;
            case UnionTypeDefinitionNode u: WalkOptional(u.Description); Walk(u.Name); WalkAll(u.Directives); WalkAll(u.Types); break;
            case EnumTypeDefinitionNode en: WalkOptional(en.Description); Walk(en.Name); WalkAll(en.Directives); WalkAll(en.Values); break;
            case EnumValueDefinitionNode ev: WalkOptional(ev.Description); Walk(ev.Name); WalkAll(ev.Directives); break;
            case InputObjectTypeDefinitionNode io: WalkOptional(io.Description); Walk(io.Name); WalkAll(io.Directives); WalkAll(io.Fields); break;
            case DirectiveDefinitionNode dd: WalkOptional(dd.Description); Walk(dd.Name); WalkAll(dd.Arguments); WalkAll(dd.Locations); break;
            case SchemaExtensionNode se: WalkAll(se.Directives); WalkAll(se.OperationTypes); break;
            case ScalarTypeExtensionNode sx: Walk(sx.Name); WalkAll(sx.Directives); break;
            case ObjectTypeExtensionNode ox: Walk(ox.Name); WalkAll(ox.Interfaces); WalkAll(ox.Directives); WalkAll(ox.Fields); break;
            case InterfaceTypeExtensionNode ix: Walk(ix.Name); WalkAll(ix.Interfaces); WalkAll(ix.Directives); WalkAll(ix.Fields); break;
            case UnionTypeExtensionNode ux: Walk(ux.Name); WalkAll(ux.Directives); WalkAll(ux.Types); break;
            case EnumTypeExtensionNode ex: Walk(ex.Name); WalkAll(ex.Directives); WalkAll(ex.Values); break;
            case InputObjectTypeExtensionNode ix2: Walk(ix2.Name); WalkAll(ix2.Directives); WalkAll(ix2.Fields); break;
        }
    }
}
