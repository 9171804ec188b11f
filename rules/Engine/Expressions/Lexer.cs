using System.Globalization;
using System.Text;

namespace Actors.Rules.Expressions;

enum TokenKind { Identifier, Number, String, Char, Symbol, End }

readonly record struct Token(TokenKind Kind, string Text, object? Value, int Position);

/// <summary>Splits a Dynamic-LINQ expression into tokens.</summary>
static class Lexer
{
    static readonly string[] Symbols =
        ["=>", "==", "!=", "<>", "<=", ">=", "&&", "||", "??", "<<", ">>", "(", ")", "[", "]", "{", "}", ",", ".", "?", ":", "=", "<", ">", "!", "&", "|", "+", "-", "*", "/", "%", "^"];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (char.IsLetter(c) || c == '_' || c == '@' || c == '$')
            {
                i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                var name = text[start..i];
                if (name.StartsWith('@')) name = name[1..];
                tokens.Add(new Token(TokenKind.Identifier, name, null, start));
                continue;
            }
            if (char.IsDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }
            if (c == '"' || c == '\'')
            {
                tokens.Add(ReadString(text, ref i));
                continue;
            }
            var symbol = Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                ?? throw new ExpressionParseException($"Unexpected character '{c}' at position {i}", i);
            tokens.Add(new Token(TokenKind.Symbol, symbol, null, i));
            i += symbol.Length;
        }
        tokens.Add(new Token(TokenKind.End, "", null, text.Length));
        return tokens;
    }

    static Token ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsDigit(text[i])) i++;
        var real = false;
        if (i + 1 < text.Length && text[i] == '.' && char.IsDigit(text[i + 1]))
        {
            real = true;
            i++;
            while (i < text.Length && char.IsDigit(text[i])) i++;
        }
        var exponentDigits = i + 1 < text.Length && (char.IsDigit(text[i + 1])
            || ((text[i + 1] == '+' || text[i + 1] == '-') && i + 2 < text.Length && char.IsDigit(text[i + 2])));
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E') && exponentDigits)
        {
            real = true;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
            while (i < text.Length && char.IsDigit(text[i])) i++;
        }
        var digits = text[start..i];
        try
        {
            return ReadNumberValue(text, start, ref i, digits, real);
        }
        catch (Exception ex) when (ex is OverflowException or FormatException)
        {
            throw new ExpressionParseException($"Number '{text[start..Math.Min(i + 1, text.Length)]}' at position {start} is not valid: {ex.Message}", start);
        }
    }

    static Token ReadNumberValue(string text, int start, ref int i, string digits, bool real)
    {
        var suffix = i < text.Length ? char.ToUpperInvariant(text[i]) : '\0';
        object value;
        switch (suffix)
        {
            case 'M': i++; value = decimal.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture); break;
            case 'D': i++; value = double.Parse(digits, CultureInfo.InvariantCulture); break;
            case 'F': i++; value = float.Parse(digits, CultureInfo.InvariantCulture); break;
            case 'L': i++; value = long.Parse(digits, CultureInfo.InvariantCulture); break;
            case 'U':
                i++;
                if (i < text.Length && char.ToUpperInvariant(text[i]) == 'L') { i++; value = ulong.Parse(digits, CultureInfo.InvariantCulture); }
                else value = uint.Parse(digits, CultureInfo.InvariantCulture);
                break;
            default:
                if (real) value = double.Parse(digits, CultureInfo.InvariantCulture);
                else if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) value = n;
                else if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var l)) value = l;
                else value = decimal.Parse(digits, CultureInfo.InvariantCulture);
                break;
        }
        return new Token(TokenKind.Number, text[start..i], value, start);
    }

    static Token ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i++;
        var sb = new StringBuilder();
        while (true)
        {
            if (i >= text.Length) throw new ExpressionParseException($"Unterminated string literal at position {start}", start);
            var c = text[i++];
            if (c == quote)
            {
                if (i < text.Length && text[i] == quote) { sb.Append(quote); i++; continue; }
                break;
            }
            if (c == '\\' && i < text.Length)
            {
                var e = text[i++];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => e });
                continue;
            }
            sb.Append(c);
        }
        var value = sb.ToString();
        // Dynamic LINQ reads 'x' as a char only when it is one character long.
        if (quote == '\'' && value.Length == 1) return new Token(TokenKind.Char, text[start..i], value[0], start);
        return new Token(TokenKind.String, text[start..i], value, start);
    }
}
