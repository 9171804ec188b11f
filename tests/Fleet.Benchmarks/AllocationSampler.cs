using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

/// <summary>
/// Which types this process allocates most, sampled by the runtime's allocation ticks (one event per ~100 KB allocated,
/// naming the type that crossed the mark): what makes the garbage collections that pause authorizations.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> bytesByType = new();
    private volatile bool sampling;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!sampling || !e.EventName!.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 100_000;
        bytesByType.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    public void Start() { bytesByType.Clear(); sampling = true; }

    public void Print(long authorizations, int top = 25)
    {
        sampling = false;
        var total = bytesByType.Values.Sum();
        Console.WriteLine($"Allocated per authorization (sampled): {total / (double)authorizations / 1024:N1} KB; most by type:");
        foreach (var (type, bytes) in bytesByType.OrderByDescending(p => p.Value).Take(top))
            Console.WriteLine($"  {bytes / (double)authorizations,8:N0} B  {type}");
    }
}
