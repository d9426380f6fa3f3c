namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A provider key the gateway stores (BYOK), as Cloudflare's API answers it (<c>provider_configs</c>): the secret itself
/// is never answered, only its Secrets Store id and a preview.
/// </summary>
public sealed record AiGatewayStoredKey
{
    /// <summary>Gets the stored key's id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets the alias requests name in <c>cf-aig-byok-alias</c>.</summary>
    public string Alias { get; set; } = string.Empty;

    /// <summary>Gets whether this is the provider's default key, used when a request names no alias.</summary>
    public bool DefaultConfig { get; set; }

    /// <summary>Gets the gateway id.</summary>
    public string? GatewayId { get; set; }

    /// <summary>Gets when it was last changed.</summary>
    public DateTimeOffset? ModifiedAt { get; set; }

    /// <summary>Gets the provider (<c>openai</c>, <c>anthropic</c>, ...).</summary>
    public string ProviderSlug { get; set; } = string.Empty;

    /// <summary>Gets the id of the secret in the gateway's Secrets Store.</summary>
    public string? SecretId { get; set; }

    /// <summary>Gets the API's preview of the secret (a few characters, never the whole key).</summary>
    public string? SecretPreview { get; set; }

    /// <summary>Gets the requests allowed per <see cref="RateLimitPeriod"/> with this key.</summary>
    public int? RateLimit { get; set; }

    /// <summary>Gets the rate-limit window in seconds.</summary>
    public int? RateLimitPeriod { get; set; }
}
