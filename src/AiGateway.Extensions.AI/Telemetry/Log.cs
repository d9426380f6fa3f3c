using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Log messages (source-generated). They carry routes, statuses and ids, never content or secrets; values that are
/// absent are left out rather than printed empty.
/// </summary>
internal static partial class Log
{
    public static void Answered(ILogger logger, AiGatewayResponseInfo info, int status, TimeSpan duration)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Answered(logger, info.Provider, info.Model, status, (long)duration.TotalMilliseconds, GatewayInstruments.CacheStatusName(info.CacheStatus), info.LogId ?? "-");
        }
    }

    public static void Failed(ILogger logger, AiGatewayException error)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            Failed(logger, error.Provider ?? "-", error.Model ?? "-", Outcome(error.StatusCode, error.Kind), Details(error.GatewayErrorCode, error.ProviderErrorCode, error.LogId));
        }
    }

    public static void FellBack(ILogger logger, AiGatewayRoute route, AiGatewayAttempt attempt, string? logId)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            FellBack(logger, route.Provider.Slug, route.Model, Outcome(attempt.StatusCode, attempt.ErrorKind), Details(null, null, logId));
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "AI Gateway {Provider}/{Model} answered {Status} in {DurationMs} ms (cache {CacheStatus}, log {LogId}).")]
    private static partial void Answered(ILogger logger, string provider, string model, int status, long durationMs, string cacheStatus, string logId);

    [LoggerMessage(2, LogLevel.Warning, "AI Gateway {Provider}/{Model} failed: {Outcome}{Details}.")]
    private static partial void Failed(ILogger logger, string provider, string model, string outcome, string details);

    [LoggerMessage(3, LogLevel.Information, "AI Gateway fell back from {Provider}/{Model} ({Outcome}{Details}); trying the next route.")]
    private static partial void FellBack(ILogger logger, string provider, string model, string outcome, string details);

    [LoggerMessage(5, LogLevel.Error, "AI Gateway kept its last good configuration: the reloaded one is invalid. {Problems}")]
    public static partial void ConfigurationRejected(ILogger logger, string problems);

    [LoggerMessage(6, LogLevel.Warning, "AI Gateway has {Count} routes under {ConfigurationPath}, but requests go to the primary only: add .UseAiGatewayFallback() to the chat client's pipeline for client-side fallback, or set FallbackMode to Gateway.")]
    public static partial void FallbacksUnused(ILogger logger, int count, string configurationPath);

    [LoggerMessage(4, LogLevel.Information, "AI Gateway skipped {Provider}/{Model}: cooling down after failures or Retry-After.")]
    public static partial void Skipped(ILogger logger, string provider, string model);

    [LoggerMessage(7, LogLevel.Information, "AI Gateway skipped {Provider}/{Model}: the gateway refused the same provider and model earlier in this request ({Refusal}).")]
    public static partial void SkippedAlike(ILogger logger, string provider, string model, AiGatewayErrorKind refusal);

    private static string Outcome(int? status, AiGatewayErrorKind? kind) =>
        (status is { } s ? s.ToString(CultureInfo.InvariantCulture) : "no response") + (kind is { } k ? " " + k : string.Empty);

    /// <summary>", gateway code 2009, provider code invalid_api_key, log 01ab": only the parts that are present.</summary>
    private static string Details(int? gatewayCode, string? providerCode, string? logId)
    {
        var details = new StringBuilder();
        if (gatewayCode is { } code)
        {
            details.Append(", gateway code ").Append(code.ToString(CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrEmpty(providerCode))
        {
            details.Append(", provider code ").Append(providerCode);
        }

        if (!string.IsNullOrEmpty(logId))
        {
            details.Append(", log ").Append(logId);
        }

        return details.ToString();
    }
}
