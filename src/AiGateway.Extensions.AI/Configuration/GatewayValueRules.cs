using System.Globalization;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The limits Cloudflare documents for gateway settings. Each check returns <see langword="null"/> when the value is
/// acceptable and otherwise the reason, so configuration validation and per-request setters share one wording.
/// </summary>
internal static class GatewayValueRules
{
    internal const int MaxMetadataEntries = 5;
    internal static readonly TimeSpan MinCacheTtl = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan MaxCacheTtl = TimeSpan.FromDays(30);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    internal static string? CheckCacheTtl(TimeSpan ttl) =>
        ttl < MinCacheTtl || ttl > MaxCacheTtl
            ? $"must be between 00:01:00 (60 seconds) and 30.00:00:00 (one month); it is {ttl.ToString("c", CultureInfo.InvariantCulture)}."
            : null;

    internal static string? CheckMaxAttempts(int attempts) =>
        attempts is < 1 or > 5 ? $"must be between 1 and 5; it is {attempts}." : null;

    internal static string? CheckRetryDelay(TimeSpan delay) =>
        delay < TimeSpan.Zero || delay > MaxRetryDelay
            ? $"must be between 00:00:00 and 00:00:05; it is {delay.ToString("c", CultureInfo.InvariantCulture)}."
            : null;

    internal static string? CheckPositive(TimeSpan value) =>
        value <= TimeSpan.Zero ? $"must be positive; it is {value.ToString("c", CultureInfo.InvariantCulture)}." : null;

    internal static string? CheckNetworkTimeout(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? null : CheckPositive(value);

    /// <summary>Header values must not smuggle a second header; the value itself is never echoed (it may be a secret).</summary>
    internal static string? CheckHeaderValue(string? value) =>
        value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0 ? "must not contain CR or LF characters." : null;

    internal static string? CheckMetadataCount(int count) =>
        count > MaxMetadataEntries ? $"has {count} entries; the gateway accepts at most {MaxMetadataEntries}." : null;

    internal static string? CheckMetadataValue(object? value) => value switch
    {
        string s => CheckHeaderValue(s),
        bool or int or long or short or byte or sbyte or uint or ulong or ushort or float or double or decimal => null,
        null => "must be a string, number or boolean; it is null.",
        _ => $"must be a string, number or boolean; it is a {value.GetType().Name}.",
    };

    internal static string? CheckCustomCost(AiGatewayCustomCost cost)
    {
        bool perToken = cost.PerTokenIn is not null || cost.PerTokenOut is not null || cost.PerCacheReadToken is not null || cost.PerCacheWriteToken is not null;
        if (perToken && cost.TotalCost is not null)
        {
            return "sets both per-token costs and TotalCost; set one or the other.";
        }

        if (!perToken && cost.TotalCost is null)
        {
            return "sets neither a per-token cost (PerTokenIn, PerTokenOut, PerCacheReadToken, PerCacheWriteToken) nor TotalCost.";
        }

        return cost.PerTokenIn < 0 || cost.PerTokenOut < 0 || cost.PerCacheReadToken < 0 || cost.PerCacheWriteToken < 0 || cost.TotalCost < 0
            ? "must not be negative."
            : null;
    }
}
