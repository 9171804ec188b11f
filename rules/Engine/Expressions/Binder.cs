using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;

namespace Actors.Rules.Expressions;

/// <summary>A name visible to an expression (an input, a scoped param or a lambda parameter) and its static type.</summary>
public readonly record struct Symbol(string Name, Type Type);

/// <summary>
/// Turns a parsed expression into a typed System.Linq.Expressions tree, with Dynamic LINQ's rules:
/// case-insensitive names (unless configured), numeric promotion, enums against ints and strings, implicit <c>it</c>
/// in LINQ methods, late-bound access on <c>object</c> inputs. Only allowed types can be reached.
/// </summary>
public sealed class Binder
{
    readonly TypeRegistry types;
    readonly bool caseSensitive;
    readonly List<(string Name, Expression Value)> scope = [];
    readonly Stack<Expression> its = new();
    StringComparison NameComparison => caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    Binder(TypeRegistry types, bool caseSensitive)
    {
        this.types = types;
        this.caseSensitive = caseSensitive;
    }

    /// <summary>
    /// Binds <paramref name="node"/> as the body of <c>Func&lt;object?[], TResult&gt;</c> whose array holds the symbols' values in order.
    /// With exactly one input, its members can be used without prefix (<c>it</c>).
    /// </summary>
    public static Expression<Func<object?[], TResult>> Bind<TResult>(Node node, IReadOnlyList<Symbol> symbols, TypeRegistry types, bool caseSensitive, int itIndex = -1)
    {
        var binder = new Binder(types, caseSensitive);
        var args = Expression.Parameter(typeof(object?[]), "args");
        var variables = new List<ParameterExpression>();
        var assignments = new List<Expression>();
        for (var i = 0; i < symbols.Count; i++)
        {
            var variable = Expression.Variable(symbols[i].Type, symbols[i].Name);
            variables.Add(variable);
            assignments.Add(Expression.Assign(variable, Unbox(Expression.ArrayIndex(args, Expression.Constant(i)), symbols[i].Type)));
            binder.scope.Add((symbols[i].Name, variable));
        }
        if (itIndex >= 0) binder.its.Push(variables[itIndex]);
        var body = binder.BindNode(node);
        body = binder.ConvertTo(body, typeof(TResult), node);
        assignments.Add(body);
        return Expression.Lambda<Func<object?[], TResult>>(Expression.Block(typeof(TResult), variables, assignments), args);
    }

    /// <summary>The static type an expression has for the given symbols (used to type scoped params).</summary>
    public static Expression<Func<object?[], object?>> BindUntyped(Node node, IReadOnlyList<Symbol> symbols, TypeRegistry types, bool caseSensitive, int itIndex, out Type resultType)
    {
        var binder = new Binder(types, caseSensitive);
        var args = Expression.Parameter(typeof(object?[]), "args");
        var variables = new List<ParameterExpression>();
        var statements = new List<Expression>();
        for (var i = 0; i < symbols.Count; i++)
        {
            var variable = Expression.Variable(symbols[i].Type, symbols[i].Name);
            variables.Add(variable);
            statements.Add(Expression.Assign(variable, Unbox(Expression.ArrayIndex(args, Expression.Constant(i)), symbols[i].Type)));
            binder.scope.Add((symbols[i].Name, variable));
        }
        if (itIndex >= 0) binder.its.Push(variables[itIndex]);
        var body = binder.BindNode(node);
        if (body is TypeReference) throw new ExpressionParseException($"'{Describe(node)}' is a type, not a value");
        resultType = body.Type == typeof(void) ? typeof(object) : body.Type;
        statements.Add(Expression.Convert(body, typeof(object)));
        return Expression.Lambda<Func<object?[], object?>>(Expression.Block(typeof(object), variables, statements), args);
    }

    static Expression Unbox(Expression value, Type type) =>
        type == typeof(object) ? value : Expression.Convert(value, type);

    /// <summary>A type named in an expression (for static members and conversions); never a value.</summary>
    sealed class TypeReference(Type referenced) : Expression
    {
        public Type Referenced { get; } = referenced;
        public override Type Type => typeof(void);
        public override ExpressionType NodeType => ExpressionType.Extension;
    }

    Expression BindNode(Node node) => node switch
    {
        LiteralNode l => l.Value is null ? NullLiteral.Instance : Expression.Constant(l.Value),
        IdentifierNode id => BindIdentifier(id),
        MemberNode m => BindMember(m),
        CallNode c => BindCall(c),
        IndexNode i => BindIndex(i),
        UnaryNode u => BindUnary(u),
        BinaryNode b => BindBinary(b),
        ConditionalNode c => BindConditional(BindNode(c.Test), BindNode(c.IfTrue), BindNode(c.IfFalse), c),
        InNode i => BindIn(i),
        NewObjectNode o => BindNewObject(o),
        NewArrayNode a => BindNewArray(a),
        LambdaNode l => throw new ExpressionParseException($"A lambda ('{l.Parameters[0]} => ...') can only be an argument of a method such as Any or Where", l.Position),
        _ => throw new ExpressionParseException($"Unsupported expression at position {node.Position}", node.Position),
    };

    /// <summary>The untyped <c>null</c> literal; takes the type of the other side.</summary>
    static class NullLiteral
    {
        public static readonly ConstantExpression Instance = Expression.Constant(null, typeof(object));
    }

    static bool IsNull(Expression e) => ReferenceEquals(e, NullLiteral.Instance);

    Expression BindIdentifier(IdentifierNode id)
    {
        if (string.Equals(id.Name, "it", StringComparison.OrdinalIgnoreCase) && its.Count > 0) return its.Peek();
        for (var i = scope.Count - 1; i >= 0; i--)
            if (string.Equals(scope[i].Name, id.Name, NameComparison)) return scope[i].Value;
        if (types.Find(id.Name, caseSensitive) is { } type) return new TypeReference(type);
        if (its.Count > 0)
        {
            var it = its.Peek();
            if (TryMember(it, id.Name, out var member)) return member;
            throw new ExpressionParseException($"Unknown identifier '{id.Name}': no input or param has that name, and no property or field '{id.Name}' exists in type '{TypeName(it.Type)}'", id.Position);
        }
        throw new ExpressionParseException($"Unknown identifier '{id.Name}'", id.Position);
    }

    Expression BindMember(MemberNode m)
    {
        // A dotted type name (System.DateTime, System.Text.Json.JsonElement) is tried before member access.
        if (DottedName(m) is { } dotted && !StartsWithSymbol(m) && types.Find(dotted, caseSensitive) is { } named)
            return new TypeReference(named);
        var target = BindNode(m.Target);
        if (target is TypeReference typeRef) return StaticMember(typeRef.Referenced, m.Name, m.Position);
        if (IsNull(target)) throw new ExpressionParseException($"Member '{m.Name}' cannot be read from null", m.Position);
        // Late binding is for inputs of unknown type; a method declared to return object must declare its real return type.
        if (target.Type == typeof(object) && target is MethodCallExpression call && call.Method.DeclaringType != typeof(RuntimeMembers))
            throw new ExpressionParseException(
                $"No property or field '{m.Name}' on the return type 'object' of method '{call.Method.Name}': declare the method's return type as the concrete type", m.Position);
        if (TryMember(target, m.Name, out var member)) return member;
        throw new ExpressionParseException($"No property or field '{m.Name}' exists in type '{TypeName(target.Type)}'", m.Position);
    }

    bool StartsWithSymbol(Node node) => node switch
    {
        IdentifierNode id => scope.Any(s => string.Equals(s.Name, id.Name, NameComparison)),
        MemberNode m => StartsWithSymbol(m.Target),
        _ => true,
    };

    static string? DottedName(Node node) => node switch
    {
        IdentifierNode id => id.Name,
        MemberNode m => DottedName(m.Target) is { } p ? p + "." + m.Name : null,
        _ => null,
    };

    bool TryMember(Expression target, string name, out Expression member)
    {
        var type = target.Type;
        if (type == typeof(object))
        {
            // Late-bound: an input passed as null or object, or a value read from one.
            member = Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.Get))!, target, Expression.Constant(name), Expression.Constant(!caseSensitive));
            return true;
        }
        var flags = BindingFlags.Public | BindingFlags.Instance;
        var info = FindMember(type, name, flags);
        if (info is null && type.IsInterface)
            info = type.GetInterfaces().Select(i => FindMember(i, name, flags)).FirstOrDefault(x => x is not null);
        if (info is null)
        {
            member = null!;
            return false;
        }
        SecurityPolicy.CheckMember(info);
        member = Expression.MakeMemberAccess(target, info);
        return true;
    }

    MemberInfo? FindMember(Type type, string name, BindingFlags flags)
    {
        var exact = (MemberInfo?)type.GetProperty(name, flags | BindingFlags.DeclaredOnly) ?? type.GetProperty(name, flags) ?? (MemberInfo?)type.GetField(name, flags);
        if (exact is not null && exact is PropertyInfo { } p && p.GetIndexParameters().Length > 0) exact = null;
        if (exact is not null || caseSensitive) return exact;
        return type.GetProperties(flags).Where(p => p.GetIndexParameters().Length == 0).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? (MemberInfo?)type.GetFields(flags).FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    Expression StaticMember(Type type, string name, int position)
    {
        var flags = BindingFlags.Public | BindingFlags.Static;
        if (type.IsEnum)
        {
            var value = Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, name, NameComparison))
                ?? throw new ExpressionParseException($"Enum '{type.Name}' has no value '{name}'", position);
            return Expression.Constant(Enum.Parse(type, value), type);
        }
        var info = FindMember(type, name, flags)
            ?? throw new ExpressionParseException($"No static property or field '{name}' exists in type '{type.Name}'", position);
        SecurityPolicy.CheckMember(info);
        return Expression.MakeMemberAccess(null, info);
    }

    Expression BindIndex(IndexNode node)
    {
        var target = BindNode(node.Target);
        var args = node.Arguments.Select(BindNode).ToArray();
        if (target.Type.IsArray && args.Length == 1)
            return Expression.ArrayIndex(target, ConvertTo(args[0], typeof(int), node));
        if (target.Type == typeof(object) && args.Length == 1)
            return Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.Get))!, target,
                Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.ToText))!, Expression.Convert(args[0], typeof(object))), Expression.Constant(!caseSensitive));
        var indexers = target.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == args.Length).ToList();
        foreach (var indexer in indexers.OrderByDescending(p => p.GetIndexParameters().Zip(args, (pi, a) => pi.ParameterType == a.Type ? 1 : 0).Sum()))
        {
            var converted = TryConvertArguments(indexer.GetIndexParameters(), args);
            if (converted is null) continue;
            SecurityPolicy.CheckMember(indexer);
            return Expression.Property(target, indexer, converted);
        }
        if (ElementType(target.Type) is { } element && args.Length == 1 && IsInteger(args[0].Type))
            return Expression.Call(typeof(Enumerable).GetMethod(nameof(Enumerable.ElementAt), [typeof(IEnumerable<>).MakeGenericType(Type.MakeGenericMethodParameter(0)), typeof(int)])!.MakeGenericMethod(element),
                target, ConvertTo(args[0], typeof(int), node));
        throw new ExpressionParseException($"Type '{TypeName(target.Type)}' cannot be indexed with these arguments", node.Position);
    }

    Expression BindUnary(UnaryNode node)
    {
        var operand = BindNode(node.Operand);
        if (node.Operator == "!")
        {
            if (operand.Type == typeof(object)) operand = ConvertTo(operand, typeof(bool), node);
            if (operand.Type != typeof(bool) && operand.Type != typeof(bool?))
                throw new ExpressionParseException($"Operator '!' needs a boolean, not '{TypeName(operand.Type)}'", node.Position);
            return Expression.Not(operand);
        }
        return Expression.Negate(operand);
    }

    Expression BindBinary(BinaryNode node)
    {
        var left = BindNode(node.Left);
        var right = BindNode(node.Right);
        switch (node.Operator)
        {
            case "&&":
            case "||":
                left = AsBoolean(left, node);
                right = AsBoolean(right, node);
                return node.Operator == "&&" ? Expression.AndAlso(left, right) : Expression.OrElse(left, right);
            case "??":
                if (IsNull(left)) return right;
                if (left.Type.IsValueType && Nullable.GetUnderlyingType(left.Type) is null) return left;
                return Expression.Coalesce(left, ConvertTo(right, Nullable.GetUnderlyingType(left.Type) ?? left.Type, node));
            case "==":
            case "!=":
                return Equality(left, right, node.Operator == "==", node);
            case "<":
            case "<=":
            case ">":
            case ">=":
                return Comparison(left, right, node.Operator, node);
            case "+" when left.Type == typeof(string) || right.Type == typeof(string):
                return Expression.Call(typeof(string).GetMethod(nameof(string.Concat), [typeof(object), typeof(object)])!,
                    Expression.Convert(left, typeof(object)), Expression.Convert(right, typeof(object)));
            case "&" when IsBoolean(left) && IsBoolean(right):
                return Expression.And(AsBoolean(left, node), AsBoolean(right, node));
            case "|" when IsBoolean(left) && IsBoolean(right):
                return Expression.Or(AsBoolean(left, node), AsBoolean(right, node));
        }
        if (left.Type == typeof(DateTime) || left.Type == typeof(DateTime?) || left.Type == typeof(TimeSpan) || left.Type == typeof(DateTimeOffset))
        {
            return node.Operator switch
            {
                "+" => Expression.Add(left, right),
                "-" => Expression.Subtract(left, right),
                _ => throw new ExpressionParseException($"Operator '{node.Operator}' cannot be applied to '{TypeName(left.Type)}'", node.Position),
            };
        }
        (left, right) = Promote(left, right, node);
        return node.Operator switch
        {
            "+" => Expression.Add(left, right),
            "-" => Expression.Subtract(left, right),
            "*" => Expression.Multiply(left, right),
            "/" => Expression.Divide(left, right),
            "%" => Expression.Modulo(left, right),
            "&" => Expression.And(left, right),
            "|" => Expression.Or(left, right),
            "^" => Expression.ExclusiveOr(left, right),
            "<<" => Expression.LeftShift(left, ConvertTo(right, typeof(int), node)),
            ">>" => Expression.RightShift(left, ConvertTo(right, typeof(int), node)),
            _ => throw new ExpressionParseException($"Unknown operator '{node.Operator}'", node.Position),
        };
    }

    static bool IsBoolean(Expression e) => e.Type == typeof(bool) || e.Type == typeof(bool?);

    Expression AsBoolean(Expression e, Node node)
    {
        if (e.Type == typeof(bool)) return e;
        if (e.Type == typeof(bool?)) return Expression.Equal(e, Expression.Constant(true, typeof(bool?)));
        if (e.Type == typeof(object)) return ConvertTo(e, typeof(bool), node);
        throw new ExpressionParseException($"A boolean is expected at position {node.Position}, not '{TypeName(e.Type)}'", node.Position);
    }

    Expression Equality(Expression left, Expression right, bool equal, Node node)
    {
        Expression result;
        if (IsNull(left) && IsNull(right)) result = Expression.Constant(true);
        else if (IsNull(left) || IsNull(right))
        {
            var other = IsNull(left) ? right : left;
            if (other.Type.IsValueType && Nullable.GetUnderlyingType(other.Type) is null)
                result = Expression.Constant(false);
            else result = Expression.Equal(other, Expression.Constant(null, other.Type));
        }
        else if (left.Type == typeof(object) || right.Type == typeof(object))
        {
            result = Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.AreEqual))!,
                Expression.Convert(left, typeof(object)), Expression.Convert(right, typeof(object)));
        }
        else
        {
            (left, right) = AlignEnums(left, right, node);
            if (left.Type != right.Type) (left, right) = Promote(left, right, node);
            result = Expression.Equal(left, right);
        }
        return equal ? result : Expression.Not(result);
    }

    Expression Comparison(Expression left, Expression right, string op, Node node)
    {
        if (left.Type == typeof(object) || right.Type == typeof(object))
        {
            var compare = Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.Compare))!,
                Expression.Convert(left, typeof(object)), Expression.Convert(right, typeof(object)));
            return MakeComparison(op, compare, Expression.Constant(0));
        }
        if (left.Type == typeof(string) && right.Type == typeof(string))
        {
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.CompareOrdinal), [typeof(string), typeof(string)])!, left, right);
            return MakeComparison(op, compare, Expression.Constant(0));
        }
        (left, right) = AlignEnums(left, right, node);
        if (left.Type != right.Type) (left, right) = Promote(left, right, node);
        if (left.Type.IsEnum || Nullable.GetUnderlyingType(left.Type)?.IsEnum == true)
        {
            var underlying = Enum.GetUnderlyingType(Nullable.GetUnderlyingType(left.Type) ?? left.Type);
            var target = Nullable.GetUnderlyingType(left.Type) is null ? underlying : typeof(Nullable<>).MakeGenericType(underlying);
            left = Expression.Convert(left, target);
            right = Expression.Convert(right, target);
        }
        return MakeComparison(op, left, right);
    }

    static Expression MakeComparison(string op, Expression left, Expression right) => op switch
    {
        "<" => Expression.LessThan(left, right),
        "<=" => Expression.LessThanOrEqual(left, right),
        ">" => Expression.GreaterThan(left, right),
        _ => Expression.GreaterThanOrEqual(left, right),
    };

    (Expression, Expression) AlignEnums(Expression left, Expression right, Node node)
    {
        var le = Nullable.GetUnderlyingType(left.Type) ?? left.Type;
        var re = Nullable.GetUnderlyingType(right.Type) ?? right.Type;
        if (le.IsEnum && !re.IsEnum) return (left, EnumOperand(right, left.Type, node));
        if (re.IsEnum && !le.IsEnum) return (EnumOperand(left, right.Type, node), right);
        return (left, right);
    }

    Expression EnumOperand(Expression value, Type enumType, Node node)
    {
        var underlying = Nullable.GetUnderlyingType(enumType) ?? enumType;
        if (value is ConstantExpression { Value: string s })
        {
            if (!Enum.TryParse(underlying, s, !caseSensitive, out var parsed))
                throw new ExpressionParseException($"'{s}' is not a value of enum '{underlying.Name}'", node.Position);
            return Expression.Constant(parsed, enumType);
        }
        if (IsInteger(Nullable.GetUnderlyingType(value.Type) ?? value.Type))
            return Expression.Convert(value, enumType);
        throw new ExpressionParseException($"Cannot compare enum '{underlying.Name}' with '{TypeName(value.Type)}'", node.Position);
    }

    static readonly Type[] NumericRank =
        [typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal)];

    static bool IsNumeric(Type t) => Array.IndexOf(NumericRank, Nullable.GetUnderlyingType(t) ?? t) >= 0;
    static bool IsInteger(Type t) => Array.IndexOf(NumericRank, t) is >= 0 and <= 7;

    /// <summary>Brings two operands to one type: numeric promotion (a real literal next to a decimal becomes decimal), lifting to nullable.</summary>
    (Expression, Expression) Promote(Expression left, Expression right, Node node)
    {
        if (IsNull(left)) return (Expression.Constant(null, MakeNullable(right.Type)), MakeNullableIfValue(right));
        if (IsNull(right)) return (MakeNullableIfValue(left), Expression.Constant(null, MakeNullable(left.Type)));
        if (left.Type == right.Type) return (left, right);
        var lu = Nullable.GetUnderlyingType(left.Type) ?? left.Type;
        var ru = Nullable.GetUnderlyingType(right.Type) ?? right.Type;
        var nullable = lu != left.Type || ru != right.Type;
        Type common;
        if (lu == ru) common = lu;
        else if (IsNumeric(lu) && IsNumeric(ru))
        {
            var li = Array.IndexOf(NumericRank, lu);
            var ri = Array.IndexOf(NumericRank, ru);
            common = NumericRank[Math.Max(Math.Max(li, ri), 4)];
            // Signed/unsigned mixes widen like C#.
            if ((lu == typeof(ulong) && IsSigned(ru)) || (ru == typeof(ulong) && IsSigned(lu))) common = typeof(decimal);
            else if ((lu == typeof(uint) && IsSigned(ru) && ri < 6) || (ru == typeof(uint) && IsSigned(lu) && li < 6)) common = typeof(long);
        }
        else if (lu.IsAssignableFrom(ru)) common = lu;
        else if (ru.IsAssignableFrom(lu)) common = ru;
        else throw new ExpressionParseException($"Operator cannot be applied to operands of type '{TypeName(left.Type)}' and '{TypeName(right.Type)}'", node.Position);
        var target = nullable && common.IsValueType ? typeof(Nullable<>).MakeGenericType(common) : common;
        return (ConvertTo(left, target, node), ConvertTo(right, target, node));
    }

    static bool IsSigned(Type t) => t == typeof(sbyte) || t == typeof(short) || t == typeof(int) || t == typeof(long);

    static Type MakeNullable(Type t) => t.IsValueType && Nullable.GetUnderlyingType(t) is null ? typeof(Nullable<>).MakeGenericType(t) : t;
    static Expression MakeNullableIfValue(Expression e) => e.Type.IsValueType && Nullable.GetUnderlyingType(e.Type) is null ? Expression.Convert(e, MakeNullable(e.Type)) : e;

    /// <summary>Converts an expression to <paramref name="target"/> where Dynamic LINQ would (constants exactly, numbers widening, object unboxing).</summary>
    Expression ConvertTo(Expression e, Type target, Node node)
    {
        if (e is TypeReference) throw new ExpressionParseException($"'{Describe(node)}' is a type, not a value", node.Position);
        if (e.Type == target) return e;
        if (IsNull(e))
        {
            if (target.IsValueType && Nullable.GetUnderlyingType(target) is null)
                throw new ExpressionParseException($"null cannot be converted to '{TypeName(target)}'", node.Position);
            return Expression.Constant(null, target);
        }
        if (e is ConstantExpression { Value: { } value } && IsNumeric(e.Type) && IsNumeric(target))
        {
            var underlying = Nullable.GetUnderlyingType(target) ?? target;
            try { return Expression.Constant(Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture), target); }
            catch (OverflowException) { throw new ExpressionParseException($"Constant {value} does not fit in '{TypeName(target)}'", node.Position); }
        }
        if (e.Type == typeof(object) && target != typeof(object))
            return Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.ConvertTo))!.MakeGenericMethod(target), e);
        if (target.IsAssignableFrom(e.Type) || (IsNumeric(e.Type) && IsNumeric(target)) || Nullable.GetUnderlyingType(target) == e.Type)
            return Expression.Convert(e, target);
        if ((Nullable.GetUnderlyingType(target) ?? target).IsEnum && IsNumeric(e.Type)) return Expression.Convert(e, target);
        throw new ExpressionParseException($"Expression of type '{TypeName(e.Type)}' cannot be converted to '{TypeName(target)}'", node.Position);
    }

    bool CanConvert(Expression e, Type target)
    {
        if (e.Type == target || target == typeof(object)) return true;
        if (IsNull(e)) return !target.IsValueType || Nullable.GetUnderlyingType(target) is not null;
        if (target.IsAssignableFrom(e.Type)) return true;
        if (Nullable.GetUnderlyingType(target) == e.Type) return true;
        if (IsNumeric(e.Type) && IsNumeric(target))
        {
            if (e is ConstantExpression) return true;
            var from = Array.IndexOf(NumericRank, Nullable.GetUnderlyingType(e.Type) ?? e.Type);
            var to = Array.IndexOf(NumericRank, Nullable.GetUnderlyingType(target) ?? target);
            return to >= from && (Nullable.GetUnderlyingType(e.Type) is null || Nullable.GetUnderlyingType(target) is not null);
        }
        return e.Type == typeof(object);
    }

    Expression BindConditional(Expression test, Expression ifTrue, Expression ifFalse, Node node)
    {
        test = AsBoolean(test, node);
        if (ifTrue.Type != ifFalse.Type || IsNull(ifTrue) || IsNull(ifFalse))
        {
            if (IsNull(ifTrue) && !IsNull(ifFalse)) { ifFalse = MakeNullableIfValue(ifFalse); ifTrue = Expression.Constant(null, ifFalse.Type); }
            else if (IsNull(ifFalse) && !IsNull(ifTrue)) { ifTrue = MakeNullableIfValue(ifTrue); ifFalse = Expression.Constant(null, ifTrue.Type); }
            else if (ifTrue.Type != ifFalse.Type) (ifTrue, ifFalse) = Promote(ifTrue, ifFalse, node);
        }
        return Expression.Condition(test, ifTrue, ifFalse);
    }

    Expression BindIn(InNode node)
    {
        var value = BindNode(node.Value);
        Expression? result = null;
        foreach (var candidate in node.Candidates)
        {
            var test = Equality(value, BindNode(candidate), true, node);
            result = result is null ? test : Expression.OrElse(result, test);
        }
        return result ?? Expression.Constant(false);
    }

    Expression BindNewObject(NewObjectNode node)
    {
        var names = node.Members.Select(m => m.Name).ToArray();
        var values = node.Members.Select(m => Expression.Convert(BindNode(m.Value), typeof(object))).ToArray();
        return Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.NewRecord))!,
            Expression.Constant(names), Expression.NewArrayInit(typeof(object), values));
    }

    Expression BindNewArray(NewArrayNode node)
    {
        var items = node.Items.Select(BindNode).ToList();
        Type element;
        if (node.ElementType is not null)
            element = types.Find(node.ElementType, caseSensitive) ?? throw new ExpressionParseException($"Unknown type '{node.ElementType}'", node.Position);
        else if (items.Count == 0) element = typeof(object);
        else
        {
            element = items[0].Type;
            foreach (var item in items.Skip(1))
                if (item.Type != element) element = Promote(Expression.Default(element), item, node).Item1.Type;
        }
        return Expression.NewArrayInit(element, items.Select(i => ConvertTo(i, element, node)));
    }

    Expression BindCall(CallNode node)
    {
        if (node.Target is null) return BindFunction(node);
        var target = BindNode(node.Target);
        if (target is TypeReference typeRef) return BindMethod(null, typeRef.Referenced, node);
        if (IsNull(target)) throw new ExpressionParseException($"Method '{node.Name}' cannot be called on null", node.Position);
        return BindMethod(target, target.Type, node);
    }

    /// <summary>Calls without a target: <c>iif</c>, <c>np</c>, conversions like <c>int(x)</c>, or methods of <c>it</c>.</summary>
    Expression BindFunction(CallNode node)
    {
        var name = node.Name;
        if (string.Equals(name, "iif", StringComparison.OrdinalIgnoreCase))
        {
            if (node.Arguments.Count != 3) throw new ExpressionParseException("iif needs three arguments: iif(test, ifTrue, ifFalse)", node.Position);
            return BindConditional(BindNode(node.Arguments[0]), BindNode(node.Arguments[1]), BindNode(node.Arguments[2]), node);
        }
        if (string.Equals(name, "np", StringComparison.OrdinalIgnoreCase))
        {
            if (node.Arguments.Count is < 1 or > 2) throw new ExpressionParseException("np needs one or two arguments: np(value[, default])", node.Position);
            var inner = BindNullPropagating(node.Arguments[0]);
            if (node.Arguments.Count == 2)
            {
                var fallback = BindNode(node.Arguments[1]);
                if (inner.Type.IsValueType && Nullable.GetUnderlyingType(inner.Type) is null) return inner;
                return Expression.Coalesce(inner, ConvertTo(fallback, Nullable.GetUnderlyingType(inner.Type) ?? inner.Type, node));
            }
            return inner;
        }
        if (types.Find(name, caseSensitive) is { } type && node.Arguments.Count == 1)
        {
            var value = BindNode(node.Arguments[0]);
            if (type == typeof(string))
                return value.Type == typeof(string) ? value : Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.ToText))!, Expression.Convert(value, typeof(object)));
            if (value.Type == typeof(object)) return ConvertTo(value, type, node);
            return Expression.Convert(value, type);
        }
        if (its.Count > 0) return BindMethod(its.Peek(), its.Peek().Type, node);
        throw new ExpressionParseException($"Unknown function or type '{name}'", node.Position);
    }

    /// <summary>np(a.b.c): each step that could be null yields null instead of failing.</summary>
    Expression BindNullPropagating(Node node)
    {
        if (node is not MemberNode member) return BindNode(node);
        var target = BindNullPropagating(member.Target);
        if (target is TypeReference) return BindMember(member);
        if (!TryMember(target, member.Name, out var access))
            throw new ExpressionParseException($"No property or field '{member.Name}' exists in type '{TypeName(target.Type)}'", member.Position);
        if (target.Type.IsValueType && Nullable.GetUnderlyingType(target.Type) is null) return access;
        var resultType = MakeNullable(access.Type);
        var safeTarget = target;
        if (Nullable.GetUnderlyingType(target.Type) is not null && access is MemberExpression { Member.Name: not ("HasValue" or "Value") })
            access = Expression.MakeMemberAccess(Expression.Property(target, "Value"), ((MemberExpression)access).Member);
        return Expression.Condition(Expression.Equal(safeTarget, Expression.Constant(null, target.Type)),
            Expression.Constant(null, resultType), Expression.Convert(access, resultType));
    }

    static readonly HashSet<string> LambdaMethods = new(StringComparer.OrdinalIgnoreCase)
    {
        "Where", "Any", "All", "Count", "LongCount", "First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault",
        "Select", "SelectMany", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending", "Sum", "Average", "Min", "Max",
        "GroupBy", "DistinctBy", "TakeWhile", "SkipWhile", "MinBy", "MaxBy",
    };

    Expression BindMethod(Expression? target, Type type, CallNode node)
    {
        var isStatic = target is null;
        if (isStatic && !types.IsAllowed(type))
            throw new ExpressionParseException($"Methods on type '{type.Name}' are not accessible", node.Position);
        // LINQ over collections first when the argument is a lambda (or an implicit-it predicate).
        if (!isStatic && ElementType(type) is { } element && type != typeof(string) && IsEnumerableMethod(node.Name))
        {
            var hasInstance = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => string.Equals(m.Name, node.Name, NameComparison) && m.GetParameters().Length == node.Arguments.Count);
            if (!hasInstance || node.Arguments.Any(a => a is LambdaNode))
                return BindEnumerableCall(target!, element, node);
        }
        var flags = BindingFlags.Public | (isStatic ? BindingFlags.Static : BindingFlags.Instance);
        var candidates = type.GetMethods(flags).Where(m => string.Equals(m.Name, node.Name, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0 && !caseSensitive)
            candidates = type.GetMethods(flags).Where(m => string.Equals(m.Name, node.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (!isStatic && type.IsInterface)
            candidates.AddRange(type.GetInterfaces().SelectMany(i => i.GetMethods()).Where(m => string.Equals(m.Name, node.Name, NameComparison)));
        candidates = candidates.Where(m => !m.IsGenericMethodDefinition && m.GetParameters().Length == node.Arguments.Count).ToList();
        if (candidates.Count == 0)
        {
            if (!isStatic && ElementType(type) is { } elementType && IsEnumerableMethod(node.Name))
                return BindEnumerableCall(target!, elementType, node);
            throw new ExpressionParseException($"No applicable method '{node.Name}' exists in type '{TypeName(type)}'", node.Position);
        }
        var args = node.Arguments.Select(BindNode).ToArray();
        MethodInfo? best = null;
        Expression[]? bestArgs = null;
        var bestScore = -1;
        foreach (var method in candidates)
        {
            var converted = TryConvertArguments(method.GetParameters(), args);
            if (converted is null) continue;
            var score = method.GetParameters().Zip(args, (p, a) => p.ParameterType == a.Type ? 2 : p.ParameterType == typeof(object) ? 0 : 1).Sum();
            if (score > bestScore) (best, bestArgs, bestScore) = (method, converted, score);
        }
        if (best is null)
            throw new ExpressionParseException($"No applicable method '{node.Name}' exists in type '{TypeName(type)}' for arguments ({string.Join(", ", args.Select(a => TypeName(a.Type)))})", node.Position);
        SecurityPolicy.CheckMember(best);
        if (!isStatic && !types.IsAllowed(best.DeclaringType!) && !types.IsAllowed(type) && !IsValueOrCollection(type))
            throw new ExpressionParseException($"Methods on type '{TypeName(type)}' are not accessible", node.Position);
        if (best.DeclaringType == typeof(Convert)) bestArgs = bestArgs!.Select(a => a.Type == typeof(object) ? Expression.Call(typeof(RuntimeMembers).GetMethod(nameof(RuntimeMembers.ForConvert))!, a) : a).ToArray();
        return isStatic ? Expression.Call(best, bestArgs!) : Expression.Call(target!, best, bestArgs!);
    }

    static bool IsValueOrCollection(Type type) =>
        type.IsPrimitive || type.IsEnum || Nullable.GetUnderlyingType(type) is not null || type == typeof(string) || type.Namespace == "System.Collections.Generic" || type.IsArray;

    /// <summary>Enumerable's methods by name, read once: reflection over Enumerable dominated compile time otherwise.</summary>
    static readonly Dictionary<string, MethodInfo[]> EnumerableMethods = typeof(Enumerable).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.OrderBy(m => m.GetGenericArguments().Length).ToArray(), StringComparer.OrdinalIgnoreCase);

    static bool IsEnumerableMethod(string name) => EnumerableMethods.ContainsKey(name);

    Expression[]? TryConvertArguments(ParameterInfo[] parameters, Expression[] args)
    {
        var result = new Expression[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var target = parameters[i].ParameterType;
            if (target.IsByRef) return null;
            if (!CanConvert(args[i], target)) return null;
            result[i] = args[i].Type == target ? args[i] : IsNull(args[i]) ? Expression.Constant(null, target) :
                target == typeof(object) ? Expression.Convert(args[i], typeof(object)) : ConvertTo(args[i], target, new LiteralNode(null, "", 0));
        }
        return result;
    }

    /// <summary>Binds a LINQ call (Any, Where, Sum, FirstOrDefault, Contains, Take ...) on a collection, inferring generic arguments.</summary>
    Expression BindEnumerableCall(Expression source, Type element, CallNode node)
    {
        var candidates = EnumerableMethods.TryGetValue(node.Name, out var named)
            ? named.Where(m => m.GetParameters().Length == node.Arguments.Count + 1).ToList()
            : [];
        Exception? firstError = null;
        var valueArgs = new Dictionary<int, Expression>();
        foreach (var candidate in candidates)
        {
            try
            {
                if (TryBindEnumerable(candidate, source, element, node, valueArgs) is { } call) return call;
            }
            catch (ExpressionParseException ex)
            {
                firstError ??= ex;
            }
        }
        if (firstError is not null) throw firstError;
        throw new ExpressionParseException($"No applicable method '{node.Name}' exists for a collection of '{TypeName(element)}'", node.Position);
    }

    Expression? TryBindEnumerable(MethodInfo candidate, Expression source, Type element, CallNode node, Dictionary<int, Expression> valueArgs)
    {
        var generics = candidate.GetGenericArguments();
        if (generics.Length == 0) return null;
        var inferred = new Type?[generics.Length];
        var parameters = candidate.GetParameters();
        // First parameter: IEnumerable<TSource>.
        if (!parameters[0].ParameterType.IsGenericType || parameters[0].ParameterType.GetGenericTypeDefinition() != typeof(IEnumerable<>)) return null;
        var sourceParam = parameters[0].ParameterType.GetGenericArguments()[0];
        if (!sourceParam.IsGenericParameter) return null;
        inferred[sourceParam.GenericParameterPosition] = element;
        var args = new Expression[node.Arguments.Count];
        for (var i = 0; i < node.Arguments.Count; i++)
        {
            var pType = parameters[i + 1].ParameterType;
            var argNode = node.Arguments[i];
            if (pType.IsGenericType && pType.GetGenericTypeDefinition() == typeof(Func<,>))
            {
                var fargs = pType.GetGenericArguments();
                if (!fargs[0].IsGenericParameter || inferred[fargs[0].GenericParameterPosition] is not { } paramType) return null;
                var lambda = BindLambda(argNode, paramType);
                var ret = fargs[1];
                if (ret.IsGenericParameter)
                {
                    var pos = ret.GenericParameterPosition;
                    if (inferred[pos] is { } known && known != lambda.ReturnType) return null;
                    inferred[pos] = lambda.ReturnType;
                }
                else if (ret != lambda.ReturnType) return null;
                args[i] = lambda;
            }
            else if (pType.IsGenericType && pType.GetGenericTypeDefinition() == typeof(Func<,,>))
                return null;
            else
            {
                if (argNode is LambdaNode) return null;
                if (!valueArgs.TryGetValue(i, out var value)) valueArgs[i] = value = BindNode(argNode);
                var target = SubstituteGenerics(pType, inferred);
                if (target is null) return null;
                if (!CanConvert(value, target)) return null;
                args[i] = value.Type == target ? value : ConvertTo(value, target, argNode);
            }
        }
        if (inferred.Any(t => t is null)) return null;
        var method = candidate.MakeGenericMethod(inferred!);
        return Expression.Call(method, [Expression.Convert(source, method.GetParameters()[0].ParameterType), .. args]);
    }

    static Type? SubstituteGenerics(Type type, Type?[] inferred)
    {
        if (type.IsGenericParameter) return inferred[type.GenericParameterPosition];
        if (!type.IsGenericType) return type;
        var args = type.GetGenericArguments().Select(a => SubstituteGenerics(a, inferred)).ToArray();
        if (args.Any(a => a is null)) return null;
        return type.GetGenericTypeDefinition().MakeGenericType(args!);
    }

    /// <summary>A lambda argument: <c>x => body</c>, or a bare expression over the implicit <c>it</c>.</summary>
    LambdaExpression BindLambda(Node argNode, Type parameterType)
    {
        var name = argNode is LambdaNode l ? l.Parameters[0] : "it";
        var body = argNode is LambdaNode lambda ? lambda.Body : argNode;
        var parameter = Expression.Parameter(parameterType, name);
        scope.Add((name, parameter));
        its.Push(parameter);
        try
        {
            var bound = BindNode(body);
            if (IsNull(bound)) bound = Expression.Constant(null, typeof(object));
            if (bound is TypeReference) throw new ExpressionParseException($"'{Describe(body)}' is a type, not a value", body.Position);
            return Expression.Lambda(bound, parameter);
        }
        finally
        {
            its.Pop();
            scope.RemoveAt(scope.Count - 1);
        }
    }

    static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)) return type.GetGenericArguments()[0];
        var enumerable = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        if (enumerable is not null) return enumerable.GetGenericArguments()[0];
        return typeof(IEnumerable).IsAssignableFrom(type) ? typeof(object) : null;
    }

    static string Describe(Node node) => node switch
    {
        IdentifierNode id => id.Name,
        MemberNode m => Describe(m.Target) + "." + m.Name,
        _ => node.GetType().Name,
    };

    static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return TypeName(inner) + "?";
        if (!type.IsGenericType) return type.Name;
        return type.Name[..type.Name.IndexOf('`')] + "<" + string.Join(", ", type.GetGenericArguments().Select(TypeName)) + ">";
    }
}
