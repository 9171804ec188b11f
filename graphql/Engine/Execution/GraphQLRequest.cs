using System.Text.Json;

namespace Actors.GraphQL.Execution;

/// <summary>A GraphQL request as the transports receive it: query text, operation name, variables and extensions as JSON.</summary>
public sealed record GraphQLRequest(string? Query, string? OperationName = null, JsonElement? Variables = null, JsonElement? Extensions = null)
{
    /// <summary>Variables from a dictionary of plain values, for callers in C#.</summary>
    public static GraphQLRequest Create(string query, object? variables = null, string? operationName = null) =>
        new(query, operationName, variables is null ? null : JsonSerializer.SerializeToElement(variables));
}
