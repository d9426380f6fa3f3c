using System.Security.Cryptography;
using System.Text;

namespace AiGateway.Emulator;

/// <summary>
/// The gateway's caching rules, as Cloudflare's caching page (features/caching.mdx) and limits page state them: which
/// requests are cached, for how long, and under which key.
/// </summary>
internal static class CacheRules
{
    /// <summary>The shortest TTL: "The minimum TTL is 60 seconds".</summary>
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(60);

    /// <summary>The longest TTL: "the maximum TTL is one month", read as 30 days (as the library's own check does).</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(30);

    /// <summary>How long a request with <c>cf-aig-cache-key</c> is cached when neither the request nor the gateway sets a TTL.</summary>
    public static readonly TimeSpan CustomKeyTtl = TimeSpan.FromMinutes(5);

    /// <summary>The largest request the cache takes: "Cacheable request size: 25 MB per request" (limits.mdx), read as 25 MiB.</summary>
    public const long MaxCacheableRequestBytes = 25 * 1024 * 1024;

    /// <summary>
    /// How long a request's answer is cached, or null when it is not: the request's TTL (<c>cf-aig-cache-ttl</c>, or the
    /// deprecated <c>cf-cache-ttl</c>) within 60 seconds and a month; else the gateway's <c>cache_ttl</c>; else five minutes
    /// when the request names its own cache key. A request TTL of 0 or less turns caching off for the request (the page
    /// does not say; the emulator has always done so).
    /// </summary>
    public static TimeSpan? Ttl(int? requestSeconds, int gatewaySeconds, bool customKey)
    {
        int? seconds = requestSeconds ?? (gatewaySeconds > 0 ? gatewaySeconds : null);
        return seconds switch
        {
            > 0 => Clamp(TimeSpan.FromSeconds(seconds.Value)),
            null when customKey => CustomKeyTtl,
            _ => null,
        };
    }

    /// <summary>Whether the gateway caches a request at all: not a stream, and no larger than the cache takes.</summary>
    public static bool Cacheable(StepRequest step, bool stream) =>
        step.Settings.CacheTtl is not null && !stream && step.Body.Length <= MaxCacheableRequestBytes;

    /// <summary>
    /// The cache key, scoped to the gateway: <c>cf-aig-cache-key</c> when the request sets one, otherwise the SHA-256 of
    /// the provider, the endpoint (the API path), the model, the provider authentication header and the full body.
    /// </summary>
    public static string Key(string gatewayId, StepRequest step, ProviderRoute? route, string? model)
    {
        if (step.Settings.CacheKey is { } custom)
        {
            return gatewayId + "|" + custom;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{step.Slug}\n{step.Path}\n{model ?? step.Path}\n{ProviderCredential(step.Headers, route)}\n"));
        hash.AppendData(step.Body);
        return gatewayId + "|" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The header the provider takes its key in (Azure's <c>api-key</c>, Anthropic's <c>x-api-key</c> or a bearer token, the others' <c>Authorization</c>); no other header counts.</summary>
    private static string ProviderCredential(IReadOnlyDictionary<string, string> headers, ProviderRoute? route)
    {
        string Get(string name) => headers.TryGetValue(name, out var value) ? value : string.Empty;
        return route?.KeyKind switch
        {
            ProviderKeyKind.Bearer => Get("authorization"),
            ProviderKeyKind.AzureApiKey => Get("api-key"),
            ProviderKeyKind.AnthropicKey => headers.ContainsKey("x-api-key") ? Get("x-api-key") : Get("authorization"),
            _ => string.Empty,
        };
    }

    private static TimeSpan Clamp(TimeSpan ttl) => ttl < MinTtl ? MinTtl : ttl > MaxTtl ? MaxTtl : ttl;
}
