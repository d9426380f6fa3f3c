using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace AiGateway.Benchmarks;

/// <summary>
/// Counts the runtime's allocation ticks (one per about 100 KB allocated, naming the type whose allocation crossed the
/// mark) by type, so a benchmark row's bytes can be broken down without a profiler: over enough calls a type's share of
/// ticks is its share of the bytes.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public IReadOnlyDictionary<string, long> BytesByType => _bytesByType;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int typeName = eventData.PayloadNames!.IndexOf("TypeName");
        int amount = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeName >= 0 && amount >= 0)
        {
            _bytesByType.AddOrUpdate((string)eventData.Payload[typeName]!, Convert.ToInt64(eventData.Payload[amount], System.Globalization.CultureInfo.InvariantCulture), (_, sum) => sum + Convert.ToInt64(eventData.Payload[amount], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
