using AiGateway.Extensions.AI;

namespace AiGateway.Samples.WebApi;

/// <summary>
/// What a caller hears when the gateway fails after fallback: a stable message, the gateway's log id and this server's
/// request id. The exception itself (provider codes, parser text) goes to the server log only.
/// </summary>
internal static partial class ChatFailures
{
    /// <summary>Logs the failure and describes it for the caller.</summary>
    /// <param name="logger">The server log.</param>
    /// <param name="context">The request.</param>
    /// <param name="exception">The failure.</param>
    /// <returns>The HTTP status and the error body.</returns>
    public static (int Status, ChatJson.ErrorBody Body) Describe(ILogger logger, HttpContext context, AiGatewayException exception)
    {
        Failed(logger, exception, context.TraceIdentifier, exception.Kind, exception.LogId ?? "-");
        var (status, message) = exception.Kind switch
        {
            AiGatewayErrorKind.Timeout => (StatusCodes.Status504GatewayTimeout, "The AI provider did not answer in time. Try again later."),
            AiGatewayErrorKind.RateLimited => (StatusCodes.Status503ServiceUnavailable, "The AI provider is busy. Try again later."),
            AiGatewayErrorKind.Blocked => (StatusCodes.Status422UnprocessableEntity, "The gateway's guardrails blocked this message or its answer."),
            _ => (StatusCodes.Status502BadGateway, "The AI provider could not answer. Try again later."),
        };
        return (status, new ChatJson.ErrorBody(message, exception.LogId, context.TraceIdentifier));
    }

    [LoggerMessage(LogLevel.Warning, "Chat request {RequestId} failed ({Kind}, gateway log {LogId})")]
    private static partial void Failed(ILogger logger, Exception exception, string requestId, AiGatewayErrorKind kind, string logId);
}
