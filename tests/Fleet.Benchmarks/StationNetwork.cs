using System.Diagnostics;

/// <summary>
/// The station network as a process of its own, as stations reach a back office (and as pgbench is its own client): its
/// garbage, threads and JIT are not the silo's, so the silo's pauses and CPU are its own. The benchmark starts it once
/// and asks it for rounds over stdin; it answers with each authorization's latency, and the start and end of the slow
/// ones, in a file.
/// </summary>
internal sealed class StationNetwork : IDisposable
{
    private const string RunCommand = "run";
    private readonly Process process;

    private StationNetwork(Process process) => this.process = process;

    /// <summary>Starts the station network process: at most <paramref name="callers"/> authorizations in flight over one client.</summary>
    public static StationNetwork Start(Uri url, string token, int cardCount, int callers, bool http1)
    {
        var start = new ProcessStartInfo { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        // Run as `dotnet run` does (the app host) or as `dotnet x.dll` does.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.FileName = Environment.ProcessPath!;
            start.ArgumentList.Add(typeof(StationNetwork).Assembly.Location);
        }
        else start.FileName = Environment.ProcessPath!;
        // A client as lean as it can be made: one GC heap, and idle threads that sleep instead of spinning on the
        // cores the silo and PostgreSQL need.
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        foreach (var argument in new[] { "--station-network", url.ToString(), token, cardCount.ToString(), callers.ToString(), http1 ? "http1" : "http2" })
            start.ArgumentList.Add(argument);
        return new StationNetwork(Process.Start(start) ?? throw new InvalidOperationException("The station network process did not start."));
    }

    /// <summary>
    /// Runs one round with <paramref name="callers"/> authorizations in flight (at most the number it was started with);
    /// the latencies (ms) and the slow authorizations (over 20 ms) as UTC intervals.
    /// </summary>
    public async Task<(List<double> Latencies, List<(DateTime Start, DateTime End)> Slow, TimeSpan Elapsed)> Run(TimeSpan duration, int callers)
    {
        var file = Path.GetTempFileName();
        try
        {
            await process.StandardInput.WriteLineAsync($"{RunCommand} {duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} {file} {callers}");
            await process.StandardInput.FlushAsync();
            var answer = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The station network process ended.");
            if (!answer.StartsWith("done ", StringComparison.Ordinal)) throw new InvalidOperationException($"The station network process failed: {answer}");
            var elapsed = TimeSpan.FromSeconds(double.Parse(answer[5..], System.Globalization.CultureInfo.InvariantCulture));
            using var reader = new BinaryReader(File.OpenRead(file));
            var latencies = new List<double>(reader.ReadInt32());
            for (var i = latencies.Capacity; i > 0; i--) latencies.Add(reader.ReadDouble());
            var slow = new List<(DateTime, DateTime)>(reader.ReadInt32());
            for (var i = slow.Capacity; i > 0; i--) slow.Add((new DateTime(reader.ReadInt64(), DateTimeKind.Utc), new DateTime(reader.ReadInt64(), DateTimeKind.Utc)));
            return (latencies, slow, elapsed);
        }
        finally { File.Delete(file); }
    }

    /// <summary>CPU time the station network used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0);
        }
    }

    public void Dispose()
    {
        try
        {
            process.StandardInput.WriteLine("exit");
            process.StandardInput.Flush();
            if (!process.WaitForExit(10_000)) process.Kill();
        }
        catch (IOException) { }
        process.Dispose();
    }

    /// <summary>The station network process's main: answers <c>run seconds file callers</c> until <c>exit</c>.</summary>
    public static async Task<int> Serve(string[] args)
    {
        var (url, token, cardCount, mostCallers, http1) = (new Uri(args[0]), args[1], int.Parse(args[2]), int.Parse(args[3]), args[4] == "http1");
        using var client = new StationClient(url, token, http1, mostCallers);
        long sequence = 0;
        while (Console.ReadLine() is { } line && line.StartsWith(RunCommand + " ", StringComparison.Ordinal))
        {
            var parts = line.Split(' ');
            var duration = TimeSpan.FromSeconds(double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            var callers = Math.Min(mostCallers, int.Parse(parts[3]));
            var latencies = new List<double>[callers];
            var slow = new List<(long, long)>[callers];
            var stop = Stopwatch.StartNew();
            try
            {
                await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
                {
                    var mine = latencies[c] = new List<double>(50_000);
                    var mySlow = slow[c] = [];
                    while (stop.Elapsed < duration)
                    {
                        var n = Interlocked.Increment(ref sequence);
                        var startedAt = DateTime.UtcNow;
                        var started = Stopwatch.GetTimestamp();
                        var refusal = await client.Authorize($"7890001{(int)(n * 7919 % cardCount):D8}", 100_000 + n, $"station-{n}");
                        var took = Stopwatch.GetElapsedTime(started);
                        mine.Add(took.TotalMilliseconds);
                        if (took.TotalMilliseconds > 20) mySlow.Add((startedAt.Ticks, (startedAt + took).Ticks));
                        if (refusal is not null) throw new InvalidOperationException($"not approved: {refusal}");
                    }
                })));
            }
            catch (Exception e)
            {
                Console.WriteLine($"failed {e.Message.ReplaceLineEndings(" ")}");
                continue;
            }
            var elapsed = stop.Elapsed;
            await using (var writer = new BinaryWriter(File.Create(parts[2])))
            {
                writer.Write(latencies.Sum(l => l.Count));
                foreach (var latency in latencies.SelectMany(l => l)) writer.Write(latency);
                writer.Write(slow.Sum(s => s.Count));
                foreach (var (start, end) in slow.SelectMany(s => s)) { writer.Write(start); writer.Write(end); }
            }
            Console.WriteLine($"done {elapsed.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        return 0;
    }
}
