using System.Collections.Concurrent;
using System.Diagnostics;

namespace AiGateway.Extensions.AI;

/// <summary>The child span of one attempt on one route (chat fallback and embeddings alike), and its outcome.</summary>
internal static class AttemptSpans
{
    private static readonly ConcurrentDictionary<string, string> s_names = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts the attempt's span, untagged: the gateway client tags the span it runs in with the answer's facts (the
    /// route among them), and a span with no tags yet takes them appended rather than searched and replaced.
    /// </summary>
    public static Activity? Start(AiGatewayRoute route) =>
        AiGatewayTelemetry.Source.StartActivity(s_names.GetOrAdd(route.Provider.Slug, static slug => "attempt " + slug), ActivityKind.Internal);

    public static void Answered(Activity? span, AiGatewayRoute route, AiGatewayResponseInfo info)
    {
        if (span is not null)
        {
            TagRoute(span, route);
            span.SetTag(AiGatewayTelemetry.Attributes.HttpStatusCode, info.Attempts[^1].StatusCode);
        }
    }

    public static void Failed(Activity? span, AiGatewayRoute route, Exception exception)
    {
        if (span is null)
        {
            return;
        }

        TagRoute(span, route);
        var failure = exception as AiGatewayException;
        span.SetStatus(ActivityStatusCode.Error, failure?.Kind.ToString())
            .SetTag(AiGatewayTelemetry.Attributes.HttpStatusCode, failure?.StatusCode)
            .SetTag(AiGatewayTelemetry.Attributes.ErrorKind, failure?.Kind.ToString())
            .SetTag("error.type", failure?.Kind.ToString() ?? exception.GetType().FullName);
    }

    /// <summary>Names the route on a span where nothing did (a failure before the gateway client saw the request, an embeddings attempt).</summary>
    private static void TagRoute(Activity span, AiGatewayRoute route)
    {
        // The gateway client's facts of an answer name the route index with the rest; its facts of a failure, the provider and model only.
        if (span.GetTagItem(AiGatewayTelemetry.Attributes.RouteIndex) is null)
        {
            AddIfAbsent(span, AiGatewayTelemetry.Attributes.Provider, route.Provider.Slug);
            AddIfAbsent(span, AiGatewayTelemetry.Attributes.Model, route.Model);
            span.AddTag(AiGatewayTelemetry.Attributes.RouteIndex, GatewayInstruments.Boxed(route.Index));
        }
    }

    private static void AddIfAbsent(Activity span, string name, object value)
    {
        if (span.GetTagItem(name) is null)
        {
            span.AddTag(name, value);
        }
    }
}
