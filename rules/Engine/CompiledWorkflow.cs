using System.Linq.Expressions;
using Actors.Rules.Expressions;

namespace Actors.Rules;

/// <summary>A scoped param compiled for one input shape: evaluates over the values of the symbols before it.</summary>
sealed record CompiledParam(string Name, Func<object?[], object?> Evaluate);

/// <summary>A rule compiled for one input shape.</summary>
sealed class CompiledRule
{
    public required Rule Rule { get; init; }
    /// <summary>Names of every symbol visible inside the rule, in the order of the values array.</summary>
    public required string[] SymbolNames { get; init; }
    public required CompiledParam[] Locals { get; init; }
    /// <summary>Set when a local param failed to compile ("Error while compiling rule ...").</summary>
    public string? CompileError { get; init; }
    public Exception? CompileException { get; init; }
    /// <summary>Set when the expression failed to parse or bind ("Exception while parsing expression ...").</summary>
    public string? ParseError { get; init; }
    public Exception? ParseException { get; init; }
    public Func<object?[], bool>? Predicate { get; set; }
    public CompiledRule[] Children { get; init; } = [];
    public bool IsNested => Rule.Operator is not null;
}

/// <summary>A workflow (with injected rules) compiled for one input shape: compile once, evaluate many.</summary>
sealed class CompiledWorkflow
{
    public required string[] InputNames { get; init; }
    public required Type[] InputTypes { get; init; }
    public required CompiledParam[] Globals { get; init; }
    /// <summary>Set when the global params cannot be used at all (a name collides with an input, or one fails to compile).</summary>
    public string? WorkflowError { get; init; }
    public Exception? WorkflowException { get; init; }
    public required CompiledRule[] Rules { get; init; }
}

static class CompiledWorkflowErrors
{
    /// <summary>Every rule that cannot run for this input shape, with its message (global param errors count for every rule).</summary>
    public static Dictionary<string, string> Of(CompiledWorkflow compiled)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (compiled.WorkflowError is { } workflowError) errors["(global params)"] = workflowError;
        void Walk(IEnumerable<CompiledRule> rules)
        {
            foreach (var rule in rules)
            {
                if ((rule.CompileError ?? rule.ParseError) is { } message) errors.TryAdd(rule.Rule.RuleName ?? "", message);
                Walk(rule.Children);
            }
        }
        Walk(compiled.Rules);
        return errors;
    }
}

/// <summary>Compiles workflows to delegates for a given set of input names and types.</summary>
sealed class WorkflowCompiler(ReSettings settings)
{
    /// <summary>Rule expressions bound but not yet compiled: compiled together, in batches, which is several times faster than one by one.</summary>
    readonly List<(CompiledRule Rule, Expression<Func<object?[], bool>> Lambda)> pending = [];
    const int BatchSize = 64;

    public CompiledWorkflow Compile(Workflow workflow, IReadOnlyList<Rule> rules, IReadOnlyList<ScopedParam> globals, RuleParameter[] inputs)
    {
        // One compilation at a time per engine: the pending batch is shared state.
        lock (pending) return CompileLocked(workflow, rules, globals, inputs);
    }

    CompiledWorkflow CompileLocked(Workflow workflow, IReadOnlyList<Rule> rules, IReadOnlyList<ScopedParam> globals, RuleParameter[] inputs)
    {
        var types = new TypeRegistry(settings.CustomTypes);
        if (settings.AutoRegisterInputType)
            foreach (var input in inputs)
                if (input.Type != typeof(object))
                {
                    try { types.AddType(input.Type); }
                    catch (ExpressionSecurityException) { /* a denied input type stays unreachable by name */ }
                }
        var symbols = inputs.Select(i => new Symbol(i.Name, i.Type)).ToList();
        var itIndex = inputs.Length == 1 ? 0 : -1;
        var compiledGlobals = new List<CompiledParam>();
        string? workflowError = null;
        Exception? workflowException = null;
        if (settings.EnableScopedParams)
        {
            var comparer = settings.IsExpressionCaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
            var collision = globals.FirstOrDefault(g => inputs.Any(i => comparer.Equals(i.Name, g.Name)));
            if (collision is not null)
                workflowError = $"Input '{collision.Name}' collides with the global param '{collision.Name}' of workflow '{workflow.WorkflowName}': rename the input or the param";
            else
                foreach (var global in globals)
                {
                    try
                    {
                        compiledGlobals.Add(CompileParam(global, symbols, types, itIndex, out var type));
                        symbols.Add(new Symbol(global.Name!, type));
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        workflowError = $"Error while compiling global param '{global.Name}': {ex.Message}";
                        workflowException = ex;
                        break;
                    }
                }
        }
        var compiledRules = rules.Where(r => r.Enabled).Select(r => CompileRule(r, symbols, types, itIndex, workflowError is not null)).ToArray();
        CompilePending();
        return new CompiledWorkflow
        {
            InputNames = inputs.Select(i => i.Name).ToArray(),
            InputTypes = inputs.Select(i => i.Type).ToArray(),
            Globals = [.. compiledGlobals],
            WorkflowError = workflowError,
            WorkflowException = workflowException,
            Rules = compiledRules,
        };
    }

    CompiledParam CompileParam(ScopedParam param, IReadOnlyList<Symbol> symbols, TypeRegistry types, int itIndex, out Type type)
    {
        var node = Parser.Parse(param.Expression ?? "");
        SecurityPolicy.CheckSyntax(node);
        var lambda = Binder.BindUntyped(node, symbols, types, settings.IsExpressionCaseSensitive, itIndex, out type);
        return new CompiledParam(param.Name!, lambda.Compile());
    }

    CompiledRule CompileRule(Rule rule, IReadOnlyList<Symbol> parentSymbols, TypeRegistry types, int itIndex, bool skipBody)
    {
        var symbols = parentSymbols.ToList();
        var locals = new List<CompiledParam>();
        if (settings.EnableScopedParams)
            foreach (var local in rule.LocalParams ?? [])
            {
                try
                {
                    locals.Add(CompileParam(local, symbols, types, itIndex, out var type));
                    symbols.Add(new Symbol(local.Name!, type));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    return new CompiledRule
                    {
                        Rule = rule, SymbolNames = symbols.Select(s => s.Name).ToArray(), Locals = [],
                        CompileError = $"Error while compiling rule `{rule.RuleName}`: {ex.Message}", CompileException = ex,
                    };
                }
            }
        var names = symbols.Select(s => s.Name).ToArray();
        if (rule.Operator is not null)
        {
            return new CompiledRule
            {
                Rule = rule, SymbolNames = names, Locals = [.. locals],
                Children = (rule.Rules ?? []).Where(r => r.Enabled).Select(r => CompileRule(r, symbols, types, itIndex, skipBody)).ToArray(),
            };
        }
        if (skipBody) return new CompiledRule { Rule = rule, SymbolNames = names, Locals = [.. locals] };
        try
        {
            var node = Parser.Parse(rule.Expression ?? "");
            SecurityPolicy.CheckSyntax(node);
            var lambda = Binder.Bind<bool>(node, symbols, types, settings.IsExpressionCaseSensitive, itIndex);
            var compiled = new CompiledRule { Rule = rule, SymbolNames = names, Locals = [.. locals] };
            pending.Add((compiled, lambda));
            return compiled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new CompiledRule
            {
                Rule = rule, SymbolNames = names, Locals = [.. locals],
                ParseError = $"Exception while parsing expression `{rule.Expression}` - {ex.Message}", ParseException = ex,
            };
        }
    }

    /// <summary>Compiles the pending rule lambdas as one switch per batch; each rule's predicate calls its case.</summary>
    void CompilePending()
    {
        foreach (var batch in pending.Chunk(BatchSize))
        {
            var index = Expression.Parameter(typeof(int), "rule");
            var args = Expression.Parameter(typeof(object?[]), "args");
            var cases = batch.Select((p, i) => Expression.SwitchCase(Expression.Invoke(p.Lambda, args), Expression.Constant(i))).ToArray();
            var all = Expression.Lambda<Func<int, object?[], bool>>(Expression.Switch(index, Expression.Constant(false), cases), index, args).Compile();
            for (var i = 0; i < batch.Length; i++)
            {
                var at = i;
                batch[i].Rule.Predicate = values => all(at, values);
            }
        }
        pending.Clear();
    }
}
