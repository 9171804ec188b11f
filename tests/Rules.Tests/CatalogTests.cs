namespace Actors.Rules.Tests;

/// <summary>Versions and hot reload, driven by explicit rescans (the file watcher only calls Rescan).</summary>
public sealed class CatalogTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("rules-catalog-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static string LimitWorkflow(int limit) => $$"""
        { "WorkflowName": "FuelLimit", "Rules": [ { "RuleName": "WithinDailyLimit", "Expression": "input1.Liters <= {{limit}}" } ] }
        """;

    void Write(string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    sealed record Fill(int Liters);

    [Fact]
    public async Task Loads_at_start_and_every_result_names_the_version()
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        using var catalog = new WorkflowCatalog(root);
        var status = Assert.Single(catalog.Status.Workflows);
        Assert.Equal(("FuelLimit", "fleet", "fleet/limits.json"), (status.Name, status.Program, status.File));
        Assert.Equal(RulesEngine.ContentHash(LimitWorkflow(50)), status.Version);
        var evaluation = await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40));
        Assert.Equal(status.Version, evaluation.Version);
        var named = await catalog.ExecuteAllRulesAsync("FuelLimit", new RuleParameter("input1", new Fill(60)));
        Assert.False(named.Results[0].IsSuccess);
        Assert.True(evaluation.Results[0].IsSuccess);
        Assert.Equal(status.Version, evaluation.Results[0].WorkflowVersion);
    }

    [Fact]
    public async Task A_changed_file_is_swapped_in_on_rescan()
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        using var catalog = new WorkflowCatalog(root);
        var before = await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40));
        Write("fleet/limits.json", LimitWorkflow(30));
        var change = catalog.Rescan();
        Assert.Equal(["fleet/limits.json"], change.Loaded);
        var after = await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40));
        Assert.True(before.Results[0].IsSuccess);
        Assert.False(after.Results[0].IsSuccess);
        Assert.NotEqual(before.Version, after.Version);
        Assert.True(catalog.Status.Healthy);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "WorkflowName": "FuelLimit", "Rules": [ { "RuleName": "R", "Expression": "input1.Liters <= " } ] }""")]
    [InlineData("""{ "WorkflowName": "FuelLimit", "Rules": [ { "RuleName": "R" } ] }""")]
    [InlineData("""{ "WorkflowName": "FuelLimit", "Rules": [ { "RuleName": "R", "Expression": "System.IO.File.Exists(\"x\")" } ] }""")]
    public async Task A_broken_file_keeps_the_last_good_version_and_reports_why(string broken)
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        using var catalog = new WorkflowCatalog(root);
        var good = catalog.Status.Workflows[0].Version;
        Write("fleet/limits.json", broken);
        var change = catalog.Rescan();
        Assert.Single(change.Refused);
        var evaluation = await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40));
        Assert.Equal(good, evaluation.Version);
        Assert.True(evaluation.Results[0].IsSuccess);
        var status = catalog.Status;
        Assert.False(status.Healthy);
        Assert.Equal(good, status.Workflows[0].Version);
        Assert.NotNull(status.Workflows[0].LastError);
        Assert.Equal("fleet/limits.json", Assert.Single(status.Errors).File);

        Write("fleet/limits.json", LimitWorkflow(45));
        catalog.Rescan();
        Assert.True(catalog.Status.Healthy);
        Assert.Null(catalog.Status.Workflows[0].LastError);
        Assert.Equal(RulesEngine.ContentHash(LimitWorkflow(45)), (await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40))).Version);
    }

    [Fact]
    public void A_broken_file_at_start_is_reported_and_the_others_load()
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        Write("uitpas/tariff.json", "[");
        using var catalog = new WorkflowCatalog(root);
        var status = catalog.Status;
        Assert.Equal(2, status.Workflows.Count);
        Assert.Null(status.Workflows.Single(w => w.File == "uitpas/tariff.json").Version);
        Assert.NotNull(status.Workflows.Single(w => w.File == "fleet/limits.json").Version);
    }

    [Fact]
    public async Task Removed_files_leave_the_catalog_and_tests_files_are_not_workflows()
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        Write("fleet/limits.tests.json", "[]");
        using var catalog = new WorkflowCatalog(root);
        Assert.Single(catalog.Status.Workflows);
        File.Delete(Path.Combine(root, "fleet/limits.json"));
        Assert.Equal(["fleet/limits.json"], catalog.Rescan().Removed);
        await Assert.ThrowsAsync<ArgumentException>(async () => await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(1)));
    }

    [Fact]
    public void A_workflow_name_defined_in_two_files_is_refused_in_the_second()
    {
        Write("fleet/a.json", LimitWorkflow(50));
        Write("fleet/b.json", LimitWorkflow(60));
        using var catalog = new WorkflowCatalog(root);
        var error = Assert.Single(catalog.Status.Errors);
        Assert.Equal("fleet/b.json", error.File);
        Assert.Contains("already defined in fleet/a.json", error.Error);
    }

    [Fact]
    public void An_unchanged_rescan_changes_nothing()
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        using var catalog = new WorkflowCatalog(root);
        var engine = catalog.Engine;
        var change = catalog.Rescan();
        Assert.Empty(change.Loaded);
        Assert.Same(engine, catalog.Engine);
    }

    [Fact]
    public async Task The_watcher_rescans_when_a_file_changes()
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        using var catalog = new WorkflowCatalog(root);
        var reloaded = new TaskCompletionSource<CatalogChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        catalog.Changed += change => { if (change.Loaded.Count > 0) reloaded.TrySetResult(change); };
        catalog.Watch();
        Write("fleet/limits.json", LimitWorkflow(10));
        // Completes as soon as the watcher's rescan lands; the timeout only bounds a broken watcher.
        var change = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["fleet/limits.json"], change.Loaded);
        Assert.Equal(RulesEngine.ContentHash(LimitWorkflow(10)), catalog.Status.Workflows[0].Version);
    }

    [Fact]
    public async Task A_change_that_breaks_a_rule_for_the_inputs_in_use_is_refused_before_the_swap()
    {
        Write("fleet/limits.json", LimitWorkflow(50));
        using var catalog = new WorkflowCatalog(root);
        var good = (await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40))).Version;
        Write("fleet/limits.json", """{ "WorkflowName": "FuelLimit", "Rules": [ { "RuleName": "WithinDailyLimit", "Expression": "input1.Litres <= 50" } ] }""");
        var refused = Assert.Single(catalog.Rescan().Refused);
        Assert.Contains("rule 'WithinDailyLimit'", refused.Error);
        Assert.Contains("Litres", refused.Error);
        var evaluation = await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40));
        Assert.Equal(good, evaluation.Version);
        Assert.True(evaluation.Results[0].IsSuccess);

        Write("fleet/limits.json", LimitWorkflow(30));
        catalog.Rescan();
        var after = await catalog.ExecuteAllRulesAsync("FuelLimit", new Fill(40));
        Assert.False(after.Results[0].IsSuccess);
        Assert.True(catalog.Status.Healthy);
    }
}
