using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Actors.Rules.Tests.Referee;

/// <summary>
/// Per program, generated inputs for each of its workflows (values near the ones analysts' cases use, lists of any
/// length): for each, both engines give every rule the same IsSuccess, error message and output, with the inputs as
/// plain JSON values and as typed objects.
/// </summary>
public sealed class RefereeProperties
{
    static readonly Dictionary<string, AnalystsWorkflows.Engines> Engines = AnalystsWorkflows.All.ToDictionary(f => f.Name, f => new AnalystsWorkflows.Engines(f));

    /// <summary>A workflow of the program, and plain inputs of the shapes its cases use.</summary>
    static Arbitrary<(AnalystsWorkflows.WorkflowFile File, string Workflow, (string Name, object? Value)[] Inputs)> Runs(string program)
    {
        var files = AnalystsWorkflows.All.Where(f => f.Program == program && f.Cases.Count > 0).ToArray();
        Assert.NotEmpty(files);
        var gen =
            from file in Gen.Elements(files)
            from testCase in Gen.Elements(file.Cases.ToArray())
            from inputs in Gen.CollectToSequence(testCase.Inputs.Keys.Select(name => file.Shapes[name].Values().Select(v => (name, v))))
            select (file, file.WorkflowOf(testCase), inputs.ToArray());
        return gen.ToArbitrary();
    }

    static bool SameInBoth((AnalystsWorkflows.WorkflowFile File, string Workflow, (string Name, object? Value)[] Inputs) run)
    {
        var engines = Engines[run.File.Name];
        var plain = engines.DifferencesAsync(run.Workflow, () => run.Inputs).GetAwaiter().GetResult();
        var typed = engines.DifferencesAsync(run.Workflow, () => [.. run.Inputs.Select(i => (i.Name, run.File.Shapes[i.Name].Typed(i.Value)))]).GetAwaiter().GetResult();
        if (plain.Count > 0 || typed.Count > 0)
            throw new Xunit.Sdk.XunitException($"{run.File.Name} {run.Workflow}: " + string.Join("; ", plain.Select(d => "json " + d).Concat(typed.Select(d => "typed " + d))));
        return true;
    }

    [Property(MaxTest = 150)]
    public Property Fleet_workflows_decide_as_RulesEngine_6_0_1_does() => Prop.ForAll(Runs("fleet"), SameInBoth);

    [Property(MaxTest = 100)]
    public Property Uitpas_workflows_decide_as_RulesEngine_6_0_1_does() => Prop.ForAll(Runs("uitpas"), SameInBoth);

    [Property(MaxTest = 100)]
    public Property Example_workflows_decide_as_RulesEngine_6_0_1_does() => Prop.ForAll(Runs("examples"), SameInBoth);
}
