namespace Actors.Rules.Tests;

/// <summary>Rule files are input: reaching for the file system, processes or reflection is refused when the file is loaded.</summary>
public sealed class SecurityTests
{
    static Workflow WithExpression(string expression) => new()
    {
        WorkflowName = "evil",
        Rules = [new Rule { RuleName = "R", Expression = expression }],
    };

    static RuleValidationException Rejected(string expression)
    {
        var ex = Assert.Throws<RuleValidationException>(() => new RulesEngine([WithExpression(expression)]));
        Assert.Contains("'evil'", ex.Message);
        Assert.Contains("'R'", ex.Message);
        return ex;
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText(\"/etc/passwd\") != null")]
    [InlineData("File.Exists(\"/etc/passwd\")")]
    [InlineData("System.IO.Directory.GetFiles(\"/\").Length > 0")]
    public void File_system_access_is_rejected_at_load(string expression) =>
        Assert.Contains("file system", Rejected(expression).Message);

    [Theory]
    [InlineData("System.Diagnostics.Process.Start(\"sh\") != null")]
    [InlineData("Process.Start(\"sh\") != null")]
    public void Process_access_is_rejected_at_load(string expression) =>
        Assert.Contains("process", Rejected(expression).Message, StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("input1.GetType().Assembly.FullName != null")]
    [InlineData("typeof(string).Name == \"String\"")]
    [InlineData("Activator.CreateInstance(input1) != null")]
    [InlineData("System.Reflection.Assembly.Load(\"x\") != null")]
    [InlineData("input1.Method.GetMethodInfo() != null || input1.GetType() == null")]
    public void Reflection_is_rejected_at_load(string expression) =>
        Assert.Contains("reflection", Rejected(expression).Message);

    [Fact]
    public void Type_GetType_is_rejected_at_load() =>
        Assert.Contains("reflection", Rejected("Type.GetType(\"System.IO.File\") != null").Message);

    [Fact]
    public void Forbidden_names_in_params_and_action_expressions_are_rejected_too()
    {
        var workflow = new Workflow
        {
            WorkflowName = "evil",
            GlobalParams = [new ScopedParam { Name = "g", Expression = "System.IO.File.ReadAllText(\"x\")" }],
            Rules = [new Rule { RuleName = "R", Expression = "true", Actions = new RuleActions { OnSuccess = new ActionInfo { Name = "OutputExpression", Context = new() { ["expression"] = "Environment.GetEnvironmentVariable(\"HOME\")" } } } }],
        };
        var ex = Assert.Throws<RuleValidationException>(() => new RulesEngine([workflow]));
        Assert.Contains("param 'g'", ex.Message);
        Assert.Contains("action 'OutputExpression'", ex.Message);
    }

    [Fact]
    public void A_denied_custom_type_is_refused() =>
        Assert.Throws<RuleValidationException>(() => new RulesEngine(new ReSettings { CustomTypes = [typeof(File)] }));

    public sealed class Card
    {
        public string Type { get; set; } = "fuel";
        public Type Kind => typeof(File);
    }

    [Fact]
    public async Task Members_that_return_reflection_types_fail_the_rule_while_ordinary_members_named_Type_work()
    {
        var engine = new RulesEngine([new Workflow
        {
            WorkflowName = "cards",
            Rules =
            [
                new Rule { RuleName = "ByType", Expression = "input1.Type == \"fuel\"" },
                new Rule { RuleName = "ByKind", Expression = "input1.Kind.Name == \"File\"" },
            ],
        }]);
        var results = await engine.ExecuteAllRulesAsync("cards", new Card());
        Assert.True(results[0].IsSuccess, results[0].ExceptionMessage);
        Assert.False(results[1].IsSuccess);
        Assert.Contains("not allowed", results[1].ExceptionMessage);
    }

    [Fact]
    public async Task Methods_of_types_that_are_not_registered_are_not_accessible()
    {
        var engine = new RulesEngine([WithExpression("Uri.EscapeDataString(\"a b\") == \"a%20b\" && Math.Abs(-1) == 1")]);
        Assert.True((await engine.ExecuteAllRulesAsync("evil", 1))[0].IsSuccess);
        var guarded = new RulesEngine([WithExpression("Enumerable.Range(0, 3).Count() == 3 && Console.Out != null")]);
        var result = (await guarded.ExecuteAllRulesAsync("evil", 1))[0];
        Assert.False(result.IsSuccess);
    }

    /// <summary>What RulesEngine 6.0.1 itself lets an expression reach (issue 14); ours refuses each when the file loads.</summary>
    [Theory]
    [InlineData("\"x\".GetType().Assembly != null", 4)]
    [InlineData("\"x\".GetType().Assembly.Location != \"\"", 4)]
    [InlineData("\"x\".GetType().Assembly.DefinedTypes.Count() > 0", 4)]
    [InlineData("\"x\".GetType().Assembly.EntryPoint != null", 4)]
    [InlineData("\"x\".GetType().TypeInitializer != null", 4)]
    public void What_RulesEngine_lets_through_to_reflection_is_refused_at_load_with_its_position(string expression, int position)
    {
        var message = Rejected(expression).Message;
        Assert.Contains("reflection", message);
        Assert.Contains($"at position {position}", message);
    }

    [Theory]
    [InlineData("input1.Kind.Assembly != null", "reflection")]
    [InlineData("input1.Kind.Name == \"File\"", "reflection")]
    [InlineData("input1.Method.Name != null", "reflection")]
    [InlineData("input1.Started.Id > 0", "processes")]
    [InlineData("input1.Folder.Exists", "file system")]
    [InlineData("input1.Worker.IsAlive", "threads")]
    public async Task A_typed_input_cannot_lead_to_refused_types_either(string expression, string reason)
    {
        // Reached only through an input's own members: Dynamic LINQ types the tree, the sandbox refuses it before it runs.
        var engine = new RulesEngine([WithExpression(expression)]);
        var result = (await engine.ExecuteAllRulesAsync("evil", new Holder()))[0];
        Assert.False(result.IsSuccess);
        Assert.Contains(reason, result.ExceptionMessage);
        Assert.Contains("not allowed in rules", result.ExceptionMessage);
    }

    public sealed class Holder
    {
        public Type Kind => typeof(string);
        public System.Reflection.MethodInfo Method => typeof(string).GetMethod("Trim", Type.EmptyTypes)!;
        public System.Diagnostics.Process? Started => null;
        public DirectoryInfo Folder => new("/");
        public Thread Worker => Thread.CurrentThread;
    }

    [Theory]
    [InlineData("Environment.ProcessorCount > 0", "environment")]
    [InlineData("AppDomain.CurrentDomain != null", "runtime")]
    [InlineData("GC.GetTotalMemory(false) > 0", "runtime")]
    [InlineData("Activator.CreateInstance(\"x\") != null", "reflection")]
    [InlineData("System.Threading.Thread.Sleep(1) == null", "threads")]
    public void The_runtime_is_refused_at_load(string expression, string reason) =>
        Assert.Contains(reason, Rejected(expression).Message);

    [Fact]
    public void A_syntax_error_is_a_load_error_with_its_position()
    {
        var workflow = new Workflow { WorkflowName = "typo", Rules = [new Rule { RuleName = "R", Expression = "card.Status == \"Active\" AND (card.Liters > 1" }] };
        var problem = Assert.Single(WorkflowValidator.SyntaxProblems(workflow));
        Assert.Contains("'typo'", problem);
        Assert.Contains("'R'", problem);
        Assert.Contains("at position 44", problem); // the end of the text, where the closing parenthesis is missing
    }
}
