namespace Actors.GraphQL.Language.Printing;

/// <summary>Block string rules of the spec: dedenting raw text when parsing, and choosing a layout when printing.</summary>
public static class BlockStrings
{
    /// <summary>The spec's BlockStringValue(): common indentation removed, leading and trailing blank lines dropped.</summary>
    public static string Dedent(string raw) => Parsing.Lexer.DedentLines(SplitLines(raw));

    /// <summary>graphql-js <c>printBlockString</c>.</summary>
    public static string Print(string value)
    {
        var escaped = value.Replace("\"\"\"", "\\\"\"\"");
        var lines = SplitLines(escaped);
        var isSingleLine = lines.Count == 1;
        var forceLeadingNewLine = lines.Count > 1 && lines.Skip(1).All(l => l.Length == 0 || IsWhiteSpace(l[0]));
        var hasTrailingTripleQuotes = escaped.EndsWith("\\\"\"\"", StringComparison.Ordinal);
        var hasTrailingQuote = value.EndsWith('"') && !hasTrailingTripleQuotes;
        var hasTrailingSlash = value.EndsWith('\\');
        var forceTrailingNewline = hasTrailingQuote || hasTrailingSlash;
        var printAsMultipleLines = !isSingleLine || value.Length > 70 || forceTrailingNewline || forceLeadingNewLine || hasTrailingTripleQuotes;
        var result = "";
        var skipLeadingNewLine = isSingleLine && value.Length > 0 && IsWhiteSpace(value[0]);
        if ((printAsMultipleLines && !skipLeadingNewLine) || forceLeadingNewLine) result += "\n";
        result += escaped;
        if (printAsMultipleLines || forceTrailingNewline) result += "\n";
        return "\"\"\"" + result + "\"\"\"";
    }

    /// <summary>graphql-js <c>isPrintableAsBlockString</c>: whether a block string reproduces the value exactly.</summary>
    public static bool IsPrintableAsBlockString(string value)
    {
        bool isEmptyLine = true, hasIndent = false, hasCommonIndent = true, seenNonEmptyLine = false;
        foreach (var c in value)
        {
            switch (c)
            {
                case <= '\u0008' or '\u000b' or '\u000c' or (>= '\u000e' and <= '\u001f'): return false;
                case '\r': return false;
                case '\n':
                    if (isEmptyLine && !seenNonEmptyLine) return false;
                    seenNonEmptyLine = true;
                    isEmptyLine = true;
                    hasIndent = false;
                    break;
                case '\t' or ' ':
                    hasIndent |= isEmptyLine;
                    break;
                default:
                    hasCommonIndent &= hasIndent;
                    isEmptyLine = false;
                    break;
            }
        }
        if (isEmptyLine) return false;
        if (hasCommonIndent && seenNonEmptyLine) return false;
        return true;
    }

    private static bool IsWhiteSpace(char c) => c is ' ' or '\t';

    private static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\n' || s[i] == '\r')
            {
                lines.Add(s[start..i]);
                if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n') i++;
                start = i + 1;
            }
        }
        lines.Add(s[start..]);
        return lines;
    }
}
