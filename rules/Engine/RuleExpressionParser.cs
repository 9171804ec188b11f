using System.Collections.Concurrent;
using Actors.Rules.Expressions;
using FastExpressionCompiler;

namespace Actors.Rules;

/// <summary>Evaluates a single expression over named parameters, as RulesEngine's <c>RuleExpressionParser</c>; compiled delegates are cached.</summary>
public sealed class RuleExpressionParser(ReSettings? settings = null)
{
    readonly ReSettings settings = settings ?? new ReSettings();
    readonly ConcurrentDictionary<string, Delegate> cache = new();

    /// <summary>Evaluates <paramref name="expression"/> with the parameters' values.</summary>
    public T Evaluate<T>(string expression, RuleParameter[] ruleParams)
    {
        var shaped = ruleParams.Select(Shape).ToArray();
        var values = new object?[shaped.Length];
        for (var i = 0; i < values.Length; i++) values[i] = shaped[i].Value;
        return Compile<T>(expression, shaped)(values);
    }

    /// <summary>Compiles <paramref name="expression"/> for the parameters' names and types; the delegate takes their values in order.</summary>
    public Func<object?[], T> Compile<T>(string expression, RuleParameter[] ruleParams)
    {
        var key = typeof(T).FullName + "|" + expression + "|" + string.Join(",", ruleParams.Select(p => p.Name + ":" + p.Type.AssemblyQualifiedName));
        return (Func<object?[], T>)cache.GetOrAdd(key, _ =>
        {
            var dialect = new Dialect(settings, ruleParams.Select(p => p.Type));
            var symbols = ruleParams.Select(p => new Symbol(p.Name, p.Type)).ToList();
            // As RulesEngine: an object result takes the expression's own type, any other must be that type.
            var returnType = typeof(T) == typeof(object) ? null : typeof(T);
            var lambda = ExpressionLambda.Over<T>(dialect, expression, symbols, returnType, out Type _);
            return settings.UseFastExpressionCompiler ? lambda.CompileFast() : lambda.Compile();
        });
    }

    internal static RuleParameter Shape(RuleParameter p) =>
        InputShapes.NeedsShaping(p.Value) ? new RuleParameter(p.Name, InputShapes.ToTyped(p.Value)) : p;
}
