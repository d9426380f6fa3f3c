using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Emulator;

/// <summary>
/// A gateway's settings, with Cloudflare's field names (they are also the control plane's JSON).
/// They drive the data plane: caching, logging, rate limiting, authentication and retries. Immutable: an update
/// replaces the whole record (<c>with</c>).
/// </summary>
public sealed record EmulatorGateway
{
    /// <summary>Gets or sets the gateway id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "default";

    /// <summary>Gets or sets the default cache TTL in seconds (kept within 60 seconds and 30 days); 0 turns caching off unless a request sets <c>cf-aig-cache-ttl</c> or <c>cf-aig-cache-key</c> (five minutes).</summary>
    [JsonPropertyName("cache_ttl")]
    public int CacheTtl { get; init; }

    /// <summary>Gets or sets whether changing the settings empties the cache.</summary>
    [JsonPropertyName("cache_invalidate_on_update")]
    public bool CacheInvalidateOnUpdate { get; init; }

    /// <summary>Gets or sets whether requests are logged.</summary>
    [JsonPropertyName("collect_logs")]
    public bool CollectLogs { get; init; } = true;

    /// <summary>Gets or sets the rate-limit window in seconds (null or 0: no rate limit; the API takes null).</summary>
    [JsonPropertyName("rate_limiting_interval")]
    public int? RateLimitingInterval { get; init; }

    /// <summary>Gets or sets the number of requests allowed per window (null or 0: no rate limit).</summary>
    [JsonPropertyName("rate_limiting_limit")]
    public int? RateLimitingLimit { get; init; }

    /// <summary>Gets or sets <c>fixed</c> or <c>sliding</c>.</summary>
    [JsonPropertyName("rate_limiting_technique")]
    public string RateLimitingTechnique { get; init; } = "fixed";

    /// <summary>Gets or sets whether requests need <c>cf-aig-authorization</c>.</summary>
    [JsonPropertyName("authentication")]
    public bool Authentication { get; init; }

    /// <summary>Gets or sets the most logs kept (null: unlimited).</summary>
    [JsonPropertyName("log_management")]
    public int? LogManagement { get; init; }

    /// <summary>Gets or sets <c>STOP_INSERTING</c> or <c>DELETE_OLDEST</c> when the log limit is reached.</summary>
    [JsonPropertyName("log_management_strategy")]
    public string? LogManagementStrategy { get; init; }

    /// <summary>Gets or sets whether logpush is on (stored only).</summary>
    [JsonPropertyName("logpush")]
    public bool Logpush { get; init; }

    /// <summary>Gets or sets the logpush public key (stored only).</summary>
    [JsonPropertyName("logpush_public_key")]
    public string? LogpushPublicKey { get; init; }

    /// <summary>Gets or sets the gateway's default retry attempts.</summary>
    [JsonPropertyName("retry_max_attempts")]
    public int? RetryMaxAttempts { get; init; }

    /// <summary>Gets or sets the gateway's default retry delay in milliseconds.</summary>
    [JsonPropertyName("retry_delay")]
    public int? RetryDelay { get; init; }

    /// <summary>Gets or sets the gateway's default backoff.</summary>
    [JsonPropertyName("retry_backoff")]
    public string? RetryBackoff { get; init; }

    /// <summary>Gets or sets zero data retention (stored only).</summary>
    [JsonPropertyName("zdr")]
    public bool Zdr { get; init; }

    /// <summary>
    /// Gets or sets the fields the emulator stores without acting on them (<c>dlp</c>, <c>otel</c>, <c>guardrails</c>,
    /// <c>spend_limits</c>, <c>byok_only</c>, ...): kept and answered back as sent, so clients that read, change one field
    /// and write back can be tested for dropping nothing.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherSettings { get; init; }

    /// <summary>Gets or sets when the gateway was created.</summary>
    [JsonPropertyName("created_at")]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets or sets when the gateway was last changed.</summary>
    [JsonPropertyName("modified_at")]
    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Gets or sets whether this is the account's default gateway.</summary>
    [JsonPropertyName("is_default")]
    public bool IsDefault { get; init; }

    /// <summary>
    /// Gets the dynamic routes (<c>dynamic/{name}</c> models on the unified endpoint): each name maps to
    /// <c>{provider}/{model}</c> targets tried in order until one answers; <c>cf-aig-provider</c> and
    /// <c>cf-aig-model</c> report which served. Emulator-only: Cloudflare configures these in the dashboard.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DynamicRoutes { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// Gets the providers whose keys the gateway stores (BYOK): requests to them need no provider key.
    /// Emulator-only; not part of Cloudflare's gateway object.
    /// </summary>
    [JsonIgnore]
    public IReadOnlySet<string> StoredKeys { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Why <paramref name="id"/> cannot name a gateway, or null when it can: Cloudflare's gateway ids are 1 to 64
    /// lowercase letters, digits and dashes.
    /// </summary>
    /// <param name="id">A proposed gateway id.</param>
    /// <returns>The problem, or null.</returns>
    public static string? CheckId(string? id) =>
        string.IsNullOrEmpty(id) ? "id is required."
        : id.Length > 64 ? "id must be at most 64 characters."
        : id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? null
        : $"id '{id}' must be lowercase letters, digits and dashes.";
}
