namespace Actors.Rules;

/// <summary><c>OutputExpression</c>: evaluates <c>expression</c> over the rule's inputs and scoped params.</summary>
sealed partial class OutputExpressionAction(RuleExpressionParser parser) : ActionBase
{
    public override ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters)
    {
        var expression = context.GetContext<string>("expression");
        try
        {
            return ValueTask.FromResult(parser.Evaluate<object?>(expression, ruleParameters));
        }
        catch (ExpressionParseException ex) when (CSharpAnonymousObject().IsMatch(expression ?? ""))
        {
            // Analysts often write C#'s `new { A = x }`; RulesEngine names the Dynamic LINQ form in its message, and so do we.
            throw new ExpressionParseException(
                "OutputExpression failed to parse. It looks like the expression uses C#-style anonymous-object syntax " +
                "(`new { Name = value, ... }`), which is not supported by System.Linq.Dynamic.Core. " +
                "Use the Dynamic.Core form instead: `new (value as Name, ...)` — parentheses, and each field needs an `as Alias`. " +
                "Original parser error: " + ex.Message, ex.Position);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bnew\s*\{")]
    private static partial System.Text.RegularExpressions.Regex CSharpAnonymousObject();
}

/// <summary><c>EvaluateRule</c>: runs another rule (and its action) with this rule's inputs, filtered and extended.</summary>
sealed class EvaluateRuleAction(RulesEngine engine, RuleExpressionParser parser) : ActionBase
{
    public override async ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters) =>
        (await Evaluate(context, ruleParameters)).Output;

    internal override async ValueTask<ActionRuleResult> ExecuteAndReturnResultAsync(ActionContext context, RuleParameter[] ruleParameters, bool includeRuleResults, bool captureErrors)
    {
        try
        {
            var inner = await Evaluate(context, ruleParameters);
            var results = includeRuleResults ? [context.ParentResult, .. inner.Results] : inner.Results;
            return new ActionRuleResult { Output = inner.Output, Exception = inner.Exception, Results = results };
        }
        catch (Exception ex) when (captureErrors)
        {
            return new ActionRuleResult { Exception = ex, Results = includeRuleResults ? [context.ParentResult] : [] };
        }
    }

    async ValueTask<ActionRuleResult> Evaluate(ActionContext context, RuleParameter[] ruleParameters)
    {
        var workflowName = context.GetContext<string>("workflowName");
        var ruleName = context.GetContext<string>("ruleName");
        var parameters = ruleParameters.ToList();
        if (context.Has("inputFilter"))
        {
            var filter = context.GetContext<List<string>>("inputFilter") ?? [];
            parameters = parameters.Where(p => filter.Contains(p.Name)).ToList();
        }
        if (context.Has("additionalInputs"))
            foreach (var extra in context.GetContext<List<ScopedParam>>("additionalInputs") ?? [])
                parameters.Add(new RuleParameter(extra.Name!, parser.Evaluate<object?>(extra.Expression!, ruleParameters)));
        return await engine.ExecuteActionWorkflowAsync(workflowName, ruleName, [.. parameters]);
    }
}
