using System.Globalization;
using System.Text.Json;
using MsEngine = global::RulesEngine.RulesEngine;
using MsModels = global::RulesEngine.Models;

namespace Actors.Rules.Referee;

/// <summary>What one rule decided, in a form both engines' results compare by: success, message, and output as JSON.</summary>
public sealed record RuleOutcome(string Rule, bool IsSuccess, string Message, string? Output)
{
    public override string ToString() =>
        $"IsSuccess {(IsSuccess ? "true" : "false")}" + (Message.Length > 0 ? $", message \"{Message}\"" : "") + (Output is null ? "" : $", output {Output}");
}

/// <summary>
/// Microsoft RulesEngine 6.0.1, the package analysts' files are written for, over the same workflow files and inputs
/// as our engine, with the same settings. Its results are the reference: where the two differ, RulesEngine is right
/// (except where our sandbox refuses what it would run).
/// </summary>
public sealed class MicrosoftRulesEngine
{
    /// <summary>The name the check and the tests print.</summary>
    public const string Name = "Microsoft RulesEngine 6.0.1";

    readonly MsEngine engine;

    /// <summary>Loads workflow files (each one workflow or an array of them); throws when RulesEngine refuses one.</summary>
    public MicrosoftRulesEngine(IEnumerable<string> workflowFiles, ReSettings? settings = null)
    {
        var ours = settings ?? new ReSettings();
        engine = new MsEngine(workflowFiles.SelectMany(Split).ToArray(), new MsModels.ReSettings
        {
            CustomTypes = ours.CustomTypes,
            EnableExceptionAsErrorMessage = ours.EnableExceptionAsErrorMessage,
            IgnoreException = ours.IgnoreException,
            EnableFormattedErrorMessage = ours.EnableFormattedErrorMessage,
            EnableScopedParams = ours.EnableScopedParams,
            IsExpressionCaseSensitive = ours.IsExpressionCaseSensitive,
            AutoRegisterInputType = ours.AutoRegisterInputType,
            AutoExecuteActions = ours.AutoExecuteActions,
            UseFastExpressionCompiler = ours.UseFastExpressionCompiler,
            EnableParallelRuleCompilation = ours.EnableParallelRuleCompilation,
            NestedRuleExecutionMode = (MsModels.NestedRuleExecutionMode)(int)ours.NestedRuleExecutionMode,
        });
    }

    /// <summary>RulesEngine reads one workflow per text: a file holding an array is given as its elements.</summary>
    static IEnumerable<string> Split(string file)
    {
        using var document = JsonDocument.Parse(file, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray().Select(w => w.GetRawText()).ToList()
            : [document.RootElement.GetRawText()];
    }

    /// <summary>The package's engine itself, for callers that measure it without this wrapper's conversions (the benchmark).</summary>
    public MsEngine Engine => engine;

    /// <summary>Runs every rule of <paramref name="workflow"/>, with RulesEngine's own result tree.</summary>
    public ValueTask<List<MsModels.RuleResultTree>> ExecuteAllRulesAsync(string workflow, IEnumerable<(string Name, object? Value)> inputs) =>
        engine.ExecuteAllRulesAsync(workflow, inputs.Select(i => new MsModels.RuleParameter(i.Name, i.Value)).ToArray());

    /// <summary>Runs every rule of <paramref name="workflow"/>; each rule's outcome, nested rules included, in order.</summary>
    public async Task<IReadOnlyList<RuleOutcome>> RunAsync(string workflow, IEnumerable<(string Name, object? Value)> inputs)
    {
        var outcomes = new List<RuleOutcome>();
        void Walk(IEnumerable<MsModels.RuleResultTree> results)
        {
            foreach (var result in results)
            {
                outcomes.Add(new RuleOutcome(result.Rule.RuleName, result.IsSuccess, result.ExceptionMessage ?? "",
                    OutputText(result.ActionResult?.Output, result.ActionResult?.Exception)));
                if (result.ChildResults is not null) Walk(result.ChildResults);
            }
        }
        Walk(await ExecuteAllRulesAsync(workflow, inputs));
        return outcomes;
    }

    /// <summary>Our engine's results as outcomes, in the same order.</summary>
    public static IReadOnlyList<RuleOutcome> Outcomes(IEnumerable<RuleResultTree> results)
    {
        var outcomes = new List<RuleOutcome>();
        void Walk(IEnumerable<RuleResultTree> level)
        {
            foreach (var result in level)
            {
                outcomes.Add(new RuleOutcome(result.Rule.RuleName ?? "", result.IsSuccess, result.ExceptionMessage ?? "",
                    OutputText(result.ActionResult?.Output, result.ActionResult?.Exception)));
                if (result.ChildResults is not null) Walk(result.ChildResults);
            }
        }
        Walk(results);
        return outcomes;
    }

    /// <summary>One line per rule whose outcome differs, or that one engine has and the other has not.</summary>
    public static IEnumerable<(string Rule, string Difference)> Differences(IReadOnlyList<RuleOutcome> ours, IReadOnlyList<RuleOutcome> theirs)
    {
        var count = Math.Max(ours.Count, theirs.Count);
        for (var i = 0; i < count; i++)
        {
            var mine = i < ours.Count ? ours[i] : null;
            var other = i < theirs.Count ? theirs[i] : null;
            if (mine == other) continue;
            yield return (mine?.Rule ?? other!.Rule, $"it gives {other?.ToString() ?? "no result"}, ours {mine?.ToString() ?? "no result"}");
        }
    }

    static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    /// <summary>An action's output as JSON (numbers by value, whatever their CLR type), or its error.</summary>
    static string? OutputText(object? output, Exception? error)
    {
        if (error is not null) return "error: " + error.Message;
        if (output is null) return null;
        if (output is IConvertible and not string and not bool and not char and not DateTime && !output.GetType().IsEnum)
            return Convert.ToDecimal(output, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        try { return JsonSerializer.Serialize(output, output.GetType(), Json); }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException) { return output.ToString(); }
    }
}
