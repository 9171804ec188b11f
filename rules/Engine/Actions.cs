using System.Text.Json;

namespace Actors.Rules;

/// <summary>The context of one action: its configured values and the rule result that triggered it.</summary>
public sealed class ActionContext(IReadOnlyDictionary<string, object?> context, RuleResultTree parentResult)
{
    public RuleResultTree ParentResult { get; } = parentResult;

    /// <summary>Reads a context value by name (case-insensitive), converted to <typeparamref name="T"/>.</summary>
    public T GetContext<T>(string name)
    {
        var pair = context.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (pair.Key is null) throw new ArgumentException($"Context value '{name}' is not set for this action.");
        return Convert<T>(pair.Value);
    }

    /// <summary>True when the context holds <paramref name="name"/>.</summary>
    public bool Has(string name) => context.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    static T Convert<T>(object? value)
    {
        if (value is T typed) return typed;
        if (value is null) return default!;
        if (typeof(T) == typeof(string)) return (T)(object)(value is string s ? s : JsonSerializer.Serialize(value));
        // Context comes from JSON: round-trip through it for lists and records.
        var json = value is JsonElement e ? e.GetRawText() : JsonSerializer.Serialize(value);
        return JsonSerializer.Deserialize<T>(json, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }
}

/// <summary>A custom action registered by name in <see cref="ReSettings.CustomActions"/>.</summary>
public abstract class ActionBase
{
    /// <summary>Runs the action; its return value becomes <see cref="ActionResult.Output"/>.</summary>
    public abstract ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters);

    internal virtual async ValueTask<ActionRuleResult> ExecuteAndReturnResultAsync(ActionContext context, RuleParameter[] ruleParameters, bool includeRuleResults, bool captureErrors)
    {
        var result = new ActionRuleResult();
        try
        {
            result.Output = await Run(context, ruleParameters);
        }
        catch (Exception ex) when (captureErrors)
        {
            result.Exception = ex;
        }
        if (includeRuleResults) result.Results = [context.ParentResult];
        return result;
    }
}
