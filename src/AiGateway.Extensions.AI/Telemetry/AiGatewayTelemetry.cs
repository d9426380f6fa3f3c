using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AiGateway.Extensions.AI;

/// <summary>
/// What this package adds to Microsoft.Extensions.AI's OpenTelemetry (<c>UseOpenTelemetry()</c>), which makes the
/// GenAI span and metrics. The gateway client tags the span it runs in with the gateway's facts (attributes under
/// <see cref="Attributes"/>); the fallback client adds a child span per attempt and an event per skipped route under
/// the <see cref="ActivitySource"/> named <see cref="SourceName"/>; and a <see cref="Meter"/> of the same name counts
/// only what Microsoft's does not: gateway cache hits and misses, fallbacks and skipped routes.
/// Listen with <c>.AddSource(AiGatewayTelemetry.SourceName)</c> and <c>.AddMeter(AiGatewayTelemetry.SourceName)</c>.
/// </summary>
public static class AiGatewayTelemetry
{
    /// <summary>The activity source and meter name, <c>AiGateway.Extensions.AI</c>.</summary>
    public const string SourceName = "AiGateway.Extensions.AI";

    internal static readonly ActivitySource Source = new(SourceName, typeof(AiGatewayTelemetry).Assembly.GetName().Version?.ToString(3));

    internal static readonly Meter Meter = new(SourceName, typeof(AiGatewayTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>Span and metric attribute names, all under the <c>aigateway.</c> prefix.</summary>
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

        /// <summary><c>aigateway.event.id</c>: the request's <c>cf-aig-event-id</c>.</summary>
        public const string EventId = "aigateway.event.id";

        /// <summary><c>aigateway.step</c>: the universal-endpoint step that served.</summary>
        public const string Step = "aigateway.step";

        /// <summary><c>aigateway.provider</c>: the provider slug that actually served (or was tried).</summary>
        public const string Provider = "aigateway.provider";

        /// <summary><c>aigateway.model</c>: the model that actually served (or was tried).</summary>
        public const string Model = "aigateway.model";

        /// <summary><c>aigateway.routing.reason</c>: why Auto Router chose the model (<c>cf-aig-routing-reason</c>).</summary>
        public const string RoutingReason = "aigateway.routing.reason";

        /// <summary><c>aigateway.routing.decision_id</c>: Auto Router's decision id (<c>cf-aig-routing-decision-id</c>).</summary>
        public const string RoutingDecisionId = "aigateway.routing.decision_id";

        /// <summary><c>aigateway.attempts</c>: attempts made, skipped routes included; recorded only when more than one.</summary>
        public const string Attempts = "aigateway.attempts";

        /// <summary><c>aigateway.route.index</c>: 0 for the primary route, <c>i + 1</c> for <c>Fallbacks:{i}</c>.</summary>
        public const string RouteIndex = "aigateway.route.index";

        /// <summary><c>aigateway.error.kind</c>: the <see cref="AiGatewayErrorKind"/> of a failure.</summary>
        public const string ErrorKind = "aigateway.error.kind";

        /// <summary><c>http.response.status_code</c> (OpenTelemetry's HTTP convention) on attempt spans.</summary>
        public const string HttpStatusCode = "http.response.status_code";
    }

    /// <summary>Instrument names of the <see cref="Meter"/> named <see cref="SourceName"/>.</summary>
    public static class Metrics
    {
        /// <summary><c>aigateway.client.cache.lookups</c>: answers the gateway's cache reported on, tagged <c>aigateway.cache.status</c>.</summary>
        public const string CacheLookups = "aigateway.client.cache.lookups";

        /// <summary><c>aigateway.client.fallbacks</c>: failed attempts after which the next route was tried.</summary>
        public const string Fallbacks = "aigateway.client.fallbacks";

        /// <summary><c>aigateway.client.route.skips</c>: routes skipped without a request while cooling down.</summary>
        public const string RouteSkips = "aigateway.client.route.skips";
    }
}
