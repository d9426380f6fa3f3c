namespace AiGateway.Extensions.AI;

/// <summary>How <see cref="AiGatewayFallbackChatClient"/> decides to move on, and how long a failing route rests.</summary>
public sealed class AiGatewayFallbackOptions
{
    /// <summary>
    /// Gets or sets the policy that decides whether a failure moves on to the next route. Defaults to
    /// <see cref="IsTransient"/>.
    /// </summary>
    public Func<Exception, bool> ShouldFallBack { get; set; } = IsTransient;

    /// <summary>Gets or sets how many failures in a row put a route into cooldown. Defaults to 3.</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>Gets or sets how long a route that keeps failing is skipped before it is probed again. Defaults to 30 seconds.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest <c>Retry-After</c> honoured for skipping a route. Defaults to 5 minutes.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The default policy. Falls back on rate limits (429), timeouts (408, 504, the gateway's request timeout, the
    /// network timeout), provider errors (5xx, errors inside a stream), transport failures, unreadable answers and
    /// exhausted Unified Billing credits (402 / 2021: a route with its own key can still answer).
    /// Does not fall back on authentication (401, 403), bad requests (400, 422), unknown models (404), guardrail or DLP
    /// blocks (424, 2016, 2017, 2029, 2030), gateway errors (the same gateway serves every route) or the caller's
    /// cancellation: another route would fail the same way, or must not see the request.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns>Whether to try the next route.</returns>
    public static bool IsTransient(Exception exception) =>
        exception is AiGatewayException { Kind: AiGatewayErrorKind.RateLimited or AiGatewayErrorKind.Timeout or AiGatewayErrorKind.ProviderError
            or AiGatewayErrorKind.Transport or AiGatewayErrorKind.MalformedResponse or AiGatewayErrorKind.InsufficientCredits };
}
