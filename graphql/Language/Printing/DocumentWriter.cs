using System.Globalization;
using System.Text;
using Actors.GraphQL.Language.Ast;

namespace Actors.GraphQL.Language.Printing;

/// <summary>
/// graphql-js's printer, rule for rule: each node kind becomes a string built from its children, empty parts dropped,
/// blocks indented by two spaces, field arguments wrapped when the line passes 80 characters.
/// </summary>
internal static class DocumentWriter
{
    private const int MaxLineLength = 80;

    /// <summary>A node as text; null prints as nothing.</summary>
    public static string P(Node? node) => node switch
    {
        null => "",
        NameNode n => n.Value,
        VariableNode v => "$" + v.Name.Value,
        DocumentNode d => string.Join("\n\n", d.Definitions.Select(P)),
        OperationDefinitionNode op => Operation(op),
        VariableDefinitionNode vd => Desc(vd.Description) + P(vd.Variable) + ": " + P(vd.Type) + Wrap(" = ", P(vd.DefaultValue)) + Wrap(" ", Join(vd.Directives, " ")),
        SelectionSetNode s => Block(s.Selections),
        FieldNode f => Field(f),
        ArgumentNode a => a.Name.Value + ": " + P(a.Value),
        FragmentSpreadNode fs => "..." + fs.Name.Value + Wrap(" ", Join(fs.Directives, " ")),
        InlineFragmentNode inf => JoinParts(" ", "...", Wrap("on ", P(inf.TypeCondition)), Join(inf.Directives, " "), P(inf.SelectionSet)),
        FragmentDefinitionNode fd => Desc(fd.Description) + "fragment " + fd.Name.Value + " on " + P(fd.TypeCondition) + " " + Wrap("", Join(fd.Directives, " "), " ") + P(fd.SelectionSet),
        IntValueNode i => i.Value,
        FloatValueNode fl => fl.Value,
        StringValueNode str => str.Block ? BlockStrings.Print(str.Value) : PrintString(str.Value),
        BooleanValueNode b => b.Value ? "true" : "false",
        NullValueNode => "null",
        EnumValueNode e => e.Value,
        ListValueNode l => Fit("[" + Join(l.Values, ", ") + "]", () => "[\n" + Indent(Join(l.Values, "\n")) + "\n]"),
        ObjectValueNode o => Fit("{ " + Join(o.Fields, ", ") + " }", () => "{\n" + Indent(Join(o.Fields, "\n")) + "\n}"),
        ObjectFieldNode of => of.Name.Value + ": " + P(of.Value),
        DirectiveNode dir => "@" + dir.Name.Value + Wrap("(", Join(dir.Arguments, ", "), ")"),
        NamedTypeNode nt => nt.Name.Value,
        ListTypeNode lt => "[" + P(lt.Type) + "]",
        NonNullTypeNode nn => P(nn.Type) + "!",

        SchemaDefinitionNode sd => Desc(sd.Description) + JoinParts(" ", "schema", Join(sd.Directives, " "), Block(sd.OperationTypes)),
        OperationTypeDefinitionNode ot => OperationName(ot.Operation) + ": " + P(ot.Type),
        ScalarTypeDefinitionNode sc => Desc(sc.Description) + JoinParts(" ", "scalar", sc.Name.Value, Join(sc.Directives, " ")),
        ObjectTypeDefinitionNode ob => Desc(ob.Description) + JoinParts(" ", "type", ob.Name.Value, Wrap("implements ", Join(ob.Interfaces, " & ")), Join(ob.Directives, " "), Block(ob.Fields)),
        FieldDefinitionNode fdn => Desc(fdn.Description) + fdn.Name.Value + Args(fdn.Arguments) + ": " + P(fdn.Type) + Wrap(" ", Join(fdn.Directives, " ")),
        InputValueDefinitionNode iv => Desc(iv.Description) + JoinParts(" ", iv.Name.Value + ": " + P(iv.Type), Wrap("= ", P(iv.DefaultValue)), Join(iv.Directives, " ")),
        InterfaceTypeDefinitionNode it => Desc(it.Description) + JoinParts(" ", "interface", it.Name.Value, Wrap("implements ", Join(it.Interfaces, " & ")), Join(it.Directives, " "), Block(it.Fields)),
        UnionTypeDefinitionNode u => Desc(u.Description) + JoinParts(" ", "union", u.Name.Value, Join(u.Directives, " "), Wrap("= ", Join(u.Types, " | "))),
        EnumTypeDefinitionNode en => Desc(en.Description) + JoinParts(" ", "enum", en.Name.Value, Join(en.Directives, " "), Block(en.Values)),
        EnumValueDefinitionNode ev => Desc(ev.Description) + JoinParts(" ", ev.Name.Value, Join(ev.Directives, " ")),
        InputObjectTypeDefinitionNode io => Desc(io.Description) + JoinParts(" ", "input", io.Name.Value, Join(io.Directives, " "), Block(io.Fields)),
        DirectiveDefinitionNode dd => Desc(dd.Description) + "directive @" + dd.Name.Value + Args(dd.Arguments) + (dd.Repeatable ? " repeatable" : "") + " on " + Join(dd.Locations, " | "),

        SchemaExtensionNode se => JoinParts(" ", "extend schema", Join(se.Directives, " "), Block(se.OperationTypes)),
        ScalarTypeExtensionNode sx => JoinParts(" ", "extend scalar", sx.Name.Value, Join(sx.Directives, " ")),
        ObjectTypeExtensionNode ox => JoinParts(" ", "extend type", ox.Name.Value, Wrap("implements ", Join(ox.Interfaces, " & ")), Join(ox.Directives, " "), Block(ox.Fields)),
        InterfaceTypeExtensionNode ix => JoinParts(" ", "extend interface", ix.Name.Value, Wrap("implements ", Join(ix.Interfaces, " & ")), Join(ix.Directives, " "), Block(ix.Fields)),
        UnionTypeExtensionNode ux => JoinParts(" ", "extend union", ux.Name.Value, Join(ux.Directives, " "), Wrap("= ", Join(ux.Types, " | "))),
        EnumTypeExtensionNode ex => JoinParts(" ", "extend enum", ex.Name.Value, Join(ex.Directives, " "), Block(ex.Values)),
        InputObjectTypeExtensionNode ix2 => JoinParts(" ", "extend input", ix2.Name.Value, Join(ix2.Directives, " "), Block(ix2.Fields)),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.GetType().Name),
    };

    internal static string OperationName(OperationType operation) => operation switch
    {
        OperationType.Query => "query",
        OperationType.Mutation => "mutation",
        _ => "subscription",
    };

    private static string Operation(OperationDefinitionNode op)
    {
        var varDefs = op.VariableDefinitions.Select(P).Any(v => v.Contains('\n'))
            ? Wrap("(\n", Join(op.VariableDefinitions, "\n"), "\n)")
            : Wrap("(", Join(op.VariableDefinitions, ", "), ")");
        var prefix = Desc(op.Description) + JoinParts(" ", OperationName(op.Operation), JoinParts("", P(op.Name), varDefs), Join(op.Directives, " "));
        // Anonymous queries without directives or variables use the short form.
        return (prefix == "query" ? "" : prefix + " ") + P(op.SelectionSet);
    }

    private static string Field(FieldNode f)
    {
        var prefix = Wrap("", P(f.Alias), ": ") + f.Name.Value;
        var argsLine = prefix + Wrap("(", Join(f.Arguments, ", "), ")");
        if (argsLine.Length > MaxLineLength)
            argsLine = prefix + Wrap("(\n", Indent(Join(f.Arguments, "\n")), "\n)");
        return JoinParts(" ", argsLine, Join(f.Directives, " "), P(f.SelectionSet));
    }

    private static string Args(IReadOnlyList<InputValueDefinitionNode> args)
    {
        var printed = args.Select(P).ToList();
        return printed.Any(a => a.Contains('\n'))
            ? Wrap("(\n", Indent(string.Join("\n", printed)), "\n)")
            : Wrap("(", string.Join(", ", printed), ")");
    }

    /// <summary>A list or object literal on one line, or one item per line when that line would pass 80 characters.</summary>
    private static string Fit(string line, Func<string> multiline) => line.Length > MaxLineLength ? multiline() : line;

    private static string Desc(StringValueNode? description) => description is null ? "" : P(description) + "\n";

    private static string Block<T>(IReadOnlyList<T> items) where T : Node =>
        items.Count == 0 ? "" : "{\n" + Indent(Join(items, "\n")) + "\n}";

    private static string Indent(string s) => s.Length == 0 ? "" : "  " + s.Replace("\n", "\n  ");

    private static string Wrap(string start, string? s, string end = "") => string.IsNullOrEmpty(s) ? "" : start + s + end;

    private static string Join<T>(IReadOnlyList<T>? items, string separator) where T : Node
    {
        if (items is null || items.Count == 0) return "";
        var sb = new StringBuilder();
        var first = true;
        foreach (var item in items)
        {
            var s = P(item);
            if (s.Length == 0) continue;
            if (!first) sb.Append(separator);
            first = false;
            sb.Append(s);
        }
        return sb.ToString();
    }

    private static string JoinParts(string separator, params ReadOnlySpan<string> parts)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var part in parts)
        {
            if (part.Length == 0) continue;
            if (!first) sb.Append(separator);
            first = false;
            sb.Append(part);
        }
        return sb.ToString();
    }

    /// <summary>A string literal with graphql-js's escapes.</summary>
    internal static string PrintString(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f))
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
