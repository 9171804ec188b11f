using System.Text.Json;
using System.Text.Json.Serialization;

namespace Actors.Rules;

/// <summary>Reads RulesEngine workflow JSON: one workflow or an array, property names in any case, unknown fields ignored.</summary>
public static class WorkflowReader
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Parses workflow JSON; throws <see cref="RuleValidationException"/> with the JSON error's location when it cannot.</summary>
    public static IReadOnlyList<Workflow> Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            var workflows = root.ValueKind switch
            {
                JsonValueKind.Array => root.Deserialize<List<Workflow>>(Options) ?? [],
                JsonValueKind.Object => [root.Deserialize<Workflow>(Options)!],
                _ => throw new RuleValidationException("A workflow file holds one workflow object or an array of them."),
            };
            foreach (var workflow in workflows) Normalize(workflow);
            return workflows;
        }
        catch (JsonException ex)
        {
            throw new RuleValidationException($"The workflow JSON is not valid: {ex.Message}");
        }
    }

    /// <summary>Serializes workflows back to JSON (used for content hashes and by tools).</summary>
    public static string Write(IEnumerable<Workflow> workflows) =>
        JsonSerializer.Serialize(workflows, new JsonSerializerOptions(Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

    static void Normalize(Workflow workflow)
    {
        foreach (var rule in workflow.Rules ?? []) Normalize(rule);
    }

    static void Normalize(Rule rule)
    {
        if (rule.Actions?.OnSuccess?.Context is { } s) rule.Actions.OnSuccess.Context = Plain(s);
        if (rule.Actions?.OnFailure?.Context is { } f) rule.Actions.OnFailure.Context = Plain(f);
        if (rule.Properties is { } p) rule.Properties = Plain(p);
        foreach (var child in rule.Rules ?? []) Normalize(child);
    }

    static Dictionary<string, object?> Plain(Dictionary<string, object?> values) =>
        values.ToDictionary(p => p.Key, p => ToPlain(p.Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>JSON values as plain .NET values: string, long, double, bool, lists and dictionaries.</summary>
    public static object? ToPlain(object? value) => value switch
    {
        JsonElement e => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Array => e.EnumerateArray().Select(x => ToPlain(x)).ToList(),
            JsonValueKind.Object => e.EnumerateObject().ToDictionary(x => x.Name, x => ToPlain(x.Value), StringComparer.OrdinalIgnoreCase),
            _ => null,
        },
        _ => value,
    };
}
