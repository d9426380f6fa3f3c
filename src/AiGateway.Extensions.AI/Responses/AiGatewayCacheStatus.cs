namespace AiGateway.Extensions.AI;

/// <summary>Whether the gateway served an answer from its cache.</summary>
public enum AiGatewayCacheStatus
{
    /// <summary>The gateway did not say (caching off, or a streaming answer).</summary>
    Unknown,

    /// <summary><c>HIT</c>: served from the cache.</summary>
    Hit,

    /// <summary><c>MISS</c>: sent to the provider, and cached if the settings allow.</summary>
    Miss,
}
