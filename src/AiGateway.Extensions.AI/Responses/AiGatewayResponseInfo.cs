namespace AiGateway.Extensions.AI;

/// <summary>What the gateway said about one answer: cache status, log id, which route and step served, and every attempt.</summary>
/// <remarks>
/// Read it with <see cref="AiGatewayResponseExtensions.GetGatewayInfo(Microsoft.Extensions.AI.ChatResponse)"/>.
/// The raw header values also sit in the response's <c>AdditionalProperties</c> under their header names.
/// </remarks>
public sealed record AiGatewayResponseInfo
{
    /// <summary>The <c>AdditionalProperties</c> key under which responses and updates carry this object.</summary>
    public const string AdditionalPropertiesKey = "aigateway.response-info";

    /// <summary>Gets the id of the gateway that answered (for feedback on its log).</summary>
    public string? GatewayId { get; init; }

    /// <summary>Gets whether the gateway served the answer from its cache (<c>cf-aig-cache-status</c>).</summary>
    public AiGatewayCacheStatus CacheStatus { get; init; }

    /// <summary>Gets the gateway's log id (<c>cf-aig-log-id</c>); feedback is sent to it.</summary>
    public string? LogId { get; init; }

    /// <summary>Gets the gateway's request id (<c>cf-aig-request-id</c>).</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets the request's event id (<c>cf-aig-event-id</c>): the one the gateway answered with, else the one sent.</summary>
    public string? EventId { get; init; }

    /// <summary>Gets the index of the universal-endpoint step that served (<c>cf-aig-step</c>), when the gateway reports one.</summary>
    public int? Step { get; init; }

    /// <summary>Gets the provider slug that served: the gateway's <c>cf-aig-provider</c> when present, otherwise the route's provider.</summary>
    public required string Provider { get; init; }

    /// <summary>
    /// Gets the model that served: the gateway's <c>cf-aig-model</c> (a dynamic route) or <c>cf-aig-routed-model</c>
    /// (Auto Router, for example <c>anthropic/claude-sonnet-5</c>) when present, otherwise the route's model.
    /// </summary>
    public required string Model { get; init; }

    /// <summary>
    /// Gets why Auto Router chose <see cref="Model"/> (<c>cf-aig-routing-reason</c>): <c>cost_optimal_within_pool</c>,
    /// <c>forced_by_candidate_pool</c>, <c>pinned_by_turn</c> (the session's model for this turn), or a
    /// <c>fallback_*</c> reason. Null on routes other than <c>cloudflare/auto</c>.
    /// </summary>
    public string? RoutingReason { get; init; }

    /// <summary>Gets Auto Router's decision id (<c>cf-aig-routing-decision-id</c>), for its logs and support.</summary>
    public string? RoutingDecisionId { get; init; }

    /// <summary>Gets the data-loss-prevention findings (<c>cf-aig-dlp</c>, raw JSON), when the gateway flagged the request.</summary>
    public string? Dlp { get; init; }

    /// <summary>Gets the index of the configured route that served: 0 for the primary, <c>i + 1</c> for <c>Fallbacks:{i}</c>.</summary>
    public int RouteIndex { get; init; }

    /// <summary>Gets every attempt made for this answer, in order; the last one served it.</summary>
    public IReadOnlyList<AiGatewayAttempt> Attempts { get; init; } = [];

    /// <summary>
    /// Gets a value indicating whether this answer came from a cache in the application (for example
    /// Microsoft.Extensions.AI's <c>UseDistributedCache()</c>) rather than from the gateway just now. The other
    /// properties then describe the gateway's original answer: its cache status, log id and route.
    /// </summary>
    public bool FromLocalCache { get; init; }

    /// <summary>These facts with a request's earlier attempts (the routes a fallback tried or skipped) before this answer's own.</summary>
    internal AiGatewayResponseInfo AfterAttempts(IReadOnlyList<AiGatewayAttempt> earlier) =>
        earlier.Count == 0 ? this : this with { Attempts = [.. earlier, .. Attempts] };

    /// <inheritdoc />
    public override string ToString() =>
        $"cache={CacheStatus}{(FromLocalCache ? " (local cache)" : string.Empty)} provider={Provider} model={Model} log={LogId ?? "-"} step={Step?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} attempts={Attempts.Count}";
}
