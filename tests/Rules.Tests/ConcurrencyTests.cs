using System.Dynamic;

namespace Actors.Rules.Tests;

/// <summary>Grains call one engine from many threads, with typed and dictionary inputs of different shapes.</summary>
public sealed class ConcurrencyTests
{
    sealed record Fill(int Liters, string Product);

    [Fact]
    public async Task Concurrent_evaluations_with_different_input_shapes_agree_with_a_sequential_run()
    {
        var engine = new RulesEngine([.. WorkflowReader.Read("""
            { "WorkflowName": "W", "GlobalParams": [ { "Name": "limit", "Expression": "40 + 10" } ],
              "Rules": [ { "RuleName": "Small", "Expression": "input1.Liters <= limit" },
                         { "RuleName": "Diesel", "Expression": "input1.Product == \"Diesel\"" } ] }
            """)]);
        object Input(int i)
        {
            if (i % 3 == 0) return new Fill(i % 100, i % 2 == 0 ? "Diesel" : "Petrol");
            if (i % 3 == 1) return new Dictionary<string, object?> { ["Liters"] = i % 100, ["Product"] = i % 2 == 0 ? "Diesel" : "Petrol" };
            dynamic e = new ExpandoObject();
            e.Liters = (long)(i % 100);
            e.Product = i % 2 == 0 ? "Diesel" : "Petrol";
            return e;
        }
        var expected = Enumerable.Range(0, 3000).Select(i => (i % 100 <= 50, i % 2 == 0)).ToArray();
        var actual = new (bool, bool)[expected.Length];
        await Parallel.ForAsync(0, expected.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var results = await engine.ExecuteAllRulesAsync("W", Input(i));
            actual[i] = (results[0].IsSuccess, results[1].IsSuccess);
        });
        Assert.Equal(expected, actual);
    }
}
