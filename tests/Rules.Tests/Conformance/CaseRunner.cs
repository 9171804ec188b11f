using System.Text.Json;
using System.Text.Json.Nodes;

namespace Actors.Rules.Tests.Conformance;

/// <summary>Runs one conformance case: builds the engine and inputs it describes, calls the API, checks every expectation.</summary>
public sealed partial class CaseRunner(JsonElement c)
{
    readonly string id = c.GetProperty("id").GetString()!;
    int actionRuns;
    NoContextAction? lastNoContext;

    static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    static JsonElement? Prop(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public async Task Run()
    {
        if (Special.TryGetValue(id, out var special)) { await special(this); return; }
        if (Prop(c, "steps") is { } steps && steps[0].ValueKind == JsonValueKind.Object)
        {
            RulesEngine? engine = null;
            foreach (var step in steps.EnumerateArray())
            {
                var needsNew = engine is null || Prop(step, "workflow") is not null || Prop(step, "settings") is not null;
                var expected = Prop(step, "expected") ?? Prop(c, "expected");
                await RunStep(step, expected!.Value, needsNew ? null : engine, e => engine = e);
            }
            return;
        }
        await RunStep(default, Prop(c, "expected")!.Value, null, _ => { });
    }

    /// <summary>A field of the step, else of the case.</summary>
    JsonElement? Field(JsonElement step, string name) => Prop(step, name) ?? Prop(c, name);

    async Task RunStep(JsonElement step, JsonElement expected, RulesEngine? existing, Action<RulesEngine> keep)
    {
        var settingsList = Field(step, "settings") is { ValueKind: JsonValueKind.Array } many ? many.EnumerateArray().Select(s => (JsonElement?)s).ToList() : [Field(step, "settings")];
        foreach (var settingsJson in settingsList)
        {
            RulesEngine engine;
            if (existing is not null) engine = existing;
            else
            {
                try
                {
                    engine = BuildEngine(step, Settings(settingsJson));
                }
                catch (Exception ex) when (Prop(expected, "throws") is not null)
                {
                    CheckThrown(expected, ex);
                    continue;
                }
                keep(engine);
            }
            await Execute(engine, step, expected);
        }
    }

    ReSettings? Settings(JsonElement? json)
    {
        if (json is null) return null;
        var s = new ReSettings();
        foreach (var p in json.Value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "EnableExceptionAsErrorMessage": s.EnableExceptionAsErrorMessage = p.Value.GetBoolean(); break;
                case "IgnoreException": s.IgnoreException = p.Value.GetBoolean(); break;
                case "EnableFormattedErrorMessage": s.EnableFormattedErrorMessage = p.Value.GetBoolean(); break;
                case "EnableScopedParams": s.EnableScopedParams = p.Value.GetBoolean(); break;
                case "IsExpressionCaseSensitive": s.IsExpressionCaseSensitive = p.Value.GetBoolean(); break;
                case "AutoRegisterInputType": s.AutoRegisterInputType = p.Value.GetBoolean(); break;
                case "AutoExecuteActions": s.AutoExecuteActions = p.Value.GetBoolean(); break;
                case "UseFastExpressionCompiler": s.UseFastExpressionCompiler = p.Value.GetBoolean(); break;
                case "EnableParallelRuleCompilation": s.EnableParallelRuleCompilation = p.Value.GetBoolean(); break;
                case "NestedRuleExecutionMode": s.NestedRuleExecutionMode = Enum.Parse<NestedRuleExecutionMode>(p.Value.GetString()!); break;
                case "CustomTypes": s.CustomTypes = p.Value.EnumerateArray().Select(t => InputFactory.CustomType(t.GetString()!)).ToArray(); break;
                case "CustomActions":
                    s.CustomActions = p.Value.EnumerateObject().ToDictionary(a => a.Name, a => ActionFactory(a.Value.GetString()!));
                    break;
                default: throw new NotSupportedException("setting " + p.Name);
            }
        }
        return s;
    }

    Func<ActionBase> ActionFactory(string description) => description.Split(':', ' ')[0] switch
    {
        "ReturnContextAction" => () => new ReturnContextAction(),
        "NoContextAction" => () => lastNoContext = new NoContextAction(),
        "CountingAction" => () => new CountingAction(() => actionRuns++),
        "ThrowingAction" => () => new ThrowingAction(),
        var other => throw new NotSupportedException("action " + other),
    };

    static Workflow ReadWorkflow(JsonElement json) => WorkflowReader.Read(json.GetRawText()).Single();

    public List<Workflow> Workflows(JsonElement step)
    {
        var list = new List<Workflow>();
        if (Prop(step, "workflow") is { } w) list.Add(ReadWorkflow(w));
        else if (Str(c, "workflowFile") is { } file)
            list.AddRange(WorkflowReader.Read(File.ReadAllText(Path.Combine(SharedFolder.RulesEngineConformance, file))));
        else if (Prop(c, "workflow") is { } cw) list.Add(ReadWorkflow(cw));
        if (Prop(c, "extraWorkflows") is { } extra)
            foreach (var e in extra.EnumerateArray())
            {
                var wf = ReadWorkflow(e);
                if (list.All(x => x.WorkflowName != wf.WorkflowName)) list.Add(wf);
            }
        return list;
    }

    RulesEngine BuildEngine(JsonElement step, ReSettings? settings) => new([.. Workflows(step)], settings);

    /// <summary>Cases that reuse another case's inputs (bre-rules1-*) say so in prose; those come from bre-rules1-success.</summary>
    List<(string Name, object? Value)> Inputs(JsonElement step) =>
        (Field(step, "inputs") ?? (id.StartsWith("bre-", StringComparison.Ordinal) ? ConformanceTests.Cases[0].GetProperty("inputs") : null)) is { } inputs ? inputs.EnumerateArray().Select(i => (i.GetProperty("name").GetString()!, InputFactory.Build(i))).ToList() : [];

    async Task<List<RuleResultTree>?> Execute(RulesEngine engine, JsonElement step, JsonElement expected)
    {
        var api = Str(step.ValueKind == JsonValueKind.Object ? step : c, "api") ?? Str(c, "api") ?? "";
        var workflowName = (step.ValueKind == JsonValueKind.Object ? Str(step, "workflowName") : null) ?? Str(c, "workflowName")
            ?? Workflows(step).First().WorkflowName!;
        var inputs = Inputs(step);
        var ruleParams = inputs.Select(i => new RuleParameter(i.Name, i.Value)).ToArray();
        List<RuleResultTree>? results = null;
        ActionRuleResult? action = null;
        try
        {
            if (api.StartsWith("ExecuteActionWorkflowAsync", StringComparison.Ordinal))
            {
                var ruleName = (step.ValueKind == JsonValueKind.Object ? Str(step, "ruleName") : null) ?? Str(c, "ruleName")!;
                action = await engine.ExecuteActionWorkflowAsync(workflowName, ruleName, ruleParams);
                if (Prop(expected, "secondCall") is not null || Prop(expected, "repeat") is not null)
                {
                    var second = await engine.ExecuteActionWorkflowAsync(workflowName, ruleName, ruleParams);
                    Assert.Equal(Json(action.Output), Json(second.Output));
                    action = second;
                }
                results = action.Results;
            }
            else if (api.Contains("RuleParameter[]", StringComparison.Ordinal))
                results = await engine.ExecuteAllRulesAsync(workflowName, ruleParams);
            else
                results = await engine.ExecuteAllRulesAsync(workflowName, inputs.Select(i => i.Value).ToArray());
        }
        catch (Exception ex) when (Prop(expected, "throws") is not null)
        {
            CheckThrown(expected, ex);
            return null;
        }
        Assert.True(Prop(expected, "throws") is null, $"{id}: expected an exception ({Prop(expected, "throws")}) but none was thrown");
        Check(expected, results!, action);
        return results;
    }

    static void CheckThrown(JsonElement expected, Exception ex)
    {
        var throws = expected.GetProperty("throws").GetString()!;
        if (throws.StartsWith("RuleValidationException", StringComparison.Ordinal)) Assert.IsType<RuleValidationException>(ex);
        else if (throws.StartsWith("RuleException", StringComparison.Ordinal)) Assert.IsType<RuleException>(ex);
        else if (throws.StartsWith("ArgumentException", StringComparison.Ordinal)) Assert.IsAssignableFrom<ArgumentException>(ex);
        else if (throws.StartsWith("OperationCanceledException", StringComparison.Ordinal)) Assert.IsAssignableFrom<OperationCanceledException>(ex);
        else Assert.StartsWith("any", throws);
        foreach (var s in Strings(Prop(expected, "messageContains"))) Assert.Contains(s, ex.Message);
        foreach (var s in Strings(Prop(expected, "messageContainsIgnoreCase"))) Assert.Contains(s, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    static IEnumerable<string> Strings(JsonElement? e) => e switch
    {
        null => [],
        { ValueKind: JsonValueKind.String } s => [s.GetString()!],
        { } a => a.EnumerateArray().Select(x => x.GetString()!),
    };

    static string Json(object? value) => value is null ? "null" : JsonSerializer.Serialize(value);

    static RuleResultTree ByName(List<RuleResultTree> results, string name) =>
        results.FirstOrDefault(r => r.Rule.RuleName == name) ?? results.First(r => string.Equals(r.Rule.RuleName, name, StringComparison.OrdinalIgnoreCase));

    void Check(JsonElement expected, List<RuleResultTree> results, ActionRuleResult? action)
    {
        foreach (var p in expected.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "assertion": case "at": case "repeat": break;
                case "noThrow": break;
                case "resultNotNull": Assert.NotNull(action is not null ? action : results); break;
                case "resultNotEmpty": Assert.NotEmpty(results); break;
                case "allSuccess": Assert.All(results, r => Assert.Equal(v.GetBoolean(), r.IsSuccess)); break;
                case "anySuccess": Assert.Contains(results, r => r.IsSuccess); break;
                case "noSuccess": Assert.DoesNotContain(results, r => r.IsSuccess); break;
                case "isSuccess":
                    foreach (var rule in v.EnumerateObject()) Assert.True(rule.Value.GetBoolean() == ByName(results, rule.Name).IsSuccess, $"{rule.Name}: expected IsSuccess {rule.Value} ({ByName(results, rule.Name).ExceptionMessage})");
                    break;
                case "isSuccessByIndex":
                    var flags = v.EnumerateArray().Select(x => x.GetBoolean()).ToList();
                    Assert.True(flags.Count <= results.Count, $"expected at least {flags.Count} results, got {results.Count}");
                    for (var i = 0; i < flags.Count; i++) Assert.True(flags[i] == results[i].IsSuccess, $"[{i}] {results[i].Rule.RuleName}: expected {flags[i]} ({results[i].ExceptionMessage})");
                    break;
                case "resultCount" when v.ValueKind == JsonValueKind.Number: Assert.Equal(v.GetInt32(), results.Count); break;
                case "successCount": Assert.Equal(v.GetInt32(), results.Count(r => r.IsSuccess)); break;
                case "childResultCount[0]": Assert.Equal(v.GetInt32(), results[0].ChildResults!.Count()); break;
                case "exceptionMessage": CheckMessages(v, results); break;
                case "inputsKeys": CheckInputsKeys(results); break;
                case "allReturnedRulesEnabled": AssertEnabled(results); break;
                case "doesNotContainRule": Assert.DoesNotContain(results, r => r.Rule.RuleName == v.GetString()); break;
                case "Results[0].IsSuccess": Assert.Equal(v.GetBoolean(), action!.Results[0].IsSuccess); break;
                case "Results.Single().IsSuccess": Assert.Equal(v.GetBoolean(), Assert.Single(action!.Results).IsSuccess); break;
                case "secondCall":
                    Assert.Equal(v.GetProperty("ResultsCount").GetInt32(), action!.Results.Count);
                    Assert.Equal(v.GetProperty("Results[0].IsSuccess").GetBoolean(), action.Results[0].IsSuccess);
                    break;
                case "resultsContainRule": Assert.Contains(action!.Results, r => r.Rule.RuleName == v.GetString()); break;
                case "resultsContain":
                    Assert.Contains(action!.Results, r => r.Rule.RuleName == v.GetProperty("RuleName").GetString() && r.IsSuccess == v.GetProperty("IsSuccess").GetBoolean());
                    break;
                case "actionOutput": CheckActionOutput(v, results, action); break;
                case "actionOutput.test":
                    Assert.Equal(v.GetInt32(), Convert.ToInt32(((System.Linq.Dynamic.Core.DynamicClass)action!.Output!)["test"]));
                    break;
                case "ActionRuleResult.Exception":
                    if (v.ValueKind == JsonValueKind.Null) Assert.Null(action!.Exception); else Assert.NotNull(action!.Exception);
                    break;
                case "exceptionMessageContains":
                    foreach (var s in Strings(v)) Assert.Contains(s, action!.Exception!.Message);
                    break;
                case "ActionResult": Assert.NotNull(results[0].ActionResult); break;
                case "ActionResult.Exception":
                    if (v.ValueKind == JsonValueKind.Null) Assert.Null(results[0].ActionResult?.Exception); else Assert.NotNull(results[0].ActionResult!.Exception);
                    break;
                case "customActionRan": Assert.True(lastNoContext?.WasRun); break;
                case "actionRunCount": Assert.Equal(v.GetInt32(), actionRuns); break;
                default: throw new NotSupportedException($"{id}: expectation '{p.Name}' is not checked by the runner");
            }
        }
    }

    static void AssertEnabled(IEnumerable<RuleResultTree> results)
    {
        foreach (var r in results)
        {
            Assert.True(r.Rule.Enabled);
            if (r.ChildResults is not null) AssertEnabled(r.ChildResults);
        }
    }

    void CheckActionOutput(JsonElement v, List<RuleResultTree> results, ActionRuleResult? action)
    {
        if (v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                if (p.Name == "[0]") AssertOutput(p.Value, results[0].ActionResult?.Output);
                else if (p.Name == "[0].ChildResults[*]")
                    foreach (var child in results[0].ChildResults!) AssertOutput(p.Value, child.ActionResult?.Output);
                else throw new NotSupportedException(p.Name);
            }
            return;
        }
        AssertOutput(v, action!.Output);
    }

    static void AssertOutput(JsonElement expected, object? actual)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null: Assert.Null(actual); break;
            case JsonValueKind.String when expected.GetString() == "not null": Assert.NotNull(actual); break;
            case JsonValueKind.String: Assert.Equal(expected.GetString(), actual); break;
            case JsonValueKind.Number: Assert.Equal(expected.GetDecimal(), Convert.ToDecimal(actual)); break;
            case JsonValueKind.True or JsonValueKind.False: Assert.Equal(expected.GetBoolean(), actual); break;
            default: throw new NotSupportedException(expected.ToString());
        }
    }

    static void CheckMessages(JsonElement v, List<RuleResultTree> results)
    {
        foreach (var p in v.EnumerateObject())
        {
            IEnumerable<RuleResultTree> targets = p.Name switch
            {
                "*" => results,
                "every failed rule" => results.Where(r => !r.IsSuccess),
                ['[', .., ']'] => [results[int.Parse(p.Name[1..^1])]],
                _ => [ByName(results, p.Name)],
            };
            foreach (var r in targets) CheckMessage(p.Value, r.ExceptionMessage);
        }
    }

    static void CheckMessage(JsonElement rule, string message)
    {
        foreach (var p in rule.EnumerateObject())
        {
            switch (p.Name)
            {
                case "startsWith": Assert.StartsWith(p.Value.GetString()!, message); break;
                case "notStartsWith": Assert.False(message.StartsWith(p.Value.GetString()!, StringComparison.Ordinal), message); break;
                case "empty": Assert.True(string.IsNullOrEmpty(message), message); break;
                case "notEmpty": Assert.False(string.IsNullOrEmpty(message)); break;
                case "notWhitespace": Assert.False(string.IsNullOrWhiteSpace(message)); break;
                case "equals": Assert.Equal(p.Value.GetString(), message); break;
                case "contains": foreach (var s in Strings(p.Value)) Assert.Contains(s, message); break;
                case "notContains": foreach (var s in Strings(p.Value)) Assert.DoesNotContain(s, message); break;
                case "containsIgnoreCase": foreach (var s in Strings(p.Value)) Assert.Contains(s, message, StringComparison.OrdinalIgnoreCase); break;
                default: throw new NotSupportedException("message check " + p.Name);
            }
        }
    }

    /// <summary>Every result (recursively) has the inputs, all global params, its own local params and its parents' local params.</summary>
    void CheckInputsKeys(List<RuleResultTree> results)
    {
        var workflow = ReadWorkflow(c.GetProperty("workflow"));
        var globals = (workflow.GlobalParams ?? []).Select(g => g.Name!).ToList();
        void Walk(IEnumerable<RuleResultTree> rs, List<string> inherited)
        {
            foreach (var r in rs)
            {
                var expected = new List<string> { "input1" };
                expected.AddRange(globals);
                expected.AddRange(inherited);
                var own = (r.Rule.LocalParams ?? []).Select(l => l.Name!).ToList();
                expected.AddRange(own);
                Assert.Equal(expected.OrderBy(x => x), r.Inputs.Keys.OrderBy(x => x));
                if (r.ChildResults is not null) Walk(r.ChildResults, [.. inherited, .. own]);
            }
        }
        Walk(results, []);
    }
}
