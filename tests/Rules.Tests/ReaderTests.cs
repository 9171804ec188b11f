namespace Actors.Rules.Tests;

/// <summary>The workflow format: one or many, any property case, unknown fields ignored, validation naming workflow and rule.</summary>
public sealed class ReaderTests
{
    [Fact]
    public void Reads_one_workflow_or_an_array_with_any_property_case_and_unknown_fields()
    {
        var one = WorkflowReader.Read("""{ "workflowname": "A", "RULES": [ { "ruleName": "R", "expression": "true", "RuleExpressionType": 0, "Comment": "ignored" } ] }""");
        var many = WorkflowReader.Read("""[ { "WorkflowName": "A", "Rules": [ { "RuleName": "R", "Expression": "true", "RuleExpressionType": "LambdaExpression" } ] }, { "WorkflowName": "B", "WorkflowsToInject": ["A"] } ]""");
        Assert.Equal("A", Assert.Single(one).WorkflowName);
        Assert.True(one[0].Rules![0].Enabled);
        Assert.Equal(RuleExpressionType.LambdaExpression, one[0].Rules![0].RuleExpressionType);
        Assert.Equal(["A", "B"], many.Select(w => w.WorkflowName));
    }

    [Fact]
    public void Malformed_json_is_a_validation_error_with_its_location()
    {
        var ex = Assert.Throws<RuleValidationException>(() => WorkflowReader.Read("""{ "WorkflowName": "A", "Rules": [ """));
        Assert.Contains("not valid", ex.Message);
    }

    [Theory]
    [InlineData("""{ "WorkflowName": "Tariff", "Rules": [ { "RuleName": "Social" } ] }""", "Workflow 'Tariff', rule 'Social': Expression cannot be null or empty")]
    [InlineData("""{ "WorkflowName": "Tariff", "Rules": [ { "RuleName": "Social", "Operator": "Xor", "Rules": [ { "RuleName": "C", "Expression": "true" } ] } ] }""", "Workflow 'Tariff', rule 'Social': Operator 'Xor' is not one of")]
    [InlineData("""{ "WorkflowName": "Tariff", "Rules": [ { "RuleName": "Social", "Expression": "true", "LocalParams": [ { "Name": "x", "Expression": "1" }, { "Name": "X", "Expression": "2" } ] } ] }""", "Workflow 'Tariff', rule 'Social', local params: Duplicate param name 'X'")]
    [InlineData("""{ "WorkflowName": "Tariff", "Rules": [] }""", "Workflow 'Tariff': Atleast one of Rules or WorkflowsToInject must be not empty")]
    public void Validation_errors_name_the_workflow_the_rule_and_the_problem(string json, string expected)
    {
        var ex = Assert.Throws<RuleValidationException>(() => new RulesEngine([.. WorkflowReader.Read(json)]));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task Custom_actions_run_by_name_with_their_context()
    {
        var workflow = WorkflowReader.Read("""
            { "WorkflowName": "W", "Rules": [ { "RuleName": "R", "Expression": "input1 > 2",
              "Actions": { "OnSuccess": { "Name": "Notify", "Context": { "channel": "sms" } } } } ] }
            """).Single();
        var engine = new RulesEngine([workflow], new ReSettings { CustomActions = new() { ["Notify"] = () => new Notify() } });
        var result = Assert.Single(await engine.ExecuteAllRulesAsync("W", 3));
        Assert.Equal("sms:3", result.ActionResult!.Output);
    }

    sealed class Notify : ActionBase
    {
        public override ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters) =>
            ValueTask.FromResult<object?>($"{context.GetContext<string>("channel")}:{ruleParameters.Single(p => p.Name == "input1").Value}");
    }
}
