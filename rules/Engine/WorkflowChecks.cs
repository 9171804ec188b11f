using System.Text.Json;

namespace Actors.Rules;

/// <summary>One analyst's test case from a <c>&lt;name&gt;.tests.json</c> file.</summary>
public sealed class WorkflowTestCase
{
    public string? Name { get; set; }
    /// <summary>The workflow to run; optional when the file beside holds one workflow.</summary>
    public string? Workflow { get; set; }
    /// <summary>Inputs by the names expressions use (input1, card, fill ...), as JSON values.</summary>
    public Dictionary<string, JsonElement> Inputs { get; set; } = [];
    /// <summary>Per rule name: <c>true</c>/<c>false</c> (IsSuccess), or an object with isSuccess, output, message.</summary>
    public Dictionary<string, JsonElement> Expected { get; set; } = [];
}

/// <summary>A line the check prints for one difference.</summary>
public sealed record CheckFailure(string File, string? Workflow, string? Case, string? Rule, string Problem)
{
    public override string ToString() =>
        $"FAIL {File}" + (Workflow is null ? "" : $" workflow '{Workflow}'") + (Case is null ? "" : $" case '{Case}'") + (Rule is null ? "" : $" rule '{Rule}'") + $": {Problem}";
}

/// <summary>The outcome of checking a folder: cases passed, cases failed, and every difference.</summary>
public sealed record CheckReport(int Passed, int Failed, IReadOnlyList<CheckFailure> Failures)
{
    public bool Success => Failed == 0 && Failures.Count == 0;
}

/// <summary>Another engine every case also runs through: a rule it decides differently is a failed case.</summary>
public interface ISecondOpinion
{
    /// <summary>The engine's name as the check prints it ("behaves differently in ...").</summary>
    string Name { get; }

    /// <summary>
    /// Runs <paramref name="workflow"/> of the file <paramref name="fileText"/> on the same inputs and returns each rule
    /// whose outcome differs from <paramref name="ours"/>, with what differs (a null rule: the file or the run as a whole).
    /// </summary>
    Task<IReadOnlyList<(string? Rule, string Difference)>> DifferencesAsync(string fileText, string workflow, RuleParameter[] inputs, IReadOnlyList<RuleResultTree> ours);
}

/// <summary>
/// What <c>rules/Check</c> runs: validates every workflow file under a folder and runs every case of each <c>&lt;name&gt;.tests.json</c>.
/// An invalid workflow file counts as one failed case.
/// </summary>
public static class WorkflowChecks
{
    static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static async Task<CheckReport> CheckFolderAsync(string folder, ReSettings? settings = null, ISecondOpinion? secondOpinion = null)
    {
        var failures = new List<CheckFailure>();
        int passed = 0, failed = 0;
        if (!Directory.Exists(folder))
            return new CheckReport(0, 1, [new CheckFailure(folder, null, null, null, "folder not found")]);
        foreach (var path in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (path.EndsWith(".tests.json", StringComparison.OrdinalIgnoreCase)) continue;
            var file = Path.GetRelativePath(folder, path).Replace('\\', '/');
            IReadOnlyList<Workflow> workflows;
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path);
                workflows = WorkflowReader.Read(text);
                var problems = workflows.SelectMany(w => WorkflowValidator.Problems(w, settings).Concat(WorkflowValidator.SyntaxProblems(w, settings))).ToList();
                if (problems.Count > 0) throw new RuleValidationException(string.Join(Environment.NewLine, problems));
            }
            catch (RuleValidationException ex)
            {
                failed++;
                foreach (var line in ex.Message.Split(Environment.NewLine))
                    failures.Add(new CheckFailure(file, null, null, null, "invalid workflow: " + line));
                continue;
            }
            var testsPath = Path.ChangeExtension(path, null) + ".tests.json";
            if (!File.Exists(testsPath)) continue;
            var testsFile = Path.GetRelativePath(folder, testsPath).Replace('\\', '/');
            List<WorkflowTestCase> cases;
            try
            {
                cases = ReadCases(await File.ReadAllTextAsync(testsPath));
            }
            catch (JsonException ex)
            {
                failed++;
                failures.Add(new CheckFailure(testsFile, null, null, null, "invalid tests file: " + ex.Message));
                continue;
            }
            var engine = new RulesEngine([.. workflows], settings);
            foreach (var testCase in cases)
            {
                var differences = await RunCaseAsync(engine, workflows, testCase, testsFile, text, secondOpinion);
                if (differences.Count == 0) passed++;
                else
                {
                    failed++;
                    failures.AddRange(differences);
                }
            }
        }
        return new CheckReport(passed, failed, failures);
    }

    /// <summary>A tests file holds an array of cases, or an object with a <c>cases</c> array.</summary>
    public static List<WorkflowTestCase> ReadCases(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement;
        var array = root.ValueKind == JsonValueKind.Object
            ? root.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "cases", StringComparison.OrdinalIgnoreCase)).Value
            : root;
        if (array.ValueKind != JsonValueKind.Array) throw new JsonException("a tests file is an array of cases or { \"cases\": [ ... ] }");
        return array.Deserialize<List<WorkflowTestCase>>(Options) ?? [];
    }

    static async Task<List<CheckFailure>> RunCaseAsync(RulesEngine engine, IReadOnlyList<Workflow> workflows, WorkflowTestCase testCase, string file, string fileText, ISecondOpinion? secondOpinion)
    {
        var name = testCase.Name ?? "(unnamed)";
        var workflowName = testCase.Workflow ?? (workflows.Count == 1 ? workflows[0].WorkflowName : null);
        if (workflowName is null)
            return [new CheckFailure(file, null, name, null, "say which workflow this case runs (\"workflow\"): the file beside holds several")];
        if (!engine.ContainsWorkflow(workflowName))
            return [new CheckFailure(file, workflowName, name, null, "no such workflow in the file beside")];
        var inputs = testCase.Inputs.Select(p => new RuleParameter(p.Key, WorkflowReader.ToPlain(p.Value))).ToArray();
        List<RuleResultTree> results;
        try
        {
            results = await engine.ExecuteAllRulesAsync(workflowName, inputs);
        }
        catch (Exception ex) when (ex is RuleException or ArgumentException)
        {
            return [new CheckFailure(file, workflowName, name, null, "the workflow failed: " + ex.Message)];
        }
        var failures = new List<CheckFailure>();
        if (secondOpinion is not null)
        {
            // The other engine gets inputs of its own: neither may see what the other made of them.
            var theirInputs = testCase.Inputs.Select(p => new RuleParameter(p.Key, WorkflowReader.ToPlain(p.Value))).ToArray();
            foreach (var (rule, difference) in await secondOpinion.DifferencesAsync(fileText, workflowName, theirInputs, results))
                failures.Add(new CheckFailure(file, workflowName, name, rule, $"behaves differently in {secondOpinion.Name}: {difference}"));
        }
        foreach (var (rule, expected) in testCase.Expected)
        {
            var result = Find(results, rule);
            if (result is null)
            {
                failures.Add(new CheckFailure(file, workflowName, name, rule, "no enabled rule has this name"));
                continue;
            }
            var expectedSuccess = expected.ValueKind is JsonValueKind.True or JsonValueKind.False ? expected.GetBoolean()
                : Property(expected, "isSuccess") is { ValueKind: JsonValueKind.True or JsonValueKind.False } s ? s.GetBoolean() : (bool?)null;
            if (expectedSuccess is { } success && success != result.IsSuccess)
                failures.Add(new CheckFailure(file, workflowName, name, rule,
                    $"expected IsSuccess {Lower(success)}, got {Lower(result.IsSuccess)}" + (result.ExceptionMessage is { Length: > 0 } m ? $" ({m})" : "")));
            if (Property(expected, "message") is { ValueKind: JsonValueKind.String } message && message.GetString() != result.ExceptionMessage)
                failures.Add(new CheckFailure(file, workflowName, name, rule, $"expected message \"{message.GetString()}\", got \"{result.ExceptionMessage}\""));
            if (Property(expected, "output") is { } output)
            {
                var actual = result.ActionResult?.Output;
                if (!SameValue(output, actual))
                    failures.Add(new CheckFailure(file, workflowName, name, rule,
                        $"expected output {output.GetRawText()}, got {Show(actual)}" + (result.ActionResult?.Exception is { } ex ? $" ({ex.Message})" : "")));
            }
        }
        return failures;
    }

    static string Lower(bool value) => value ? "true" : "false";

    static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } p
            ? p.Value : null;

    static RuleResultTree? Find(IEnumerable<RuleResultTree> results, string name)
    {
        foreach (var result in results)
        {
            if (result.Rule.RuleName == name) return result;
            if (result.ChildResults is not null && Find(result.ChildResults, name) is { } child) return child;
        }
        return null;
    }

    static bool SameValue(JsonElement expected, object? actual)
    {
        if (expected.ValueKind == JsonValueKind.Null) return actual is null;
        if (actual is null) return false;
        if (expected.ValueKind == JsonValueKind.Number && actual is IConvertible && actual is not string and not bool)
            return expected.GetDecimal() == Convert.ToDecimal(actual, System.Globalization.CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(Show(actual))) == JsonSerializer.Serialize(expected);
    }

    static string Show(object? value) => value is null ? "null" : JsonSerializer.Serialize(value, value.GetType(), new JsonSerializerOptions { IncludeFields = true });
}
