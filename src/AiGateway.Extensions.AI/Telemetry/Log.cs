using Microsoft.Extensions.Logging;

namespace AiGateway.Extensions.AI;

/// <summary>Source-generated log messages. They carry routes, statuses and ids, never content or secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "AI Gateway {Provider}/{Model} answered {Status} in {DurationMs} ms (cache {CacheStatus}, log {LogId}).")]
    public static partial void Answered(ILogger logger, string provider, string model, int status, long durationMs, AiGatewayCacheStatus cacheStatus, string? logId);

    [LoggerMessage(2, LogLevel.Warning, "AI Gateway {Provider}/{Model} failed: {Status} {Kind} (gateway code {GatewayCode}, provider code {ProviderCode}, log {LogId}).")]
    public static partial void Failed(ILogger logger, string? provider, string? model, int? status, AiGatewayErrorKind kind, int? gatewayCode, string? providerCode, string? logId);

    [LoggerMessage(3, LogLevel.Information, "AI Gateway fell back from {Provider}/{Model} ({Status} {Kind}, log {LogId}); trying the next route.")]
    public static partial void FellBack(ILogger logger, string provider, string model, int? status, AiGatewayErrorKind? kind, string? logId);

    [LoggerMessage(4, LogLevel.Information, "AI Gateway skipped {Provider}/{Model}: cooling down after failures or Retry-After.")]
    public static partial void Skipped(ILogger logger, string provider, string model);
}
