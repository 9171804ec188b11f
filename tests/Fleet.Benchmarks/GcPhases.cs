using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

/// <summary>
/// Where a garbage collection's pause goes, from the runtime's GC events: suspending the threads, the collection itself,
/// and restarting them; and what the young collections marked from which roots (stacks, handles, older generations
/// through the card table). A pause that is mostly suspension is a scheduling problem, one that is mostly marking from
/// older generations is a problem of the heap's shape.
/// </summary>
internal sealed class GcPhases : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private static readonly string[] RootNames = ["stack", "finalizer queue", "handles", "older generations", "sized refs", "overflow"];
    private readonly ConcurrentQueue<(string Name, DateTime At, IList<object?> Payload, IList<string> Names)> events = new();
    private volatile bool sampling;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!sampling || e.EventName is not { } name) return;
        if (name.StartsWith("GCSuspendEE", StringComparison.Ordinal) || name.StartsWith("GCRestartEE", StringComparison.Ordinal)
            || name.StartsWith("GCStart", StringComparison.Ordinal) || name.StartsWith("GCEnd", StringComparison.Ordinal)
            || name.StartsWith("GCMarkWithType", StringComparison.Ordinal))
            events.Enqueue((name, e.TimeStamp, (IList<object?>?)e.Payload ?? [], (IList<string>?)e.PayloadNames ?? []));
    }

    public void Start() { events.Clear(); sampling = true; }

    /// <summary>Prints the phases of the collections since <see cref="Start"/>, median and largest.</summary>
    public void Print()
    {
        sampling = false;
        var suspend = new List<double>();
        var collect = new List<double>();
        var restart = new List<double>();
        var marked = new double[RootNames.Length];
        DateTime? suspendStart = null, gcStart = null, restartStart = null;
        var young = 0;
        var generation = -1;
        foreach (var (name, at, payload, names) in events)
        {
            if (name.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal)) suspendStart = at;
            else if (name.StartsWith("GCSuspendEEEnd", StringComparison.Ordinal) && suspendStart is { } s) suspend.Add((at - s).TotalMilliseconds);
            else if (name.StartsWith("GCStart", StringComparison.Ordinal))
            {
                gcStart = at;
                generation = Convert.ToInt32(payload[names.IndexOf("Depth")]);
                if (generation == 0) young++;
            }
            else if (name.StartsWith("GCEnd", StringComparison.Ordinal) && gcStart is { } g) collect.Add((at - g).TotalMilliseconds);
            else if (name.StartsWith("GCRestartEEBegin", StringComparison.Ordinal)) restartStart = at;
            else if (name.StartsWith("GCRestartEEEnd", StringComparison.Ordinal) && restartStart is { } r) restart.Add((at - r).TotalMilliseconds);
            else if (name.StartsWith("GCMarkWithType", StringComparison.Ordinal) && generation == 0)
            {
                var type = Convert.ToInt32(payload[names.IndexOf("Type")]);
                if (type < marked.Length) marked[type] += Convert.ToDouble(payload[names.IndexOf("Bytes")]);
            }
        }
        Console.WriteLine($"GC phases over {collect.Count} collections ({young} young), ms median / largest: suspend {Describe(suspend)}, " +
            $"collect {Describe(collect)}, restart {Describe(restart)}");
        if (young > 0)
            Console.WriteLine("  marked per young collection: " + string.Join(", ", RootNames.Select((root, i) => $"{root} {marked[i] / young / 1e6:N2} MB")));
    }

    /// <summary>
    /// Of the slow authorizations (start and end), how many were in flight during a pause, by the generation collected:
    /// what the tail is made of.
    /// </summary>
    public void PrintOverlap(IReadOnlyCollection<(DateTime Start, DateTime End)> slow)
    {
        var pauses = new List<(DateTime Start, DateTime End, int Generation)>();
        DateTime? suspended = null;
        var generation = -1;
        foreach (var (name, at, payload, names) in events)
        {
            if (name.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal)) { suspended = at; generation = -1; }
            else if (name.StartsWith("GCStart", StringComparison.Ordinal)) generation = Math.Max(generation, Convert.ToInt32(payload[names.IndexOf("Depth")]));
            else if (name.StartsWith("GCRestartEEEnd", StringComparison.Ordinal) && suspended is { } s) { pauses.Add((s, at, generation)); suspended = null; }
        }
        var byGeneration = new int[4];
        var none = 0;
        foreach (var (start, end) in slow)
        {
            var worst = -1;
            foreach (var pause in pauses)
                if (pause.Start < end && pause.End > start) worst = Math.Max(worst, pause.Generation);
            if (worst < 0) none++; else byGeneration[Math.Min(worst, 3)]++;
        }
        Console.WriteLine($"  {slow.Count:N0} authorizations over 20 ms; in flight during a pause of gen0 {byGeneration[0]}, gen1 {byGeneration[1]}, gen2 {byGeneration[2]}; during none {none}");
    }

    private static string Describe(List<double> values)
    {
        if (values.Count == 0) return "-";
        values.Sort();
        return $"{values[values.Count / 2]:N2} / {values[^1]:N2}";
    }
}
