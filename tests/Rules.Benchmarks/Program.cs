// Rules engine benchmark: `dotnet run -c Release --project tests/Rules.Benchmarks [-- <inputs>]` (default 1,000,000).
// Prints medians of compile time (10, 100, 1,000 rules) in our engine and in Microsoft RulesEngine 6.0.1, evaluations
// per second and bytes allocated per evaluation of the 20-rule fuel-limit policy in both (with identical per-rule
// results checked input by input), the same policy in json-rules-engine (node) over the same inputs, and the ratios.
// json-rules-engine manages about 2,000-4,000 evaluations/s here, so 1,000,000 inputs take 5-9 minutes on its side;
// `-- 100000` gives the same figures in about a minute.
using System.Diagnostics;
using System.Text.Json;
using Actors.Rules;
using Actors.Rules.Benchmarks;
using Actors.Rules.Referee;

var count = args.Length > 0 && int.TryParse(args[0].Replace("_", "").Replace(",", ""), out var n) ? n : 1_000_000;
const uint Seed = 20261121;

Console.WriteLine($"Rules engine benchmark ({Environment.ProcessorCount} cores, .NET {Environment.Version})");

// 1. Compile time: build the engine and run once (compilation happens on first use per input shape).
var sample = FuelInputs.Generate(1, Seed)[0];
RuleParameter[] SampleParams() => [new("card", sample.Card), new("fill", sample.Fill)];
static Workflow Synthetic(int rules, int variant) => new()
{
    WorkflowName = "Synthetic",
    Rules = Enumerable.Range(0, rules).Select(i => new Rule
    {
        RuleName = $"R{i}",
        Expression = $"fill.Liters * {i % 7 + 1} <= card.DailyLiters + {i + variant} AND fill.Product <> \"P{i}\" OR card.Products.Any(it == \"X{i}\")",
    }).ToList(),
};
foreach (var size in new[] { 10, 100, 1000 })
{
    var runs = size == 1000 ? 5 : 15;
    var times = new List<double>();
    var referenceTimes = new List<double>();
    for (var run = -2; run < runs; run++) // two warm-up runs
    {
        var workflow = Synthetic(size, run + 10);
        var watch = Stopwatch.StartNew();
        var engine = new Actors.Rules.RulesEngine([workflow]);
        var results = await engine.ExecuteAllRulesAsync("Synthetic", SampleParams());
        watch.Stop();
        if (results.Count != size || results.Any(r => r.ExceptionMessage.Length > 0)) throw new InvalidOperationException("synthetic workflow failed: " + results.First(r => r.ExceptionMessage.Length > 0).ExceptionMessage);
        if (run >= 0) times.Add(watch.Elapsed.TotalMilliseconds);
        var json = WorkflowReader.Write([workflow]);
        watch.Restart();
        var synthetic = new MicrosoftRulesEngine([json]).Engine;
        var referenceResults = await synthetic.ExecuteAllRulesAsync("Synthetic", new global::RulesEngine.Models.RuleParameter("card", sample.Card), new global::RulesEngine.Models.RuleParameter("fill", sample.Fill));
        watch.Stop();
        if (referenceResults.Count != size || referenceResults.Any(r => !string.IsNullOrEmpty(r.ExceptionMessage))) throw new InvalidOperationException("synthetic workflow failed in RulesEngine");
        if (run >= 0) referenceTimes.Add(watch.Elapsed.TotalMilliseconds);
    }
    Console.WriteLine($"compile {size,5} rules: median {Median(times),8:F1} ms; RulesEngine 6.0.1 {Median(referenceTimes),8:F1} ms ({Median(referenceTimes) / Median(times):F1}x ours) (warm, {runs} runs)");
}

// 2. Throughput of the 20-rule fuel-limit policy.
Console.WriteLine($"generating {count:N0} inputs (seed {Seed}) ...");
var inputs = FuelInputs.Generate(count, Seed);
var fuel = new Actors.Rules.RulesEngine(WorkflowReader.Read(FuelInputs.FuelLimitWorkflow).ToArray());
var reference = new MicrosoftRulesEngine([FuelInputs.FuelLimitWorkflow]).Engine;
var successes = new Dictionary<string, int>();
List<double> rounds = [], bytes = [], referenceRounds = [], referenceBytes = [], ratios = [];
// Rounds alternate between the engines and the ratio is taken per round: on a shared machine the speed drifts within minutes.
for (var round = 0; round < 3; round++)
{
    var counts = new int[20];
    string[]? names = null;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    foreach (var (card, fill) in inputs)
    {
        var results = await fuel.ExecuteAllRulesAsync("FuelLimit", new RuleParameter("card", card), new RuleParameter("fill", fill));
        for (var i = 0; i < results.Count; i++)
            if (results[i].IsSuccess) counts[i]++;
        names ??= results.Select(r => r.Rule.RuleName!).ToArray();
    }
    watch.Stop();
    bytes.Add((GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count);
    rounds.Add(count / watch.Elapsed.TotalSeconds);
    successes = names!.Zip(counts).ToDictionary(p => p.First, p => p.Second);

    allocated = GC.GetTotalAllocatedBytes(precise: true);
    watch.Restart();
    foreach (var (card, fill) in inputs)
        _ = await reference.ExecuteAllRulesAsync("FuelLimit", new global::RulesEngine.Models.RuleParameter("card", card), new global::RulesEngine.Models.RuleParameter("fill", fill));
    watch.Stop();
    referenceBytes.Add((GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count);
    referenceRounds.Add(count / watch.Elapsed.TotalSeconds);
    ratios.Add(rounds[^1] / referenceRounds[^1]);
}
var ours = Median(rounds);
Console.WriteLine($"this engine:       {ours,12:N0} evaluations/s of the 20-rule workflow ({ours * 20:N0} rule evaluations/s), {Median(bytes),7:N0} bytes allocated per evaluation, median of 3 rounds over {count:N0} inputs");
Console.WriteLine($"RulesEngine 6.0.1: {Median(referenceRounds),12:N0} evaluations/s, {Median(referenceBytes),7:N0} bytes allocated per evaluation, median of 3 rounds over the same inputs");
// Outside the measured rounds: every input's per-rule IsSuccess and message, in both engines.
var differing = 0;
foreach (var (card, fill) in inputs)
{
    var mine = await fuel.ExecuteAllRulesAsync("FuelLimit", new RuleParameter("card", card), new RuleParameter("fill", fill));
    var theirs = await reference.ExecuteAllRulesAsync("FuelLimit", new global::RulesEngine.Models.RuleParameter("card", card), new global::RulesEngine.Models.RuleParameter("fill", fill));
    if (mine.Count != theirs.Count || mine.Zip(theirs).Any(p => p.First.IsSuccess != p.Second.IsSuccess || p.First.ExceptionMessage != (p.Second.ExceptionMessage ?? ""))) differing++;
}
Console.WriteLine($"ratio: {Median(ratios):F1}x RulesEngine 6.0.1's throughput (median of per-round ratios {string.Join(", ", ratios.Select(r => r.ToString("F1")))}; goal >= 5x), {Median(referenceBytes) / Median(bytes):F1}x fewer bytes; inputs whose per-rule results differ: {differing:N0} of {count:N0}");
if (differing > 0) return 1;

// 3. json-rules-engine over the same inputs (generated by the same xorshift in js/bench.js).
// The js folder stays in the source tree (with its node_modules): found by walking up from the binary.
var js = Path.Combine(Directory.GetCurrentDirectory(), "tests", "Rules.Benchmarks", "js");
for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && !File.Exists(Path.Combine(js, "bench.js")); dir = dir.Parent)
    js = Path.Combine(dir.FullName, "js");
try
{
    if (!Directory.Exists(Path.Combine(js, "node_modules")))
    {
        Console.WriteLine("installing json-rules-engine (npm ci) ...");
        Run("npm", File.Exists(Path.Combine(js, "package-lock.json")) ? "ci --no-audit --no-fund" : "install --no-audit --no-fund", js);
    }
    Console.WriteLine($"running json-rules-engine over the same {count:N0} inputs (node) ...");
    var output = Run("node", $"bench.js {count} {Seed}", js);
    using var report = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
    var seconds = report.RootElement.GetProperty("seconds").GetDouble();
    var theirs = count / seconds;
    Console.WriteLine($"json-rules-engine: {theirs,12:N0} evaluations/s (one round over {count:N0} inputs, {seconds:F1} s)");
    var agree = report.RootElement.GetProperty("successes").EnumerateObject().All(p => successes.TryGetValue(p.Name, out var s) && s == p.Value.GetInt32());
    Console.WriteLine($"ratio: {ours / theirs:F1}x json-rules-engine's throughput (goal >= 10x); successes per rule identical: {(agree ? "yes" : "NO")}");
    if (!agree) return 1;
}
catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
{
    Console.WriteLine($"json-rules-engine comparison skipped: {ex.Message}");
    return 1;
}
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Run(string file, string arguments, string directory)
{
    var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed: {stderr.Result}");
    return stdout.Result;
}
