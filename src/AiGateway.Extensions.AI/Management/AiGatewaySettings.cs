using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A gateway's settings as Cloudflare's API names them. For <see cref="AiGatewayManagementClient.EnsureGatewayAsync"/>
/// and <see cref="AiGatewayManagementClient.UpdateGatewayAsync"/> a null property means "leave it as it is": an update
/// changes only the settings set here and sends every other field back exactly as the API answered it, including
/// fields this type does not model.
/// </summary>
public sealed record AiGatewaySettings
{
    /// <summary>Gets the gateway id (its name in URLs).</summary>
    public string? Id { get; set; }

    /// <summary>Gets the default cache TTL in seconds (0: caching off).</summary>
    public int? CacheTtl { get; set; }

    /// <summary>Gets whether updating the settings empties the cache.</summary>
    public bool? CacheInvalidateOnUpdate { get; set; }

    /// <summary>Gets whether requests are logged.</summary>
    public bool? CollectLogs { get; set; }

    /// <summary>Gets the rate-limit window in seconds.</summary>
    public int? RateLimitingInterval { get; set; }

    /// <summary>Gets the requests allowed per window.</summary>
    public int? RateLimitingLimit { get; set; }

    /// <summary>
    /// Gets a value indicating whether to switch rate limiting off (sends <c>rate_limiting_interval</c> and
    /// <c>rate_limiting_limit</c> as explicit nulls, as the API takes it). Only written: a gateway read back has both limits null instead.
    /// </summary>
    [JsonIgnore]
    public bool? RateLimitingOff { get; set; }

    /// <summary>Gets <c>fixed</c> or <c>sliding</c>.</summary>
    public string? RateLimitingTechnique { get; set; }

    /// <summary>Gets whether requests need <c>cf-aig-authorization</c>.</summary>
    public bool? Authentication { get; set; }

    /// <summary>Gets the most logs kept.</summary>
    public int? LogManagement { get; set; }

    /// <summary>Gets <c>STOP_INSERTING</c> or <c>DELETE_OLDEST</c>.</summary>
    public string? LogManagementStrategy { get; set; }

    /// <summary>Gets whether logpush is on.</summary>
    public bool? Logpush { get; set; }

    /// <summary>Gets the logpush public key.</summary>
    public string? LogpushPublicKey { get; set; }

    /// <summary>Gets the gateway's retry attempts.</summary>
    public int? RetryMaxAttempts { get; set; }

    /// <summary>Gets the gateway's retry delay in milliseconds.</summary>
    public int? RetryDelay { get; set; }

    /// <summary>Gets the gateway's retry backoff.</summary>
    public string? RetryBackoff { get; set; }

    /// <summary>Gets zero data retention.</summary>
    public bool? Zdr { get; set; }

    /// <summary>Gets the data-loss-prevention settings.</summary>
    public AiGatewayDlpSettings? Dlp { get; set; }

    /// <summary>Gets where the gateway exports OpenTelemetry traces.</summary>
    public IReadOnlyList<AiGatewayOtelExport>? Otel { get; set; }

    /// <summary>Gets whether only stored provider keys (BYOK) may be used, never a key in the request.</summary>
    public bool? ByokOnly { get; set; }

    /// <summary>Gets how Workers AI calls through the gateway are billed (<c>postpaid</c>, <c>unified</c>).</summary>
    public string? WorkersAiBillingMode { get; set; }

    /// <summary>Gets whether logs are classified.</summary>
    public bool? LogClassification { get; set; }

    /// <summary>Gets the guardrails settings, as Cloudflare's API holds them (their shape is not documented in the API clients yet).</summary>
    public JsonElement? Guardrails { get; set; }

    /// <summary>Gets the spend limits, as Cloudflare's API holds them (their shape is not documented in the API clients yet).</summary>
    public JsonElement? SpendLimits { get; set; }

    /// <summary>
    /// Gets the Secrets Store that holds the gateway's stored provider keys (BYOK). An update sends it back as read, so the
    /// gateway keeps its keys; set it only to move the gateway to another store.
    /// </summary>
    public string? StoreId { get; set; }

    /// <summary>Gets when the gateway was created (read only).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when the gateway was last changed (read only).</summary>
    public DateTimeOffset? ModifiedAt { get; set; }

    /// <summary>Gets whether this is the account's default gateway (read only).</summary>
    public bool? IsDefault { get; set; }
}
