using Actors.GraphQL.Documents;
using Actors.GraphQL.Execution;

namespace Actors.GraphQL.Validation;

/// <summary>Refuses <c>__schema</c> and <c>__type</c> when introspection is switched off; <c>__typename</c> stays allowed.</summary>
internal static class IntrospectionGuard
{
    public static IReadOnlyList<GraphQLError> Check(ExecutableDocument document)
    {
        var errors = new List<GraphQLError>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Visit(SelectionSet set)
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case FieldSelection { Name: "__schema" or "__type" } field:
                        errors.Add(GraphQLError.WithCode("Introspection is not allowed for the current request.", ErrorCodes.IntrospectionDisabled, field.Location));
                        break;
                    case InlineFragment inline: Visit(inline.SelectionSet); break;
                    case FragmentSpread spread when visited.Add(spread.Name) && document.Fragments.TryGetValue(spread.Name, out var fragment):
                        Visit(fragment.SelectionSet);
                        break;
                }
            }
        }
        foreach (var operation in document.Operations.Where(o => o.Kind == OperationKind.Query)) Visit(operation.SelectionSet);
        return errors;
    }
}
