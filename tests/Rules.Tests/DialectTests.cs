using System.Dynamic;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Actors.Rules.Tests;

/// <summary>The Dynamic LINQ dialect analysts write: words for operators, in, iif, np, it, conversions, promotion.</summary>
public sealed class DialectTests
{
    public enum Fuel { Diesel, Petrol, Electric }

    public sealed record Transaction(decimal Amount, Fuel Fuel, string? Station, int Liters, List<string> Tags);

    static T Eval<T>(string expression, params RuleParameter[] ps) => new RuleExpressionParser().Evaluate<T>(expression, ps);

    static readonly Transaction Sample = new(100m, Fuel.Petrol, null, 40, ["night", "highway"]);

    [Theory]
    [InlineData("t.Amount > 50 AND t.Liters < 50", true)]
    [InlineData("t.Amount > 500 OR NOT (t.Liters = 40)", false)]
    [InlineData("t.Liters <> 40", false)]
    [InlineData("t.Liters in (10, 20, 40)", true)]
    [InlineData("t.Fuel == \"Petrol\"", true)]
    [InlineData("t.Fuel == 1", true)]
    [InlineData("t.Fuel in (\"Diesel\", \"Electric\")", false)]
    [InlineData("t.Amount * 0.9 == 90", true)]
    [InlineData("iif(t.Liters > 30, \"big\", \"small\") == \"big\"", true)]
    [InlineData("np(t.Station.Length, 0) == 0", true)]
    [InlineData("t.Tags.Any(it == \"night\") && t.Tags.Any(x => x.StartsWith(\"high\"))", true)]
    [InlineData("t.Tags.Where(Length > 5).Count() == 1", true)]
    [InlineData("t.Tags.FirstOrDefault(StartsWith(\"n\")) == \"night\"", true)]
    [InlineData("int(t.Amount) == 100 && double(t.Liters) / 3 > 13.3", true)]
    [InlineData("T.AMOUNT == 100", true)]
    [InlineData("Math.Max(t.Liters, 10) == 40 && string.IsNullOrEmpty(t.Station)", true)]
    public void Expressions_over_a_typed_input(string expression, bool expected) =>
        Assert.Equal(expected, Eval<bool>(expression, new RuleParameter("t", Sample)));

    [Fact]
    public void New_with_as_builds_a_record_readable_by_name()
    {
        var record = (System.Linq.Dynamic.Core.DynamicClass)Eval<object>("new (t.Liters as L, t.Amount * 2 as Double)", new RuleParameter("t", Sample))!;
        Assert.Equal(40, record["L"]);
        Assert.Equal(200m, record["Double"]);
    }

    [Fact]
    public void Dictionaries_expandos_and_json_inputs_are_read_by_member_name()
    {
        dynamic expando = new ExpandoObject();
        expando.country = "BE";
        expando.limits = new ExpandoObject();
        expando.limits.daily = 250L;
        var json = JsonDocument.Parse("""{"country":"BE","limits":{"daily":250}}""").RootElement;
        var dict = new Dictionary<string, object?> { ["country"] = "BE", ["limits"] = new Dictionary<string, object?> { ["daily"] = 250 } };
        foreach (var input in new object[] { expando, json, dict })
            Assert.True(Eval<bool>("x.Country == \"BE\" AND x.limits.Daily >= 200", new RuleParameter("x", input)));
    }

    [Fact]
    public void Syntax_errors_say_where()
    {
        var ex = Assert.Throws<ExpressionParseException>(() => Eval<bool>("t.Liters > ", new RuleParameter("t", Sample)));
        Assert.Equal("Expression expected", ex.Message);
        Assert.Equal(11, ex.Position);
    }

    [Fact]
    public void Integer_comparisons_agree_with_CSharp_for_any_values() =>
        Prop.ForAll<int, int>((a, b) =>
            Eval<bool>("a < b", RuleParameter.Create("a", a), RuleParameter.Create("b", b)) == (a < b)
            && Eval<bool>("a = b OR a > b", RuleParameter.Create("a", a), RuleParameter.Create("b", b)) == (a >= b)
            && Eval<long>("a + b", RuleParameter.Create("a", (long)a), RuleParameter.Create("b", (long)b)) == (long)a + b)
        .QuickCheckThrowOnFailure();

    [Fact]
    public void Decimal_arithmetic_with_real_literals_is_exact() =>
        Prop.ForAll<int>(cents =>
        {
            var amount = cents / 100m;
            return Eval<decimal>("x * 0.9", RuleParameter.Create("x", amount)) == amount * 0.9m;
        }).QuickCheckThrowOnFailure();
}

/// <summary>Bad expressions get a clear error, never a crash: parsing and binding arbitrary text fails only with the engine's own exceptions.</summary>
public sealed class RobustnessTests
{
    static readonly string[] Pieces =
        ["t", ".", "Liters", "Amount", "Tags", "(", ")", "[", "]", "{", "}", ",", "==", "=", "<>", "&&", "AND", "or", "not", "!", "+", "-", "*", "/", "?", ":",
         "1", "0.9", "\"x\"", "'y'", "null", "true", "in", "iif", "np", "new", "as", "it", "Any", "Where", "x", "=>", "Count", "Sum", "int", "String", "Math", ".Max", " "];

    [Fact]
    public void Arbitrary_token_soup_is_refused_with_a_clear_error() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Pieces)).Select(p => string.Concat(p)).ToArbitrary(), text =>
        {
            try
            {
                new RuleExpressionParser().Evaluate<object>(text, [new RuleParameter("t", new DialectTests.Transaction(1m, DialectTests.Fuel.Diesel, null, 2, ["a"]))]);
            }
            catch (Exception ex) when (ex is ExpressionParseException or ExpressionSecurityException or InvalidOperationException or ArgumentException
                                       or InvalidCastException or NotSupportedException or NullReferenceException or DivideByZeroException or FormatException or OverflowException)
            {
                // Parse/bind errors, and run-time errors of well-typed expressions (null member, division by zero), are expected.
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(5000));

    [Fact]
    public void Arbitrary_characters_never_crash_the_parser() =>
        Prop.ForAll<string>(text =>
        {
            // The load check reports a problem or none; it never throws, whatever the text.
            _ = new Actors.Rules.Expressions.Dialect(new ReSettings()).ProblemAtLoad(text ?? "");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
}
