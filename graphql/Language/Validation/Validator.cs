using Actors.GraphQL.Language.Ast;
using Actors.GraphQL.Language.Types;
using Actors.GraphQL.Language.Validation.Rules;

namespace Actors.GraphQL.Language.Validation;

/// <summary>Validates executable documents against a schema: all rules in one walk of the document.</summary>
public static class Validator
{
    /// <summary>graphql-js's <c>specifiedRules</c>, in its order (which decides the order of errors).</summary>
    public static IReadOnlyList<Func<ValidationRule>> SpecifiedRules { get; } =
    [
        () => new ExecutableDefinitionsRule(),
        () => new UniqueOperationNamesRule(),
        () => new LoneAnonymousOperationRule(),
        () => new SingleFieldSubscriptionsRule(),
        () => new KnownTypeNamesRule(),
        () => new FragmentsOnCompositeTypesRule(),
        () => new VariablesAreInputTypesRule(),
        () => new ScalarLeafsRule(),
        () => new FieldsOnCorrectTypeRule(),
        () => new UniqueFragmentNamesRule(),
        () => new KnownFragmentNamesRule(),
        () => new NoUnusedFragmentsRule(),
        () => new PossibleFragmentSpreadsRule(),
        () => new NoFragmentCyclesRule(),
        () => new UniqueVariableNamesRule(),
        () => new NoUndefinedVariablesRule(),
        () => new NoUnusedVariablesRule(),
        () => new KnownDirectivesRule(),
        () => new UniqueDirectivesPerLocationRule(),
        () => new KnownArgumentNamesRule(),
        () => new UniqueArgumentNamesRule(),
        () => new ValuesOfCorrectTypeRule(),
        () => new ProvidedRequiredArgumentsRule(),
        () => new VariablesInAllowedPositionRule(),
        () => new OverlappingFieldsCanBeMergedRule(),
        () => new UniqueInputFieldNamesRule(),
        () => new MaxIntrospectionDepthRule(),
    ];

    /// <summary>
    /// Errors of the document against the schema with the given rules (the specified ones by default); empty when valid.
    /// Like graphql-js, validation stops after <paramref name="maxErrors"/> errors and says so in a last error.
    /// </summary>
    public static IReadOnlyList<GraphQLError> Validate(GraphQLSchema schema, DocumentNode document,
        IEnumerable<Func<ValidationRule>>? rules = null, int maxErrors = 100)
    {
        var typeInfo = new TypeInfo(schema);
        var context = new ValidationContext(schema, document, typeInfo);
        var listener = new RuleSet(context, (rules ?? SpecifiedRules).Select(f => f()).ToArray(), maxErrors);
        try
        {
            new DocumentWalker(typeInfo, listener).Walk(document);
            return context.Errors;
        }
        catch (TooManyErrors)
        {
            return [.. context.Errors.Take(maxErrors), new GraphQLError("Too many validation errors, error limit reached. Validation aborted.")];
        }
    }

    private sealed class TooManyErrors : Exception;

    /// <summary>Runs rules side by side: each may skip a subtree without stopping the others.</summary>
    private sealed class RuleSet(ValidationContext context, ValidationRule[] rules, int maxErrors) : IDocumentListener
    {
        private readonly Node?[] _skipping = new Node?[rules.Length];

        public bool Enter(Node node, IReadOnlyList<Node> ancestors)
        {
            for (var i = 0; i < rules.Length; i++)
            {
                if (_skipping[i] is not null) continue;
                if (!rules[i].Enter(node, context, ancestors)) _skipping[i] = node;
            }
            if (context.Errors.Count > maxErrors) throw new TooManyErrors();
            return true;
        }

        public void Leave(Node node, IReadOnlyList<Node> ancestors)
        {
            for (var i = 0; i < rules.Length; i++)
            {
                if (_skipping[i] is { } skipped)
                {
                    if (ReferenceEquals(skipped, node)) _skipping[i] = null;
                    continue;
                }
                rules[i].Leave(node, context, ancestors);
            }
            if (context.Errors.Count > maxErrors) throw new TooManyErrors();
        }
    }
}
