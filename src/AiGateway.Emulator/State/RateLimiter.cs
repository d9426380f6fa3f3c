using System.Collections.Concurrent;

namespace AiGateway.Emulator;

/// <summary>Per-gateway rate limiting, fixed or sliding window, on the emulator's clock.</summary>
internal sealed class RateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts the request; returns how long to wait when it is over the limit, otherwise null.</summary>
    public TimeSpan? TryAcquire(EmulatorGateway gateway)
    {
        if (gateway is not { RateLimitingLimit: > 0 and int limit, RateLimitingInterval: > 0 and int seconds })
        {
            return null;
        }

        var interval = TimeSpan.FromSeconds(seconds);
        var now = time.GetUtcNow();
        bool sliding = string.Equals(gateway.RateLimitingTechnique, "sliding", StringComparison.OrdinalIgnoreCase);
        var windowStart = sliding
            ? now - interval
            : DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / (long)interval.TotalMilliseconds * (long)interval.TotalMilliseconds);
        var requests = _windows.GetOrAdd(gateway.Id, _ => new Queue<DateTimeOffset>());
        lock (requests)
        {
            while (requests.Count > 0 && (sliding ? requests.Peek() <= windowStart : requests.Peek() < windowStart))
            {
                requests.Dequeue();
            }

            if (requests.Count >= limit)
            {
                var retryAfter = sliding ? requests.Peek() + interval - now : windowStart + interval - now;
                return retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter;
            }

            requests.Enqueue(now);
            return null;
        }
    }
}
