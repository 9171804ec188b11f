// CLR types the upstream tests use as inputs and custom types, transcribed from cases.json's clrType descriptions.
#pragma warning disable CA1050
namespace Actors.Rules.Tests.Conformance;

public class RuleTestClass
{
    public string? Country { get; set; }
    public int LoyaltyFactor { get; set; }
    public int TotalPurchasesToDate { get; set; }
}

public class TestInstanceUtils
{
    public bool CheckExists(string str) => !string.IsNullOrEmpty(str);
}

public enum RuoloAttore { A, B, C }

public class Attore
{
    public Guid Id { get; set; }
    public string? Nome { get; set; }
    public RuoloAttore RuoloAttore { get; set; }
}

public class Transazione
{
    public static string StaticProperty { get; set; } = "Hello";
    public List<Attore> Attori { get; set; } = [];
}

public class MyObject
{
    public string? Name { get; set; }
    public int Count { get; set; }
}

public class Issue513Record
{
    public int Id { get; set; }
    public string? Tag { get; set; }
}

public class MyParam
{
    public string? Value1 { get; set; }
    public string? Value2 { get; set; }
}

/// <summary>Its getter throws on the first read only (upstream issue 590: an error must not leak into the next run).</summary>
public class FlakyInput
{
    int reads;
    readonly string simpleProp;
    public FlakyInput(string simpleProp) => this.simpleProp = simpleProp;
    public string SimpleProp => reads++ == 0 ? throw new ArgumentException("first-call-failure") : simpleProp;
}

public class Line
{
    public IReadOnlyList<string> Modifiers { get; set; } = [];
}

public class Detail
{
    public decimal? Amount { get; set; }
}

public class AppData
{
    public List<Detail> Details { get; set; } = [];
}

public class WithNullableDate
{
    public DateTime? Dt { get; set; }
}

public class Inner
{
    public string? Name { get; set; }
}

public class Nested
{
    public Inner? Inner { get; set; }
}

public class SimpleInput
{
    public int Value { get; set; }
    public string? Name { get; set; }
}

public class ReturnTypeForIssue717
{
    public int val { get; set; }
}

public static class FunctionsForIssue717
{
    public static object CheckValueAsObject(SimpleInput input) => new ReturnTypeForIssue717 { val = input.Value > 5 ? 1 : 0 };
    public static ReturnTypeForIssue717 CheckValueTyped(SimpleInput input) => new() { val = input.Value > 5 ? 1 : 0 };
}

public static class Issue714Counter
{
    static int callCount;
    public static int CallCount => callCount;
    public static void Reset() => callCount = 0;
    public static string FromDb(string s)
    {
        Interlocked.Increment(ref callCount);
        return s;
    }
}

/// <summary>rules10: an anonymous input whose Data is a System.Text.Json JsonElement.</summary>
public class WithJsonData
{
    public System.Text.Json.JsonElement Data { get; set; }
}

public sealed class ReturnContextAction : ActionBase
{
    public override ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters)
    {
        var s = context.GetContext<string>("stringContext");
        var i = context.GetContext<int>("intContext");
        var o = context.GetContext<object>("objectContext");
        return ValueTask.FromResult<object?>(new { s, i, o });
    }
}

public sealed class NoContextAction : ActionBase
{
    public bool WasRun { get; private set; }
    public override ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters)
    {
        WasRun = true;
        return ValueTask.FromResult<object?>("done");
    }
}

public sealed class CountingAction(Action onRun) : ActionBase
{
    public override ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters)
    {
        onRun();
        return ValueTask.FromResult<object?>("done");
    }
}

public sealed class ThrowingAction : ActionBase
{
    public override ValueTask<object?> Run(ActionContext context, RuleParameter[] ruleParameters) =>
        throw new InvalidOperationException("boom from custom action");
}
