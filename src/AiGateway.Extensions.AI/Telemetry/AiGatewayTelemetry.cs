using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The names this package reports under: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="SourceName"/>. Add them to OpenTelemetry with <c>.AddSource(AiGatewayTelemetry.SourceName)</c> and
/// <c>.AddMeter(AiGatewayTelemetry.SourceName)</c>. Gateway facts use the <c>aigateway.</c> attribute prefix; everything
/// else follows the OpenTelemetry GenAI semantic conventions.
/// </summary>
public static class AiGatewayTelemetry
{
    /// <summary>The activity source and meter name, <c>AiGateway.Extensions.AI</c>.</summary>
    public const string SourceName = "AiGateway.Extensions.AI";

    /// <summary>The environment variable that turns message content capture on (<c>true</c>).</summary>
    public const string CaptureMessageContentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    internal static readonly ActivitySource Source = new(SourceName, typeof(AiGatewayTelemetry).Assembly.GetName().Version?.ToString(3));

    internal static readonly Meter Meter = new(SourceName, typeof(AiGatewayTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>Attribute names under the gateway prefix.</summary>
    public static class Attributes
    {
        /// <summary><c>aigateway.gateway.id</c>.</summary>
        public const string GatewayId = "aigateway.gateway.id";

        /// <summary><c>aigateway.cache.status</c>: <c>hit</c>, <c>miss</c> or <c>unknown</c>.</summary>
        public const string CacheStatus = "aigateway.cache.status";

        /// <summary><c>aigateway.log.id</c>.</summary>
        public const string LogId = "aigateway.log.id";

        /// <summary><c>aigateway.request.id</c>.</summary>
        public const string RequestId = "aigateway.request.id";

        /// <summary><c>aigateway.step</c>: the universal-endpoint step that served.</summary>
        public const string Step = "aigateway.step";

        /// <summary><c>aigateway.provider</c>: the provider slug that served.</summary>
        public const string Provider = "aigateway.provider";

        /// <summary><c>aigateway.model</c>: the model that served.</summary>
        public const string Model = "aigateway.model";

        /// <summary><c>aigateway.attempts</c>: attempts made, skipped routes included.</summary>
        public const string Attempts = "aigateway.attempts";

        /// <summary><c>aigateway.route.index</c>: 0 for the primary route, <c>i + 1</c> for <c>Fallbacks:{i}</c>.</summary>
        public const string RouteIndex = "aigateway.route.index";

        /// <summary><c>aigateway.error.kind</c>: the <see cref="AiGatewayErrorKind"/> of a failure.</summary>
        public const string ErrorKind = "aigateway.error.kind";

        /// <summary><c>aigateway.outcome</c>: <c>success</c>, <c>fallback</c> (success on a later route) or <c>error</c>.</summary>
        public const string Outcome = "aigateway.outcome";
    }
}
