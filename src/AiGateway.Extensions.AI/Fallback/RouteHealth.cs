using System.Collections.Concurrent;

namespace AiGateway.Extensions.AI;

/// <summary>
/// A circuit breaker per route, on the injected clock: a route that failed <see cref="AiGatewayFallbackOptions.FailureThreshold"/>
/// times in a row, or answered with <c>Retry-After</c>, is skipped until its cooldown ends, then probed by the next
/// request; a success closes it. A spent budget skips the route for <see cref="AiGatewayFallbackOptions.SpendLimitCooldown"/>;
/// a policy refusal is no failure of the route and changes nothing. Per process and per fallback client.
/// </summary>
/// <remarks>
/// Hand-written rather than Polly's circuit breaker: a route must be skipped without running the call (Polly's breaker
/// only rejects inside an execution), and a single <c>Retry-After</c> must open it for exactly that long, which Polly's
/// break-duration generator cannot see.
/// </remarks>
internal sealed class RouteHealth(AiGatewayFallbackOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, State> _routes = new(StringComparer.Ordinal);

    public DateTimeOffset? CoolingUntil(string routeId)
    {
        if (_routes.TryGetValue(routeId, out var state))
        {
            lock (state)
            {
                return state.OpenUntil > time.GetUtcNow() ? state.OpenUntil : null;
            }
        }

        return null;
    }

    public void Succeeded(string routeId)
    {
        if (_routes.TryGetValue(routeId, out var state))
        {
            lock (state)
            {
                state.Failures = 0;
                state.OpenUntil = DateTimeOffset.MinValue;
            }
        }
    }

    public void Failed(string routeId, Exception exception)
    {
        var kind = (exception as AiGatewayException)?.Kind;
        if (kind == AiGatewayErrorKind.PolicyDenied)
        {
            return;
        }

        var state = _routes.GetOrAdd(routeId, _ => new State());
        var now = time.GetUtcNow();
        lock (state)
        {
            var until = state.OpenUntil;
            if (kind == AiGatewayErrorKind.SpendLimitExceeded)
            {
                // The route answers; its budget does not. Skipped for a while, without counting as a failure.
                until = Max(until, now + options.SpendLimitCooldown);
            }
            else
            {
                state.Failures++;
            }

            if (exception is AiGatewayException { RetryAfter: { } retryAfter } && retryAfter > TimeSpan.Zero)
            {
                var wait = retryAfter < options.MaxRetryAfter ? retryAfter : options.MaxRetryAfter;
                until = Max(until, now + wait);
            }

            if (state.Failures >= options.FailureThreshold)
            {
                until = Max(until, now + options.Cooldown);
            }

            state.OpenUntil = until;
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private sealed class State
    {
        public int Failures { get; set; }

        public DateTimeOffset OpenUntil { get; set; } = DateTimeOffset.MinValue;
    }
}
