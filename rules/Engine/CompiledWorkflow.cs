using System.Linq.Expressions;
using FastExpressionCompiler;
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

/// <summary>A name visible to an expression (an input or a scoped param) and its static type.</summary>
readonly record struct Symbol(string Name, Type Type);

/// <summary>Compiles workflows to delegates for a given set of input names and types.</summary>
sealed class WorkflowCompiler(ReSettings settings)
{
    /// <summary>Rule expressions parsed but not yet compiled: compiled together, in batches, which is several times faster than one by one.</summary>
    readonly List<(CompiledRule Rule, Expression<Func<object?[], bool>> Lambda)> pending = [];
    const int BatchSize = 64;
    /// <summary>Guards <see cref="pending"/> while rules are parsed in parallel.</summary>
    readonly Lock batchLock = new();

    public CompiledWorkflow Compile(Workflow workflow, IReadOnlyList<Rule> rules, IReadOnlyList<ScopedParam> globals, RuleParameter[] inputs)
    {
        // One compilation at a time per engine: the pending batch is shared state.
        lock (pending) return CompileLocked(workflow, rules, globals, inputs);
    }

    CompiledWorkflow CompileLocked(Workflow workflow, IReadOnlyList<Rule> rules, IReadOnlyList<ScopedParam> globals, RuleParameter[] inputs)
    {
        var dialect = new Dialect(settings, inputs.Select(i => i.Type));
        var symbols = inputs.Select(i => new Symbol(i.Name, i.Type)).ToList();
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
                        compiledGlobals.Add(CompileParam(dialect, global, symbols, out var type));
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
        var enabled = rules.Where(r => r.Enabled).ToArray();
        var compiledRules = new CompiledRule[enabled.Length];
        var skip = workflowError is not null;
        if (settings.EnableParallelRuleCompilation)
            Parallel.For(0, enabled.Length, i => compiledRules[i] = CompileRule(dialect, enabled[i], symbols, skip));
        else
            for (var i = 0; i < enabled.Length; i++) compiledRules[i] = CompileRule(dialect, enabled[i], symbols, skip);
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

    CompiledParam CompileParam(Dialect dialect, ScopedParam param, IReadOnlyList<Symbol> symbols, out Type type)
    {
        var lambda = ExpressionLambda.Over<object?>(dialect, param.Expression ?? "", symbols, null, out type);
        return new CompiledParam(param.Name!, settings.UseFastExpressionCompiler ? lambda.CompileFast() : lambda.Compile());
    }

    CompiledRule CompileRule(Dialect dialect, Rule rule, IReadOnlyList<Symbol> parentSymbols, bool skipBody)
    {
        var symbols = parentSymbols.ToList();
        var locals = new List<CompiledParam>();
        if (settings.EnableScopedParams)
            foreach (var local in rule.LocalParams ?? [])
            {
                try
                {
                    locals.Add(CompileParam(dialect, local, symbols, out var type));
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
                Children = (rule.Rules ?? []).Where(r => r.Enabled).Select(r => CompileRule(dialect, r, symbols, skipBody)).ToArray(),
            };
        }
        if (skipBody) return new CompiledRule { Rule = rule, SymbolNames = names, Locals = [.. locals] };
        try
        {
            var lambda = ExpressionLambda.Over<bool>(dialect, rule.Expression ?? "", symbols, typeof(bool), out _);
            var compiled = new CompiledRule { Rule = rule, SymbolNames = names, Locals = [.. locals] };
            if (settings.UseFastExpressionCompiler) compiled.Predicate = lambda.CompileFast();
            else lock (batchLock) pending.Add((compiled, lambda));
            return compiled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new CompiledRule
            {
                Rule = rule, SymbolNames = names, Locals = [.. locals],
                ParseError = $"Exception while parsing expression `{rule.Expression}` - {ex.Message}{ObjectHint(ex.Message, rule.Expression)}", ParseException = ex,
            };
        }
    }

    /// <summary>RulesEngine's hint when a method declared to return object is read from: Dynamic LINQ cannot look into object.</summary>
    static string ObjectHint(string message, string? expression) =>
        (message.Contains("exists in type 'Object'") || message.Contains("'System.Object'")) && expression?.Contains('(') == true
            ? " (Hint: a method called in this expression appears to have an `object` return type. Change its return type to the concrete class — Dynamic.Core cannot resolve members or operators on `object`.)"
            : "";

    /// <summary>Compiles the pending rule lambdas as one switch per batch; each rule's predicate calls its case.</summary>
    void CompilePending()
    {
        var batches = pending.Chunk(BatchSize).ToArray();
        if (settings.EnableParallelRuleCompilation && batches.Length > 1) Parallel.ForEach(batches, CompileBatch);
        else foreach (var batch in batches) CompileBatch(batch);
        pending.Clear();
    }

    static void CompileBatch((CompiledRule Rule, Expression<Func<object?[], bool>> Lambda)[] batch)
    {
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
    }
}

/// <summary>An expression of the dialect as a delegate over the values of the symbols, in order.</summary>
static class ExpressionLambda
{
    /// <summary>
    /// Parses <paramref name="text"/> with the symbols as parameters and wraps it in <c>Func&lt;object?[], T&gt;</c>
    /// that reads only the symbols the expression uses; <paramref name="type"/> is the expression's own type.
    /// </summary>
    public static Expression<Func<object?[], T>> Over<T>(Dialect dialect, string text, IReadOnlyList<Symbol> symbols, Type? returnType, out Type type)
    {
        var parameters = new ParameterExpression[symbols.Count];
        for (var i = 0; i < parameters.Length; i++) parameters[i] = Expression.Parameter(symbols[i].Type, symbols[i].Name);
        var body = dialect.Parse(text, parameters, returnType);
        if (body.Type == typeof(void)) throw new ExpressionParseException("The expression does not return a value");
        type = body.Type;
        var used = UsedParameters.Of(body);
        var args = Expression.Parameter(typeof(object?[]), "args");
        var steps = new List<Expression>();
        var variables = new List<ParameterExpression>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!used.Contains(parameters[i])) continue;
            variables.Add(parameters[i]);
            var value = Expression.ArrayIndex(args, Expression.Constant(i));
            steps.Add(Expression.Assign(parameters[i], parameters[i].Type == typeof(object) ? value : Expression.Convert(value, parameters[i].Type)));
        }
        steps.Add(body.Type == typeof(T) ? body : Expression.Convert(body, typeof(T)));
        return Expression.Lambda<Func<object?[], T>>(Expression.Block(typeof(T), variables, steps), args);
    }

    /// <summary>The parameters a tree reads: an input a rule never names costs nothing per evaluation.</summary>
    sealed class UsedParameters : ExpressionVisitor
    {
        readonly HashSet<ParameterExpression> found = [];

        public static HashSet<ParameterExpression> Of(Expression tree)
        {
            var walker = new UsedParameters();
            walker.Visit(tree);
            return walker.found;
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            found.Add(node);
            return node;
        }
    }
}
