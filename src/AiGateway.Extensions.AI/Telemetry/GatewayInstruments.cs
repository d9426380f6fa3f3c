using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AiGateway.Extensions.AI;

/// <summary>Records the gateway's facts on spans and this package's counters.</summary>
internal static class GatewayInstruments
{
    private static readonly Counter<long> s_cacheLookups = AiGatewayTelemetry.Meter.CreateCounter<long>(
        AiGatewayTelemetry.Metrics.CacheLookups, "{answer}", "Answers the AI Gateway cache reported on, by cache status.");

    private static readonly Counter<long> s_fallbacks = AiGatewayTelemetry.Meter.CreateCounter<long>(
        AiGatewayTelemetry.Metrics.Fallbacks, "{attempt}", "Failed attempts after which the next AI Gateway route was tried.");

    // Route indexes and attempt counts, boxed once.
    private static readonly object[] s_small = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private static readonly Counter<long> s_routeSkips = AiGatewayTelemetry.Meter.CreateCounter<long>(
        AiGatewayTelemetry.Metrics.RouteSkips, "{route}", "AI Gateway routes skipped without a request while cooling down.");

    /// <summary>Tags <paramref name="span"/> (the GenAI span, or a fallback attempt's) with what the gateway said.</summary>
    public static void TagAnswer(Activity? span, AiGatewayResponseInfo info)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        if (span.GetTagItem(AiGatewayTelemetry.Attributes.Provider) is not null)
        {
            // Tagged before: by an earlier call in the same span (middleware inside a fallback attempt), or a fallback's
            // request span that an attempt without a span of its own already tagged with its failure or answer.
            Overwrite(span, info);
            return;
        }

        // A span's first facts (Microsoft's span on the common path): appended, as SetTag would search every tag already
        // on the span for each.
        span.AddTag(AiGatewayTelemetry.Attributes.Provider, info.Provider)
            .AddTag(AiGatewayTelemetry.Attributes.Model, info.Model)
            .AddTag(AiGatewayTelemetry.Attributes.RouteIndex, Boxed(info.RouteIndex))
            .AddTag(AiGatewayTelemetry.Attributes.GatewayId, info.GatewayId)
            .AddTag(AiGatewayTelemetry.Attributes.CacheStatus, CacheStatusName(info.CacheStatus));
        AddIfPresent(span, AiGatewayTelemetry.Attributes.Attempts, AttemptsTag(info));
        AddIfPresent(span, AiGatewayTelemetry.Attributes.LogId, info.LogId);
        AddIfPresent(span, AiGatewayTelemetry.Attributes.RequestId, info.RequestId);
        AddIfPresent(span, AiGatewayTelemetry.Attributes.EventId, info.EventId);
        AddIfPresent(span, AiGatewayTelemetry.Attributes.Step, info.Step);
        AddIfPresent(span, AiGatewayTelemetry.Attributes.RoutingReason, info.RoutingReason);
        AddIfPresent(span, AiGatewayTelemetry.Attributes.RoutingDecisionId, info.RoutingDecisionId);
    }

    private static void Overwrite(Activity span, AiGatewayResponseInfo info) =>
        span.SetTag(AiGatewayTelemetry.Attributes.GatewayId, info.GatewayId)
            .SetTag(AiGatewayTelemetry.Attributes.CacheStatus, CacheStatusName(info.CacheStatus))
            .SetTag(AiGatewayTelemetry.Attributes.LogId, info.LogId)
            .SetTag(AiGatewayTelemetry.Attributes.RequestId, info.RequestId)
            .SetTag(AiGatewayTelemetry.Attributes.EventId, info.EventId)
            .SetTag(AiGatewayTelemetry.Attributes.Step, info.Step)
            .SetTag(AiGatewayTelemetry.Attributes.Provider, info.Provider)
            .SetTag(AiGatewayTelemetry.Attributes.Model, info.Model)
            .SetTag(AiGatewayTelemetry.Attributes.RoutingReason, info.RoutingReason)
            .SetTag(AiGatewayTelemetry.Attributes.RoutingDecisionId, info.RoutingDecisionId)
            .SetTag(AiGatewayTelemetry.Attributes.RouteIndex, info.RouteIndex)
            .SetTag(AiGatewayTelemetry.Attributes.Attempts, AttemptsTag(info));

    /// <summary>
    /// The attempt count, only when there was more than one (as OpenTelemetry's <c>http.request.resend_count</c> is
    /// recorded only on a resend): the common answer, served first time, costs the span no tag.
    /// </summary>
    private static object? AttemptsTag(AiGatewayResponseInfo info) => info.Attempts.Count > 1 ? Boxed(info.Attempts.Count) : null;

    /// <summary>A small count or index as an object without a box per tag: route indexes and attempt counts are small.</summary>
    public static object Boxed(int value) => (uint)value < (uint)s_small.Length ? s_small[value] : value;

    private static void AddIfPresent(Activity span, string name, object? value)
    {
        if (value is not null)
        {
            span.AddTag(name, value);
        }
    }

    /// <summary>Reports an answer where it shows: the gateway's facts on the span, the cache lookup counted, one Debug log line.</summary>
    public static void Answered(Microsoft.Extensions.Logging.ILogger logger, Activity? span, AiGatewayResponseInfo info, int status, TimeSpan elapsed)
    {
        TagAnswer(span, info);
        CountCacheLookup(info);
        Log.Answered(logger, info, status, elapsed);
    }

    /// <summary>Reports a failure where it shows: tags on the span, one Warning log line. Returns the error to throw.</summary>
    public static AiGatewayException Failed(Microsoft.Extensions.Logging.ILogger logger, Activity? span, AiGatewayException error)
    {
        TagFailure(span, error);
        Log.Failed(logger, error);
        return error;
    }

    /// <summary>Tags <paramref name="span"/> with the route and the gateway's facts of a failure (the error itself is Microsoft's to record).</summary>
    public static void TagFailure(Activity? span, AiGatewayException error)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        span.SetTag(AiGatewayTelemetry.Attributes.Provider, error.Provider)
            .SetTag(AiGatewayTelemetry.Attributes.Model, error.Model)
            .SetTag(AiGatewayTelemetry.Attributes.ErrorKind, error.Kind.ToString())
            .SetTag(AiGatewayTelemetry.Attributes.HttpStatusCode, error.StatusCode)
            .SetTag(AiGatewayTelemetry.Attributes.LogId, error.LogId);
    }

    /// <summary>Counts a cache hit or miss, when the gateway reported one.</summary>
    public static void CountCacheLookup(AiGatewayResponseInfo info)
    {
        if (info.CacheStatus != AiGatewayCacheStatus.Unknown && s_cacheLookups.Enabled)
        {
            s_cacheLookups.Add(1,
                new(AiGatewayTelemetry.Attributes.CacheStatus, CacheStatusName(info.CacheStatus)),
                new(AiGatewayTelemetry.Attributes.Provider, info.Provider),
                new(AiGatewayTelemetry.Attributes.Model, info.Model));
        }
    }

    public static void CountFallback(AiGatewayRoute route, AiGatewayErrorKind? kind)
    {
        if (s_fallbacks.Enabled)
        {
            s_fallbacks.Add(1,
                new(AiGatewayTelemetry.Attributes.Provider, route.Provider.Slug),
                new(AiGatewayTelemetry.Attributes.Model, route.Model),
                new(AiGatewayTelemetry.Attributes.ErrorKind, kind?.ToString() ?? "Other"));
        }
    }

    /// <summary>Reports a route skipped while it cools down: a log line, the counter, and an event on the current span.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="route">The route skipped.</param>
    /// <param name="refusal">Null while cooling down; the kind of an earlier refusal of the same provider and model in this request otherwise.</param>
    public static void Skipped(Microsoft.Extensions.Logging.ILogger logger, AiGatewayRoute route, AiGatewayErrorKind? refusal = null)
    {
        if (refusal is { } kind)
        {
            Log.SkippedAlike(logger, route.Provider.Slug, route.Model, kind);
        }
        else
        {
            Log.Skipped(logger, route.Provider.Slug, route.Model);
        }

        CountSkip(route);
        var tags = new ActivityTagsCollection
        {
            [AiGatewayTelemetry.Attributes.RouteIndex] = route.Index,
            [AiGatewayTelemetry.Attributes.Provider] = route.Provider.Slug,
            [AiGatewayTelemetry.Attributes.Model] = route.Model,
        };
        if (refusal is not null)
        {
            tags[AiGatewayTelemetry.Attributes.ErrorKind] = refusal.ToString();
        }

        Activity.Current?.AddEvent(new ActivityEvent("aigateway.route.skipped", tags: tags));
    }

    private static void CountSkip(AiGatewayRoute route)
    {
        if (s_routeSkips.Enabled)
        {
            s_routeSkips.Add(1,
                new(AiGatewayTelemetry.Attributes.Provider, route.Provider.Slug),
                new(AiGatewayTelemetry.Attributes.Model, route.Model));
        }
    }

    public static string CacheStatusName(AiGatewayCacheStatus status) => status switch
    {
        AiGatewayCacheStatus.Hit => "hit",
        AiGatewayCacheStatus.Miss => "miss",
        _ => "unknown",
    };
}
