using System.Globalization;
using System.Text;

namespace Actors.GraphQL.Language.Parsing;

/// <summary>Kinds of lexical tokens; punctuators are described by their text in errors, the rest by name.</summary>
public enum TokenKind
{
    StartOfFile, EndOfFile, Bang, Dollar, Amp, ParenL, ParenR, Spread, Colon, Equals, At, BracketL, BracketR, BraceL, Pipe, BraceR,
    Name, Int, Float, String, BlockString,
}

/// <summary>One token: kind, offsets, 1-based line and column, and its value for names, numbers and strings.</summary>
public readonly record struct Token(TokenKind Kind, int Start, int End, int Line, int Column, string? Value)
{
    /// <summary>graphql-js <c>getTokenDesc</c>: <c>Name "foo"</c>, <c>"{"</c>, <c>&lt;EOF&gt;</c>.</summary>
    public string Describe() => Value is null ? Lexer.DescribeKind(Kind) : $"{Lexer.DescribeKind(Kind)} \"{Value}\"";
}

/// <summary>
/// A hand-written GraphQL lexer over a string (no regular expressions): skips ignored tokens (whitespace, commas,
/// comments, BOM) and reports malformed input with graphql-js's messages.
/// </summary>
public sealed class Lexer
{
    private readonly string _body;
    private int _line = 1;
    private int _lineStart;

    public Lexer(string source)
    {
        _body = source;
        Token = new Token(TokenKind.StartOfFile, 0, 0, 0, 0, null);
    }

    /// <summary>The current token.</summary>
    public Token Token { get; private set; }
    /// <summary>The token before the current one (the last consumed).</summary>
    public Token LastToken { get; private set; }

    public string Source => _body;

    /// <summary>Moves to the next non-ignored token and returns it.</summary>
    public Token Advance()
    {
        LastToken = Token;
        if (Token.Kind != TokenKind.EndOfFile) Token = ReadToken(Token.End);
        return Token;
    }

    /// <summary>The token after the current one, without moving.</summary>
    public Token Lookahead()
    {
        if (Token.Kind == TokenKind.EndOfFile) return Token;
        var (line, lineStart) = (_line, _lineStart);
        var next = ReadToken(Token.End);
        (_line, _lineStart) = (line, lineStart);
        return next;
    }

    public static string DescribeKind(TokenKind kind) => kind switch
    {
        TokenKind.StartOfFile => "<SOF>",
        TokenKind.EndOfFile => "<EOF>",
        TokenKind.Bang => "\"!\"",
        TokenKind.Dollar => "\"$\"",
        TokenKind.Amp => "\"&\"",
        TokenKind.ParenL => "\"(\"",
        TokenKind.ParenR => "\")\"",
        TokenKind.Spread => "\"...\"",
        TokenKind.Colon => "\":\"",
        TokenKind.Equals => "\"=\"",
        TokenKind.At => "\"@\"",
        TokenKind.BracketL => "\"[\"",
        TokenKind.BracketR => "\"]\"",
        TokenKind.BraceL => "\"{\"",
        TokenKind.Pipe => "\"|\"",
        TokenKind.BraceR => "\"}\"",
        TokenKind.Name => "Name",
        TokenKind.Int => "Int",
        TokenKind.Float => "Float",
        TokenKind.String => "String",
        TokenKind.BlockString => "BlockString",
        _ => kind.ToString(),
    };

    /// <summary>A syntax error at an offset, with line and column computed from the source.</summary>
    public GraphQLSyntaxException Error(int position, string description)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position && i < _body.Length; i++)
        {
            var c = _body[i];
            if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < _body.Length && _body[i + 1] == '\n') i++;
                line++;
                lineStart = i + 1;
            }
        }
        return new GraphQLSyntaxException(description, line, position + 1 - lineStart);
    }

    private Token Make(TokenKind kind, int start, int end, string? value = null) =>
        new(kind, start, end, _line, 1 + start - _lineStart, value);

    private Token ReadToken(int position)
    {
        var body = _body;
        var length = body.Length;
        while (position < length)
        {
            var c = body[position];
            switch (c)
            {
                case '\uFEFF' or '\t' or ' ' or ',':
                    position++;
                    continue;
                case '\n':
                    position++;
                    _line++;
                    _lineStart = position;
                    continue;
                case '\r':
                    position += position + 1 < length && body[position + 1] == '\n' ? 2 : 1;
                    _line++;
                    _lineStart = position;
                    continue;
                case '#':
                    position = SkipComment(position);
                    continue;
                case '!': return Make(TokenKind.Bang, position, position + 1);
                case '$': return Make(TokenKind.Dollar, position, position + 1);
                case '&': return Make(TokenKind.Amp, position, position + 1);
                case '(': return Make(TokenKind.ParenL, position, position + 1);
                case ')': return Make(TokenKind.ParenR, position, position + 1);
                case '.':
                    if (position + 2 < length && body[position + 1] == '.' && body[position + 2] == '.')
                        return Make(TokenKind.Spread, position, position + 3);
                    break;
                case ':': return Make(TokenKind.Colon, position, position + 1);
                case '=': return Make(TokenKind.Equals, position, position + 1);
                case '@': return Make(TokenKind.At, position, position + 1);
                case '[': return Make(TokenKind.BracketL, position, position + 1);
                case ']': return Make(TokenKind.BracketR, position, position + 1);
                case '{': return Make(TokenKind.BraceL, position, position + 1);
                case '|': return Make(TokenKind.Pipe, position, position + 1);
                case '}': return Make(TokenKind.BraceR, position, position + 1);
                case '"':
                    return position + 2 < length && body[position + 1] == '"' && body[position + 2] == '"'
                        ? ReadBlockString(position)
                        : ReadString(position);
            }
            if (IsDigit(c) || c == '-') return ReadNumber(position, c);
            if (IsNameStart(c)) return ReadName(position);
            throw Error(position, c == '\''
                ? "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                : IsScalarAt(position, out _)
                    ? $"Unexpected character: {DescribeCharAt(position)}."
                    : $"Invalid character: {DescribeCharAt(position)}.");
        }
        return Make(TokenKind.EndOfFile, length, length);
    }

    private int SkipComment(int start)
    {
        var position = start + 1;
        while (position < _body.Length)
        {
            var c = _body[position];
            if (c == '\n' || c == '\r') break;
            if (!IsScalarAt(position, out var size))
                throw Error(position, $"Invalid character: {DescribeCharAt(position)}.");
            position += size;
        }
        return position;
    }

    private Token ReadName(int start)
    {
        var position = start + 1;
        while (position < _body.Length && IsNameContinue(_body[position])) position++;
        return Make(TokenKind.Name, start, position, Intern(start, position));
    }

    private Token ReadNumber(int start, char first)
    {
        var body = _body;
        var position = start;
        var c = first;
        var isFloat = false;
        if (c == '-') c = CharAt(++position);
        if (c == '0')
        {
            c = CharAt(++position);
            if (IsDigit(c))
                throw Error(position, $"Invalid number, unexpected digit after 0: {DescribeCharAt(position)}.");
        }
        else
        {
            position = ReadDigits(position, c);
            c = CharAt(position);
        }
        if (c == '.')
        {
            isFloat = true;
            c = CharAt(++position);
            position = ReadDigits(position, c);
            c = CharAt(position);
        }
        if (c is 'E' or 'e')
        {
            isFloat = true;
            c = CharAt(++position);
            if (c is '+' or '-') c = CharAt(++position);
            position = ReadDigits(position, c);
            c = CharAt(position);
        }
        if (position < body.Length && (c == '.' || IsNameStart(c)))
            throw Error(position, $"Invalid number, expected digit but got: {DescribeCharAt(position)}.");
        return Make(isFloat ? TokenKind.Float : TokenKind.Int, start, position, body[start..position]);
    }

    private int ReadDigits(int start, char first)
    {
        if (start >= _body.Length || !IsDigit(first))
            throw Error(start, $"Invalid number, expected digit but got: {DescribeCharAt(start)}.");
        var position = start + 1;
        while (position < _body.Length && IsDigit(_body[position])) position++;
        return position;
    }

    private Token ReadString(int start)
    {
        var body = _body;
        var position = start + 1;
        var chunkStart = position;
        StringBuilder? value = null;
        while (position < body.Length)
        {
            var c = body[position];
            if (c == '"')
            {
                string text;
                if (value is null) text = body[chunkStart..position];
                else text = value.Append(body, chunkStart, position - chunkStart).ToString();
                return Make(TokenKind.String, start, position + 1, text);
            }
            if (c == '\\')
            {
                value ??= new StringBuilder();
                value.Append(body, chunkStart, position - chunkStart);
                var size = CharAt(position + 1) == 'u'
                    ? CharAt(position + 2) == '{' ? ReadUnicodeVariableWidth(position, value) : ReadUnicodeFixedWidth(position, value)
                    : ReadEscapedCharacter(position, value);
                position += size;
                chunkStart = position;
                continue;
            }
            if (c == '\n' || c == '\r') break;
            if (!IsScalarAt(position, out var charSize))
                throw Error(position, $"Invalid character within String: {DescribeCharAt(position)}.");
            position += charSize;
        }
        throw Error(position, "Unterminated string.");
    }

    private int ReadUnicodeVariableWidth(int position, StringBuilder value)
    {
        long point = 0;
        var size = 3;
        while (size < 12)
        {
            var c = CharAt(position + size++);
            if (c == '}')
            {
                if (size < 5 || point > 0x10FFFF || !IsScalarValue((int)point)) break;
                value.Append(char.ConvertFromUtf32((int)point));
                return size;
            }
            var digit = HexValue(c);
            if (digit < 0) break;
            point = (point << 4) + digit;
            if (point > int.MaxValue) break; // graphql-js's 32-bit arithmetic goes negative here
        }
        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, size)}\".");
    }

    private int ReadUnicodeFixedWidth(int position, StringBuilder value)
    {
        var code = Read16BitHex(position + 2);
        if (code >= 0 && IsScalarValue(code))
        {
            value.Append((char)code);
            return 6;
        }
        // JSON-style surrogate pairs are allowed when they form a valid pair.
        if (code is >= 0xD800 and <= 0xDBFF && CharAt(position + 6) == '\\' && CharAt(position + 7) == 'u')
        {
            var trailing = Read16BitHex(position + 8);
            if (trailing is >= 0xDC00 and <= 0xDFFF)
            {
                value.Append((char)code).Append((char)trailing);
                return 12;
            }
        }
        throw Error(position, $"Invalid Unicode escape sequence: \"{Slice(position, 6)}\".");
    }

    private int ReadEscapedCharacter(int position, StringBuilder value)
    {
        char? escaped = CharAt(position + 1) switch
        {
            '"' => '"', '\\' => '\\', '/' => '/', 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => null,
        };
        if (escaped is null)
            throw Error(position, $"Invalid character escape sequence: \"{Slice(position, 2)}\".");
        value.Append(escaped.Value);
        return 2;
    }

    private Token ReadBlockString(int start)
    {
        var body = _body;
        var line = _line;
        var lineStart = _lineStart;
        var position = start + 3;
        var chunkStart = position;
        var currentLine = new StringBuilder();
        var lines = new List<string>();
        while (position < body.Length)
        {
            var c = body[position];
            if (c == '"' && CharAt(position + 1) == '"' && CharAt(position + 2) == '"')
            {
                currentLine.Append(body, chunkStart, position - chunkStart);
                lines.Add(currentLine.ToString());
                var token = Make(TokenKind.BlockString, start, position + 3, DedentLines(lines));
                _line = line;
                _lineStart = lineStart;
                return token;
            }
            if (c == '\\' && CharAt(position + 1) == '"' && CharAt(position + 2) == '"' && CharAt(position + 3) == '"')
            {
                currentLine.Append(body, chunkStart, position - chunkStart);
                chunkStart = position + 1; // drop the backslash, keep the quotes
                position += 4;
                continue;
            }
            if (c == '\n' || c == '\r')
            {
                currentLine.Append(body, chunkStart, position - chunkStart);
                lines.Add(currentLine.ToString());
                currentLine.Clear();
                position += c == '\r' && CharAt(position + 1) == '\n' ? 2 : 1;
                chunkStart = position;
                line++;
                lineStart = position;
                continue;
            }
            if (!IsScalarAt(position, out var size))
                throw Error(position, $"Invalid character within String: {DescribeCharAt(position)}.");
            position += size;
        }
        throw Error(position, "Unterminated string.");
    }

    /// <summary>The spec's block string dedent over raw lines.</summary>
    internal static string DedentLines(List<string> lines)
    {
        var commonIndent = int.MaxValue;
        var first = -1;
        var last = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var indent = 0;
            while (indent < line.Length && line[indent] is ' ' or '\t') indent++;
            if (indent == line.Length) continue;
            if (first < 0) first = i;
            last = i;
            if (i != 0 && indent < commonIndent) commonIndent = indent;
        }
        if (first < 0) return "";
        var sb = new StringBuilder();
        for (var i = first; i <= last; i++)
        {
            if (i > first) sb.Append('\n');
            var line = lines[i];
            if (i == 0) sb.Append(line);
            else if (line.Length > commonIndent) sb.Append(line, commonIndent, line.Length - commonIndent);
        }
        return sb.ToString();
    }

    // Names repeat a lot within a document (field names, types); one string per distinct name saves allocations.
    private Dictionary<string, string>? _names;

    private string Intern(int start, int end)
    {
        _names ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        var span = _body.AsSpan(start, end - start);
        if (lookup.TryGetValue(span, out var name)) return name;
        name = span.ToString();
        _names[name] = name;
        return name;
    }

    private char CharAt(int position) => position < _body.Length ? _body[position] : '\0';

    private string Slice(int position, int size) => _body.Substring(position, Math.Min(size, _body.Length - position));

    private int Read16BitHex(int position)
    {
        var a = HexValue(CharAt(position));
        var b = HexValue(CharAt(position + 1));
        var c = HexValue(CharAt(position + 2));
        var d = HexValue(CharAt(position + 3));
        if (position + 3 >= _body.Length || a < 0 || b < 0 || c < 0 || d < 0) return -1;
        return (a << 12) | (b << 8) | (c << 4) | d;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private static bool IsScalarValue(int code) => code is >= 0 and <= 0xD7FF or >= 0xE000 and <= 0x10FFFF;

    /// <summary>Whether a Unicode scalar value starts at the position (a non-surrogate, or a valid surrogate pair).</summary>
    private bool IsScalarAt(int position, out int size)
    {
        var c = _body[position];
        size = 1;
        if (!char.IsSurrogate(c)) return true;
        if (char.IsHighSurrogate(c) && position + 1 < _body.Length && char.IsLowSurrogate(_body[position + 1]))
        {
            size = 2;
            return true;
        }
        return false;
    }

    /// <summary>graphql-js <c>printCodePointAt</c>.</summary>
    private string DescribeCharAt(int position)
    {
        if (position >= _body.Length) return "<EOF>";
        var c = _body[position];
        if (c >= 0x20 && c <= 0x7E) return c == '"' ? "'\"'" : $"\"{c}\"";
        int code = IsScalarAt(position, out var size) && size == 2 ? char.ConvertToUtf32(c, _body[position + 1]) : c;
        return "U+" + code.ToString("X4", CultureInfo.InvariantCulture);
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsNameStart(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_';
    private static bool IsNameContinue(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
}
