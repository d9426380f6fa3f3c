using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Checks the typed values of an <c>AiGateway</c> configuration section before the binder reads them, so a value of
/// the wrong form (<c>Cache:Ttl = abc</c>) fails like any other invalid option: one message naming each bad key and
/// the form it needs, instead of the binder's exception. Values are never echoed (a misplaced secret stays hidden).
/// </summary>
internal static class AiGatewayConfigurationValues
{
    private enum Form
    {
        Duration,
        WholeNumber,
        Boolean,
        Number,
        Url,
        EndpointKind,
        FallbackMode,
        Backoff,
    }

    private static readonly (string Key, Form Form)[] s_gatewayKeys =
    [
        ("Endpoint", Form.Url),
        ("CloudflareApiEndpoint", Form.Url),
        ("EndpointKind", Form.EndpointKind),
        ("FallbackMode", Form.FallbackMode),
        ("RequestTimeout", Form.Duration),
        ("NetworkTimeout", Form.Duration),
        ("StreamStartTimeout", Form.Duration),
        ("MaxResponseContentLength", Form.WholeNumber),
        ("MaxStreamEventLength", Form.WholeNumber),
        ("CollectLog", Form.Boolean),
        ("CollectLogPayload", Form.Boolean),
        ("Zdr", Form.Boolean),
        ("NoWholesale", Form.Boolean),
        ("Retry:MaxAttempts", Form.WholeNumber),
        ("Retry:Delay", Form.Duration),
        ("Retry:Backoff", Form.Backoff),
        ("CustomCost:PerTokenIn", Form.Number),
        ("CustomCost:PerTokenOut", Form.Number),
        ("CustomCost:TotalCost", Form.Number),
        ("CustomCost:PerCacheReadToken", Form.Number),
        ("CustomCost:PerCacheWriteToken", Form.Number),
    ];

    /// <summary>Keys every route has: the section itself and each <c>Fallbacks:{i}</c>.</summary>
    private static readonly (string Key, Form Form)[] s_routeKeys =
    [
        ("Cache:Ttl", Form.Duration),
        ("Cache:SkipCache", Form.Boolean),
        ("MaxOutputTokens", Form.WholeNumber),
        ("OpenAICompatible", Form.Boolean),
    ];

    /// <summary>Binds <paramref name="configuration"/> onto <paramref name="options"/> after checking every typed value.</summary>
    /// <exception cref="OptionsValidationException">A value has the wrong form; the message names each such key.</exception>
    public static void Bind(IConfiguration configuration, AiGatewayOptions options, string path, string optionsName)
    {
        var failures = Check(configuration, path);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(optionsName, typeof(AiGatewayOptions), failures);
        }

        configuration.Bind(options);
    }

    public static List<string> Check(IConfiguration configuration, string path)
    {
        var failures = new List<string>();
        CheckKeys(configuration, path, s_gatewayKeys, failures);
        CheckKeys(configuration, path, s_routeKeys, failures);
        foreach (var fallback in configuration.GetSection("Fallbacks").GetChildren())
        {
            CheckKeys(fallback, $"{path}:Fallbacks:{fallback.Key}", s_routeKeys, failures);
        }

        return failures;
    }

    private static void CheckKeys(IConfiguration section, string path, (string Key, Form Form)[] keys, List<string> failures)
    {
        foreach (var (key, form) in keys)
        {
            if (section[key] is { Length: > 0 } value && !Parses(value.Trim(), form))
            {
                failures.Add($"{path}:{key} {Expected(form)}");
            }
        }
    }

    private static bool Parses(string value, Form form) => form switch
    {
        // TimeSpan reads a bare number as days ("20" is 20 days): a duration must say its unit with colons.
        Form.Duration => value.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _),
        Form.WholeNumber => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
        Form.Boolean => bool.TryParse(value, out _),
        Form.Number => decimal.TryParse(value, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _),
        Form.Url => Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
        Form.EndpointKind => Enum.TryParse<AiGatewayEndpointKind>(value, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !IsNumber(value),
        Form.FallbackMode => Enum.TryParse<AiGatewayFallbackMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !IsNumber(value),
        Form.Backoff => Enum.TryParse<AiGatewayBackoff>(value, ignoreCase: true, out var backoff) && Enum.IsDefined(backoff) && !IsNumber(value),
        _ => true,
    };

    private static bool IsNumber(string value) => value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] == '-');

    private static string Expected(Form form) => form switch
    {
        Form.Duration => "must be a duration such as 00:05:00 (hours:minutes:seconds); a bare number is refused, as it would be read as days.",
        Form.WholeNumber => "must be a whole number such as 3.",
        Form.Boolean => "must be true or false.",
        Form.Number => "must be a number such as 0.000002.",
        Form.Url => "must be a URL such as https://gateway.ai.cloudflare.com/v1.",
        Form.EndpointKind => "must be Gateway or CloudflareApi.",
        Form.FallbackMode => "must be Client or Gateway.",
        Form.Backoff => "must be Constant, Linear or Exponential.",
        _ => "has the wrong form.",
    };
}
