using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Per-request gateway settings on <see cref="ChatOptions"/>. Each method stores its value in
/// <see cref="ChatOptions.AdditionalProperties"/> under the <c>cf-aig-*</c> header name, overriding the configured
/// default for that request only, and returns the same options so calls chain:
/// <c>new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(5)).WithGatewayMetadata("user", id)</c>.
/// </summary>
public static class AiGatewayChatOptionsExtensions
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key holding per-request extra body fields.</summary>
    internal const string ExtraBodyKey = "aigateway.extra-body";

    /// <summary>Caches this request's answer for <paramref name="ttl"/> (<c>cf-aig-cache-ttl</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="ttl">60 seconds to one month.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayCache(this ChatOptions options, TimeSpan ttl) =>
        Set(options, AiGatewayHeaderNames.CacheTtl, ttl, GatewayValueRules.CheckCacheTtl(ttl));

    /// <summary>Bypasses the gateway cache for this request (<c>cf-aig-skip-cache: true</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="skip"><see langword="false"/> undoes a configured <c>Cache:SkipCache</c> for this request.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions SkipGatewayCache(this ChatOptions options, bool skip = true) =>
        Set(options, AiGatewayHeaderNames.SkipCache, skip, null);

    /// <summary>Uses <paramref name="cacheKey"/> instead of the gateway's default cache key (<c>cf-aig-cache-key</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="cacheKey">The key.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayCacheKey(this ChatOptions options, string cacheKey) =>
        SetString(options, AiGatewayHeaderNames.CacheKey, cacheKey);

    /// <summary>
    /// Derives this request's <c>cf-aig-cache-key</c> from its exact body: <c>{keyNamespace}:{provider}:{SHA-256}</c>.
    /// Equal requests (same provider, model, messages and options) share cached answers even when the gateway's default
    /// key would differ, for example across API keys: the default key covers the provider credential, this one does
    /// not, so <paramref name="keyNamespace"/> must separate whoever must not share answers (a tenant or user id).
    /// </summary>
    /// <param name="options">The chat options.</param>
    /// <param name="keyNamespace">Who may share cached answers, for example a tenant id.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayCacheKeyFromRequest(this ChatOptions options, string keyNamespace) =>
        SetString(options, RequestCacheKey.NamespaceKey, keyNamespace);

    /// <summary>
    /// Adds one metadata entry (<c>cf-aig-metadata</c>), merged over the configured metadata. The merged set may
    /// hold at most five entries.
    /// </summary>
    /// <param name="options">The chat options.</param>
    /// <param name="key">The entry's key.</param>
    /// <param name="value">A string, number or boolean.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayMetadata(this ChatOptions options, string key, object value)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayOptionValues.AddMetadata(options.AdditionalProperties ??= [], key, value);
        return options;
    }

    /// <summary>Tags this request's log with an event id (<c>cf-aig-event-id</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="eventId">The event id.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayEventId(this ChatOptions options, string eventId) =>
        SetString(options, AiGatewayHeaderNames.EventId, eventId);

    /// <summary>Turns the gateway's logging of this request on or off (<c>cf-aig-collect-log</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="collect">Whether to log.</param>
    /// <param name="collectPayload">Whether the log keeps the bodies (<c>cf-aig-collect-log-payload</c>); unset keeps the default.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayCollectLog(this ChatOptions options, bool collect, bool? collectPayload = null)
    {
        Set(options, AiGatewayHeaderNames.CollectLog, collect, null);
        return collectPayload is { } payload ? Set(options, AiGatewayHeaderNames.CollectLogPayload, payload, null) : options;
    }

    /// <summary>Sets how long the gateway waits for the provider's first byte (<c>cf-aig-request-timeout</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="timeout">A positive duration.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayRequestTimeout(this ChatOptions options, TimeSpan timeout) =>
        Set(options, AiGatewayHeaderNames.RequestTimeout, timeout, GatewayValueRules.CheckPositive(timeout));

    /// <summary>Sets the gateway's own retries for this request.</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="maxAttempts">1 to 5 attempts (<c>cf-aig-max-attempts</c>).</param>
    /// <param name="delay">Delay between attempts, at most five seconds (<c>cf-aig-retry-delay</c>).</param>
    /// <param name="backoff">How the delay grows (<c>cf-aig-backoff</c>).</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayRetries(this ChatOptions options, int maxAttempts, TimeSpan? delay = null, AiGatewayBackoff? backoff = null)
    {
        Set(options, AiGatewayHeaderNames.MaxAttempts, maxAttempts, GatewayValueRules.CheckMaxAttempts(maxAttempts));
        if (delay is { } d)
        {
            Set(options, AiGatewayHeaderNames.RetryDelay, d, GatewayValueRules.CheckRetryDelay(d));
        }

        return backoff is { } b ? Set(options, AiGatewayHeaderNames.Backoff, b, null) : options;
    }

    /// <summary>Uses the stored provider key with this alias (<c>cf-aig-byok-alias</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="alias">The alias.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayByokAlias(this ChatOptions options, string alias) =>
        SetString(options, AiGatewayHeaderNames.ByokAlias, alias);

    /// <summary>Requests zero data retention for this request (<c>cf-aig-zdr</c>, Unified Billing only).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="enabled">Whether to retain no data.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayZdr(this ChatOptions options, bool enabled = true) =>
        Set(options, AiGatewayHeaderNames.Zdr, enabled, null);

    /// <summary>Records a custom cost per token for this request (<c>cf-aig-custom-cost</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="perTokenIn">Cost per input token.</param>
    /// <param name="perTokenOut">Cost per output token.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayCustomCost(this ChatOptions options, decimal perTokenIn, decimal perTokenOut) =>
        SetCost(options, new AiGatewayCustomCost { PerTokenIn = perTokenIn, PerTokenOut = perTokenOut });

    /// <summary>Records a custom cost for this request, with any of its per-token prices (<c>cf-aig-custom-cost</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="cost">The prices; only those set are sent.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="cost"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No price is set, per-token and total are mixed, or a price is negative.</exception>
    public static ChatOptions WithGatewayCustomCost(this ChatOptions options, AiGatewayCustomCost cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        return SetCost(options, cost);
    }

    /// <summary>Never falls back to Unified Billing for this request (<c>cf-aig-no-wholesale: true</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static ChatOptions WithoutGatewayWholesale(this ChatOptions options) =>
        Set(options, AiGatewayHeaderNames.NoWholesale, true, null);

    /// <summary>Records a total custom cost for this request (<c>cf-aig-custom-cost</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="totalCost">The request's total cost.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithGatewayCustomCost(this ChatOptions options, decimal totalCost) =>
        SetCost(options, new AiGatewayCustomCost { TotalCost = totalCost });

    /// <summary>
    /// Adds a top-level field to this request's provider body (merged over the route's configured <c>ExtraBody</c>).
    /// Unknown <see cref="ChatOptions.AdditionalProperties"/> are never sent; this is how provider-specific fields are.
    /// </summary>
    /// <param name="options">The chat options.</param>
    /// <param name="name">The body field's name.</param>
    /// <param name="value">A string, number, boolean, <see cref="System.Text.Json.JsonElement"/>, <see cref="System.Text.Json.Nodes.JsonNode"/>, or <see cref="BinaryData"/> holding JSON.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty, has CR/LF, or breaks a gateway limit; the message says which.</exception>
    public static ChatOptions WithExtraBody(this ChatOptions options, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(name);
        byte[] json = JsonValueWriter.ToRawJson(value, name);

        var properties = options.AdditionalProperties ??= [];
        if (!properties.TryGetValue(ExtraBodyKey, out object? existing) || existing is not SortedDictionary<string, byte[]> fields)
        {
            fields = new(StringComparer.Ordinal);
            properties[ExtraBodyKey] = fields;
        }

        fields[name] = json;
        return options;
    }

    private static ChatOptions SetCost(ChatOptions options, AiGatewayCustomCost cost) =>
        Set(options, AiGatewayHeaderNames.CustomCost, cost, GatewayValueRules.CheckCustomCost(cost));

    private static ChatOptions SetString(ChatOptions options, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayOptionValues.SetString(options.AdditionalProperties ??= [], key, value);
        return options;
    }

    private static ChatOptions Set(ChatOptions options, string key, object value, string? problem)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayOptionValues.Set(options.AdditionalProperties ??= [], key, value, problem);
        return options;
    }
}
