using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Types;

namespace Actors.GraphQL.Language.Parsing;

/// <summary>
/// A recursive-descent parser for the whole GraphQL grammar (October 2021, plus descriptions on operations and
/// fragments as graphql-js 17 accepts them). Errors are <see cref="GraphQLSyntaxException"/> with graphql-js's wording.
/// </summary>
public sealed class Parser
{
    private readonly Lexer _lexer;
    private readonly bool _noLocations;
    private readonly int? _maxTokens;
    private readonly int _maxDepth;
    private int _tokenCount;
    private int _depth;

    private Parser(string source, ParserOptions? options)
    {
        _lexer = new Lexer(source);
        options ??= ParserOptions.Default;
        _noLocations = options.NoLocations;
        _maxTokens = options.MaxTokens;
        _maxDepth = options.MaxDepth;
    }

    /// <summary>Parses a whole document.</summary>
    public static DocumentNode Parse(string source, ParserOptions? options = null) => new Parser(source, options).ParseDocument();

    /// <summary>Parses a single value literal (variables allowed), e.g. <c>[1, $x]</c>.</summary>
    public static ValueNode ParseValue(string source)
    {
        var parser = new Parser(source, null);
        parser.Expect(TokenKind.StartOfFile);
        var value = parser.ParseValueLiteral(false);
        parser.Expect(TokenKind.EndOfFile);
        return value;
    }

    /// <summary>Parses a single constant value literal.</summary>
    public static ValueNode ParseConstValue(string source)
    {
        var parser = new Parser(source, null);
        parser.Expect(TokenKind.StartOfFile);
        var value = parser.ParseValueLiteral(true);
        parser.Expect(TokenKind.EndOfFile);
        return value;
    }

    /// <summary>Parses a type reference, e.g. <c>[String!]!</c>.</summary>
    public static TypeNode ParseType(string source)
    {
        var parser = new Parser(source, null);
        parser.Expect(TokenKind.StartOfFile);
        var type = parser.ParseTypeReference();
        parser.Expect(TokenKind.EndOfFile);
        return type;
    }

    // ------------------------------------------------------------ document

    private DocumentNode ParseDocument()
    {
        var start = _lexer.Token;
        var definitions = Many(TokenKind.StartOfFile, ParseDefinition, TokenKind.EndOfFile);
        return At(start, new DocumentNode(definitions));
    }

    private DefinitionNode ParseDefinition()
    {
        if (Peek(TokenKind.BraceL)) return ParseOperationDefinition();
        var hasDescription = PeekDescription();
        var keyword = hasDescription ? _lexer.Lookahead() : _lexer.Token;
        if (hasDescription && keyword.Kind == TokenKind.BraceL)
            throw _lexer.Error(_lexer.Token.Start, "Unexpected description, descriptions are not supported on shorthand queries.");
        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema": return ParseSchemaDefinition();
                case "scalar": return ParseScalarTypeDefinition();
                case "type": return ParseObjectTypeDefinition();
                case "interface": return ParseInterfaceTypeDefinition();
                case "union": return ParseUnionTypeDefinition();
                case "enum": return ParseEnumTypeDefinition();
                case "input": return ParseInputObjectTypeDefinition();
                case "directive": return ParseDirectiveDefinition();
                case "query" or "mutation" or "subscription": return ParseOperationDefinition();
                case "fragment": return ParseFragmentDefinition();
            }
            if (hasDescription)
                throw _lexer.Error(_lexer.Token.Start, "Unexpected description, only GraphQL definitions support descriptions.");
            if (keyword.Value == "extend") return ParseTypeSystemExtension();
        }
        throw Unexpected(keyword);
    }

    // ------------------------------------------------------------ operations

    private OperationDefinitionNode ParseOperationDefinition()
    {
        var start = _lexer.Token;
        if (Peek(TokenKind.BraceL))
            return At(start, new OperationDefinitionNode(OperationType.Query, null, [], [], ParseSelectionSet()));
        var description = ParseDescription();
        var operation = ParseOperationType();
        NameNode? name = Peek(TokenKind.Name) ? ParseName() : null;
        return At(start, new OperationDefinitionNode(operation, name, ParseVariableDefinitions(), ParseDirectives(false), ParseSelectionSet())
        {
            Description = description,
        });
    }

    private OperationType ParseOperationType()
    {
        var token = Expect(TokenKind.Name);
        return token.Value switch
        {
            "query" => OperationType.Query,
            "mutation" => OperationType.Mutation,
            "subscription" => OperationType.Subscription,
            _ => throw Unexpected(token),
        };
    }

    private IReadOnlyList<VariableDefinitionNode> ParseVariableDefinitions() =>
        OptionalMany(TokenKind.ParenL, ParseVariableDefinition, TokenKind.ParenR);

    private VariableDefinitionNode ParseVariableDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var variable = ParseVariable();
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptional(TokenKind.Equals) ? ParseValueLiteral(true) : null;
        return At(start, new VariableDefinitionNode(variable, type, defaultValue, ParseDirectives(true)) { Description = description });
    }

    private VariableNode ParseVariable()
    {
        var start = _lexer.Token;
        Expect(TokenKind.Dollar);
        return At(start, new VariableNode(ParseName()));
    }

    private SelectionSetNode ParseSelectionSet()
    {
        var start = _lexer.Token;
        Nest();
        // Hot paths loop inline rather than through Many(): no delegate per selection set.
        Expect(TokenKind.BraceL);
        var selections = new List<SelectionNode>();
        do selections.Add(Peek(TokenKind.Spread) ? ParseFragment() : ParseField());
        while (!ExpectOptional(TokenKind.BraceR));
        _depth--;
        return At(start, new SelectionSetNode(selections));
    }

    private SelectionNode ParseSelection() => Peek(TokenKind.Spread) ? ParseFragment() : ParseField();

    private FieldNode ParseField()
    {
        var start = _lexer.Token;
        var nameOrAlias = ParseName();
        NameNode? alias = null;
        NameNode name;
        if (ExpectOptional(TokenKind.Colon))
        {
            alias = nameOrAlias;
            name = ParseName();
        }
        else name = nameOrAlias;
        var arguments = ParseArguments(false);
        var directives = ParseDirectives(false);
        var selectionSet = Peek(TokenKind.BraceL) ? ParseSelectionSet() : null;
        return At(start, new FieldNode(alias, name, arguments, directives, selectionSet));
    }

    private IReadOnlyList<ArgumentNode> ParseArguments(bool isConst)
    {
        if (!ExpectOptional(TokenKind.ParenL)) return [];
        var arguments = new List<ArgumentNode>();
        do arguments.Add(ParseArgument(isConst));
        while (!ExpectOptional(TokenKind.ParenR));
        return arguments;
    }

    private ArgumentNode ParseArgument(bool isConst)
    {
        var start = _lexer.Token;
        var name = ParseName();
        Expect(TokenKind.Colon);
        return At(start, new ArgumentNode(name, ParseValueLiteral(isConst)));
    }

    private SelectionNode ParseFragment()
    {
        var start = _lexer.Token;
        Expect(TokenKind.Spread);
        var hasTypeCondition = ExpectOptionalKeyword("on");
        if (!hasTypeCondition && Peek(TokenKind.Name))
            return At(start, new FragmentSpreadNode(ParseFragmentName(), ParseDirectives(false)));
        var typeCondition = hasTypeCondition ? ParseNamedType() : null;
        return At(start, new InlineFragmentNode(typeCondition, ParseDirectives(false), ParseSelectionSet()));
    }

    private FragmentDefinitionNode ParseFragmentDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("fragment");
        var name = ParseFragmentName();
        ExpectKeyword("on");
        var typeCondition = ParseNamedType();
        return At(start, new FragmentDefinitionNode(name, typeCondition, ParseDirectives(false), ParseSelectionSet()) { Description = description });
    }

    private NameNode ParseFragmentName()
    {
        if (_lexer.Token.Value == "on" && _lexer.Token.Kind == TokenKind.Name) throw Unexpected(_lexer.Token);
        return ParseName();
    }

    // ------------------------------------------------------------ values

    private ValueNode ParseValueLiteral(bool isConst)
    {
        var token = _lexer.Token;
        switch (token.Kind)
        {
            case TokenKind.BracketL:
                Nest();
                Expect(TokenKind.BracketL);
                var values = new List<ValueNode>();
                while (!ExpectOptional(TokenKind.BracketR)) values.Add(ParseValueLiteral(isConst));
                _depth--;
                return At(token, new ListValueNode(values));
            case TokenKind.BraceL:
                Nest();
                Expect(TokenKind.BraceL);
                var fields = new List<ObjectFieldNode>();
                while (!ExpectOptional(TokenKind.BraceR)) fields.Add(ParseObjectField(isConst));
                _depth--;
                return At(token, new ObjectValueNode(fields));
            case TokenKind.Int:
                Advance();
                return At(token, new IntValueNode(token.Value!));
            case TokenKind.Float:
                Advance();
                return At(token, new FloatValueNode(token.Value!));
            case TokenKind.String or TokenKind.BlockString:
                return ParseStringLiteral();
            case TokenKind.Name:
                Advance();
                return token.Value switch
                {
                    "true" => At(token, new BooleanValueNode(true)),
                    "false" => At(token, new BooleanValueNode(false)),
                    "null" => At(token, new NullValueNode()),
                    _ => At(token, new EnumValueNode(token.Value!)),
                };
            case TokenKind.Dollar:
                if (isConst)
                {
                    Expect(TokenKind.Dollar);
                    if (_lexer.Token.Kind == TokenKind.Name)
                        throw _lexer.Error(token.Start, $"Unexpected variable \"${_lexer.Token.Value}\" in constant value.");
                    throw Unexpected(token);
                }
                return ParseVariable();
        }
        throw Unexpected(_lexer.Token);
    }

    private ObjectFieldNode ParseObjectField(bool isConst)
    {
        var start = _lexer.Token;
        var name = ParseName();
        Expect(TokenKind.Colon);
        return At(start, new ObjectFieldNode(name, ParseValueLiteral(isConst)));
    }

    private StringValueNode ParseStringLiteral()
    {
        var token = _lexer.Token;
        Advance();
        return At(token, new StringValueNode(token.Value!, token.Kind == TokenKind.BlockString));
    }

    private IReadOnlyList<DirectiveNode> ParseDirectives(bool isConst)
    {
        if (!Peek(TokenKind.At)) return [];
        var list = new List<DirectiveNode>();
        while (Peek(TokenKind.At))
        {
            var start = _lexer.Token;
            Expect(TokenKind.At);
            var name = ParseName();
            list.Add(At(start, new DirectiveNode(name, ParseArguments(isConst))));
        }
        return list;
    }

    // ------------------------------------------------------------ types

    private TypeNode ParseTypeReference()
    {
        var start = _lexer.Token;
        TypeNode type;
        if (ExpectOptional(TokenKind.BracketL))
        {
            Nest();
            var inner = ParseTypeReference();
            _depth--;
            Expect(TokenKind.BracketR);
            type = At(start, new ListTypeNode(inner));
        }
        else type = ParseNamedType();
        return ExpectOptional(TokenKind.Bang) ? At(start, new NonNullTypeNode(type)) : type;
    }

    private NamedTypeNode ParseNamedType()
    {
        var start = _lexer.Token;
        return At(start, new NamedTypeNode(ParseName()));
    }

    // ------------------------------------------------------------ type system

    private bool PeekDescription() => Peek(TokenKind.String) || Peek(TokenKind.BlockString);

    private StringValueNode? ParseDescription() => PeekDescription() ? ParseStringLiteral() : null;

    private SchemaDefinitionNode ParseSchemaDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("schema");
        var directives = ParseDirectives(true);
        var operationTypes = Many(TokenKind.BraceL, ParseOperationTypeDefinition, TokenKind.BraceR);
        return At(start, new SchemaDefinitionNode(description, directives, operationTypes));
    }

    private OperationTypeDefinitionNode ParseOperationTypeDefinition()
    {
        var start = _lexer.Token;
        var operation = ParseOperationType();
        Expect(TokenKind.Colon);
        return At(start, new OperationTypeDefinitionNode(operation, ParseNamedType()));
    }

    private ScalarTypeDefinitionNode ParseScalarTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("scalar");
        var name = ParseName();
        return At(start, new ScalarTypeDefinitionNode(description, name, ParseDirectives(true)));
    }

    private ObjectTypeDefinitionNode ParseObjectTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("type");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(true);
        return At(start, new ObjectTypeDefinitionNode(description, name, interfaces, directives, ParseFieldsDefinition()));
    }

    private InterfaceTypeDefinitionNode ParseInterfaceTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("interface");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(true);
        return At(start, new InterfaceTypeDefinitionNode(description, name, interfaces, directives, ParseFieldsDefinition()));
    }

    private IReadOnlyList<NamedTypeNode> ParseImplementsInterfaces() =>
        ExpectOptionalKeyword("implements") ? DelimitedMany(TokenKind.Amp, ParseNamedType) : [];

    private IReadOnlyList<FieldDefinitionNode> ParseFieldsDefinition() =>
        OptionalMany(TokenKind.BraceL, ParseFieldDefinition, TokenKind.BraceR);

    private FieldDefinitionNode ParseFieldDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var name = ParseName();
        var args = ParseArgumentDefinitions();
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        return At(start, new FieldDefinitionNode(description, name, args, type, ParseDirectives(true)));
    }

    private IReadOnlyList<InputValueDefinitionNode> ParseArgumentDefinitions() =>
        OptionalMany(TokenKind.ParenL, ParseInputValueDefinition, TokenKind.ParenR);

    private InputValueDefinitionNode ParseInputValueDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var name = ParseName();
        Expect(TokenKind.Colon);
        var type = ParseTypeReference();
        var defaultValue = ExpectOptional(TokenKind.Equals) ? ParseValueLiteral(true) : null;
        return At(start, new InputValueDefinitionNode(description, name, type, defaultValue, ParseDirectives(true)));
    }

    private UnionTypeDefinitionNode ParseUnionTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("union");
        var name = ParseName();
        var directives = ParseDirectives(true);
        return At(start, new UnionTypeDefinitionNode(description, name, directives, ParseUnionMemberTypes()));
    }

    private IReadOnlyList<NamedTypeNode> ParseUnionMemberTypes() =>
        ExpectOptional(TokenKind.Equals) ? DelimitedMany(TokenKind.Pipe, ParseNamedType) : [];

    private EnumTypeDefinitionNode ParseEnumTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("enum");
        var name = ParseName();
        var directives = ParseDirectives(true);
        return At(start, new EnumTypeDefinitionNode(description, name, directives, ParseEnumValuesDefinition()));
    }

    private IReadOnlyList<EnumValueDefinitionNode> ParseEnumValuesDefinition() =>
        OptionalMany(TokenKind.BraceL, ParseEnumValueDefinition, TokenKind.BraceR);

    private EnumValueDefinitionNode ParseEnumValueDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        var token = _lexer.Token;
        if (token.Kind == TokenKind.Name && token.Value is "true" or "false" or "null")
            throw _lexer.Error(token.Start, $"{token.Describe()} is reserved and cannot be used for an enum value.");
        var name = ParseName();
        return At(start, new EnumValueDefinitionNode(description, name, ParseDirectives(true)));
    }

    private InputObjectTypeDefinitionNode ParseInputObjectTypeDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("input");
        var name = ParseName();
        var directives = ParseDirectives(true);
        return At(start, new InputObjectTypeDefinitionNode(description, name, directives, ParseInputFieldsDefinition()));
    }

    private IReadOnlyList<InputValueDefinitionNode> ParseInputFieldsDefinition() =>
        OptionalMany(TokenKind.BraceL, ParseInputValueDefinition, TokenKind.BraceR);

    private DirectiveDefinitionNode ParseDirectiveDefinition()
    {
        var start = _lexer.Token;
        var description = ParseDescription();
        ExpectKeyword("directive");
        Expect(TokenKind.At);
        var name = ParseName();
        var args = ParseArgumentDefinitions();
        var repeatable = ExpectOptionalKeyword("repeatable");
        ExpectKeyword("on");
        var locations = DelimitedMany(TokenKind.Pipe, ParseDirectiveLocation);
        return At(start, new DirectiveDefinitionNode(description, name, args, repeatable, locations));
    }

    private NameNode ParseDirectiveLocation()
    {
        var start = _lexer.Token;
        var name = ParseName();
        if (DirectiveLocations.TryParse(name.Value, out _)) return name;
        throw Unexpected(start);
    }

    private TypeSystemDefinitionNode ParseTypeSystemExtension()
    {
        var keyword = _lexer.Lookahead();
        if (keyword.Kind == TokenKind.Name)
        {
            switch (keyword.Value)
            {
                case "schema": return ParseSchemaExtension();
                case "scalar": return ParseScalarTypeExtension();
                case "type": return ParseObjectTypeExtension();
                case "interface": return ParseInterfaceTypeExtension();
                case "union": return ParseUnionTypeExtension();
                case "enum": return ParseEnumTypeExtension();
                case "input": return ParseInputObjectTypeExtension();
            }
        }
        throw Unexpected(keyword);
    }

    private SchemaExtensionNode ParseSchemaExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("schema");
        var directives = ParseDirectives(true);
        var operationTypes = OptionalMany(TokenKind.BraceL, ParseOperationTypeDefinition, TokenKind.BraceR);
        if (directives.Count == 0 && operationTypes.Count == 0) throw Unexpected(_lexer.Token);
        return At(start, new SchemaExtensionNode(directives, operationTypes));
    }

    private ScalarTypeExtensionNode ParseScalarTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("scalar");
        var name = ParseName();
        var directives = ParseDirectives(true);
        if (directives.Count == 0) throw Unexpected(_lexer.Token);
        return At(start, new ScalarTypeExtensionNode(name, directives));
    }

    private ObjectTypeExtensionNode ParseObjectTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("type");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(true);
        var fields = ParseFieldsDefinition();
        if (interfaces.Count == 0 && directives.Count == 0 && fields.Count == 0) throw Unexpected(_lexer.Token);
        return At(start, new ObjectTypeExtensionNode(name, interfaces, directives, fields));
    }

    private InterfaceTypeExtensionNode ParseInterfaceTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("interface");
        var name = ParseName();
        var interfaces = ParseImplementsInterfaces();
        var directives = ParseDirectives(true);
        var fields = ParseFieldsDefinition();
        if (interfaces.Count == 0 && directives.Count == 0 && fields.Count == 0) throw Unexpected(_lexer.Token);
        return At(start, new InterfaceTypeExtensionNode(name, interfaces, directives, fields));
    }

    private UnionTypeExtensionNode ParseUnionTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("union");
        var name = ParseName();
        var directives = ParseDirectives(true);
        var types = ParseUnionMemberTypes();
        if (directives.Count == 0 && types.Count == 0) throw Unexpected(_lexer.Token);
        return At(start, new UnionTypeExtensionNode(name, directives, types));
    }

    private EnumTypeExtensionNode ParseEnumTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("enum");
        var name = ParseName();
        var directives = ParseDirectives(true);
        var values = ParseEnumValuesDefinition();
        if (directives.Count == 0 && values.Count == 0) throw Unexpected(_lexer.Token);
        return At(start, new EnumTypeExtensionNode(name, directives, values));
    }

    private InputObjectTypeExtensionNode ParseInputObjectTypeExtension()
    {
        var start = _lexer.Token;
        ExpectKeyword("extend");
        ExpectKeyword("input");
        var name = ParseName();
        var directives = ParseDirectives(true);
        var fields = ParseInputFieldsDefinition();
        if (directives.Count == 0 && fields.Count == 0) throw Unexpected(_lexer.Token);
        return At(start, new InputObjectTypeExtensionNode(name, directives, fields));
    }

    // ------------------------------------------------------------ helpers

    private NameNode ParseName()
    {
        var token = Expect(TokenKind.Name);
        return At(token, new NameNode(token.Value!));
    }

    /// <summary>Stamps a node with the span from its first token to the last consumed token.</summary>
    private T At<T>(Token start, T node) where T : Node
    {
        if (_noLocations) return node;
        node.Location = new Location(start.Start, _lexer.LastToken.End, start.Line, start.Column);
        return node;
    }

    private bool Peek(TokenKind kind) => _lexer.Token.Kind == kind;

    private void Advance()
    {
        var token = _lexer.Advance();
        if (token.Kind != TokenKind.EndOfFile && _maxTokens is { } max && ++_tokenCount > max)
            throw _lexer.Error(token.Start, $"Document contains more than {max} tokens. Parsing aborted.");
    }

    /// <summary>Guards recursion: nesting deeper than the limit is refused instead of exhausting the stack.</summary>
    private void Nest()
    {
        if (++_depth > _maxDepth)
            throw _lexer.Error(_lexer.Token.Start, $"Document nesting is deeper than {_maxDepth} levels. Parsing aborted.");
    }

    private Token Expect(TokenKind kind)
    {
        var token = _lexer.Token;
        if (token.Kind == kind)
        {
            Advance();
            return token;
        }
        throw _lexer.Error(token.Start, $"Expected {Lexer.DescribeKind(kind)}, found {token.Describe()}.");
    }

    private bool ExpectOptional(TokenKind kind)
    {
        if (_lexer.Token.Kind != kind) return false;
        Advance();
        return true;
    }

    private void ExpectKeyword(string value)
    {
        var token = _lexer.Token;
        if (token.Kind == TokenKind.Name && token.Value == value)
        {
            Advance();
            return;
        }
        throw _lexer.Error(token.Start, $"Expected \"{value}\", found {token.Describe()}.");
    }

    private bool ExpectOptionalKeyword(string value)
    {
        var token = _lexer.Token;
        if (token.Kind != TokenKind.Name || token.Value != value) return false;
        Advance();
        return true;
    }

    private GraphQLSyntaxException Unexpected(Token token) => _lexer.Error(token.Start, $"Unexpected {token.Describe()}.");

    /// <summary>open item+ close.</summary>
    private List<T> Many<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        Expect(open);
        var list = new List<T>();
        do list.Add(item());
        while (!ExpectOptional(close));
        return list;
    }

    /// <summary>(open item+ close)?</summary>
    private IReadOnlyList<T> OptionalMany<T>(TokenKind open, Func<T> item, TokenKind close)
    {
        if (!ExpectOptional(open)) return [];
        var list = new List<T>();
        do list.Add(item());
        while (!ExpectOptional(close));
        return list;
    }

    /// <summary>delimiter? item (delimiter item)*.</summary>
    private List<T> DelimitedMany<T>(TokenKind delimiter, Func<T> item)
    {
        ExpectOptional(delimiter);
        var list = new List<T>();
        do list.Add(item());
        while (ExpectOptional(delimiter));
        return list;
    }
}
