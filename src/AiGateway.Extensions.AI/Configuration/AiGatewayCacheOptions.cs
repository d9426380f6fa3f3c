namespace AiGateway.Extensions.AI;

/// <summary>Gateway cache settings for a route.</summary>
public sealed class AiGatewayCacheOptions
{
    /// <summary>
    /// Gets or sets how long the gateway caches an answer (<c>cf-aig-cache-ttl</c>, sent in seconds): 60 seconds to one month.
    /// When unset the gateway's own setting applies.
    /// </summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>Gets or sets a value indicating whether to bypass the gateway cache (<c>cf-aig-skip-cache: true</c>).</summary>
    public bool? SkipCache { get; set; }
}
