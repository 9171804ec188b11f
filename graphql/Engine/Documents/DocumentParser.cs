using System.Globalization;
using System.Text;

namespace Actors.GraphQL.Documents;

/// <summary>A query text that is not a well-formed GraphQL executable document.</summary>
public sealed class GraphQLSyntaxException(string message, SourceLocation location) : Exception(message)
{
    public SourceLocation Location { get; } = location;
}

/// <summary>
/// Parses executable documents (operations and fragments) with a hand-written lexer and a recursive descent parser.
/// Type system definitions are refused: a request carries only executable definitions.
/// </summary>
public sealed class DocumentParser
{
    private enum Kind { End, Bang, Dollar, Amp, ParenL, ParenR, Spread, Colon, Equals, At, BracketL, BracketR, BraceL, BraceR, Pipe, Name, Int, Float, String }

    private readonly string _text;
    private readonly int _maxTokens;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private int _tokenCount;
    private int _depth;

    // The current token.
    private Kind _kind;
    private int _start;
    private string? _value;
    private SourceLocation _location;

    private const int MaxNesting = 256;

    private DocumentParser(string text, int maxTokens)
    {
        _text = text;
        _maxTokens = maxTokens;
        if (_text.Length > 0 && _text[0] == '\uFEFF') _pos = 1;
        Advance();
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="GraphQLSyntaxException"/> on bad syntax or too many tokens.</summary>
    public static ExecutableDocument Parse(string text, int maxTokens = int.MaxValue) => new DocumentParser(text, maxTokens).ParseDocument();

    private ExecutableDocument ParseDocument()
    {
        var operations = new List<OperationDefinition>();
        var fragments = new Dictionary<string, FragmentDefinition>(StringComparer.Ordinal);
        var fragmentList = new List<FragmentDefinition>();
        if (_kind == Kind.End) throw Error("Unexpected <EOF>.");
        while (_kind != Kind.End)
        {
            if (_kind == Kind.BraceL) { operations.Add(ParseOperation()); continue; }
            if (_kind != Kind.Name) throw Unexpected();
            switch (_value)
            {
                case "query" or "mutation" or "subscription": operations.Add(ParseOperation()); break;
                case "fragment":
                    var fragment = ParseFragmentDefinition();
                    fragmentList.Add(fragment);
                    fragments.TryAdd(fragment.Name, fragment);
                    break;
                default: throw Unexpected();
            }
        }
        return new ExecutableDocument(operations, fragments, fragmentList);
    }

    private OperationDefinition ParseOperation()
    {
        var location = _location;
        if (_kind == Kind.BraceL)
            return new OperationDefinition(OperationKind.Query, null, [], [], ParseSelectionSet(), location);
        var kind = _value switch { "query" => OperationKind.Query, "mutation" => OperationKind.Mutation, _ => OperationKind.Subscription };
        Advance();
        string? name = _kind == Kind.Name ? ExpectName() : null;
        var variables = _kind == Kind.ParenL ? ParseVariableDefinitions() : [];
        var directives = ParseDirectives(isConst: false);
        return new OperationDefinition(kind, name, variables, directives, ParseSelectionSet(), location);
    }

    private List<VariableDefinition> ParseVariableDefinitions()
    {
        Expect(Kind.ParenL);
        var list = new List<VariableDefinition>();
        do
        {
            var location = _location;
            Expect(Kind.Dollar);
            var name = ExpectName();
            Expect(Kind.Colon);
            var type = ParseType();
            ValueSyntax? defaultValue = null;
            if (Skip(Kind.Equals)) defaultValue = ParseValue(isConst: true);
            ParseDirectives(isConst: true);
            list.Add(new VariableDefinition(name, type, defaultValue, location));
        } while (_kind != Kind.ParenR);
        Advance();
        return list;
    }

    private TypeSyntax ParseType()
    {
        TypeSyntax type;
        if (Skip(Kind.BracketL))
        {
            Enter();
            var inner = ParseType();
            Expect(Kind.BracketR);
            _depth--;
            type = new ListTypeSyntax(inner);
        }
        else type = new NamedTypeSyntax(ExpectName());
        return Skip(Kind.Bang) ? new NonNullTypeSyntax(type) : type;
    }

    private FragmentDefinition ParseFragmentDefinition()
    {
        var location = _location;
        Advance(); // fragment
        if (_kind == Kind.Name && _value == "on") throw Unexpected();
        var name = ExpectName();
        ExpectKeyword("on");
        var typeCondition = ExpectName();
        var directives = ParseDirectives(isConst: false);
        return new FragmentDefinition(name, typeCondition, directives, ParseSelectionSet(), location);
    }

    private SelectionSet ParseSelectionSet()
    {
        var location = _location;
        Expect(Kind.BraceL);
        Enter();
        var selections = new List<Selection>();
        do selections.Add(ParseSelection());
        while (_kind != Kind.BraceR);
        Advance();
        _depth--;
        return new SelectionSet(selections, location);
    }

    private Selection ParseSelection()
    {
        var location = _location;
        if (Skip(Kind.Spread))
        {
            if (_kind == Kind.Name && _value != "on")
            {
                var fragmentName = ExpectName();
                return new FragmentSpread(fragmentName, ParseDirectives(isConst: false), location);
            }
            string? typeCondition = null;
            if (_kind == Kind.Name && _value == "on") { Advance(); typeCondition = ExpectName(); }
            var directives = ParseDirectives(isConst: false);
            return new InlineFragment(typeCondition, directives, ParseSelectionSet(), location);
        }
        var nameOrAlias = ExpectName();
        string? alias = null;
        string name = nameOrAlias;
        if (Skip(Kind.Colon)) { alias = nameOrAlias; name = ExpectName(); }
        var arguments = ParseArguments(isConst: false);
        var fieldDirectives = ParseDirectives(isConst: false);
        var selectionSet = _kind == Kind.BraceL ? ParseSelectionSet() : null;
        return new FieldSelection(alias, name, arguments, fieldDirectives, selectionSet, location);
    }

    private IReadOnlyList<ArgumentSyntax> ParseArguments(bool isConst)
    {
        if (_kind != Kind.ParenL) return [];
        Advance();
        var list = new List<ArgumentSyntax>();
        do
        {
            var location = _location;
            var name = ExpectName();
            Expect(Kind.Colon);
            list.Add(new ArgumentSyntax(name, ParseValue(isConst), location));
        } while (_kind != Kind.ParenR);
        Advance();
        return list;
    }

    private IReadOnlyList<Directive> ParseDirectives(bool isConst)
    {
        if (_kind != Kind.At) return [];
        var list = new List<Directive>();
        while (_kind == Kind.At)
        {
            var location = _location;
            Advance();
            var name = ExpectName();
            list.Add(new Directive(name, ParseArguments(isConst), location));
        }
        return list;
    }

    private ValueSyntax ParseValue(bool isConst)
    {
        var location = _location;
        switch (_kind)
        {
            case Kind.BracketL:
            {
                Advance();
                Enter();
                var items = new List<ValueSyntax>();
                while (!Skip(Kind.BracketR)) items.Add(ParseValue(isConst));
                _depth--;
                return new ListValueSyntax(items, location);
            }
            case Kind.BraceL:
            {
                Advance();
                Enter();
                var fields = new List<ObjectFieldSyntax>();
                while (!Skip(Kind.BraceR))
                {
                    var fieldLocation = _location;
                    var name = ExpectName();
                    Expect(Kind.Colon);
                    fields.Add(new ObjectFieldSyntax(name, ParseValue(isConst), fieldLocation));
                }
                _depth--;
                return new ObjectValueSyntax(fields, location);
            }
            case Kind.Int: { var text = _value!; Advance(); return new IntValueSyntax(text, location); }
            case Kind.Float: { var text = _value!; Advance(); return new FloatValueSyntax(text, location); }
            case Kind.String: { var text = _value!; Advance(); return new StringValueSyntax(text, location); }
            case Kind.Name:
            {
                var name = _value!;
                Advance();
                return name switch
                {
                    "true" => new BooleanValueSyntax(true, location),
                    "false" => new BooleanValueSyntax(false, location),
                    "null" => new NullValueSyntax(location),
                    _ => new EnumValueSyntax(name, location),
                };
            }
            case Kind.Dollar when !isConst:
                Advance();
                return new VariableSyntax(ExpectName(), location);
            default:
                throw Unexpected();
        }
    }

    private void Enter()
    {
        if (++_depth > MaxNesting) throw Error($"Document nesting exceeds {MaxNesting} levels.");
    }

    private string ExpectName()
    {
        if (_kind != Kind.Name) throw Error($"Expected Name, found {Describe()}.");
        var name = _value!;
        Advance();
        return name;
    }

    private void ExpectKeyword(string keyword)
    {
        if (_kind != Kind.Name || _value != keyword) throw Error($"Expected \"{keyword}\", found {Describe()}.");
        Advance();
    }

    private void Expect(Kind kind)
    {
        if (_kind != kind) throw Error($"Expected {Punctuator(kind)}, found {Describe()}.");
        Advance();
    }

    private bool Skip(Kind kind)
    {
        if (_kind != kind) return false;
        Advance();
        return true;
    }

    private GraphQLSyntaxException Unexpected() => Error($"Unexpected {Describe()}.");

    private GraphQLSyntaxException Error(string message) => new($"Syntax Error: {message}", _location);

    private string Describe() => _kind switch
    {
        Kind.End => "<EOF>",
        Kind.Name => $"Name \"{_value}\"",
        Kind.Int => $"Int \"{_value}\"",
        Kind.Float => $"Float \"{_value}\"",
        Kind.String => "String",
        _ => $"\"{Punctuator(_kind)}\"",
    };

    private static string Punctuator(Kind kind) => kind switch
    {
        Kind.Bang => "!", Kind.Dollar => "$", Kind.Amp => "&", Kind.ParenL => "(", Kind.ParenR => ")", Kind.Spread => "...",
        Kind.Colon => ":", Kind.Equals => "=", Kind.At => "@", Kind.BracketL => "[", Kind.BracketR => "]",
        Kind.BraceL => "{", Kind.BraceR => "}", Kind.Pipe => "|", Kind.Name => "Name", Kind.End => "<EOF>", _ => kind.ToString(),
    };

    // ---------------------------------------------------------------- lexer

    private void Advance()
    {
        SkipIgnored();
        _start = _pos;
        _location = new SourceLocation(_line, _pos - _lineStart + 1);
        _value = null;
        if (_pos >= _text.Length) { _kind = Kind.End; return; }
        if (++_tokenCount > _maxTokens)
            throw new GraphQLSyntaxException($"Document exceeds the limit of {_maxTokens} tokens.", _location);
        char c = _text[_pos];
        switch (c)
        {
            case '!': Single(Kind.Bang); return;
            case '$': Single(Kind.Dollar); return;
            case '&': Single(Kind.Amp); return;
            case '(': Single(Kind.ParenL); return;
            case ')': Single(Kind.ParenR); return;
            case ':': Single(Kind.Colon); return;
            case '=': Single(Kind.Equals); return;
            case '@': Single(Kind.At); return;
            case '[': Single(Kind.BracketL); return;
            case ']': Single(Kind.BracketR); return;
            case '{': Single(Kind.BraceL); return;
            case '}': Single(Kind.BraceR); return;
            case '|': Single(Kind.Pipe); return;
            case '.':
                if (_pos + 2 < _text.Length && _text[_pos + 1] == '.' && _text[_pos + 2] == '.') { _pos += 3; _kind = Kind.Spread; return; }
                throw Error("Unexpected character: \".\".");
            case '"':
                if (_pos + 2 < _text.Length && _text[_pos + 1] == '"' && _text[_pos + 2] == '"') ReadBlockString();
                else ReadString();
                return;
        }
        if (IsNameStart(c)) { ReadName(); return; }
        if (c == '-' || char.IsAsciiDigit(c)) { ReadNumber(); return; }
        throw Error($"Unexpected character: {DescribeChar(c)}.");
    }

    private void Single(Kind kind) { _kind = kind; _pos++; }

    private void SkipIgnored()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c is ' ' or '\t' or ',' or '\uFEFF') _pos++;
            else if (c == '\n') NewLine(_pos + 1);
            else if (c == '\r') NewLine(_pos + 1 < _text.Length && _text[_pos + 1] == '\n' ? _pos + 2 : _pos + 1);
            else if (c == '#') { while (_pos < _text.Length && _text[_pos] is not ('\n' or '\r')) _pos++; }
            else return;
        }
    }

    private void NewLine(int next) { _pos = next; _line++; _lineStart = next; }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';
    private static bool IsNameContinue(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private void ReadName()
    {
        int start = _pos;
        while (_pos < _text.Length && IsNameContinue(_text[_pos])) _pos++;
        _kind = Kind.Name;
        _value = _text[start.._pos];
    }

    private void ReadNumber()
    {
        int start = _pos;
        bool isFloat = false;
        if (_text[_pos] == '-') _pos++;
        if (_pos < _text.Length && _text[_pos] == '0')
        {
            _pos++;
            if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) throw Error($"Invalid number, unexpected digit after 0: {DescribeChar(_text[_pos])}.");
        }
        else ReadDigits();
        if (_pos < _text.Length && _text[_pos] == '.') { isFloat = true; _pos++; ReadDigits(); }
        if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            isFloat = true;
            _pos++;
            if (_pos < _text.Length && _text[_pos] is '+' or '-') _pos++;
            ReadDigits();
        }
        if (_pos < _text.Length && (_text[_pos] == '.' || IsNameStart(_text[_pos])))
            throw Error($"Invalid number, expected digit but got: {DescribeChar(_text[_pos])}.");
        _kind = isFloat ? Kind.Float : Kind.Int;
        _value = _text[start.._pos];
    }

    private void ReadDigits()
    {
        if (_pos >= _text.Length || !char.IsAsciiDigit(_text[_pos]))
            throw Error($"Invalid number, expected digit but got: {(_pos >= _text.Length ? "<EOF>" : DescribeChar(_text[_pos]))}.");
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
    }

    private void ReadString()
    {
        _pos++;
        var builder = new StringBuilder();
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '"') { _pos++; _kind = Kind.String; _value = builder.ToString(); return; }
            if (c is '\n' or '\r') break;
            if (c == '\\')
            {
                if (_pos + 1 >= _text.Length) break;
                char e = _text[_pos + 1];
                switch (e)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_pos + 6 > _text.Length || !int.TryParse(_text.AsSpan(_pos + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                            throw Error("Invalid Unicode escape sequence.");
                        builder.Append((char)code);
                        _pos += 4;
                        break;
                    default: throw Error($"Invalid character escape sequence: \\{e}.");
                }
                _pos += 2;
                continue;
            }
            if (c < ' ' && c != '\t') throw Error($"Invalid character within String: {DescribeChar(c)}.");
            builder.Append(c);
            _pos++;
        }
        throw Error("Unterminated string.");
    }

    private void ReadBlockString()
    {
        _pos += 3;
        var raw = new StringBuilder();
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '"' && _pos + 2 < _text.Length && _text[_pos + 1] == '"' && _text[_pos + 2] == '"')
            {
                _pos += 3;
                _kind = Kind.String;
                _value = BlockStringValue(raw.ToString());
                return;
            }
            if (c == '\\' && _pos + 3 < _text.Length && _text[_pos + 1] == '"' && _text[_pos + 2] == '"' && _text[_pos + 3] == '"')
            {
                raw.Append("\"\"\""); _pos += 4; continue;
            }
            if (c == '\n') { raw.Append(c); NewLine(_pos + 1); continue; }
            if (c == '\r') { raw.Append('\n'); NewLine(_pos + 1 < _text.Length && _text[_pos + 1] == '\n' ? _pos + 2 : _pos + 1); continue; }
            raw.Append(c);
            _pos++;
        }
        throw Error("Unterminated string.");
    }

    /// <summary>Removes the common indentation and the blank first and last lines, as the spec's BlockStringValue does.</summary>
    private static string BlockStringValue(string raw)
    {
        var lines = raw.Split('\n');
        int? common = null;
        for (int i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            int indent = 0;
            while (indent < line.Length && line[indent] is ' ' or '\t') indent++;
            if (indent < line.Length && (common is null || indent < common)) common = indent;
        }
        if (common is > 0)
            for (int i = 1; i < lines.Length; i++)
                lines[i] = lines[i].Length >= common ? lines[i][common.Value..] : "";
        int first = 0, last = lines.Length - 1;
        while (first <= last && string.IsNullOrWhiteSpace(lines[first])) first++;
        while (last >= first && string.IsNullOrWhiteSpace(lines[last])) last--;
        return first > last ? "" : string.Join('\n', lines[first..(last + 1)]);
    }

    private static string DescribeChar(char c) => c < ' ' || c > '~' ? $"U+{(int)c:X4}" : $"\"{c}\"";
}
