using System.Security.Cryptography;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Derives <c>cf-aig-cache-key</c> from the exact request: <c>{namespace}:{provider}:{SHA-256 of the body}</c>. The body
/// already holds the model, messages and options in a deterministic form, so equal requests get equal keys.
/// </summary>
internal static class RequestCacheKey
{
    public const string NamespaceKey = "aigateway.cache-key-namespace";

    public static string? TryGetNamespace(Microsoft.Extensions.AI.AdditionalPropertiesDictionary? properties) =>
        properties?.TryGetValue(NamespaceKey, out object? value) is true ? value as string : null;

    public static string Compute(string keyNamespace, string providerSlug, BinaryData body) =>
        $"{keyNamespace}:{providerSlug}:{Convert.ToHexStringLower(SHA256.HashData(body.ToMemory().Span))}";

    /// <summary>Adds (or replaces) the cache-key header.</summary>
    public static KeyValuePair<string, string>[] WithKey(KeyValuePair<string, string>[] headers, string key)
    {
        var result = new List<KeyValuePair<string, string>>(headers.Length + 1);
        foreach (var header in headers)
        {
            if (header.Key != AiGatewayHeaderNames.CacheKey)
            {
                result.Add(header);
            }
        }

        result.Add(new(AiGatewayHeaderNames.CacheKey, key));
        return [.. result];
    }
}
