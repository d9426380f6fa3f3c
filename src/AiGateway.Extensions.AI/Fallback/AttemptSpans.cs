using System.Diagnostics;

namespace AiGateway.Extensions.AI;

/// <summary>The child span of one attempt on one route (chat fallback and embeddings alike), and its outcome.</summary>
internal static class AttemptSpans
{
    public static Activity? Start(AiGatewayRoute route)
    {
        var span = AiGatewayTelemetry.Source.StartActivity($"attempt {route.Provider.Slug}", ActivityKind.Internal);
        // A new span has no tags to replace: appended, as SetTag would search the span's tags for each.
        span?.AddTag(AiGatewayTelemetry.Attributes.RouteIndex, route.Index)
            .AddTag(AiGatewayTelemetry.Attributes.Provider, route.Provider.Slug)
            .AddTag(AiGatewayTelemetry.Attributes.Model, route.Model);
        return span;
    }

    public static void Answered(Activity? span, AiGatewayResponseInfo info) =>
        span?.SetTag(AiGatewayTelemetry.Attributes.HttpStatusCode, info.Attempts[^1].StatusCode);

    public static void Failed(Activity? span, Exception exception)
    {
        if (span is null)
        {
            return;
        }

        var failure = exception as AiGatewayException;
        span.SetStatus(ActivityStatusCode.Error, failure?.Kind.ToString())
            .SetTag(AiGatewayTelemetry.Attributes.HttpStatusCode, failure?.StatusCode)
            .SetTag(AiGatewayTelemetry.Attributes.ErrorKind, failure?.Kind.ToString())
            .SetTag("error.type", failure?.Kind.ToString() ?? exception.GetType().FullName);
    }
}
