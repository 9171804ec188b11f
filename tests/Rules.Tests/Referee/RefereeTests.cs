using Actors.Rules.Referee;

namespace Actors.Rules.Tests.Referee;

/// <summary>
/// Every workflow under <c>rules/workflows/</c> and every analysts' case, run by our engine and by Microsoft
/// RulesEngine 6.0.1 itself: the same IsSuccess, message and output per rule, with the inputs as analysts write them
/// (JSON) and as grains pass them (typed objects).
/// </summary>
public sealed class RefereeTests
{
    public static TheoryData<string> Files() => [.. AnalystsWorkflows.All.Select(f => f.Name)];

    public static TheoryData<string, int> Cases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var file in AnalystsWorkflows.All)
            for (var i = 0; i < file.Cases.Count; i++) cases.Add(file.Name, i);
        return cases;
    }

    [Theory, MemberData(nameof(Files))]
    public void Every_workflow_file_loads_in_both_engines(string file)
    {
        var workflows = AnalystsWorkflows.File_(file);
        _ = new AnalystsWorkflows.Engines(workflows);
        Assert.Empty(workflows.Workflows.SelectMany(w => WorkflowValidator.SyntaxProblems(w)));
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Each_case_as_analysts_write_it_decides_the_same_in_both_engines(string file, int index)
    {
        var workflows = AnalystsWorkflows.File_(file);
        var testCase = workflows.Cases[index];
        var engines = new AnalystsWorkflows.Engines(workflows);
        (string, object?)[] Inputs() => [.. testCase.Inputs.Select(p => (p.Key, InputShape.Plain(p.Value)))];
        Assert.Empty(await engines.DifferencesAsync(workflows.WorkflowOf(testCase), Inputs));
        Assert.Empty(await engines.ErrorsAsync(workflows.WorkflowOf(testCase), Inputs()));
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task Each_case_with_typed_inputs_decides_the_same_in_both_engines(string file, int index)
    {
        var workflows = AnalystsWorkflows.File_(file);
        var testCase = workflows.Cases[index];
        var engines = new AnalystsWorkflows.Engines(workflows);
        (string, object?)[] Inputs() => [.. testCase.Inputs.Select(p => (p.Key, workflows.Shapes[p.Key].Typed(InputShape.Plain(p.Value))))];
        Assert.Empty(await engines.DifferencesAsync(workflows.WorkflowOf(testCase), Inputs));
        Assert.Empty(await engines.ErrorsAsync(workflows.WorkflowOf(testCase), Inputs()));
    }

    [Fact]
    public async Task A_rule_that_differs_is_reported_by_the_check()
    {
        // Our sandbox refuses what RulesEngine runs: the check must say so, as a failure.
        var root = Directory.CreateTempSubdirectory("rules-referee-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "w.json"), """{ "WorkflowName": "W", "Rules": [ { "RuleName": "R", "Expression": "x.Length > 1" } ] }""");
            File.WriteAllText(Path.Combine(root, "w.tests.json"), """[ { "name": "c", "inputs": { "x": "abc" }, "expected": { "R": true } } ]""");
            var opinion = new DifferingOpinion();
            var report = await WorkflowChecks.CheckFolderAsync(root, secondOpinion: opinion);
            Assert.Equal(1, report.Failed);
            Assert.Contains(report.Failures, f => f.ToString().Contains("behaves differently in Other 1.0: it says no"));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    sealed class DifferingOpinion : ISecondOpinion
    {
        public string Name => "Other 1.0";
        public Task<IReadOnlyList<(string? Rule, string Difference)>> DifferencesAsync(string fileText, string workflow, RuleParameter[] inputs, IReadOnlyList<RuleResultTree> ours) =>
            Task.FromResult<IReadOnlyList<(string?, string)>>([("R", "it says no")]);
    }

    [Fact]
    public async Task The_referee_really_runs_RulesEngine()
    {
        var engine = new MicrosoftRulesEngine(["""{ "WorkflowName": "W", "Rules": [ { "RuleName": "R", "Expression": "x > 1", "ErrorMessage": "small" } ] }"""]);
        var outcomes = await engine.RunAsync("W", [("x", (object?)1)]);
        Assert.Equal([new RuleOutcome("R", false, "small", null)], outcomes);
    }
}
