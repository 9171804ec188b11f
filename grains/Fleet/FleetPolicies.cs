using Actors.Rules;
using NodaTime;

namespace Actors.Grains.Fleet;

/// <summary>
/// The fleet program's policies, asked of the workflows in <c>rules/workflows/fleet</c>. Grains act on the answers and
/// keep the workflow version with each decision; none of these rules is written as code.
/// </summary>
public sealed class FleetPolicies(WorkflowCatalog workflows)
{
    public const string CardChange = "FleetCardChange";
    public const string ObuChange = "FleetObuChange";
    public const string TollConditions = "FleetTollConditions";
    public const string Renewal = "FleetRenewal";
    public const string CardCreation = "FleetCardCreation";
    public const string PinEntryOrder = "FleetPinEntryOrder";
    public const string Authorization = "FleetAuthorization";
    public const string Limit = "FleetLimit";

    /// <summary>The answer of one workflow: each rule's success by name, outputs and messages, and the version.</summary>
    public sealed record Answer(string Workflow, string Version, IReadOnlyList<RuleResultTree> Results)
    {
        public RuleResultTree Rule(string name) =>
            Results.FirstOrDefault(r => r.Rule.RuleName == name) ?? throw new InvalidOperationException($"Workflow {Workflow} has no rule {name}.");
        public bool Succeeded(string rule) => Rule(rule).IsSuccess;
        public object? Output(string rule) => Rule(rule).ActionResult?.Output;
        public PolicyDecision Decision(string outcome, Instant at) => new(Workflow, Version, outcome, at);
    }

    /// <summary>
    /// Runs <paramref name="workflow"/> on the inputs. Evaluation is synchronous unless a rule's action is not, so the
    /// answer usually comes without a task: a card asks up to seven questions per authorization.
    /// </summary>
    public ValueTask<Answer> Ask(string workflow, params ReadOnlySpan<(string Name, object Value)> inputs)
    {
        var parameters = new RuleParameter[inputs.Length];
        for (var i = 0; i < inputs.Length; i++) parameters[i] = new RuleParameter(inputs[i].Name, inputs[i].Value);
        var evaluation = workflows.ExecuteAllRulesAsync(workflow, parameters, CancellationToken.None);
        return evaluation.IsCompletedSuccessfully ? new(AnswerOf(evaluation.Result)) : AnswerWhenDone(evaluation);

        static async ValueTask<Answer> AnswerWhenDone(ValueTask<WorkflowEvaluation> evaluation) => AnswerOf(await evaluation);
        static Answer AnswerOf(WorkflowEvaluation evaluation) => new(evaluation.WorkflowName, evaluation.Version, evaluation.Results);
    }

    /// <summary>Throws the first failed rule that names a field and a code in its properties (card creation checks).</summary>
    public static void ThrowFirstRefusal(Answer answer)
    {
        foreach (var result in answer.Results.Where(r => !r.IsSuccess))
        {
            var properties = result.Rule.Properties ?? [];
            var field = properties.GetValueOrDefault("Field")?.ToString() ?? result.Rule.RuleName!;
            var code = properties.GetValueOrDefault("Code")?.ToString() ?? "REFUSED";
            throw new FleetValidationException(code, field, result.ExceptionMessage);
        }
    }
}

/// <summary>Business time of the fleet program: dates in Europe/Brussels.</summary>
public static class FleetCalendar
{
    public static readonly DateTimeZone Brussels = DateTimeZoneProviders.Tzdb["Europe/Brussels"];

    public static LocalDate Today(Instant now) => now.InZone(Brussels).Date;

    public static Instant StartOf(LocalDate date) => date.AtStartOfDayInZone(Brussels).ToInstant();

    /// <summary>The next 06:00 in Brussels strictly after <paramref name="now"/> (driver-code batches, fiche 13).</summary>
    public static Instant NextMorning(Instant now)
    {
        var local = now.InZone(Brussels);
        var date = local.TimeOfDay < new LocalTime(6, 0) ? local.Date : local.Date.PlusDays(1);
        return date.At(new LocalTime(6, 0)).InZoneLeniently(Brussels).ToInstant();
    }

    /// <summary>Cards are valid 4 years, to the last day of the month (fiche 12).</summary>
    public static LocalDate ExpiryFrom(LocalDate activated)
    {
        var month = activated.PlusYears(4);
        return new LocalDate(month.Year, month.Month, CalendarSystem.Iso.GetDaysInMonth(month.Year, month.Month));
    }

    /// <summary>The first day of the month of <paramref name="date"/>.</summary>
    public static LocalDate MonthStart(LocalDate date) => new(date.Year, date.Month, 1);
}
