using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Actors.Rules;

/// <summary>
/// Evaluates Microsoft RulesEngine workflows with RulesEngine's API and results. Workflows are compiled per input shape
/// on first use and cached; every result carries the content hash of the workflow version that produced it.
/// </summary>
public sealed class RulesEngine
{
    readonly ReSettings settings;
    readonly ConcurrentDictionary<string, Registration> workflows = new(StringComparer.Ordinal);
    readonly WorkflowCompiler compiler;
    readonly RuleExpressionParser parser;

    internal sealed class Registration(Workflow workflow, string version)
    {
        public Workflow Workflow { get; } = workflow;
        public string Version { get; } = version;
        public ConcurrentDictionary<string, CompiledWorkflow> Compiled { get; } = new(StringComparer.Ordinal);
        /// <summary>The last shape used: most callers pass the same input types every time, so this skips building the cache key.</summary>
        public volatile LastShape? Last;
    }

    internal sealed record LastShape(string[] Names, Type[] Types, CompiledWorkflow Compiled)
    {
        public bool Matches(RuleParameter[] inputs)
        {
            if (inputs.Length != Names.Length) return false;
            for (var i = 0; i < inputs.Length; i++)
                if (!ReferenceEquals(inputs[i].Type, Types[i]) || !string.Equals(inputs[i].Name, Names[i], StringComparison.Ordinal)) return false;
            return true;
        }
    }

    public RulesEngine(ReSettings? reSettings = null)
    {
        settings = reSettings ?? new ReSettings();
        // Custom types are part of the security boundary: a denied one (System.IO.File ...) is refused up front.
        try { _ = new Expressions.RuleTypes(settings.CustomTypes); }
        catch (ExpressionSecurityException ex) { throw new RuleValidationException(ex.Message); }
        compiler = new WorkflowCompiler(settings);
        parser = new RuleExpressionParser(settings);
    }

    public RulesEngine(Workflow[] workflows, ReSettings? reSettings = null) : this(reSettings) => AddWorkflow(workflows);

    /// <summary>Builds an engine from workflow JSON texts (each one workflow or an array).</summary>
    public RulesEngine(string[] jsonConfig, ReSettings? reSettings = null) : this(reSettings) =>
        AddWorkflow(jsonConfig.SelectMany(WorkflowReader.Read).ToArray());

    /// <summary>The settings this engine runs with.</summary>
    public ReSettings Settings => settings;

    /// <summary>Adds workflows; throws <see cref="RuleValidationException"/> when one is invalid or its name is taken.</summary>
    public void AddWorkflow(params Workflow[] workflows)
    {
        foreach (var workflow in workflows)
        {
            WorkflowValidator.Validate(workflow, settings);
            if (this.workflows.ContainsKey(workflow.WorkflowName!))
                throw new RuleValidationException($"Cannot add workflow `{workflow.WorkflowName}` as it already exists. Use `AddOrUpdateWorkflow` to update existing workflow");
        }
        foreach (var workflow in workflows) Register(workflow, null);
    }

    /// <summary>Adds or replaces workflows; a replaced workflow's compiled delegates are dropped.</summary>
    public void AddOrUpdateWorkflow(params Workflow[] workflows)
    {
        foreach (var workflow in workflows) WorkflowValidator.Validate(workflow, settings);
        foreach (var workflow in workflows) Register(workflow, null);
    }

    /// <summary>Adds or replaces a workflow under an explicit version (the catalog passes its file's content hash).</summary>
    public void AddOrUpdateWorkflow(Workflow workflow, string version)
    {
        WorkflowValidator.Validate(workflow, settings);
        Register(workflow, version);
    }

    void Register(Workflow workflow, string? version) =>
        workflows[workflow.WorkflowName!] = new Registration(workflow, version ?? ContentHash(WorkflowReader.Write([workflow])));

    /// <summary>
    /// A new engine holding exactly <paramref name="workflows"/>; workflows whose version is unchanged keep this engine's
    /// compiled delegates (unless they inject other workflows, which may have changed). Used by the catalog to swap versions atomically.
    /// </summary>
    internal RulesEngine WithWorkflows(IEnumerable<(Workflow Workflow, string Version)> workflows, IReadOnlyDictionary<string, PreparedWorkflow>? prepared = null)
    {
        var next = new RulesEngine(settings);
        foreach (var (workflow, version) in workflows)
        {
            if (prepared is not null && prepared.TryGetValue(workflow.WorkflowName!, out var ready) && ready.Registration.Version == version && ReferenceEquals(ready.Registration.Workflow, workflow))
                next.workflows[workflow.WorkflowName!] = ready.Registration;
            else if (this.workflows.TryGetValue(workflow.WorkflowName!, out var existing) && existing.Version == version && workflow.WorkflowsToInject is not { Count: > 0 })
                next.workflows[workflow.WorkflowName!] = existing;
            else
                next.workflows[workflow.WorkflowName!] = new Registration(workflow, version);
        }
        return next;
    }

    /// <summary>A new version of a workflow compiled beside the live one, with the errors it would introduce.</summary>
    internal sealed record PreparedWorkflow(Registration Registration, IReadOnlyList<string> Errors);

    /// <summary>
    /// Compiles a new version of a workflow for every input shape the live version has already been called with, and reports
    /// the rules that would fail to compile where the live version compiled (a member misspelt, a wrong type ...).
    /// </summary>
    internal PreparedWorkflow PrepareBeside(Workflow workflow, string version)
    {
        var next = new Registration(workflow, version);
        var errors = new List<string>();
        if (workflows.TryGetValue(workflow.WorkflowName!, out var live))
        {
            foreach (var (key, liveCompiled) in live.Compiled)
            {
                var inputs = liveCompiled.InputNames.Zip(liveCompiled.InputTypes, (name, type) => new RuleParameter(name, null, type)).ToArray();
                var (rules, globals) = Resolve(workflow, []);
                var compiled = compiler.Compile(workflow, rules, globals, inputs);
                next.Compiled[key] = compiled;
                var before = CompiledWorkflowErrors.Of(liveCompiled);
                var shape = string.Join(", ", inputs.Select(i => $"{i.Name}: {i.Type.Name}"));
                foreach (var (rule, message) in CompiledWorkflowErrors.Of(compiled))
                    if (!before.ContainsKey(rule))
                        errors.Add($"Workflow '{workflow.WorkflowName}', rule '{rule}': {message} (with the inputs the live version is called with: {shape})");
            }
        }
        return new PreparedWorkflow(next, errors);
    }

    /// <summary>Short content hash used as a workflow version.</summary>
    public static string ContentHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    public void RemoveWorkflow(params string[] workflowNames)
    {
        foreach (var name in workflowNames) workflows.TryRemove(name, out _);
    }

    public void ClearWorkflows() => workflows.Clear();

    public bool ContainsWorkflow(string workflowName) => workflows.ContainsKey(workflowName);

    public List<string> GetAllRegisteredWorkflowNames() => [.. workflows.Keys];

    /// <summary>The version (content hash) of a registered workflow, or null.</summary>
    public string? GetWorkflowVersion(string workflowName) => workflows.TryGetValue(workflowName, out var r) ? r.Version : null;

    /// <summary>Runs every enabled top-level rule with inputs named input1..inputN.</summary>
    public ValueTask<List<RuleResultTree>> ExecuteAllRulesAsync(string workflowName, params object?[] inputs) =>
        ExecuteAllRulesAsync(workflowName, inputs.Select((value, i) => new RuleParameter($"input{i + 1}", value)).ToArray(), CancellationToken.None);

    /// <summary>Runs every enabled top-level rule with named inputs.</summary>
    public ValueTask<List<RuleResultTree>> ExecuteAllRulesAsync(string workflowName, params RuleParameter[] ruleParams) =>
        ExecuteAllRulesAsync(workflowName, ruleParams, CancellationToken.None);

    /// <summary>Runs every enabled top-level rule with named inputs; stops with <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async ValueTask<List<RuleResultTree>> ExecuteAllRulesAsync(string workflowName, RuleParameter[] ruleParams, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (registration, compiled, inputs) = Prepare(workflowName, ruleParams);
        var values = NewScope(compiled, inputs, out var globalsError, out var globalsException);
        var results = new List<RuleResultTree>(compiled.Rules.Length);
        foreach (var rule in compiled.Rules)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(Evaluate(rule, values, registration.Version, globalsError, globalsException));
        }
        FormatErrorMessages(results);
        if (settings.AutoExecuteActions) await ExecuteActionsAsync(results);
        return results;
    }

    /// <summary>Runs one top-level rule and its action (even when actions are not run automatically).</summary>
    public async ValueTask<ActionRuleResult> ExecuteActionWorkflowAsync(string workflowName, string ruleName, RuleParameter[] ruleParameters)
    {
        var (registration, compiled, inputs) = Prepare(workflowName, ruleParameters);
        var rule = compiled.Rules.FirstOrDefault(r => r.Rule.RuleName == ruleName)
            ?? throw new ArgumentException($"Rule `{ruleName}` is not present in workflow `{workflowName}`");
        var values = NewScope(compiled, inputs, out var globalsError, out var globalsException);
        var result = Evaluate(rule, values, registration.Version, globalsError, globalsException);
        FormatErrorMessages([result]);
        return await ExecuteActionForRuleResult(result, includeRuleResults: true);
    }

    (Registration, CompiledWorkflow, RuleParameter[]) Prepare(string workflowName, RuleParameter[] ruleParams)
    {
        if (!workflows.TryGetValue(workflowName, out var registration))
            throw new ArgumentException($"Rule config file is not present for the {workflowName} workflow");
        var inputs = new RuleParameter[ruleParams.Length];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = RuleExpressionParser.Shape(ruleParams[i]);
        if (registration.Last is { } last && last.Matches(inputs)) return (registration, last.Compiled, inputs);
        var key = string.Join("|", inputs.Select(p => p.Name + ":" + p.Type.AssemblyQualifiedName));
        var compiled = registration.Compiled.GetOrAdd(key, _ =>
        {
            var (rules, globals) = Resolve(registration.Workflow, []);
            return compiler.Compile(registration.Workflow, rules, globals, inputs);
        });
        registration.Last = new LastShape(inputs.Select(p => p.Name).ToArray(), inputs.Select(p => p.Type).ToArray(), compiled);
        return (registration, compiled, inputs);
    }

    /// <summary>A workflow's rules and global params with those of the workflows it injects.</summary>
    (List<Rule>, List<ScopedParam>) Resolve(Workflow workflow, HashSet<string> visiting)
    {
        var rules = new List<Rule>(workflow.Rules ?? []);
        var globals = new List<ScopedParam>(workflow.GlobalParams ?? []);
        visiting.Add(workflow.WorkflowName!);
        foreach (var injected in workflow.WorkflowsToInject ?? [])
        {
            if (visiting.Contains(injected) || !workflows.TryGetValue(injected, out var other)) continue;
            var (r, g) = Resolve(other.Workflow, visiting);
            rules.AddRange(r);
            globals.AddRange(g.Where(x => globals.All(y => y.Name != x.Name)));
        }
        return (rules, globals);
    }

    object?[] NewScope(CompiledWorkflow compiled, RuleParameter[] inputs, out string? error, out Exception? exception)
    {
        var values = new object?[inputs.Length + compiled.Globals.Length];
        for (var i = 0; i < inputs.Length; i++) values[i] = inputs[i].Value;
        error = compiled.WorkflowError is { } e ? e : null;
        exception = compiled.WorkflowException;
        if (error is not null) return values;
        for (var g = 0; g < compiled.Globals.Length; g++)
        {
            try
            {
                values[inputs.Length + g] = compiled.Globals[g].Evaluate(values);
            }
            catch (Exception ex)
            {
                error = "\u0001" + ex.Message; // marks a runtime failure of the scoped params
                exception = ex;
                return values;
            }
        }
        return values;
    }

    RuleResultTree Evaluate(CompiledRule rule, object?[] scope, string version, string? globalsError, Exception? globalsException)
    {
        var result = new RuleResultTree { Rule = rule.Rule, WorkflowVersion = version };
        if (globalsError is not null)
        {
            FillInputs(result, rule.SymbolNames, scope);
            var message = globalsError[0] == '\u0001'
                ? $"Error while executing scoped params for rule `{rule.Rule.RuleName}` - {globalsError[1..]}"
                : globalsError.StartsWith("Input '", StringComparison.Ordinal) ? globalsError : $"Error while compiling rule `{rule.Rule.RuleName}`: {globalsError}";
            return Fail(result, message, globalsException);
        }
        if (rule.CompileError is not null)
        {
            FillInputs(result, rule.SymbolNames, scope);
            return Fail(result, rule.CompileError, rule.CompileException);
        }
        var values = scope;
        if (rule.Locals.Length > 0)
        {
            values = new object?[rule.SymbolNames.Length];
            Array.Copy(scope, values, scope.Length);
            var at = scope.Length;
            try
            {
                foreach (var local in rule.Locals) values[at++] = local.Evaluate(values);
            }
            catch (Exception ex)
            {
                FillInputs(result, rule.SymbolNames, values);
                return Fail(result, $"Error while executing scoped params for rule `{rule.Rule.RuleName}` - {ex.Message}", ex);
            }
        }
        FillInputs(result, rule.SymbolNames, values);
        if (rule.IsNested)
        {
            var isAnd = rule.Rule.Operator!.StartsWith("And", StringComparison.OrdinalIgnoreCase);
            var children = new List<RuleResultTree>(rule.Children.Length);
            foreach (var child in rule.Children)
            {
                var childResult = Evaluate(child, values, version, null, null);
                children.Add(childResult);
                if (settings.NestedRuleExecutionMode == NestedRuleExecutionMode.Performance && childResult.IsSuccess != isAnd) break;
            }
            result.ChildResults = children;
            result.IsSuccess = children.Count > 0 && (isAnd ? children.All(c => c.IsSuccess) : children.Any(c => c.IsSuccess));
            return result;
        }
        if (rule.ParseError is not null) return Fail(result, rule.ParseError, rule.ParseException);
        try
        {
            result.IsSuccess = rule.Predicate!(values);
        }
        catch (Exception ex)
        {
            var inner = ex is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : ex;
            return Fail(result, $"Error while executing rule : {inner.Message}", inner);
        }
        return result;
    }

    static void FillInputs(RuleResultTree result, string[] names, object?[] values) => result.SetInputs(names, values);

    RuleResultTree Fail(RuleResultTree result, string message, Exception? exception)
    {
        if (!settings.EnableExceptionAsErrorMessage) throw new RuleException(message, exception);
        result.IsSuccess = false;
        result.ExceptionMessage = settings.IgnoreException ? "" : message;
        result.Error = exception;
        return result;
    }

    // Both walk a list by index: a foreach over the interface boxes an enumerator, twice per workflow run.
    void FormatErrorMessages(List<RuleResultTree> results)
    {
        if (!settings.EnableFormattedErrorMessage) return;
        for (var i = 0; i < results.Count; i++)
            if (results[i] is { IsSuccess: false } result && string.IsNullOrWhiteSpace(result.ExceptionMessage) && result.Rule.ErrorMessage is { } template)
                result.ExceptionMessage = ErrorMessages.Format(template, result.Inputs);
    }

    async ValueTask ExecuteActionsAsync(IEnumerable<RuleResultTree> results)
    {
        if (results is List<RuleResultTree> list)
        {
            for (var i = 0; i < list.Count; i++)
                if (list[i].ChildResults is not null || list[i].Rule.Actions is not null) await ExecuteActionsAsync(list[i]);
            return;
        }
        foreach (var result in results) await ExecuteActionsAsync(result);
    }

    async ValueTask ExecuteActionsAsync(RuleResultTree result)
    {
        if (result.ChildResults is not null) await ExecuteActionsAsync(result.ChildResults);
        if (result.Rule.Actions is null) return;
        var action = await ExecuteActionForRuleResult(result, includeRuleResults: false);
        result.ActionResult = new ActionResult { Output = action.Output, Exception = action.Exception };
    }

    async ValueTask<ActionRuleResult> ExecuteActionForRuleResult(RuleResultTree result, bool includeRuleResults)
    {
        var info = result.IsSuccess ? result.Rule.Actions?.OnSuccess : result.Rule.Actions?.OnFailure;
        if (info is null) return new ActionRuleResult { Results = includeRuleResults ? [result] : [] };
        var context = new ActionContext(info.Context ?? [], result);
        var parameters = result.Inputs.Select(p => new RuleParameter(p.Key, p.Value)).ToArray();
        ActionBase action;
        try
        {
            action = CreateAction(info.Name);
        }
        catch (ArgumentException ex) when (settings.EnableExceptionAsErrorMessage)
        {
            return new ActionRuleResult { Exception = ex, Results = includeRuleResults ? [result] : [] };
        }
        return await action.ExecuteAndReturnResultAsync(context, parameters, includeRuleResults, settings.EnableExceptionAsErrorMessage);
    }

    ActionBase CreateAction(string? name)
    {
        if (name is not null && settings.CustomActions?.FirstOrDefault(a => a.Key == name).Value is { } factory) return factory();
        return name switch
        {
            "OutputExpression" => new OutputExpressionAction(parser),
            "EvaluateRule" => new EvaluateRuleAction(this, parser),
            _ => throw new ArgumentException($"Action '{name}' is not registered: use OutputExpression, EvaluateRule or a name from ReSettings.CustomActions"),
        };
    }
}
