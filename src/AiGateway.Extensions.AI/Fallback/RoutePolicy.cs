using Microsoft.Extensions.Logging;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The one route policy of chat fallback and embeddings: which routes to try and in what order (those cooling down
/// after failures or <c>Retry-After</c> are skipped without a request, unless every route is), whether a failure is
/// worth another route, and how a skip or a fallback is reported (log line, counter, span event).
/// </summary>
internal sealed class RoutePolicy(AiGatewayFallbackOptions options, TimeProvider time, ILogger logger)
{
    private readonly RouteHealth _health = new(options, time);

    /// <summary>Whether <paramref name="exception"/> moves the request on to the next route (never the caller's own cancellation).</summary>
    public bool ShouldFallBack(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested) && options.ShouldFallBack(exception);

    /// <summary>
    /// The index of the next route to try from <paramref name="start"/>, recording each route it passes over as a
    /// skipped attempt; when no route of the request was tried and all are cooling down, the one whose cooldown ends
    /// first is probed rather than failing without a request. A route asking for the same provider and model (with the
    /// same metadata) as one the gateway refused earlier in this request by policy or budget is skipped: the gateway
    /// would refuse it the same way. -1 when none is left.
    /// </summary>
    public int Next<TRoute>(IReadOnlyList<TRoute> routes, Func<TRoute, AiGatewayRoute> route, int start, bool triedAny, List<AiGatewayAttempt> attempts)
    {
        int soonest = -1;
        DateTimeOffset soonestEnd = DateTimeOffset.MaxValue;
        for (int i = start; i < routes.Count; i++)
        {
            var candidate = route(routes[i]);
            if (RefusedAlike(routes, route, candidate, attempts) is { } refusal)
            {
                attempts.Add(new(candidate.Index, candidate.Provider.Slug, candidate.Model, null, refusal, TimeSpan.Zero, Skipped: true));
                GatewayInstruments.Skipped(logger, candidate, refusal);
                continue;
            }

            if (_health.CoolingUntil(candidate.Key) is not { } until)
            {
                return i;
            }

            attempts.Add(new(candidate.Index, candidate.Provider.Slug, candidate.Model, null, null, TimeSpan.Zero, Skipped: true));
            GatewayInstruments.Skipped(logger, candidate);
            if (until < soonestEnd)
            {
                (soonest, soonestEnd) = (i, until);
            }
        }

        return triedAny ? -1 : soonest;
    }

    /// <summary>The kind of an earlier refusal in this request by policy or budget of a route the gateway sees as <paramref name="candidate"/>, or null.</summary>
    private static AiGatewayErrorKind? RefusedAlike<TRoute>(IReadOnlyList<TRoute> routes, Func<TRoute, AiGatewayRoute> route, AiGatewayRoute candidate, List<AiGatewayAttempt> attempts)
    {
        foreach (var attempt in attempts)
        {
            if (attempt is { Skipped: false, ErrorKind: AiGatewayErrorKind.PolicyDenied or AiGatewayErrorKind.SpendLimitExceeded })
            {
                foreach (var other in routes)
                {
                    var refused = route(other);
                    if (refused.Index == attempt.RouteIndex && refused.PolicyTarget == candidate.PolicyTarget)
                    {
                        return attempt.ErrorKind;
                    }
                }
            }
        }

        return null;
    }

    public void Succeeded(AiGatewayRoute route) => _health.Succeeded(route.Key);

    /// <summary>Records a failure that moves the request on: the route's health, one log line, the fallback counter.</summary>
    public void FellBack(AiGatewayRoute route, Exception exception, AiGatewayAttempt attempt)
    {
        _health.Failed(route.Key, exception);
        Log.FellBack(logger, route, attempt, (exception as AiGatewayException)?.LogId);
        GatewayInstruments.CountFallback(route, attempt.ErrorKind);
    }
}
