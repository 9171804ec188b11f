using System.Collections.Concurrent;
using Actors.Rules.Expressions;

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
        return Compile<T>(expression, shaped)(shaped.Select(p => p.Value).ToArray());
    }

    /// <summary>Compiles <paramref name="expression"/> for the parameters' names and types; the delegate takes their values in order.</summary>
    public Func<object?[], T> Compile<T>(string expression, RuleParameter[] ruleParams)
    {
        var key = typeof(T).FullName + "|" + expression + "|" + string.Join(",", ruleParams.Select(p => p.Name + ":" + p.Type.AssemblyQualifiedName));
        return (Func<object?[], T>)cache.GetOrAdd(key, _ =>
        {
            var types = new TypeRegistry(settings.CustomTypes);
            if (settings.AutoRegisterInputType)
                foreach (var p in ruleParams.Where(p => p.Type != typeof(object)))
                {
                    try { types.AddType(p.Type); }
                    catch (ExpressionSecurityException) { /* stays unreachable by name */ }
                }
            var node = Parser.Parse(expression);
            SecurityPolicy.CheckSyntax(node);
            var symbols = ruleParams.Select(p => new Symbol(p.Name, p.Type)).ToList();
            return Binder.Bind<T>(node, symbols, types, settings.IsExpressionCaseSensitive, ruleParams.Length == 1 ? 0 : -1).Compile();
        });
    }

    internal static RuleParameter Shape(RuleParameter p) =>
        InputShapes.NeedsShaping(p.Value) ? new RuleParameter(p.Name, InputShapes.ToTyped(p.Value)) : p;
}
