namespace Actors.Rules.Expressions;

/// <summary>
/// Parses RulesEngine's expression dialect (System.Linq.Dynamic.Core): C#-like operators plus
/// <c>AND</c>/<c>OR</c>/<c>NOT</c>, <c>=</c>, <c>&lt;&gt;</c>, <c>in (…)</c>, <c>iif</c>, <c>np</c>, <c>it</c> and <c>new (x as Name)</c>.
/// </summary>
public sealed class Parser
{
    readonly List<Token> tokens;
    int index;

    Parser(string text) => tokens = Lexer.Tokenize(text);

    /// <summary>Parses a whole expression or throws <see cref="ExpressionParseException"/>.</summary>
    public static Node Parse(string text)
    {
        var parser = new Parser(text);
        var node = parser.ParseExpression();
        if (parser.Current.Kind != TokenKind.End)
            throw new ExpressionParseException($"Syntax error: unexpected '{parser.Current.Text}' at position {parser.Current.Position}", parser.Current.Position);
        return node;
    }

    Token Current => tokens[index];
    Token Peek(int ahead = 1) => tokens[Math.Min(index + ahead, tokens.Count - 1)];

    bool IsSymbol(string s) => Current.Kind == TokenKind.Symbol && Current.Text == s;
    bool IsWord(string w) => Current.Kind == TokenKind.Identifier && string.Equals(Current.Text, w, StringComparison.OrdinalIgnoreCase);

    Token Expect(string symbol)
    {
        if (!IsSymbol(symbol))
            throw new ExpressionParseException($"Syntax error: '{symbol}' expected at position {Current.Position}" + (Current.Kind == TokenKind.End ? " (end of expression)" : $", found '{Current.Text}'"), Current.Position);
        return tokens[index++];
    }

    Node ParseExpression()
    {
        if (Current.Kind == TokenKind.Identifier && Peek().Kind == TokenKind.Symbol && Peek().Text == "=>")
        {
            var start = Current.Position;
            var name = tokens[index].Text;
            index += 2;
            return new LambdaNode([name], ParseExpression(), start);
        }
        var test = ParseCoalesce();
        if (IsSymbol("?"))
        {
            var pos = tokens[index++].Position;
            var ifTrue = ParseExpression();
            Expect(":");
            var ifFalse = ParseExpression();
            return new ConditionalNode(test, ifTrue, ifFalse, pos);
        }
        return test;
    }

    Node ParseCoalesce()
    {
        var left = ParseOr();
        while (IsSymbol("??"))
        {
            var pos = tokens[index++].Position;
            left = new BinaryNode("??", left, ParseOr(), pos);
        }
        return left;
    }

    Node ParseOr()
    {
        var left = ParseAnd();
        while (IsSymbol("||") || IsWord("or") || IsWord("orelse"))
        {
            var pos = tokens[index++].Position;
            left = new BinaryNode("||", left, ParseAnd(), pos);
        }
        return left;
    }

    Node ParseAnd()
    {
        var left = ParseIn();
        while (IsSymbol("&&") || IsWord("and") || IsWord("andalso"))
        {
            var pos = tokens[index++].Position;
            left = new BinaryNode("&&", left, ParseIn(), pos);
        }
        return left;
    }

    Node ParseIn()
    {
        var left = ParseBitwise();
        while (IsWord("in"))
        {
            var pos = tokens[index++].Position;
            Expect("(");
            var items = new List<Node>();
            if (!IsSymbol(")"))
            {
                do items.Add(ParseExpression());
                while (TryConsume(","));
            }
            Expect(")");
            left = new InNode(left, items, pos);
        }
        return left;
    }

    Node ParseBitwise()
    {
        var left = ParseComparison();
        while (IsSymbol("&") || IsSymbol("|") || IsSymbol("^"))
        {
            var op = tokens[index++];
            left = new BinaryNode(op.Text, left, ParseComparison(), op.Position);
        }
        return left;
    }

    static readonly Dictionary<string, string> ComparisonOperators = new()
    {
        ["=="] = "==", ["="] = "==", ["!="] = "!=", ["<>"] = "!=", ["<"] = "<", ["<="] = "<=", [">"] = ">", [">="] = ">=",
    };

    Node ParseComparison()
    {
        var left = ParseShift();
        while (Current.Kind == TokenKind.Symbol && ComparisonOperators.TryGetValue(Current.Text, out var op))
        {
            var pos = tokens[index++].Position;
            left = new BinaryNode(op, left, ParseShift(), pos);
        }
        return left;
    }

    Node ParseShift()
    {
        var left = ParseAdditive();
        while (IsSymbol("<<") || IsSymbol(">>"))
        {
            var op = tokens[index++];
            left = new BinaryNode(op.Text, left, ParseAdditive(), op.Position);
        }
        return left;
    }

    Node ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (IsSymbol("+") || IsSymbol("-"))
        {
            var op = tokens[index++];
            left = new BinaryNode(op.Text, left, ParseMultiplicative(), op.Position);
        }
        return left;
    }

    Node ParseMultiplicative()
    {
        var left = ParseUnary();
        while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%") || IsWord("mod"))
        {
            var op = tokens[index++];
            left = new BinaryNode(op.Text.Equals("mod", StringComparison.OrdinalIgnoreCase) ? "%" : op.Text, left, ParseUnary(), op.Position);
        }
        return left;
    }

    Node ParseUnary()
    {
        if (IsSymbol("-") || IsSymbol("!") || IsWord("not"))
        {
            var op = tokens[index++];
            var operand = ParseUnary();
            if (op.Text == "-" && operand is LiteralNode { Value: int or long or double or decimal or float } literal)
                return new LiteralNode(Negate(literal.Value!), "-" + literal.Text, op.Position);
            return new UnaryNode(op.Text == "-" ? "-" : "!", operand, op.Position);
        }
        return ParsePostfix(ParsePrimary());
    }

    static object Negate(object value) => value switch
    {
        int i => -i, long l => -l, double d => -d, decimal m => -m, float f => -f, _ => value,
    };

    bool TryConsume(string symbol)
    {
        if (!IsSymbol(symbol)) return false;
        index++;
        return true;
    }

    Node ParsePostfix(Node node)
    {
        while (true)
        {
            if (IsSymbol(".") || (IsSymbol("?") && Peek().Text == "."))
            {
                var nullConditional = IsSymbol("?");
                if (nullConditional) index++;
                index++;
                if (Current.Kind != TokenKind.Identifier)
                    throw new ExpressionParseException($"Syntax error: member name expected at position {Current.Position}", Current.Position);
                var name = tokens[index++];
                if (IsSymbol("("))
                    node = new CallNode(node, name.Text, ParseArguments("(", ")"), name.Position);
                else
                    node = new MemberNode(node, name.Text, name.Position);
                // a?.b reads as np(a.b): null instead of an error when a is null.
                if (nullConditional && node is MemberNode member) node = new CallNode(null, "np", [member], member.Position);
            }
            else if (IsSymbol("["))
            {
                var pos = Current.Position;
                node = new IndexNode(node, ParseArguments("[", "]"), pos);
            }
            else return node;
        }
    }

    List<Node> ParseArguments(string open, string close)
    {
        Expect(open);
        var args = new List<Node>();
        if (!IsSymbol(close))
        {
            do args.Add(ParseExpression());
            while (TryConsume(","));
        }
        Expect(close);
        return args;
    }

    Node ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
            case TokenKind.String:
            case TokenKind.Char:
                index++;
                return new LiteralNode(token.Value, token.Text, token.Position);
            case TokenKind.Symbol when token.Text == "(":
                index++;
                var inner = ParseExpression();
                Expect(")");
                return inner;
            case TokenKind.Identifier:
                index++;
                switch (token.Text.ToLowerInvariant())
                {
                    case "true": return new LiteralNode(true, token.Text, token.Position);
                    case "false": return new LiteralNode(false, token.Text, token.Position);
                    case "null": return new LiteralNode(null, token.Text, token.Position);
                    case "new": return ParseNew(token.Position);
                }
                if (IsSymbol("("))
                    return new CallNode(null, token.Text, ParseArguments("(", ")"), token.Position);
                return new IdentifierNode(token.Text, token.Position);
            case TokenKind.End:
                throw new ExpressionParseException("Syntax error: expression expected but the text ended", token.Position);
            default:
                throw new ExpressionParseException($"Syntax error: unexpected '{token.Text}' at position {token.Position}", token.Position);
        }
    }

    Node ParseNew(int position)
    {
        if (IsSymbol("{"))
            throw new ExpressionParseException(
                "'new { Name = value }' is C# syntax; System.Linq.Dynamic.Core expects 'new (value as Alias, ...)' (use 'as Alias' to name each member)", position);
        if (IsSymbol("["))
        {
            Expect("[");
            Expect("]");
            return new NewArrayNode(null, ParseArguments("{", "}"), position);
        }
        if (Current.Kind == TokenKind.Identifier)
        {
            var typeName = tokens[index++].Text;
            while (IsSymbol(".") && Peek().Kind == TokenKind.Identifier)
            {
                index++;
                typeName += "." + tokens[index++].Text;
            }
            Expect("[");
            Expect("]");
            return new NewArrayNode(typeName, ParseArguments("{", "}"), position);
        }
        Expect("(");
        var members = new List<(string, Node)>();
        if (!IsSymbol(")"))
        {
            do
            {
                var value = ParseExpression();
                string name;
                if (IsWord("as"))
                {
                    index++;
                    if (Current.Kind != TokenKind.Identifier)
                        throw new ExpressionParseException($"Syntax error: member name expected after 'as' at position {Current.Position}", Current.Position);
                    name = tokens[index++].Text;
                }
                else name = value switch
                {
                    MemberNode m => m.Name,
                    IdentifierNode i => i.Name,
                    _ => throw new ExpressionParseException($"Syntax error: name the member with 'as Alias' at position {value.Position}", value.Position),
                };
                members.Add((name, value));
            }
            while (TryConsume(","));
        }
        Expect(")");
        return new NewObjectNode(members, position);
    }
}
