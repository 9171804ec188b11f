using System.Text.Json.Serialization;

namespace Actors.Rules;

/// <summary>How a rule's expression is written; RulesEngine knows only lambda expressions.</summary>
public enum RuleExpressionType
{
    LambdaExpression = 0,
}

/// <summary>Whether nested rules evaluate every child (All) or stop at the first decisive one (Performance).</summary>
public enum NestedRuleExecutionMode
{
    All,
    Performance,
}

/// <summary>A named expression evaluated once per call (global) or per rule (local) and visible to later expressions.</summary>
public sealed class ScopedParam
{
    public string? Name { get; set; }
    public string? Expression { get; set; }
}

/// <summary>One action to run after a rule: a built-in (<c>OutputExpression</c>, <c>EvaluateRule</c>) or a registered custom action.</summary>
public sealed class ActionInfo
{
    public string? Name { get; set; }
    public Dictionary<string, object?>? Context { get; set; }
}

/// <summary>Actions run when a rule succeeds or fails.</summary>
public sealed class RuleActions
{
    public ActionInfo? OnSuccess { get; set; }
    public ActionInfo? OnFailure { get; set; }
}

/// <summary>A rule as RulesEngine defines it: an expression, or an operator over nested rules.</summary>
public sealed class Rule
{
    public string? RuleName { get; set; }
    public Dictionary<string, object?>? Properties { get; set; }
    public string? Operator { get; set; }
    public string? ErrorMessage { get; set; }
    public bool Enabled { get; set; } = true;
    public RuleExpressionType RuleExpressionType { get; set; } = RuleExpressionType.LambdaExpression;
    public List<string>? WorkflowsToInject { get; set; }
    public List<Rule>? Rules { get; set; }
    public List<ScopedParam>? LocalParams { get; set; }
    public string? Expression { get; set; }
    public RuleActions? Actions { get; set; }
    public string? SuccessEvent { get; set; }
}

/// <summary>A named list of rules with global params, possibly pulling in the rules of other workflows.</summary>
public sealed class Workflow
{
    public string? WorkflowName { get; set; }
    public List<string>? WorkflowsToInject { get; set; }
    public List<ScopedParam>? GlobalParams { get; set; }
    public List<Rule>? Rules { get; set; }
}

/// <summary>Settings with RulesEngine's names and defaults.</summary>
public sealed class ReSettings
{
    /// <summary>Types whose static and instance members expressions may use, besides the predefined ones and the input types.</summary>
    public Type[]? CustomTypes { get; set; }
    /// <summary>Custom actions by name, created fresh per use.</summary>
    public Dictionary<string, Func<ActionBase>>? CustomActions { get; set; }
    /// <summary>Rule errors become <see cref="RuleResultTree.ExceptionMessage"/> instead of a thrown <see cref="RuleException"/>.</summary>
    public bool EnableExceptionAsErrorMessage { get; set; } = true;
    /// <summary>Rule errors leave the message empty (the rule simply fails).</summary>
    public bool IgnoreException { get; set; }
    /// <summary>Failed rules carry their <see cref="Rule.ErrorMessage"/> with <c>$(x)</c> placeholders filled in.</summary>
    public bool EnableFormattedErrorMessage { get; set; } = true;
    public bool EnableScopedParams { get; set; } = true;
    public bool IsExpressionCaseSensitive { get; set; }
    public bool AutoRegisterInputType { get; set; } = true;
    public bool AutoExecuteActions { get; set; } = true;
    public NestedRuleExecutionMode NestedRuleExecutionMode { get; set; } = NestedRuleExecutionMode.All;
    /// <summary>Compiles expressions with FastExpressionCompiler, one delegate each, instead of System.Linq.Expressions in batches.</summary>
    public bool UseFastExpressionCompiler { get; set; }
    /// <summary>Parses and compiles the rules of a workflow on several threads; results are the same either way.</summary>
    public bool EnableParallelRuleCompilation { get; set; }
}

/// <summary>An input to a workflow under the name expressions use for it.</summary>
public sealed class RuleParameter
{
    public RuleParameter(string name, object? value)
    {
        Name = name;
        Value = value;
        Type = value?.GetType() ?? typeof(object);
    }

    public RuleParameter(string name, object? value, Type type)
    {
        Name = name;
        Value = value;
        Type = type;
    }

    public string Name { get; }
    public object? Value { get; }
    public Type Type { get; }

    public static RuleParameter Create<T>(string name, T value) => new(name, value, typeof(T));
}

/// <summary>What an action produced, or why it failed.</summary>
public sealed class ActionResult
{
    public object? Output { get; set; }
    public Exception? Exception { get; set; }
}

/// <summary>The result of <see cref="RulesEngine.ExecuteActionWorkflowAsync"/>: the action's output and every rule result on the way.</summary>
public sealed class ActionRuleResult
{
    public object? Output { get; set; }
    public Exception? Exception { get; set; }
    public List<RuleResultTree> Results { get; set; } = [];
}

/// <summary>The outcome of one rule, as RulesEngine reports it.</summary>
public sealed class RuleResultTree
{
    public required Rule Rule { get; init; }
    public bool IsSuccess { get; set; }
    public IEnumerable<RuleResultTree>? ChildResults { get; set; }
    /// <summary>Inputs and the scoped params in force for this rule, by name.</summary>
    /// <remarks>
    /// Built when first read: most callers look only at <see cref="IsSuccess"/>, and a dictionary per rule per
    /// evaluation was the largest allocation of a fleet authorization (20 rules).
    /// </remarks>
    public Dictionary<string, object?> Inputs
    {
        get
        {
            if (inputs is not null) return inputs;
            inputs = new Dictionary<string, object?>(inputNames.Length);
            for (var i = 0; i < inputNames.Length && i < inputValues.Length; i++) inputs[inputNames[i]] = inputValues[i];
            return inputs;
        }
        set => inputs = value;
    }

    private Dictionary<string, object?>? inputs;
    private string[] inputNames = [];
    private object?[] inputValues = [];

    /// <summary>The names and values the rule saw; the arrays are not changed after the rule ran.</summary>
    internal void SetInputs(string[] names, object?[] values) => (inputs, inputNames, inputValues) = (null, names, values);
    public ActionResult? ActionResult { get; set; }
    /// <summary>Empty on success; the error or the formatted <see cref="Rule.ErrorMessage"/> otherwise.</summary>
    public string ExceptionMessage { get; set; } = "";
    /// <summary>Content hash of the workflow version that produced this result.</summary>
    public string? WorkflowVersion { get; set; }
    [JsonIgnore]
    internal Exception? Error { get; set; }
}

/// <summary>A workflow is invalid: the message names the workflow, the rule and the problem.</summary>
public sealed class RuleValidationException(string message) : Exception(message);

/// <summary>A rule failed to compile or run while <see cref="ReSettings.EnableExceptionAsErrorMessage"/> is off.</summary>
public sealed class RuleException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An expression is outside what rule files may use (file system, processes, reflection ...).</summary>
public sealed class ExpressionSecurityException(string message, int position = -1) : Exception(message)
{
    /// <summary>Where in the expression the refused name stands; -1 when it cannot be told.</summary>
    public int Position { get; } = position;
}

/// <summary>A syntax or binding error in an expression.</summary>
public sealed class ExpressionParseException(string message, int position = -1) : Exception(message)
{
    public int Position { get; } = position;
}
