using System.Diagnostics;
using System.Net;
using System.Text;
using Actors.GraphQL.Benchmarks;
using Actors.GraphQL.CodeFirst;
using Actors.GraphQL.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Side by side on 127.0.0.1: our engine on Kestrel and graphql-js behind graphql-http's Node handler, same schema,
// same in-memory data, same nested query with variables, same closed-loop load (N concurrent clients).
// Usage: dotnet run -c Release --project tests/GraphQL.Benchmarks [-- seconds=10 concurrency=32 warmup=3]
var settings = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
int seconds = int.Parse(settings.GetValueOrDefault("seconds", "10"));
int concurrency = int.Parse(settings.GetValueOrDefault("concurrency", "32"));
int warmup = int.Parse(settings.GetValueOrDefault("warmup", "3"));

const string Query = """
    query Authors($first: Int!, $genre: Genre) {
      authors(first: $first) { id name books(genre: $genre) { id title pages genre author { name } } }
    }
    """;
var body = System.Text.Json.JsonSerializer.Serialize(new { query = Query, variables = new { first = 20, genre = "FICTION" } });

if (settings.GetValueOrDefault("mode") == "engine")
{
    await EngineOnly.RunAsync(Query, seconds);
    return;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddGraphQL(s => s.AddQueryType<BenchmarkQuery>());
var app = builder.Build();
app.MapGraphQL("/graphql");
await app.StartAsync();
var dotnetUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/graphql";

var jsFolder = FindUp(Path.Combine("tests", "GraphQL.Benchmarks", "js"));
if (!Directory.Exists(Path.Combine(jsFolder, "node_modules", "graphql-http")))
{
    Console.WriteLine("installing the graphql-js side (npm ci in tests/GraphQL.Benchmarks/js)...");
    using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = jsFolder })!;
    await npm.WaitForExitAsync();
}
using var node = Process.Start(new ProcessStartInfo("node", "server.mjs 0") { WorkingDirectory = jsFolder, RedirectStandardOutput = true, UseShellExecute = false })!;
var ready = await node.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the node server did not start");
var jsUrl = $"http://127.0.0.1:{ready.Split(' ')[1]}/graphql";

try
{
    // Same answer from both, or the comparison means nothing.
    using var check = new HttpClient();
    var ours = await (await check.PostAsync(dotnetUrl, Content())).Content.ReadAsStringAsync();
    var theirs = await (await check.PostAsync(jsUrl, Content())).Content.ReadAsStringAsync();
    if (ours != theirs) throw new InvalidOperationException($"responses differ:\n{ours[..Math.Min(300, ours.Length)]}\n{theirs[..Math.Min(300, theirs.Length)]}");
    Console.WriteLine($"response: {ours.Length} bytes, identical from both servers");
    Console.WriteLine($"load: {concurrency} concurrent clients, {warmup} s warm-up, {seconds} s measured, per server (machine: {Environment.ProcessorCount} cores)");

    var js = await Load.RunAsync(jsUrl, body, concurrency, warmup, seconds);
    var net = await Load.RunAsync(dotnetUrl, body, concurrency, warmup, seconds);
    Console.WriteLine();
    Console.WriteLine($"{"server",-24} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"errors",7}");
    Console.WriteLine(js.Row("graphql-js (graphql-http)"));
    Console.WriteLine(net.Row("Actors.GraphQL (Kestrel)"));
    Console.WriteLine($"throughput ratio: {net.RequestsPerSecond / js.RequestsPerSecond:0.00}x; p99 {net.P99:0.00} ms vs {js.P99:0.00} ms");
}
finally
{
    node.Kill(entireProcessTree: true);
    await app.StopAsync();
}

StringContent Content() => new(body, Encoding.UTF8, "application/json");

static string FindUp(string relative)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (Directory.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
    throw new DirectoryNotFoundException(relative);
}
