extern alias ours;
using System.Text.Json;

namespace Actors.Rules;

// The runner names the engine `RulesEngine`, which in the package is also its namespace: this subclass lets one source
// compile against both engines.
public sealed class RulesEngine : global::RulesEngine.RulesEngine
{
    public RulesEngine(Workflow[] workflows, ReSettings? settings = null) : base(workflows, settings) { }
    public RulesEngine(ReSettings? settings = null) : base(settings) { }
}

/// <summary>Reads workflows as upstream's tests load them (Newtonsoft: property names in any case), like our reader.</summary>
public static class WorkflowReader
{
    public static IReadOnlyList<Workflow> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.Deserialize<Workflow[]>(options)!
            : [document.RootElement.Deserialize<Workflow>(options)!];
    }
}

/// <summary>The cases' anonymous objects, built as in the tests against our engine (a generated type per shape).</summary>
public static class InputShapes
{
    public static object? ToTyped(object? value) => ours::Actors.Rules.InputShapes.ToTyped(value);
}
