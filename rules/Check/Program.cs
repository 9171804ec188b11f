// The analysts' check: `dotnet run --project rules/Check -- check rules/workflows`
// validates every workflow, runs every case of each <name>.tests.json, prints one line per difference
// and ends with "N passed, M failed"; the exit code is non-zero when anything failed. Every case also runs through
// Microsoft RulesEngine 6.0.1: a rule it decides differently is a failure ("behaves differently in ...").
using Actors.Rules;
using Actors.Rules.Referee;

if (args.Length != 2 || args[0] != "check")
{
    Console.Error.WriteLine("usage: dotnet run --project rules/Check -- check <workflows folder>");
    return 2;
}

var report = await WorkflowChecks.CheckFolderAsync(args[1], secondOpinion: new RefereeOpinion());
foreach (var failure in report.Failures) Console.WriteLine(failure);
Console.WriteLine($"{report.Passed} passed, {report.Failed} failed");
return report.Success ? 0 : 1;
