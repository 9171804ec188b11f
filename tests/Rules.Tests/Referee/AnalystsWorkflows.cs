using Actors.Rules.Referee;

namespace Actors.Rules.Tests.Referee;

/// <summary>The workflow files under <c>rules/workflows/</c> with their analysts' cases, read once.</summary>
public static class AnalystsWorkflows
{
    /// <summary>One workflow file: its text, its workflows, its cases and the shapes of their inputs.</summary>
    public sealed record WorkflowFile(string Name, string Program, string Text, IReadOnlyList<Workflow> Workflows, IReadOnlyList<WorkflowTestCase> Cases)
    {
        public Dictionary<string, InputShape> Shapes { get; } = InputShape.Of(Cases);
        public string WorkflowOf(WorkflowTestCase testCase) => testCase.Workflow ?? Workflows[0].WorkflowName!;
        public override string ToString() => Name;
    }

    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Actors.sln"))) return Path.Combine(dir.FullName, "rules", "workflows");
            throw new DirectoryNotFoundException("No Actors.sln above " + AppContext.BaseDirectory);
        }
    }

    static readonly Lazy<IReadOnlyList<WorkflowFile>> all = new(() =>
        [.. Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".tests.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var text = File.ReadAllText(path);
                var tests = Path.ChangeExtension(path, null) + ".tests.json";
                var relative = Path.GetRelativePath(Folder, path).Replace('\\', '/');
                return new WorkflowFile(relative, relative.Split('/')[0], text, WorkflowReader.Read(text),
                    File.Exists(tests) ? WorkflowChecks.ReadCases(File.ReadAllText(tests)) : []);
            })]);

    public static IReadOnlyList<WorkflowFile> All => all.Value;

    public static WorkflowFile File_(string name) => All.Single(f => f.Name == name);

    /// <summary>Both engines over one file, built once: RulesEngine's constructor compiles nothing, ours compiles per input shape.</summary>
    public sealed class Engines(WorkflowFile file)
    {
        public RulesEngine Ours { get; } = new([.. file.Workflows]);
        public MicrosoftRulesEngine Theirs { get; } = new MicrosoftRulesEngine([file.Text]);

        /// <summary>Each rule whose outcome differs between the engines, for the same inputs (each engine gets its own copy).</summary>
        public async Task<List<string>> DifferencesAsync(string workflow, Func<(string Name, object? Value)[]> inputs)
        {
            var ours = await Ours.ExecuteAllRulesAsync(workflow, [.. inputs().Select(i => new RuleParameter(i.Name, i.Value))]);
            var theirs = await Theirs.RunAsync(workflow, inputs());
            return [.. MicrosoftRulesEngine.Differences(MicrosoftRulesEngine.Outcomes(ours), theirs).Select(d => $"{d.Rule}: {d.Difference}")];
        }

        /// <summary>Rules that could not run at all (a parse or run-time error) in our engine.</summary>
        public async Task<List<string>> ErrorsAsync(string workflow, (string Name, object? Value)[] inputs)
        {
            var ours = MicrosoftRulesEngine.Outcomes(await Ours.ExecuteAllRulesAsync(workflow, [.. inputs.Select(i => new RuleParameter(i.Name, i.Value))]));
            return [.. ours.Where(o => o.Message.StartsWith("Exception while", StringComparison.Ordinal) || o.Message.StartsWith("Error while", StringComparison.Ordinal)
                                        || (o.Output?.StartsWith("error:", StringComparison.Ordinal) ?? false))
                          .Select(o => $"{o.Rule}: {o.Message}{o.Output}")];
        }
    }
}
