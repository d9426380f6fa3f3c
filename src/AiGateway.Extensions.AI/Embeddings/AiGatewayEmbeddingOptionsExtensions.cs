using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Per-request gateway settings on <see cref="EmbeddingGenerationOptions"/>, as on chat options: each value is stored
/// in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> under its <c>cf-aig-*</c> header name and overrides
/// the configured default for that request only. Calls chain: <c>new EmbeddingGenerationOptions().WithGatewayCache(TimeSpan.FromDays(1))</c>.
/// </summary>
public static class AiGatewayEmbeddingOptionsExtensions
{
    /// <summary>Caches this request's vectors for <paramref name="ttl"/> (<c>cf-aig-cache-ttl</c>).</summary>
    /// <param name="options">The embedding options.</param>
    /// <param name="ttl">60 seconds to one month.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The TTL is outside the gateway's limits.</exception>
    public static EmbeddingGenerationOptions WithGatewayCache(this EmbeddingGenerationOptions options, TimeSpan ttl) =>
        Set(options, AiGatewayHeaderNames.CacheTtl, ttl, GatewayValueRules.CheckCacheTtl(ttl));

    /// <summary>Bypasses the gateway cache for this request (<c>cf-aig-skip-cache: true</c>).</summary>
    /// <param name="options">The embedding options.</param>
    /// <param name="skip"><see langword="false"/> undoes a configured <c>Cache:SkipCache</c> for this request.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static EmbeddingGenerationOptions SkipGatewayCache(this EmbeddingGenerationOptions options, bool skip = true) =>
        Set(options, AiGatewayHeaderNames.SkipCache, skip, null);

    /// <summary>Uses <paramref name="cacheKey"/> instead of the gateway's default cache key (<c>cf-aig-cache-key</c>).</summary>
    /// <param name="options">The embedding options.</param>
    /// <param name="cacheKey">The key.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key is empty or has CR/LF.</exception>
    public static EmbeddingGenerationOptions WithGatewayCacheKey(this EmbeddingGenerationOptions options, string cacheKey) =>
        SetString(options, AiGatewayHeaderNames.CacheKey, cacheKey);

    /// <summary>Adds one metadata entry (<c>cf-aig-metadata</c>), merged over the configured metadata; at most five in all.</summary>
    /// <param name="options">The embedding options.</param>
    /// <param name="key">The entry's key.</param>
    /// <param name="value">A string, number or boolean.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key is empty, or the value or the count breaks a gateway limit.</exception>
    public static EmbeddingGenerationOptions WithGatewayMetadata(this EmbeddingGenerationOptions options, string key, object value)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayOptionValues.AddMetadata(options.AdditionalProperties ??= [], key, value);
        return options;
    }

    /// <summary>Tags this request's log with an event id (<c>cf-aig-event-id</c>).</summary>
    /// <param name="options">The embedding options.</param>
    /// <param name="eventId">The event id.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The id is empty or has CR/LF.</exception>
    public static EmbeddingGenerationOptions WithGatewayEventId(this EmbeddingGenerationOptions options, string eventId) =>
        SetString(options, AiGatewayHeaderNames.EventId, eventId);

    /// <summary>Turns the gateway's logging of this request on or off (<c>cf-aig-collect-log</c>).</summary>
    /// <param name="options">The embedding options.</param>
    /// <param name="collect">Whether to log.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static EmbeddingGenerationOptions WithGatewayCollectLog(this EmbeddingGenerationOptions options, bool collect) =>
        Set(options, AiGatewayHeaderNames.CollectLog, collect, null);

    private static EmbeddingGenerationOptions SetString(EmbeddingGenerationOptions options, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayOptionValues.SetString(options.AdditionalProperties ??= [], key, value);
        return options;
    }

    private static EmbeddingGenerationOptions Set(EmbeddingGenerationOptions options, string key, object value, string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayOptionValues.Set(options.AdditionalProperties ??= [], key, value, problem);
        return options;
    }
}
