namespace AiGateway.Extensions.AI;

/// <summary>
/// Options for an <see cref="AiGatewayChatClient"/>, bound from the <c>AiGateway</c> configuration section:
/// where the gateway is, how to authenticate with it, the primary route and its fallbacks, and the gateway
/// settings sent as <c>cf-aig-*</c> headers with every request.
/// </summary>
public sealed class AiGatewayOptions : AiGatewayRouteOptions
{
    /// <summary>The default gateway endpoint, <c>https://gateway.ai.cloudflare.com/v1</c>.</summary>
    public static Uri DefaultEndpoint { get; } = new("https://gateway.ai.cloudflare.com/v1");

    /// <summary>The default Cloudflare REST API endpoint, <c>https://api.cloudflare.com/client/v4</c>.</summary>
    public static Uri DefaultCloudflareApiEndpoint { get; } = new("https://api.cloudflare.com/client/v4");

    /// <summary>The default <see cref="NetworkTimeout"/>: ten minutes.</summary>
    public static TimeSpan DefaultNetworkTimeout { get; } = TimeSpan.FromMinutes(10);

    /// <summary>The default <see cref="StreamStartTimeout"/>: thirty seconds.</summary>
    public static TimeSpan DefaultStreamStartTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the gateway endpoint. Defaults to <see cref="DefaultEndpoint"/>.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>Gets or sets which of Cloudflare's two addressing forms requests use.</summary>
    public AiGatewayEndpointKind EndpointKind { get; set; } = AiGatewayEndpointKind.Gateway;

    /// <summary>
    /// Gets or sets the Cloudflare REST API endpoint used when <see cref="EndpointKind"/> is
    /// <see cref="AiGatewayEndpointKind.CloudflareApi"/>. Defaults to <see cref="DefaultCloudflareApiEndpoint"/>.
    /// </summary>
    public Uri CloudflareApiEndpoint { get; set; } = DefaultCloudflareApiEndpoint;

    /// <summary>Gets or sets the Cloudflare account id.</summary>
    public string? AccountId { get; set; }

    /// <summary>Gets or sets the gateway id. Defaults to <c>default</c>.</summary>
    public string GatewayId { get; set; } = "default";

    /// <summary>
    /// Gets or sets the Cloudflare API token for an authenticated gateway, sent as
    /// <c>cf-aig-authorization: Bearer {token}</c> (or as <c>Authorization</c> on the Cloudflare REST API form).
    /// Not sent when empty.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Gets or sets whether the gateway logs requests (<c>cf-aig-collect-log</c>); unset keeps the gateway's setting.</summary>
    public bool? CollectLog { get; set; }

    /// <summary>Gets or sets whether logs keep request and response bodies (<c>cf-aig-collect-log-payload</c>).</summary>
    public bool? CollectLogPayload { get; set; }

    /// <summary>Gets or sets an event id to filter logs by (<c>cf-aig-event-id</c>).</summary>
    public string? EventId { get; set; }

    /// <summary>
    /// Gets or sets how long the gateway waits for the provider's first byte before it gives up or moves on
    /// (<c>cf-aig-request-timeout</c>, sent in milliseconds).
    /// </summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>
    /// Gets or sets this client's own network timeout: the longest wait for each next piece of an answer (a whole
    /// answer's headers, then each piece of its body; each next piece of a stream). A long answer that keeps flowing is
    /// never cut. Defaults to ten minutes, so a
    /// reasoning model may think before it answers; <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = DefaultNetworkTimeout;

    /// <summary>
    /// Gets or sets the longest wait for a streamed answer to start (its response headers): a route that accepts a
    /// request and never answers costs a stream this long before it fails with <see cref="AiGatewayErrorKind.Timeout"/>
    /// and the fallback moves on. Providers start a stream within seconds, even while a model is still thinking.
    /// Defaults to thirty seconds; never longer than <see cref="NetworkTimeout"/>; <see cref="Timeout.InfiniteTimeSpan"/>
    /// leaves only <see cref="NetworkTimeout"/>.
    /// </summary>
    public TimeSpan StreamStartTimeout { get; set; } = DefaultStreamStartTimeout;

    /// <summary>
    /// Gets or sets the largest non-streaming answer (or error body) this client reads, in bytes. A larger one fails
    /// with <see cref="AiGatewayErrorKind.MalformedResponse"/> instead of exhausting memory. Defaults to 32 MiB.
    /// </summary>
    public long MaxResponseContentLength { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the largest single server-sent event this client reads from a stream, in bytes. A larger one fails
    /// the stream with <see cref="AiGatewayErrorKind.MalformedResponse"/> and memory stays bounded. Defaults to 4 MiB
    /// (a chat chunk is a few hundred bytes).
    /// </summary>
    public long MaxStreamEventLength { get; set; } = 4L * 1024 * 1024;

    /// <summary>Gets or sets the gateway's own retries of a failed provider request.</summary>
    public AiGatewayRetryOptions Retry { get; set; } = new();

    /// <summary>Gets or sets the alias of a stored provider key to use (<c>cf-aig-byok-alias</c>).</summary>
    public string? ByokAlias { get; set; }

    /// <summary>Gets or sets zero data retention (<c>cf-aig-zdr</c>, Unified Billing only).</summary>
    public bool? Zdr { get; set; }

    /// <summary>
    /// Gets or sets whether the gateway may never fall back to Unified Billing (<c>cf-aig-no-wholesale: true</c>):
    /// without a usable provider key it then answers 400 instead of charging your credits.
    /// </summary>
    public bool? NoWholesale { get; set; }

    /// <summary>Gets or sets a custom cost the gateway records for each request (<c>cf-aig-custom-cost</c>).</summary>
    public AiGatewayCustomCost? CustomCost { get; set; }

    /// <summary>Gets or sets the Auto Router defaults, sent on routes whose model is <c>cloudflare/auto</c> on <c>compat</c>.</summary>
    public AiGatewayAutoRouterOptions AutoRouter { get; set; } = new();

    /// <summary>Gets the fallback routes, tried in order after the primary one. Each inherits what it does not set.</summary>
    public IList<AiGatewayRouteOptions> Fallbacks { get; } = [];

    /// <summary>Gets or sets where fallback between routes happens.</summary>
    public AiGatewayFallbackMode FallbackMode { get; set; } = AiGatewayFallbackMode.Client;
}
