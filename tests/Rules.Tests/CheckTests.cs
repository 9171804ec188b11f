namespace Actors.Rules.Tests;

/// <summary>The analysts' check: workflows validated, tests files run, one line per difference.</summary>
public sealed class CheckTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("rules-check-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    void Write(string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    const string Workflow = """
        { "WorkflowName": "Tariff", "Rules": [
          { "RuleName": "Social", "Expression": "holder.Income < 20000", "ErrorMessage": "Income $(holder.Income) too high",
            "Actions": { "OnSuccess": { "Name": "OutputExpression", "Context": { "Expression": "activity.Price * 0.25" } } } } ] }
        """;

    [Fact]
    public async Task Passing_and_failing_cases_are_counted_and_each_difference_is_one_line()
    {
        Write("uitpas/tariff.json", Workflow);
        Write("uitpas/tariff.tests.json", """
            { "cases": [
              { "name": "low income", "inputs": { "holder": { "Income": 15000 }, "activity": { "Price": 8.0 } },
                "expected": { "Social": { "isSuccess": true, "output": 2.0 } } },
              { "name": "wrong on purpose", "inputs": { "holder": { "Income": 30000 }, "activity": { "Price": 8.0 } },
                "expected": { "Social": { "isSuccess": true, "message": "x" }, "Missing": true } }
            ] }
            """);
        var report = await WorkflowChecks.CheckFolderAsync(root);
        Assert.Equal((1, 1), (report.Passed, report.Failed));
        Assert.Equal(3, report.Failures.Count);
        var lines = report.Failures.Select(f => f.ToString()).ToList();
        Assert.Contains("FAIL uitpas/tariff.tests.json workflow 'Tariff' case 'wrong on purpose' rule 'Social': expected IsSuccess true, got false (Income 30000 too high)", lines);
        Assert.Contains(lines, l => l.Contains("expected message \"x\", got \"Income 30000 too high\""));
        Assert.Contains(lines, l => l.Contains("rule 'Missing': no enabled rule has this name"));
    }

    [Fact]
    public async Task An_invalid_workflow_fails_the_check_with_its_problem()
    {
        Write("fleet/broken.json", """{ "WorkflowName": "Broken", "Rules": [ { "RuleName": "R", "Expression": "x >" } ] }""");
        var report = await WorkflowChecks.CheckFolderAsync(root);
        Assert.False(report.Success);
        Assert.Contains("Workflow 'Broken', rule 'R'", Assert.Single(report.Failures).Problem);
    }

    [Fact]
    public async Task The_examples_in_the_repository_pass()
    {
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !Directory.Exists(Path.Combine(repo.FullName, "rules", "workflows"))) repo = repo.Parent;
        Assert.NotNull(repo);
        var report = await WorkflowChecks.CheckFolderAsync(Path.Combine(repo.FullName, "rules", "workflows"));
        Assert.True(report.Success, string.Join(Environment.NewLine, report.Failures));
        Assert.True(report.Passed >= 3);
    }
}
