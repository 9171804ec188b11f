using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.Tokenizer;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Actors.Rules.Expressions;

/// <summary>
/// The security boundary for rule files, checked on the expression tree Dynamic LINQ produced: no reflection
/// (<see cref="Type"/>, <see cref="Assembly"/>, <see cref="MemberInfo"/> and kin), IO, processes, the environment,
/// the runtime (<c>AppDomain</c>, <c>GC</c>, <c>Activator</c>) or threads, whatever path an expression takes to them.
/// </summary>
public static partial class Sandbox
{
    static readonly (string Namespace, string Reason)[] DeniedNamespaces =
    [
        ("System.IO", "the file system (System.IO)"), ("System.Diagnostics", "processes (System.Diagnostics)"),
        ("System.Reflection", "reflection (System.Reflection)"), ("System.Runtime", "the runtime (System.Runtime)"),
        ("System.Threading", "threads (System.Threading)"), ("System.Net", "the network (System.Net)"),
        ("System.Security", "security APIs (System.Security)"), ("Microsoft.Win32", "the registry (Microsoft.Win32)"),
        ("System.Linq.Expressions", "reflection (expression trees)"), ("System.CodeDom", "code generation (System.CodeDom)"),
        ("System.Resources", "resources (System.Resources)"),
    ];

    static readonly Dictionary<string, string> DeniedTypes = new(StringComparer.Ordinal)
    {
        ["System.Type"] = "reflection (System.Type)",
        ["System.Activator"] = "reflection (creating arbitrary objects)",
        ["System.AppDomain"] = "the runtime (AppDomain)",
        ["System.Environment"] = "the environment (System.Environment)",
        ["System.GC"] = "the runtime (GC)",
        ["System.Console"] = "the console (System.Console)",
        ["System.RuntimeTypeHandle"] = "reflection (type handles)",
        ["System.RuntimeMethodHandle"] = "reflection (method handles)",
        ["System.RuntimeFieldHandle"] = "reflection (field handles)",
        ["System.ModuleHandle"] = "reflection (module handles)",
        ["System.Delegate"] = "reflection (delegates)",
        ["System.MulticastDelegate"] = "reflection (delegates)",
    };

    /// <summary>Methods every object has that reach reflection or the object's memory.</summary>
    static readonly HashSet<string> DeniedMethods = ["GetType", "MemberwiseClone", "Finalize", "GetTypeCode"];

    /// <summary>Names that can only mean a refused type: refused by name before parsing, so the message says why.</summary>
    static readonly Dictionary<string, string> DeniedRoots = new(StringComparer.Ordinal)
    {
        ["Type"] = "reflection (System.Type)", ["Assembly"] = "reflection (assemblies)", ["Activator"] = "reflection (creating arbitrary objects)",
        ["File"] = "the file system (System.IO)", ["Directory"] = "the file system (System.IO)", ["Path"] = "the file system (System.IO)",
        ["FileInfo"] = "the file system (System.IO)", ["DirectoryInfo"] = "the file system (System.IO)", ["FileStream"] = "the file system (System.IO)",
        ["StreamReader"] = "the file system (System.IO)", ["StreamWriter"] = "the file system (System.IO)",
        ["Process"] = "processes (System.Diagnostics.Process)", ["ProcessStartInfo"] = "processes (System.Diagnostics.Process)",
        ["AppDomain"] = "the runtime (AppDomain)", ["Environment"] = "the environment (System.Environment)", ["GC"] = "the runtime (GC)",
        ["Marshal"] = "unmanaged memory", ["Thread"] = "threads (System.Threading)", ["typeof"] = "reflection (typeof)",
    };

    static readonly Dictionary<string, string> DeniedSystemSegments = new(StringComparer.OrdinalIgnoreCase)
    {
        ["IO"] = "the file system (System.IO)", ["Diagnostics"] = "processes (System.Diagnostics)", ["Reflection"] = "reflection (System.Reflection)",
        ["Runtime"] = "the runtime (System.Runtime)", ["Net"] = "the network (System.Net)", ["Threading"] = "threads (System.Threading)",
        ["Security"] = "security APIs (System.Security)",
    };

    /// <summary>True when expressions may not touch <paramref name="type"/> at all.</summary>
    public static bool IsDenied(Type type) => Reason(type) is not null;

    /// <summary>Throws <see cref="ExpressionSecurityException"/> when <paramref name="type"/> is outside the sandbox (used for custom types).</summary>
    public static void CheckType(Type type)
    {
        if (Reason(type) is { } reason)
            throw new ExpressionSecurityException($"Type '{type.FullName}' is not allowed in rules: it reaches {reason}.");
    }

    /// <summary>Why a type is refused, or null when expressions may use it.</summary>
    static string? Reason(Type type)
    {
        if (type.IsArray || type.IsByRef || type.IsPointer) return Reason(type.GetElementType()!);
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            foreach (var argument in type.GetGenericArguments())
                if (Reason(argument) is { } inner) return inner;
        if (typeof(MemberInfo).IsAssignableFrom(type)) return "reflection (System.Type and members)";
        if (typeof(Assembly).IsAssignableFrom(type) || typeof(Module).IsAssignableFrom(type)) return "reflection (assemblies)";
        if (typeof(ParameterInfo).IsAssignableFrom(type)) return "reflection (parameters)";
        if (typeof(Delegate).IsAssignableFrom(type) && type.Namespace != "System") return "reflection (delegates)";
        if (DeniedTypes.TryGetValue(type.FullName ?? type.Name, out var reason)) return reason;
        var ns = type.Namespace ?? "";
        // Closures and the call sites Dynamic LINQ emits to read members of untyped (object) values live in
        // System.Runtime.CompilerServices; no expression can name them.
        if (ns == "System.Runtime.CompilerServices" && (type.Name.StartsWith("Closure", StringComparison.Ordinal) || type.Name.StartsWith("CallSite", StringComparison.Ordinal))) return null;
        foreach (var (denied, why) in DeniedNamespaces)
            if (ns == denied || ns.StartsWith(denied + ".", StringComparison.Ordinal)) return why;
        return null;
    }

    /// <summary>
    /// Throws <see cref="ExpressionSecurityException"/> when the tree Dynamic LINQ parsed from <paramref name="text"/>
    /// reaches a refused type or member; the message gives the position in the text where it can be found.
    /// </summary>
    public static void Check(Expression tree, string text) => new Walker(text).Visit(tree);

    /// <summary>
    /// Refuses, before parsing, dotted names that can only mean a refused type (<c>System.IO.File</c>, <c>Process</c>,
    /// <c>x.GetType()</c>): Dynamic LINQ would report them as unknown identifiers, which tells an analyst nothing.
    /// </summary>
    public static void CheckNames(string text, ParsingConfig config)
    {
        var tokens = new List<Token>();
        try
        {
            var parser = new TextParser(config, text);
            while (parser.CurrentToken.Id != TokenId.End)
            {
                tokens.Add(parser.CurrentToken);
                parser.NextToken();
            }
        }
        catch (System.Linq.Dynamic.Core.Exceptions.ParseException) { /* a syntax error: reported by the parser */ }
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Id == TokenId.Identifier && i > 0 && tokens[i - 1].Id == TokenId.Dot && DeniedMethods.Contains(tokens[i].Text))
                throw Refused(tokens[i].Text, tokens[i].Pos, $"reflection ({tokens[i].Text})");
            if (tokens[i].Id != TokenId.Identifier || (i > 0 && tokens[i - 1].Id == TokenId.Dot)) continue;
            var path = new List<string> { tokens[i].Text };
            var j = i;
            while (j + 2 < tokens.Count && tokens[j + 1].Id == TokenId.Dot && tokens[j + 2].Id == TokenId.Identifier)
            {
                path.Add(tokens[j + 2].Text);
                j += 2;
            }
            string? reason = null;
            var at = tokens[i].Pos;
            if (DeniedRoots.TryGetValue(path[0], out var root)) reason = root;
            else if (path[0] == "System")
                foreach (var segment in path.Skip(1))
                    if (DeniedSystemSegments.TryGetValue(segment, out var r) || DeniedRoots.TryGetValue(segment, out r)) { reason = r; break; }
            for (var k = 1; reason is null && k < path.Count; k++)
                if (DeniedMethods.Contains(path[k])) { reason = "reflection (" + path[k] + ")"; at = tokens[i + 2 * k].Pos; }
            if (reason is not null) throw Refused(string.Join(".", path), at, reason);
        }
    }

    static ExpressionSecurityException Refused(string what, int position, string reason) =>
        new($"'{what}'" + (position >= 0 ? $" at position {position}" : "") + $" is not allowed in rules: it reaches {reason}. Rules may only use the predefined types, registered custom types and their inputs.", position);

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();

    /// <summary>Walks every node; the first refused type or member stops the load.</summary>
    sealed class Walker(string text) : ExpressionVisitor
    {
        // Children first: the innermost refused step is the one named, at the position where the path starts to go wrong.
        public override Expression? Visit(Expression? node)
        {
            var visited = base.Visit(node);
            if (node is not null && Reason(node.Type) is { } reason) throw Refused(Describe(node), Position(Describe(node)), reason);
            return visited;
        }

        protected override Expression VisitMember(MemberExpression node)
        {
            var visited = base.VisitMember(node);
            CheckMember(node.Member);
            return visited;
        }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var visited = base.VisitMethodCall(node);
            CheckMember(node.Method);
            if (node.Method.IsGenericMethod)
                foreach (var argument in node.Method.GetGenericArguments())
                    if (Reason(argument) is { } reason) throw Refused(node.Method.Name, Position(node.Method.Name), reason);
            return visited;
        }

        protected override Expression VisitNew(NewExpression node)
        {
            var visited = base.VisitNew(node);
            if (node.Constructor is { } constructor) CheckMember(constructor);
            return visited;
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (node.Value is Type or MemberInfo or Assembly or Module) throw Refused(node.Value.ToString() ?? "constant", -1, "reflection (a type or member as a value)");
            return base.VisitConstant(node);
        }

        protected override Expression VisitTypeBinary(TypeBinaryExpression node)
        {
            if (Reason(node.TypeOperand) is { } reason) throw Refused(node.TypeOperand.Name, Position(node.TypeOperand.Name), reason);
            return base.VisitTypeBinary(node);
        }

        void CheckMember(MemberInfo member)
        {
            var name = member is ConstructorInfo ? member.DeclaringType?.Name ?? member.Name : member.Name;
            if (member is MethodInfo && DeniedMethods.Contains(member.Name)) throw Refused(member.Name, Position(member.Name), $"reflection ({member.Name})");
            if (member.DeclaringType is { } declaring && Reason(declaring) is { } reason) throw Refused($"{declaring.Name}.{name}", Position(name), reason);
            var result = member switch { PropertyInfo p => p.PropertyType, FieldInfo f => f.FieldType, MethodInfo m => m.ReturnType, _ => null };
            if (result is not null && Reason(result) is { } returned) throw Refused(name, Position(name), returned);
        }

        static string Describe(Expression node) => node switch
        {
            MemberExpression m => m.Member.Name,
            MethodCallExpression c => c.Method.Name,
            _ => node.Type.Name,
        };

        /// <summary>Where the name first stands in the text as a whole word (trees carry no positions); -1 when it does not.</summary>
        int Position(string name)
        {
            foreach (Match match in Word().Matches(text))
                if (string.Equals(match.Value, name, StringComparison.OrdinalIgnoreCase)) return match.Index;
            return -1;
        }
    }
}
