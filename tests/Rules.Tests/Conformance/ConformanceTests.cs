using System.Text.Json;

namespace Actors.Rules.Tests.Conformance;

/// <summary>Every case of ../shared/conformance/rulesengine/cases.json, taken from RulesEngine's own test suite.</summary>
public sealed class ConformanceTests
{
    public static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFolder.RulesEngineConformance, "cases.json"))).RootElement.GetProperty("cases");

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.EnumerateArray()) data.Add(c.GetProperty("id").GetString()!);
        return data;
    }

    [Fact]
    public void All_94_cases_are_present() => Assert.Equal(94, Cases.GetArrayLength());

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Case(string id)
    {
        var c = Cases.EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);
        await new CaseRunner(c).Run();
    }
}
