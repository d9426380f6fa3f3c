namespace AiGateway.Extensions.AI;

/// <summary>
/// The names of Cloudflare AI Gateway's <c>cf-aig-*</c> headers. Per-request settings travel in
/// <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> under the request header's name
/// (set them with <see cref="AiGatewayChatOptionsExtensions"/>); they only ever become headers, never body fields.
/// </summary>
public static class AiGatewayHeaderNames
{
    /// <summary><c>cf-aig-authorization</c>: <c>Bearer {token}</c> for an authenticated gateway.</summary>
    public const string Authorization = "cf-aig-authorization";

    /// <summary><c>cf-aig-cache-ttl</c>: cache lifetime in seconds.</summary>
    public const string CacheTtl = "cf-aig-cache-ttl";

    /// <summary><c>cf-aig-skip-cache</c>: <c>true</c> bypasses the cache.</summary>
    public const string SkipCache = "cf-aig-skip-cache";

    /// <summary><c>cf-aig-cache-key</c>: a cache key that replaces the gateway's default one.</summary>
    public const string CacheKey = "cf-aig-cache-key";

    /// <summary><c>cf-aig-metadata</c>: a JSON object of at most five string, number or boolean values.</summary>
    public const string Metadata = "cf-aig-metadata";

    /// <summary><c>cf-aig-collect-log</c>: whether the gateway logs the request.</summary>
    public const string CollectLog = "cf-aig-collect-log";

    /// <summary><c>cf-aig-collect-log-payload</c>: whether the log keeps the bodies.</summary>
    public const string CollectLogPayload = "cf-aig-collect-log-payload";

    /// <summary><c>cf-aig-event-id</c> (request, and since 2026-10 also response): an id to filter logs by.</summary>
    public const string EventId = "cf-aig-event-id";

    /// <summary><c>cf-aig-request-timeout</c>: milliseconds to the provider's first byte.</summary>
    public const string RequestTimeout = "cf-aig-request-timeout";

    /// <summary><c>cf-aig-max-attempts</c>: the gateway's attempts, 1 to 5.</summary>
    public const string MaxAttempts = "cf-aig-max-attempts";

    /// <summary><c>cf-aig-retry-delay</c>: milliseconds between attempts, at most 5000.</summary>
    public const string RetryDelay = "cf-aig-retry-delay";

    /// <summary><c>cf-aig-backoff</c>: <c>constant</c>, <c>linear</c> or <c>exponential</c>.</summary>
    public const string Backoff = "cf-aig-backoff";

    /// <summary><c>cf-aig-custom-cost</c>: a JSON cost the gateway records.</summary>
    public const string CustomCost = "cf-aig-custom-cost";

    /// <summary><c>cf-aig-byok-alias</c>: the alias of a stored provider key.</summary>
    public const string ByokAlias = "cf-aig-byok-alias";

    /// <summary><c>cf-aig-zdr</c>: zero data retention.</summary>
    public const string Zdr = "cf-aig-zdr";

    /// <summary><c>cf-aig-no-wholesale</c>: never fall back to Unified Billing (without a usable provider key the gateway answers 400).</summary>
    public const string NoWholesale = "cf-aig-no-wholesale";

    /// <summary><c>cf-aig-gateway-id</c>: the gateway, on the Cloudflare REST API form.</summary>
    public const string GatewayId = "cf-aig-gateway-id";

    /// <summary><c>cf-aig-otel-trace-id</c>: the caller's trace id (32 hex digits).</summary>
    public const string OtelTraceId = "cf-aig-otel-trace-id";

    /// <summary><c>cf-aig-otel-parent-span-id</c>: the caller's span id (16 hex digits).</summary>
    public const string OtelParentSpanId = "cf-aig-otel-parent-span-id";

    /// <summary><c>cf-aig-session-id</c>: Auto Router's session; it keeps one model for each turn of it.</summary>
    public const string SessionId = "cf-aig-session-id";

    /// <summary><c>cf-aig-turn-id</c>: Auto Router's turn, instead of the one it tells from the message history.</summary>
    public const string TurnId = "cf-aig-turn-id";

    /// <summary><c>cf-aig-no-session-affinity</c>: <c>true</c> lets Auto Router choose a model for every request.</summary>
    public const string NoSessionAffinity = "cf-aig-no-session-affinity";

    /// <summary><c>cf-aig-allowed-models</c>: the comma-separated models Auto Router may choose (<c>*</c> within a segment).</summary>
    public const string AllowedModels = "cf-aig-allowed-models";

    /// <summary><c>cf-aig-allowed-providers</c>: the comma-separated providers Auto Router may choose from.</summary>
    public const string AllowedProviders = "cf-aig-allowed-providers";

    /// <summary><c>cf-aig-cache-status</c> (response): <c>HIT</c> or <c>MISS</c>.</summary>
    public const string CacheStatus = "cf-aig-cache-status";

    /// <summary><c>cf-aig-log-id</c> (response): the gateway's log entry.</summary>
    public const string LogId = "cf-aig-log-id";

    /// <summary><c>cf-aig-request-id</c> (response): the request id.</summary>
    public const string RequestId = "cf-aig-request-id";

    /// <summary><c>cf-aig-step</c> (response): which universal-endpoint step served.</summary>
    public const string Step = "cf-aig-step";

    /// <summary><c>cf-aig-model</c> (response): the model that served a dynamic route.</summary>
    public const string Model = "cf-aig-model";

    /// <summary><c>cf-aig-provider</c> (response): the provider that served a dynamic route.</summary>
    public const string Provider = "cf-aig-provider";

    /// <summary><c>cf-aig-routed-model</c> (response): the model Auto Router chose, for example <c>anthropic/claude-sonnet-5</c>.</summary>
    public const string RoutedModel = "cf-aig-routed-model";

    /// <summary><c>cf-aig-routing-reason</c> (response): why Auto Router chose it, for example <c>cost_optimal_within_pool</c> or <c>pinned_by_turn</c>.</summary>
    public const string RoutingReason = "cf-aig-routing-reason";

    /// <summary><c>cf-aig-routing-decision-id</c> (response): Auto Router's decision, for support and logs.</summary>
    public const string RoutingDecisionId = "cf-aig-routing-decision-id";

    /// <summary><c>cf-aig-dlp</c> (response): JSON data-loss-prevention findings.</summary>
    public const string Dlp = "cf-aig-dlp";
}
