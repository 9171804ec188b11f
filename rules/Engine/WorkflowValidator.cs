using Actors.Rules.Expressions;

namespace Actors.Rules;

/// <summary>Checks a workflow's structure as RulesEngine does, plus the security boundary on every expression.</summary>
public static class WorkflowValidator
{
    static readonly string[] Operators = ["And", "AndAlso", "Or", "OrElse"];

    /// <summary>Throws <see cref="RuleValidationException"/> naming the workflow, the rule and the problem.</summary>
    public static void Validate(Workflow workflow, ReSettings? settings = null)
    {
        var errors = Problems(workflow, settings).ToList();
        if (errors.Count > 0) throw new RuleValidationException(string.Join(Environment.NewLine, errors));
    }

    /// <summary>Every problem of a workflow, one line each; empty when valid.</summary>
    public static IEnumerable<string> Problems(Workflow workflow, ReSettings? settings = null)
    {
        var dialect = new Dialect(settings ?? new ReSettings());
        var name = workflow.WorkflowName;
        if (string.IsNullOrWhiteSpace(name))
        {
            yield return "Workflow name can not be null or empty";
            name = "(unnamed)";
        }
        if ((workflow.Rules is null || workflow.Rules.Count == 0) && (workflow.WorkflowsToInject is null || workflow.WorkflowsToInject.Count == 0))
            yield return $"Workflow '{name}': Atleast one of Rules or WorkflowsToInject must be not empty";
        foreach (var problem in ParamProblems(workflow.GlobalParams, $"Workflow '{name}', global params", dialect)) yield return problem;
        foreach (var rule in workflow.Rules ?? [])
            foreach (var problem in RuleProblems(rule, name!, dialect)) yield return problem;
    }

    static IEnumerable<string> RuleProblems(Rule rule, string workflow, Dialect dialect)
    {
        var where = $"Workflow '{workflow}', rule '{rule.RuleName}'";
        if (string.IsNullOrWhiteSpace(rule.RuleName)) yield return $"Workflow '{workflow}': Rule Name can not be null or empty";
        if (rule.Operator is null)
        {
            if (rule.Rules is { Count: > 0 }) yield return $"{where}: Cannot use Rules field when Operator is null";
            else if (string.IsNullOrWhiteSpace(rule.Expression))
                yield return $"{where}: Expression cannot be null or empty when RuleExpressionType is LambdaExpression";
            else foreach (var problem in ExpressionProblems(rule.Expression, $"{where}, expression", dialect)) yield return problem;
        }
        else
        {
            if (!Operators.Contains(rule.Operator, StringComparer.OrdinalIgnoreCase))
                yield return $"{where}: Operator '{rule.Operator}' is not one of {string.Join(", ", Operators)}";
            if (rule.Rules is null || rule.Rules.Count == 0)
                yield return $"{where}: Atleast one of Rules or WorkflowsToInject must be not empty";
            foreach (var child in rule.Rules ?? [])
                foreach (var problem in RuleProblems(child, workflow, dialect)) yield return problem;
        }
        foreach (var problem in ParamProblems(rule.LocalParams, $"{where}, local params", dialect)) yield return problem;
        foreach (var action in new[] { rule.Actions?.OnSuccess, rule.Actions?.OnFailure })
        {
            if (action is null) continue;
            if (string.IsNullOrWhiteSpace(action.Name)) yield return $"{where}: an action has no Name";
            var expression = action.Context?.FirstOrDefault(p => string.Equals(p.Key, "expression", StringComparison.OrdinalIgnoreCase)).Value as string;
            if (expression is not null)
                foreach (var problem in SecurityProblems(expression, $"{where}, action '{action.Name}'", dialect)) yield return problem;
        }
    }

    static IEnumerable<string> ParamProblems(List<ScopedParam>? parameters, string where, Dialect dialect)
    {
        if (parameters is null) yield break;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in parameters)
        {
            if (string.IsNullOrWhiteSpace(p.Name)) { yield return $"{where}: a param has no Name"; continue; }
            if (!seen.Add(p.Name)) yield return $"{where}: Duplicate param name '{p.Name}'";
            if (string.IsNullOrWhiteSpace(p.Expression)) yield return $"{where}: param '{p.Name}' has no Expression";
            else foreach (var problem in SecurityProblems(p.Expression, $"{where}, param '{p.Name}'", dialect)) yield return problem;
        }
    }

    // Syntax errors in rule expressions surface per rule at execution, as RulesEngine reports them; security problems stop the load.
    static IEnumerable<string> ExpressionProblems(string expression, string where, Dialect dialect) => SecurityProblems(expression, where, dialect);

    static IEnumerable<string> SecurityProblems(string expression, string where, Dialect dialect)
    {
        if (dialect.ProblemAtLoad(expression) is { IsSyntax: false } problem) yield return $"{where}: {problem.Message}";
    }

    /// <summary>Syntax errors of every expression, with their position (for the analysts' check and the catalog, which reject files that do not parse).</summary>
    public static IEnumerable<string> SyntaxProblems(Workflow workflow, ReSettings? settings = null)
    {
        var dialect = new Dialect(settings ?? new ReSettings());
        var name = workflow.WorkflowName ?? "(unnamed)";
        foreach (var p in workflow.GlobalParams ?? [])
            if (Syntax(p.Expression, dialect) is { } error) yield return $"Workflow '{name}', global param '{p.Name}': {error}";
        foreach (var rule in Flatten(workflow.Rules))
        {
            var where = $"Workflow '{name}', rule '{rule.RuleName}'";
            if (rule.Operator is null && Syntax(rule.Expression, dialect) is { } error) yield return $"{where}: {error}";
            foreach (var p in rule.LocalParams ?? [])
                if (Syntax(p.Expression, dialect) is { } perror) yield return $"{where}, local param '{p.Name}': {perror}";
            foreach (var action in new[] { rule.Actions?.OnSuccess, rule.Actions?.OnFailure })
                if (action?.Context?.FirstOrDefault(p => string.Equals(p.Key, "expression", StringComparison.OrdinalIgnoreCase)).Value is string e
                    && Syntax(e, dialect) is { } aerror)
                    yield return $"{where}, action '{action.Name}': {aerror}";
        }
    }

    static string? Syntax(string? expression, Dialect dialect) =>
        string.IsNullOrWhiteSpace(expression) ? null : dialect.ProblemAtLoad(expression) is { IsSyntax: true } problem ? problem.Message : null;

    internal static IEnumerable<Rule> Flatten(IEnumerable<Rule>? rules)
    {
        foreach (var rule in rules ?? [])
        {
            yield return rule;
            foreach (var child in Flatten(rule.Rules)) yield return child;
        }
    }
}
