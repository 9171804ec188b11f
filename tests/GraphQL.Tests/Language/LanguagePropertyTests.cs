using System.Text;
using Actors.GraphQL.Language;
using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Parsing;
using Actors.GraphQL.Language.Printing;
using Actors.GraphQL.Language.Types;
using FsCheck;
using FsCheck.Fluent;

namespace Actors.GraphQL.Tests.Language;

/// <summary>Properties of the lexer, parser and printer over generated input.</summary>
public sealed class LanguagePropertyTests
{
    private static readonly string[] Tokens =
    [
        "{", "}", "(", ")", "[", "]", ":", "=", "@", "$", "!", "|", "&", "...", ",", " ", "\n", "\"", "\"\"\"", "#", "\\",
        "query", "mutation", "fragment", "on", "type", "extend", "schema", "enum", "input", "directive", "true", "null",
        "a", "B_c", "0", "-1", "1.5e3", "0x", "\"s\"", "\"\"\"b\"\"\"", "\\u{1F600}", "\u00e9", "\ud83d", "\t", "\r\n",
    ];

    private static bool HasLoneSurrogate(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i])) return true;
        }
        return false;
    }

    [Fact]
    public void Any_token_soup_parses_or_fails_with_a_syntax_error_only() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Tokens)).ToArbitrary(), parts =>
        {
            var source = string.Concat(parts);
            try
            {
                var document = Parser.Parse(source);
                // Whatever parses must print to something that parses to the same print.
                var printed = Printer.Print(document);
                return Printer.Print(Parser.Parse(printed)) == printed;
            }
            catch (GraphQLSyntaxException ex)
            {
                return ex.Line >= 1 && ex.Column >= 1 && ex.Message.StartsWith("Syntax Error: ", StringComparison.Ordinal);
            }
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Printed_strings_parse_back_to_the_same_value() =>
        Prop.ForAll<string>(value =>
        {
            if (value is null || HasLoneSurrogate(value)) return true;
            var printed = Printer.Print(new StringValueNode(value));
            return Parser.ParseValue(printed) is StringValueNode { Block: false } parsed && parsed.Value == value;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Strings_printable_as_block_strings_round_trip() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements("a", " ", "\t", "\n", "\"", "\\", "\"\"\"", "b c", "\u00e9")).ToArbitrary(), parts =>
        {
            var value = string.Concat(parts);
            if (!BlockStrings.IsPrintableAsBlockString(value)) return true;
            var printed = BlockStrings.Print(value);
            return Parser.ParseValue(printed) is StringValueNode { Block: true } parsed && parsed.Value == value;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Generated_values_print_and_parse_to_the_same_text() =>
        Prop.ForAll(ValueGen(3).ToArbitrary(), value =>
        {
            var printed = Printer.Print(value);
            return Printer.Print(Parser.ParseValue(printed)) == printed;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Int_literals_coerce_exactly_within_32_bits() =>
        Prop.ForAll<long>(n =>
        {
            var literal = Parser.ParseValue(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (n is >= int.MinValue and <= int.MaxValue) return Equals(Scalars.Int.ParseLiteral(literal, null), (int)n);
            var ex = Assert.Throws<GraphQLException>(() => Scalars.Int.ParseLiteral(literal, null));
            return ex.Message == $"Int cannot represent non 32-bit signed integer value: {n}";
        }).QuickCheckThrowOnFailure();

    private static Gen<ValueNode> ValueGen(int depth)
    {
        var names = Gen.Elements("a", "b", "RED", "x_1");
        var leaves = Gen.OneOf(
            ArbMap.Default.GeneratorFor<int>().Select(i => (ValueNode)new IntValueNode(i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Gen.Elements("1.5", "-0.25e-3", "6E10").Select(f => (ValueNode)new FloatValueNode(f)),
            Gen.Elements("", "plain", "quote \" and \\ backslash", "line\nbreak", "\u00e9\u00e8").Select(s => (ValueNode)new StringValueNode(s)),
            Gen.Elements(true, false).Select(b => (ValueNode)new BooleanValueNode(b)),
            Gen.Constant((ValueNode)new NullValueNode()),
            names.Select(n => (ValueNode)new EnumValueNode(n)),
            names.Select(n => (ValueNode)new VariableNode(new NameNode(n))));
        if (depth == 0) return leaves;
        var inner = ValueGen(depth - 1);
        return Gen.OneOf(
            leaves,
            Gen.ListOf(inner).Select(items => (ValueNode)new ListValueNode(items.ToList())),
            Gen.ListOf(Gen.Zip(names, inner)).Select(fields => (ValueNode)new ObjectValueNode(
                fields.DistinctBy(f => f.Item1).Select(f => new ObjectFieldNode(new NameNode(f.Item1), f.Item2)).ToList())));
    }
}
