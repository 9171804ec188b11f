using System.Collections.Concurrent;

namespace Actors.Rules.Referee;

/// <summary>The check's second opinion: every case also runs through Microsoft RulesEngine 6.0.1, loaded once per file.</summary>
public sealed class RefereeOpinion(ReSettings? settings = null) : ISecondOpinion
{
    readonly ConcurrentDictionary<string, Lazy<(MicrosoftRulesEngine? Engine, string? Error)>> engines = new(StringComparer.Ordinal);

    public string Name => MicrosoftRulesEngine.Name;

    public async Task<IReadOnlyList<(string? Rule, string Difference)>> DifferencesAsync(string fileText, string workflow, RuleParameter[] inputs, IReadOnlyList<RuleResultTree> ours)
    {
        var (engine, error) = engines.GetOrAdd(fileText, text => new(() =>
        {
            try { return (new MicrosoftRulesEngine([text], settings), null); }
            catch (Exception ex) { return (null, ex.Message); }
        })).Value;
        if (engine is null) return [(null, "it does not load the file: " + error)];
        IReadOnlyList<RuleOutcome> theirs;
        try
        {
            theirs = await engine.RunAsync(workflow, inputs.Select(i => (i.Name, i.Value)));
        }
        catch (Exception ex)
        {
            return [(null, "it fails the run: " + ex.Message)];
        }
        return [.. MicrosoftRulesEngine.Differences(MicrosoftRulesEngine.Outcomes(ours), theirs).Select(d => ((string?)d.Rule, d.Difference))];
    }
}
