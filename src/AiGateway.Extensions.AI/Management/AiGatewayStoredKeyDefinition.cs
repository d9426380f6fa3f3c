using System.Text;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A provider key to store on a gateway (<c>ProviderConfigCreateParams</c> in Cloudflare's client): the secret itself,
/// or the id of one already in the gateway's Secrets Store. <see cref="Secret"/> is sent once, when the key is created,
/// and never printed: <see cref="object.ToString"/> shows <c>[REDACTED]</c>.
/// </summary>
public sealed record AiGatewayStoredKeyDefinition
{
    /// <summary>Gets or sets the provider (<c>openai</c>, <c>anthropic</c>, ...).</summary>
    public string ProviderSlug { get; set; } = string.Empty;

    /// <summary>Gets or sets the alias requests name in <c>cf-aig-byok-alias</c>. Defaults to <c>default</c>, the gateway's own default alias.</summary>
    public string Alias { get; set; } = "default";

    /// <summary>Gets or sets whether this is the provider's default key, used when a request names no alias.</summary>
    public bool DefaultConfig { get; set; } = true;

    /// <summary>Gets or sets the provider key. Write-only: the API never answers it.</summary>
    public string? Secret { get; set; }

    /// <summary>Gets or sets the id of a secret already in the gateway's Secrets Store, instead of <see cref="Secret"/>.</summary>
    public string? SecretId { get; set; }

    /// <summary>Gets or sets the requests allowed per <see cref="RateLimitPeriod"/> with this key.</summary>
    public int? RateLimit { get; set; }

    /// <summary>Gets or sets the rate-limit window in seconds.</summary>
    public int? RateLimitPeriod { get; set; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ProviderSlug = ").Append(ProviderSlug).Append(", Alias = ").Append(Alias).Append(", DefaultConfig = ").Append(DefaultConfig)
            .Append(", Secret = ").Append(Secret is null ? "null" : "[REDACTED]").Append(", SecretId = ").Append(SecretId)
            .Append(", RateLimit = ").Append(RateLimit).Append(", RateLimitPeriod = ").Append(RateLimitPeriod);
        return true;
    }
}
