using Actors.GraphQL.Language;
using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Parsing;

namespace Actors.GraphQL.Tests.Language;

public sealed class ParserTests
{
    [Fact]
    public void Nodes_carry_line_and_column_of_their_first_token()
    {
        var document = Parser.Parse("query Q {\n  dog {\n    name(x: [1, 2])\n  }\n}");
        var operation = Assert.IsType<OperationDefinitionNode>(document.Definitions[0]);
        var dog = Assert.IsType<FieldNode>(operation.SelectionSet.Selections[0]);
        var name = Assert.IsType<FieldNode>(dog.SelectionSet!.Selections[0]);
        Assert.Equal((1, 1), (operation.Location.Line, operation.Location.Column));
        Assert.Equal((2, 3), (dog.Location.Line, dog.Location.Column));
        Assert.Equal((3, 5), (name.Location.Line, name.Location.Column));
        Assert.Equal((3, 13), (name.Arguments[0].Value.Location.Line, name.Arguments[0].Value.Location.Column));
        Assert.Equal("name(x: [1, 2])", "query Q {\n  dog {\n    name(x: [1, 2])\n  }\n}"[name.Location.Start..name.Location.End]);
    }

    [Fact]
    public void Block_strings_are_dedented_and_trimmed_of_blank_lines()
    {
        var value = Assert.IsType<StringValueNode>(Parser.ParseValue("\"\"\"\n\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\""));
        Assert.True(value.Block);
        Assert.Equal("Hello,\n  World!\n\nYours,\n  GraphQL.", value.Value);
    }

    [Fact]
    public void Escapes_in_strings_are_decoded()
    {
        var value = Assert.IsType<StringValueNode>(Parser.ParseValue("\"a\\n\\u00e9\\u{1F600}\\uD83D\\uDE00\\\"\""));
        Assert.Equal("a\n\u00e9\U0001F600\U0001F600\"", value.Value);
    }

    [Fact]
    public void Type_system_documents_parse_with_descriptions_and_extensions()
    {
        var document = Parser.Parse("\"\"\"Doc\"\"\" type A implements B & C @d { f(\"x\" a: Int = 1): [A!]! } extend union U = A | B");
        var type = Assert.IsType<ObjectTypeDefinitionNode>(document.Definitions[0]);
        Assert.Equal("Doc", type.Description!.Value);
        Assert.Equal(["B", "C"], type.Interfaces.Select(i => i.Name.Value));
        Assert.IsType<NonNullTypeNode>(type.Fields[0].Type);
        Assert.Equal("x", type.Fields[0].Arguments[0].Description!.Value);
        var extension = Assert.IsType<UnionTypeExtensionNode>(document.Definitions[1]);
        Assert.Equal(2, extension.Types.Count);
    }

    [Fact]
    public void Hostile_nesting_is_a_syntax_error_not_a_stack_overflow()
    {
        var source = "{ f(a: " + new string('[', 100_000) + new string(']', 100_000) + ") }";
        var ex = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(source));
        Assert.Contains("nesting is deeper than 256", ex.Message);
        var selections = string.Concat(Enumerable.Repeat("{ a ", 300)) + new string('}', 300);
        Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse(selections));
    }

    [Fact]
    public void Token_limit_aborts_like_graphql_js()
    {
        var ex = Assert.Throws<GraphQLSyntaxException>(() => Parser.Parse("{ a b c d }", new ParserOptions { MaxTokens = 3 }));
        Assert.Equal("Syntax Error: Document contains more than 3 tokens. Parsing aborted.", ex.Message);
    }
}
