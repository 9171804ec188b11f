using System.Linq.Dynamic.Core;
using System.Linq.Dynamic.Core.Exceptions;
using System.Linq.Dynamic.Core.Parser;
using System.Linq.Expressions;

namespace Actors.Rules.Expressions;

/// <summary>
/// RulesEngine's expression language, which is System.Linq.Dynamic.Core's: parsed by that library, configured as
/// RulesEngine configures it (its custom types, its case sensitivity, every other setting at Dynamic LINQ's default),
/// and every tree checked by the <see cref="Sandbox"/> before it is compiled.
/// </summary>
public sealed class Dialect
{
    readonly ParsingConfig config;
    /// <summary>The load check's own config: untyped inputs compare with typed values, so parsing goes on to the syntax behind them.</summary>
    readonly ParsingConfig loadConfig;

    public Dialect(ReSettings settings, IEnumerable<Type>? inputTypes = null)
    {
        Types = new RuleTypes(settings.CustomTypes, settings.AutoRegisterInputType ? inputTypes : null);
        config = new ParsingConfig { CustomTypeProvider = Types, IsCaseSensitive = settings.IsExpressionCaseSensitive };
        loadConfig = new ParsingConfig { CustomTypeProvider = Types, IsCaseSensitive = settings.IsExpressionCaseSensitive, ConvertObjectToSupportComparison = true };
    }

    /// <summary>The types expressions may name.</summary>
    public RuleTypes Types { get; }

    /// <summary>
    /// Parses <paramref name="text"/> over <paramref name="parameters"/> (typed to <paramref name="returnType"/> unless
    /// null) and checks the tree. Throws <see cref="ExpressionParseException"/> or <see cref="ExpressionSecurityException"/>.
    /// </summary>
    public Expression Parse(string text, ParameterExpression[] parameters, Type? returnType)
    {
        Sandbox.CheckNames(text, config);
        Expression tree;
        try
        {
            tree = new ExpressionParser(parameters, text, [], config).Parse(returnType);
        }
        catch (ParseException ex)
        {
            throw new ExpressionParseException(ex.Message, ex.Position);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException or IndexOutOfRangeException or InvalidCastException)
        {
            // Dynamic LINQ reports some type errors with the exceptions of System.Linq.Expressions; RulesEngine shows their message.
            throw new ExpressionParseException(ex.Message);
        }
        Sandbox.Check(tree, text);
        return tree;
    }

    /// <summary>
    /// What is wrong with <paramref name="text"/> whatever the inputs are: a syntax error or a refused name, with its
    /// position; null when nothing is. Inputs are not known when a file loads, so every name the expression reads from
    /// is taken as an untyped input: the tree Dynamic LINQ builds is then checked as far as the parse goes, and errors
    /// that depend on input types (a member misspelt, an operator on the wrong type) wait for the inputs.
    /// </summary>
    public LoadProblem? ProblemAtLoad(string text)
    {
        try
        {
            Sandbox.CheckNames(text, config);
            var inputs = new List<ParameterExpression>();
            for (var attempt = 0; attempt < 32; attempt++)
            {
                try
                {
                    Sandbox.Check(new ExpressionParser([.. inputs], text, [], loadConfig).Parse(null), text);
                    return null;
                }
                catch (ParseException ex) when (UnknownIdentifier(ex.Message) is { } name && inputs.TrueForAll(i => i.Name != name))
                {
                    inputs.Add(Expression.Parameter(typeof(object), name));
                }
                catch (ParseException ex) when (IsSyntaxError(ex.Message))
                {
                    return new LoadProblem($"Syntax error at position {ex.Position}: {ex.Message}", ex.Position, IsSyntax: true);
                }
                catch (Exception ex) when (ex is ParseException or InvalidOperationException or ArgumentException or NotSupportedException or IndexOutOfRangeException or InvalidCastException)
                {
                    return null; // a type error, which the inputs' types decide
                }
            }
            return null;
        }
        catch (ExpressionSecurityException ex)
        {
            return new LoadProblem(ex.Message, ex.Position, IsSyntax: false);
        }
    }

    /// <summary>Why an expression cannot load: a syntax error, or (when not <paramref name="IsSyntax"/>) a refused name.</summary>
    public sealed record LoadProblem(string Message, int Position, bool IsSyntax);

    static string? UnknownIdentifier(string message)
    {
        const string prefix = "Unknown identifier '";
        return message.StartsWith(prefix, StringComparison.Ordinal) && message.EndsWith('\'') ? message[prefix.Length..^1] : null;
    }

    /// <summary>Dynamic LINQ's messages for text that is not an expression at all, as opposed to one over the wrong types.</summary>
    static bool IsSyntaxError(string message) =>
        (message.EndsWith(" expected", StringComparison.Ordinal) && !message.StartsWith("Expression of type", StringComparison.Ordinal))
        || message.StartsWith("Syntax error", StringComparison.Ordinal) || message.StartsWith("Unterminated", StringComparison.Ordinal)
        || message.StartsWith("Invalid integer literal", StringComparison.Ordinal) || message.StartsWith("Invalid real literal", StringComparison.Ordinal)
        || message.StartsWith("Invalid binary", StringComparison.Ordinal) || message.StartsWith("Character literal", StringComparison.Ordinal)
        || message.StartsWith("Unexpected", StringComparison.Ordinal) || message.StartsWith("Expression is missing an 'as' clause", StringComparison.Ordinal)
        || message.StartsWith("An escaped string", StringComparison.Ordinal);
}
