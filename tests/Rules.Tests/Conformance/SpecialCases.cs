using System.Text.Json;
using System.Text.Json.Nodes;

namespace Actors.Rules.Tests.Conformance;

/// <summary>Cases whose steps are prose in cases.json (remove, update, toggle, cancel ...): written out here, step by step.</summary>
public sealed partial class CaseRunner
{
    static readonly Dictionary<string, Func<CaseRunner, Task>> Special = new()
    {
        ["bre-rules1-add-duplicate-workflow"] = r => r.DuplicateWorkflow(),
        ["bre-rules6-after-addorupdate"] = r => r.AddOrUpdateRules6(),
        ["bre-rules2-registered-names"] = r => r.RegisteredNames(),
        ["bre-unknown-or-removed-workflow"] = r => r.UnknownOrRemoved(),
        ["bre-remove-or-clear-invalidates-cache"] = r => r.RemoveOrClear(),
        ["bre-contains-workflow"] = r => r.ContainsWorkflow(),
        ["nested-mode-all"] = r => r.NestedAll(),
        ["nested-mode-performance"] = r => r.NestedPerformance(),
        ["scoped-global-update"] = r => r.GlobalUpdate(),
        ["enabled-flat"] = r => r.EnabledToggle(),
        ["enabled-nested"] = r => r.EnabledToggle(),
        ["issue590-no-error-leak"] = r => r.NoErrorLeak(),
        ["issue596-auto-execute-actions"] = r => r.AutoExecuteActions(),
        ["issue609-cancellation"] = r => r.Cancellation(),
        ["issue714-global-evaluated-once"] = r => r.GlobalEvaluatedOnce(),
        ["parallel-compilation"] = r => r.ParallelCompilation(),
        ["parser-standalone"] = r => r.ParserStandalone(),
    };

    static JsonElement Without(JsonElement obj, params string[] keys)
    {
        var node = JsonNode.Parse(obj.GetRawText())!.AsObject();
        foreach (var k in keys) node.Remove(k);
        return JsonDocument.Parse(node.ToJsonString()).RootElement;
    }

    static JsonElement Expect(string json) => JsonDocument.Parse(json).RootElement;

    RulesEngine Engine() => BuildEngine(default, Settings(Prop(c, "settings")));

    async Task<List<RuleResultTree>> ExecuteDefault(RulesEngine engine, JsonElement expected) => (await Execute(engine, default, expected))!;

    async Task DuplicateWorkflow()
    {
        var engine = Engine();
        await ExecuteDefault(engine, Expect("""{"anySuccess":true}"""));
        var rules6 = WorkflowReader.Read(File.ReadAllText(Path.Combine(SharedFolder.RulesEngineConformance, "testdata/rules6.json"))).Single();
        Assert.Throws<RuleValidationException>(() => engine.AddWorkflow(rules6));
    }

    async Task AddOrUpdateRules6()
    {
        var rules1 = WorkflowReader.Read(File.ReadAllText(Path.Combine(SharedFolder.RulesEngineConformance, "testdata/rules1.json")));
        var engine = new RulesEngine([.. rules1], new ReSettings());
        var first = await ExecuteDefault(engine, Expect("""{"anySuccess":true}"""));
        engine.AddOrUpdateWorkflow(Workflows(default).First());
        var second = await ExecuteDefault(engine, c.GetProperty("expected"));
        Assert.NotEqual(first.Select(r => (r.Rule.RuleName, r.IsSuccess)), second.Select(r => (r.Rule.RuleName, r.IsSuccess)));
    }

    Task RegisteredNames()
    {
        var names = Engine().GetAllRegisteredWorkflowNames();
        Assert.Equal(2, names.Count);
        Assert.Contains("inputWorkflow", names);
        Assert.Empty(new RulesEngine().GetAllRegisteredWorkflowNames());
        return Task.CompletedTask;
    }

    async Task UnknownOrRemoved()
    {
        var inputs = Inputs(default).Select(i => i.Value).ToArray();
        var engine = Engine();
        await Assert.ThrowsAsync<ArgumentException>(async () => await engine.ExecuteAllRulesAsync("inputWorkflow1", inputs[0]));
        Assert.NotEmpty(await engine.ExecuteAllRulesAsync("inputWorkflow", inputs));
        engine.RemoveWorkflow("inputWorkflow");
        await Assert.ThrowsAsync<ArgumentException>(async () => await engine.ExecuteAllRulesAsync("inputWorkflow", inputs));
        var fresh = Engine();
        fresh.ClearWorkflows();
        await Assert.ThrowsAsync<ArgumentException>(async () => await fresh.ExecuteAllRulesAsync("inputWorkflow", inputs));
        await Assert.ThrowsAsync<ArgumentException>(async () => await fresh.ExecuteAllRulesAsync("inputWorkflowReference", inputs));
    }

    async Task RemoveOrClear()
    {
        foreach (var clear in new[] { false, true })
        {
            var workflow = Workflows(default).Single();
            var engine = new RulesEngine(new ReSettings());
            engine.AddWorkflow(workflow);
            Assert.All(await engine.ExecuteAllRulesAsync("Test", "hello"), r => Assert.True(r.IsSuccess));
            if (clear) engine.ClearWorkflows(); else engine.RemoveWorkflow("Test");
            workflow.Rules!.First().LocalParams!.First().Expression = "false";
            engine.AddWorkflow(workflow);
            Assert.All(await engine.ExecuteAllRulesAsync("Test", "hello"), r => Assert.False(r.IsSuccess));
        }
    }

    Task ContainsWorkflow()
    {
        var engine = new RulesEngine([.. Workflows(default)]);
        Assert.True(engine.ContainsWorkflow("ExistedWorkflowName"));
        Assert.False(engine.ContainsWorkflow("NotExistedWorkflowName"));
        return Task.CompletedTask;
    }

    async Task NestedAll()
    {
        var results = await ExecuteDefault(Engine(), Without(c.GetProperty("expected"), "childResultCount"));
        foreach (var r in results) Assert.Equal(r.Rule.Rules!.Count(), r.ChildResults!.Count());
        Assert.All(results.Where(r => r.Rule.Operator == "And"), r => Assert.False(r.IsSuccess));
        Assert.All(results.Where(r => r.Rule.Operator == "Or"), r => Assert.True(r.IsSuccess));
    }

    async Task NestedPerformance()
    {
        var results = await ExecuteDefault(Engine(), Without(c.GetProperty("expected"), "childResults"));
        foreach (var r in results)
        {
            var children = r.ChildResults!.ToList();
            Assert.Equal(r.IsSuccess, children[^1].IsSuccess);
            Assert.Single(children, x => x.IsSuccess == r.IsSuccess);
            var isAnd = r.Rule.Operator == "And";
            Assert.All(children.Take(children.Count - 1), x => Assert.Equal(isAnd, x.IsSuccess));
        }
        var derived = c.GetProperty("derivedNotAsserted");
        foreach (var r in results)
            Assert.Equal(derived.GetProperty(r.Rule.RuleName!).EnumerateArray().Select(x => x.GetString()),
                r.ChildResults!.Select(x => $"{x.Rule.RuleName}:{x.IsSuccess.ToString().ToLowerInvariant()}"));
    }

    async Task GlobalUpdate()
    {
        var workflow = Workflows(default).Single();
        var engine = new RulesEngine([workflow], new ReSettings());
        await ExecuteDefault(engine, Expect("""{"allSuccess":true}"""));
        engine.RemoveWorkflow(workflow.WorkflowName!);
        workflow.GlobalParams!.First().Expression = "true == false";
        engine.AddWorkflow(workflow);
        await ExecuteDefault(engine, Expect("""{"allSuccess":false}"""));
    }

    async Task EnabledToggle()
    {
        var workflow = Workflows(default).Single();
        var settings = Settings(Prop(c, "settings"));
        var engine = new RulesEngine([workflow], settings);
        await ExecuteDefault(engine, Without(c.GetProperty("expected"), "allReturnedRulesEnabled"));
        var results = await engine.ExecuteAllRulesAsync(workflow.WorkflowName!, Inputs(default).Select(i => i.Value).ToArray());
        AssertEnabled(results);
        engine.RemoveWorkflow(workflow.WorkflowName!);
        workflow.Rules!.First().Enabled = false;
        engine.AddWorkflow(workflow);
        var after = await engine.ExecuteAllRulesAsync(workflow.WorkflowName!, Inputs(default).Select(i => i.Value).ToArray());
        Assert.Equal(workflow.Rules!.Count(r => r.Enabled), after.Count);
        Assert.DoesNotContain(after, r => r.Rule.RuleName == "RuleWithoutEnabledFieldMentioned");
    }

    async Task NoErrorLeak()
    {
        var engine = Engine();
        var input = new FlakyInput("simpleProp");
        var first = await engine.ExecuteAllRulesAsync("wf", input);
        Assert.False(first[0].IsSuccess);
        Assert.NotEmpty(first[0].ExceptionMessage);
        var second = await engine.ExecuteAllRulesAsync("wf", input);
        Assert.True(second[0].IsSuccess, second[0].ExceptionMessage);
        Assert.Empty(second[0].ExceptionMessage);
    }

    async Task AutoExecuteActions()
    {
        var steps = c.GetProperty("steps");
        var auto = new RulesEngine([.. Workflows(default)], Settings(Prop(c, "settings")));
        await ExecuteDefault(auto, steps[0].GetProperty("expected"));
        actionRuns = 0;
        var manualSettings = Settings(Prop(c, "settings"))!;
        manualSettings.AutoExecuteActions = false;
        var manual = new RulesEngine([.. Workflows(default)], manualSettings);
        await ExecuteDefault(manual, steps[1].GetProperty("expected"));
        var action = await manual.ExecuteActionWorkflowAsync("wf", "R", []);
        Assert.Equal("done", action.Output);
        Assert.Equal(1, actionRuns);
    }

    async Task Cancellation()
    {
        var engine = Engine();
        var ps = new[] { RuleParameter.Create("input1", 1) };
        var all = await engine.ExecuteAllRulesAsync("wf", ps, CancellationToken.None);
        Assert.Equal(5, all.Count);
        Assert.All(all, r => Assert.True(r.IsSuccess));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await engine.ExecuteAllRulesAsync("wf", ps, cancelled.Token));
        var three = new RulesEngine([ReadWorkflow(c.GetProperty("steps")[2].GetProperty("workflow"))]);
        Assert.Equal(3, (await three.ExecuteAllRulesAsync("wf", 1)).Count);
        Assert.Equal(3, (await three.ExecuteAllRulesAsync("wf", [RuleParameter.Create("input1", 1)])).Count);
    }

    async Task GlobalEvaluatedOnce()
    {
        Issue714Counter.Reset();
        var engine = new RulesEngine([.. Workflows(default)], new ReSettings { CustomTypes = [typeof(Issue714Counter)] });
        var results = await engine.ExecuteAllRulesAsync("wf", "hello");
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ExceptionMessage));
        Assert.Equal(1, Issue714Counter.CallCount);
    }

    async Task ParallelCompilation()
    {
        static Workflow Many(int count, Func<int, string> expression) => new()
        {
            WorkflowName = "wf",
            Rules = Enumerable.Range(0, count).Select(i => new Rule { RuleName = $"R{i}", Expression = expression(i) }).ToList(),
        };
        var serial = await new RulesEngine([Many(64, i => $"input1 >= {i}")], new ReSettings { EnableParallelRuleCompilation = false }).ExecuteAllRulesAsync("wf", [RuleParameter.Create("input1", 32)]);
        var parallel = await new RulesEngine([Many(64, i => $"input1 >= {i}")], new ReSettings { EnableParallelRuleCompilation = true }).ExecuteAllRulesAsync("wf", [RuleParameter.Create("input1", 32)]);
        Assert.Equal(serial.Select(r => (r.Rule.RuleName, r.IsSuccess)), parallel.Select(r => (r.Rule.RuleName, r.IsSuccess)));
        Assert.Equal(33, serial.Count(r => r.IsSuccess));

        var withError = await new RulesEngine([Many(64, i => i == 5 ? "input1.NoSuchMember.Foo()" : "input1 >= 0")], new ReSettings { EnableParallelRuleCompilation = true })
            .ExecuteAllRulesAsync("wf", [RuleParameter.Create("input1", 1)]);
        Assert.False(withError[5].IsSuccess);
        Assert.NotEmpty(withError[5].ExceptionMessage);
        Assert.DoesNotContain("AggregateException", withError[5].ExceptionMessage);

        var fec = await new RulesEngine([Many(64, i => $"input1 >= {i}")], new ReSettings { EnableParallelRuleCompilation = true, UseFastExpressionCompiler = true })
            .ExecuteAllRulesAsync("wf", [RuleParameter.Create("input1", 100)]);
        Assert.Equal(64, fec.Count);
        Assert.All(fec, r => Assert.True(r.IsSuccess));

        var small = await new RulesEngine([Many(5, i => $"input1 >= {i}")], new ReSettings { EnableParallelRuleCompilation = true })
            .ExecuteAllRulesAsync("wf", [RuleParameter.Create("input1", 3)]);
        Assert.Equal(5, small.Count);
        Assert.Equal(4, small.Count(r => r.IsSuccess));
    }

    Task ParserStandalone()
    {
        var steps = c.GetProperty("steps");
        // Upstream reads a Newtonsoft JObject: its values are IConvertible, which Convert.ToInt32 needs in Dynamic LINQ.
        var jobject = Newtonsoft.Json.Linq.JObject.Parse("""{"list":[{"item1":"hello","item3":1},{"item2":"world"}]}""");
        var jsonSettings = new ReSettings { CustomTypes = [typeof(Newtonsoft.Json.Linq.JObject), typeof(Newtonsoft.Json.Linq.JToken), typeof(Newtonsoft.Json.Linq.JArray)] };

        Assert.False(new RuleExpressionParser(new ReSettings { UseFastExpressionCompiler = false }).Evaluate<bool>("d1 < 20", [RuleParameter.Create<decimal?>("d1", null)]));
        var dict = new Dictionary<string, object> { ["Formule"] = "Essentielle" };
        Assert.False(new RuleExpressionParser().Evaluate<bool>("Formule != \"Essentielle\"", [new RuleParameter("_", dict)]));
        Assert.True(new RuleExpressionParser().Evaluate<bool>("Formule == \"Essentielle\"", [new RuleParameter("_", dict)]));
        var person = new Dictionary<string, object> { ["Name"] = "John", ["Age"] = 30 };
        Assert.True(new RuleExpressionParser().Evaluate<bool>("Name == \"John\" && Age == 30", [new RuleParameter("input", person)]));
        var compiled = new RuleExpressionParser().Compile<bool>("x > 0", [RuleParameter.Create("x", 1)]);
        Assert.True(compiled([5]));
        Assert.Equal(true, new RuleExpressionParser(jsonSettings).Evaluate<object>(steps[5].GetProperty("expression").GetString()!, [new RuleParameter("input", jobject)]));
        Assert.Equal(true, new RuleExpressionParser(jsonSettings).Evaluate<object>(steps[6].GetProperty("expression").GetString()!, [new RuleParameter("input", jobject)]));
        Assert.Equal("helloworld", new RuleExpressionParser(jsonSettings).Evaluate<object>(steps[7].GetProperty("expression").GetString()!, [new RuleParameter("input", jobject)]));
        Assert.Equal("Hello World", new RuleExpressionParser().Evaluate<string>("a+b", [new RuleParameter("a", "Hello "), new RuleParameter("b", "World")]));
        return Task.CompletedTask;
    }
}
