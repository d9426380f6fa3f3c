using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Stores per-request gateway settings in an options object's <c>AdditionalProperties</c> (chat or embeddings), under
/// the <c>cf-aig-*</c> header names, checked as they are set.
/// </summary>
internal static class GatewayOptionValues
{
    /// <exception cref="ArgumentOutOfRangeException">The value breaks a gateway limit.</exception>
    public static void Set(AdditionalPropertiesDictionary properties, string key, object value, string? problem)
    {
        ThrowIfInvalid(problem, key, nameof(value));
        properties[key] = value;
    }

    /// <exception cref="ArgumentException">The value is empty or has CR/LF.</exception>
    public static void SetString(AdditionalPropertiesDictionary properties, string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Set(properties, key, value, GatewayValueRules.CheckHeaderValue(value));
    }

    /// <summary>Adds one metadata entry to the request's set (at most five after merging with the configured ones).</summary>
    /// <exception cref="ArgumentException">The key is empty, or the value or the count breaks a gateway limit.</exception>
    public static void AddMetadata(AdditionalPropertiesDictionary properties, string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfInvalid(GatewayValueRules.CheckMetadataValue(value), $"Metadata entry '{key}'", nameof(value));
        if (properties.TryGetValue(AiGatewayHeaderNames.Metadata, out object? existing) && existing is Dictionary<string, object?> entries)
        {
            entries[key] = value;
        }
        else
        {
            entries = new(StringComparer.Ordinal) { [key] = value };
            properties[AiGatewayHeaderNames.Metadata] = entries;
        }

        ThrowIfInvalid(GatewayValueRules.CheckMetadataCount(entries.Count), "Request metadata", nameof(key));
    }

    private static void ThrowIfInvalid(string? problem, string what, string parameterName)
    {
        if (problem is not null)
        {
            throw new ArgumentOutOfRangeException(parameterName, $"{what} {problem}");
        }
    }
}
