using System.Globalization;
using System.Text.Json;

namespace Actors.Rules.Benchmarks
{
    /// <summary>The typed input of the dialect probes, under the name RulesEngine 6.0.1 saw (its ToString is probed).</summary>
    public sealed class Card
    {
        public string Status { get; set; } = "Active";
        public bool Blocked { get; set; }
        public string[] Products { get; set; } = ["Diesel", "AdBlue"];
        public int[] BlockedStations { get; set; } = [5, 3, 5];
        public int DailyLiters { get; set; } = 100;
        public int FillsToday { get; set; } = 2;
    }
}

namespace Actors.Rules.Tests.Referee
{
    /// <summary>
    /// The 64 everyday expressions of <c>dialect-probes.json</c>, each run as RulesEngine 6.0.1 ran it (the output of a
    /// rule whose expression is true, over one typed input1): the same value and type, or an error where it failed.
    /// </summary>
    public sealed class DialectProbeTests
    {
        public static TheoryData<string> Probes()
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFolder.RulesEngineConformance, "dialect-probes.json")));
            var probes = new TheoryData<string>();
            foreach (var probe in document.RootElement.GetProperty("probes").EnumerateArray()) probes.Add(probe.GetProperty("expression").GetString()!);
            return probes;
        }

        static JsonElement Answer(string expression)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFolder.RulesEngineConformance, "dialect-probes.json")));
            return document.RootElement.GetProperty("probes").EnumerateArray()
                .First(p => p.GetProperty("expression").GetString() == expression).GetProperty("realRulesEngine601").Clone();
        }

        [Theory, MemberData(nameof(Probes))]
        public async Task Each_probe_gives_what_RulesEngine_6_0_1_gave(string expression)
        {
            var answer = Answer(expression);
            var engine = new RulesEngine([new Workflow
            {
                WorkflowName = "probe",
                Rules = [new Rule { RuleName = "R", Expression = "true", Actions = new RuleActions { OnSuccess = new ActionInfo { Name = "OutputExpression", Context = new() { ["expression"] = expression } } } }],
            }]);
            var result = (await engine.ExecuteAllRulesAsync("probe", new RuleParameter("input1", new Actors.Rules.Benchmarks.Card())))[0];
            Assert.True(result.IsSuccess, result.ExceptionMessage);
            if (answer.TryGetProperty("error", out _))
            {
                var exception = Assert.IsAssignableFrom<Exception>(result.ActionResult?.Exception);
                var expected = answer.GetProperty("message").GetString()!;
                Assert.StartsWith(expected.EndsWith("...", StringComparison.Ordinal) ? expected[..^3] : expected, exception.Message);
                return;
            }
            Assert.Null(result.ActionResult?.Exception);
            var output = result.ActionResult!.Output;
            Assert.NotNull(output);
            Assert.Equal(answer.GetProperty("type").GetString(), output.GetType().Name);
            var printed = output is string s ? JsonSerializer.Serialize(s) : Convert.ToString(output, CultureInfo.InvariantCulture);
            Assert.Equal(answer.GetProperty("value").GetString(), printed);
        }
    }
}
