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

    private static readonly System.Buffers.SearchValues<char> s_gatewayIdCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");
    private static readonly System.Buffers.SearchValues<char> s_idCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
    private static readonly System.Buffers.SearchValues<char> s_nameCharacters = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

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
    /// <summary>The longest value this package sends in one header.</summary>
    internal const int MaxHeaderValueLength = 4096;

    /// <summary>A value that goes into a request header as it is: printable ASCII (or tab), at most <see cref="MaxHeaderValueLength"/> characters.</summary>
    internal static string? CheckHeaderValue(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > MaxHeaderValueLength)
        {
            return $"is {value.Length} characters long; a header value may have at most {MaxHeaderValueLength}.";
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] is not ('\t' or >= ' ' and <= '~'))
            {
                return $"must be printable ASCII (it is sent as a header value); character {i} is U+{(int)value[i]:X4}.";
            }
        }

        return null;
    }

    /// <summary>A string that travels inside a JSON header (metadata): any text, escaped on the way, within the length limit.</summary>
    internal static string? CheckJsonString(string value) =>
        value.Length > MaxHeaderValueLength ? $"is {value.Length} characters long; the header it travels in may have at most {MaxHeaderValueLength}." : null;

    /// <summary>
    /// A value that becomes one segment of the gateway URL (an Azure resource or deployment name): letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c>, never <c>.</c> or <c>..</c> alone, so it cannot leave its place in the path.
    /// </summary>
    internal static string? CheckPathSegment(string value)
    {
        if (value is "." or "..")
        {
            return $"'{value}' is not a name: it would move the request to another path.";
        }

        return value.AsSpan().ContainsAnyExcept(s_nameCharacters) ? $"'{value}' may contain only letters, digits, '-', '_' and '.'." : null;
    }

    /// <summary>A Cloudflare account id: letters, digits and dashes (Cloudflare's are 32 hexadecimal digits).</summary>
    internal static string? CheckAccountId(string value) =>
        value.AsSpan().ContainsAnyExcept(s_idCharacters)
            ? $"'{value}' may contain only letters, digits and '-' (a Cloudflare account id is 32 hexadecimal digits)."
            : null;

    /// <summary>A gateway id: lowercase letters, digits and dashes, as Cloudflare makes it from the gateway's name.</summary>
    internal static string? CheckGatewayId(string value) =>
        value.AsSpan().ContainsAnyExcept(s_gatewayIdCharacters)
            ? $"'{value}' may contain only lowercase letters, digits and '-': use the gateway's id as the dashboard shows it, not its display name."
            : null;

    /// <summary>A path after the provider's base (a custom provider's <c>CustomPath</c>): segments of URL-safe characters, no <c>.</c> or <c>..</c>, no query or fragment.</summary>
    internal static string? CheckRelativePath(string path)
    {
        if (path.TrimStart('/').Contains("//", StringComparison.Ordinal))
        {
            return $"'{path}' must be a path such as v1/chat/completions (no empty segments).";
        }

        foreach (string segment in path.TrimStart('/').Split('/'))
        {
            if (segment is "." or "..")
            {
                return $"'{path}' must not contain '.' or '..' segments.";
            }

            foreach (char c in segment)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' or ':' or '@'))
                {
                    return $"'{path}' may contain only letters, digits and - _ . ~ : @ between slashes (no query, fragment or spaces).";
                }
            }
        }

        return null;
    }
    internal static string? CheckMetadataCount(int count) =>
        count > MaxMetadataEntries ? $"has {count} entries; the gateway accepts at most {MaxMetadataEntries}." : null;

    internal static string? CheckMetadataValue(object? value) => value switch
    {
        string s => CheckJsonString(s),
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
