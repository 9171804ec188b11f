namespace Actors.Rules;

/// <summary><c>OutputExpression</c>: evaluates <c>expression</c> over the rule's inputs and scoped params.</summary>
sealed class OutputExpressionAction(RuleExpressionParser parser) : ActionBase
{
    public override ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters) =>
        ValueTask.FromResult(parser.Evaluate<object?>(context.GetContext<string>("expression"), ruleParameters));
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
