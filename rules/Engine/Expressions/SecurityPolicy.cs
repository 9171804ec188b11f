using System.Reflection;

namespace Actors.Rules.Expressions;

/// <summary>
/// The security boundary for rule files: names and members that reach the file system, processes, reflection,
/// the runtime or the environment are refused, both when a file is loaded (by name) and when an expression is bound (by member).
/// </summary>
public static class SecurityPolicy
{
    static readonly string[] DeniedNamespaces =
        ["System.IO", "System.Diagnostics", "System.Reflection", "System.Runtime", "System.Threading", "System.Net",
         "System.Security", "Microsoft.Win32", "System.Linq.Expressions", "System.CodeDom", "System.Resources"];

    static readonly HashSet<string> DeniedTypeNames =
        ["System.Type", "System.Activator", "System.AppDomain", "System.Environment", "System.GC", "System.Console",
         "System.RuntimeTypeHandle", "System.RuntimeMethodHandle", "System.RuntimeFieldHandle", "System.Delegate", "System.MulticastDelegate"];

    /// <summary>Type names that, written as the start of a name, reach outside what rules may do; with the reason shown to analysts.</summary>
    static readonly Dictionary<string, string> DeniedRoots = new(StringComparer.Ordinal)
    {
        ["Type"] = "reflection (System.Type)",
        ["Assembly"] = "reflection (assemblies)",
        ["Activator"] = "reflection (creating arbitrary objects)",
        ["File"] = "the file system (System.IO)",
        ["Directory"] = "the file system (System.IO)",
        ["Path"] = "the file system (System.IO)",
        ["FileInfo"] = "the file system (System.IO)",
        ["DirectoryInfo"] = "the file system (System.IO)",
        ["StreamReader"] = "the file system (System.IO)",
        ["StreamWriter"] = "the file system (System.IO)",
        ["FileStream"] = "the file system (System.IO)",
        ["Process"] = "processes (System.Diagnostics.Process)",
        ["ProcessStartInfo"] = "processes (System.Diagnostics.Process)",
        ["AppDomain"] = "the runtime (AppDomain)",
        ["Environment"] = "the environment (System.Environment)",
        ["Marshal"] = "unmanaged memory",
        ["GC"] = "the runtime (GC)",
        ["typeof"] = "reflection (typeof)",
    };

    /// <summary>Namespaces under System that a dotted name may not enter.</summary>
    static readonly Dictionary<string, string> DeniedSystemSegments = new(StringComparer.OrdinalIgnoreCase)
    {
        ["IO"] = "the file system (System.IO)",
        ["Diagnostics"] = "processes (System.Diagnostics)",
        ["Reflection"] = "reflection (System.Reflection)",
        ["Runtime"] = "the runtime (System.Runtime)",
        ["Net"] = "the network (System.Net)",
        ["Threading"] = "threads (System.Threading)",
        ["Security"] = "security APIs (System.Security)",
    };

    /// <summary>Member names refused wherever they appear.</summary>
    static readonly Dictionary<string, string> DeniedMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GetType"] = "reflection (GetType)",
        ["GetTypeInfo"] = "reflection",
        ["InvokeMember"] = "reflection",
        ["DynamicInvoke"] = "reflection",
        ["CreateDelegate"] = "reflection",
        ["GetMethod"] = "reflection",
        ["GetMethods"] = "reflection",
        ["GetField"] = "reflection",
        ["GetConstructor"] = "reflection",
        ["MemberwiseClone"] = "reflection",
    };

    /// <summary>Throws <see cref="ExpressionSecurityException"/> when a parsed expression names something rules may not use.</summary>
    public static void CheckSyntax(Node node)
    {
        foreach (var (path, position, isMember) in Names(node))
        {
            var segments = path.Split('.');
            string? reason = null;
            if (isMember && DeniedMembers.TryGetValue(segments[^1], out var r1)) reason = r1;
            else if (DeniedRoots.TryGetValue(segments[0], out var r2)) reason = r2;
            else if (segments[0] == "System")
            {
                foreach (var segment in segments.Skip(1))
                    if (DeniedSystemSegments.TryGetValue(segment, out var r3) || DeniedRoots.TryGetValue(segment, out r3)) { reason = r3; break; }
            }
            if (reason is not null)
                throw new ExpressionSecurityException($"'{path}' at position {position} is not allowed in rules: it reaches {reason}. Rules may only use the predefined types, registered custom types and their inputs.");
        }
    }

    /// <summary>Dotted names as written (a.b.c), with whether the last part is a member or call name rather than a root.</summary>
    static IEnumerable<(string Path, int Position, bool IsMember)> Names(Node node)
    {
        switch (node)
        {
            case IdentifierNode id: yield return (id.Name, id.Position, false); break;
            case MemberNode m:
                yield return (Path(m.Target) is { } p ? p + "." + m.Name : m.Name, m.Position, true);
                foreach (var n in Names(m.Target)) yield return n;
                break;
            case CallNode c:
                if (c.Target is null) yield return (c.Name, c.Position, false);
                else
                {
                    yield return (Path(c.Target) is { } cp ? cp + "." + c.Name : c.Name, c.Position, true);
                    foreach (var n in Names(c.Target)) yield return n;
                }
                foreach (var a in c.Arguments) foreach (var n in Names(a)) yield return n;
                break;
            default:
                foreach (var child in Children(node)) foreach (var n in Names(child)) yield return n;
                if (node is NewArrayNode { ElementType: { } t } array) yield return (t, array.Position, false);
                break;
        }
    }

    static string? Path(Node node) => node switch
    {
        IdentifierNode id => id.Name,
        MemberNode m => Path(m.Target) is { } p ? p + "." + m.Name : null,
        _ => null,
    };

    static IEnumerable<Node> Children(Node node) => node switch
    {
        IndexNode i => [i.Target, .. i.Arguments],
        UnaryNode u => [u.Operand],
        BinaryNode b => [b.Left, b.Right],
        ConditionalNode c => [c.Test, c.IfTrue, c.IfFalse],
        InNode i => [i.Value, .. i.Candidates],
        LambdaNode l => [l.Body],
        NewObjectNode o => o.Members.Select(m => m.Value),
        NewArrayNode a => a.Items,
        _ => [],
    };

    /// <summary>Throws when <paramref name="type"/> belongs to a denied namespace or is a denied type.</summary>
    public static void CheckType(Type type)
    {
        if (IsDenied(type))
            throw new ExpressionSecurityException($"Type '{type.FullName}' is not allowed in rules (file system, processes, reflection and the runtime are out of reach).");
    }

    /// <summary>Throws when a member is declared on, or returns, a denied type, or is <c>GetType</c>.</summary>
    public static void CheckMember(MemberInfo member)
    {
        if (member.Name is "GetType" or "MemberwiseClone" or "Finalize")
            throw new ExpressionSecurityException($"'{member.Name}' is not allowed in rules: it reaches reflection.");
        if (member.DeclaringType is { } declaring && IsDenied(declaring))
            throw new ExpressionSecurityException($"Member '{member.Name}' of '{declaring.FullName}' is not allowed in rules.");
        var result = member switch
        {
            PropertyInfo p => p.PropertyType,
            FieldInfo f => f.FieldType,
            MethodInfo m => m.ReturnType,
            _ => null,
        };
        if (result is not null && IsDenied(result))
            throw new ExpressionSecurityException($"Member '{member.Name}' returns '{result.FullName}', which is not allowed in rules.");
    }

    static bool IsDenied(Type type)
    {
        if (type.IsArray || type.IsByRef || type.IsPointer) return IsDenied(type.GetElementType()!);
        if (type.IsGenericType && !type.IsGenericTypeDefinition && type.GetGenericArguments().Any(IsDenied)) return true;
        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type)) return true;
        var full = type.FullName ?? type.Name;
        if (DeniedTypeNames.Contains(full)) return true;
        var ns = type.Namespace ?? "";
        // Func<...> and Action<...> live in System, delegates declared elsewhere in denied namespaces stay denied.
        return DeniedNamespaces.Any(d => ns == d || ns.StartsWith(d + ".", StringComparison.Ordinal))
            && !(ns == "System.Runtime.CompilerServices" && type.Name.StartsWith("Closure", StringComparison.Ordinal));
    }
}
