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

    /// <summary>
    /// Gets or sets how long a route whose budget is spent (<see cref="AiGatewayErrorKind.SpendLimitExceeded"/>) is
    /// skipped before it is tried again. Defaults to <see cref="DefaultSpendLimitCooldown"/>.
    /// </summary>
    /// <remarks>
    /// The gateway's answer does not say when the budget resets: policy budgets reset at the next UTC hour, day, Monday
    /// or month, spend-limit rules after their own fixed window, and either may be raised at any time. Five minutes
    /// trades at most twelve refused probes an hour (refused before any provider is called, so they cost nothing) for
    /// using the route again within five minutes of its budget resetting or being raised.
    /// </remarks>
    public TimeSpan SpendLimitCooldown { get; set; } = DefaultSpendLimitCooldown;

    /// <summary>The default <see cref="SpendLimitCooldown"/>: five minutes.</summary>
    public static TimeSpan DefaultSpendLimitCooldown { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the longest <c>Retry-After</c> honoured for skipping a route. Defaults to 5 minutes.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The default policy. Falls back on rate limits (429), timeouts (408, 504, the gateway's request timeout, the
    /// network timeout), provider errors (5xx, errors inside a stream), transport failures, unreadable answers,
    /// exhausted Unified Billing credits (402 / 2021: a route with its own key can still answer), policy refusals (403
    /// <c>Access denied by policy</c>) and spent budgets (429 <c>Spending limit exceeded</c>): policies and budgets
    /// match per model and provider, so a route with another one may be allowed.
    /// Does not fall back on authentication (401, 403), bad requests (400, 422), unknown models (404), guardrail or DLP
    /// blocks (424, 2016, 2017, 2029, 2030), gateway errors (the same gateway serves every route) or the caller's
    /// cancellation: another route would fail the same way, or must not see the request.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns>Whether to try the next route.</returns>
    public static bool IsTransient(Exception exception) =>
        exception is AiGatewayException { Kind: AiGatewayErrorKind.RateLimited or AiGatewayErrorKind.Timeout or AiGatewayErrorKind.ProviderError
            or AiGatewayErrorKind.Transport or AiGatewayErrorKind.MalformedResponse or AiGatewayErrorKind.InsufficientCredits
            or AiGatewayErrorKind.PolicyDenied or AiGatewayErrorKind.SpendLimitExceeded };

    /// <summary>The longest rest this client keeps: a month, the longest budget window.</summary>
    private static readonly TimeSpan s_longestRest = TimeSpan.FromDays(31);

    /// <summary>Throws when a value cannot work, naming the property, so a bad setting fails where the client is made.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    internal void Validate()
    {
        string? problem = ShouldFallBack is null ? $"{nameof(ShouldFallBack)} is required."
            : FailureThreshold < 1 ? $"{nameof(FailureThreshold)} must be at least 1; it is {FailureThreshold}."
            : Rest(nameof(Cooldown), Cooldown) ?? Rest(nameof(SpendLimitCooldown), SpendLimitCooldown) ?? Rest(nameof(MaxRetryAfter), MaxRetryAfter);
        if (problem is not null)
        {
            throw new ArgumentException($"{nameof(AiGatewayFallbackOptions)}.{problem}", "options");
        }

        static string? Rest(string name, TimeSpan value) => value < TimeSpan.Zero || value > s_longestRest
            ? $"{name} must be between 00:00:00 and 31.00:00:00; it is {value.ToString("c", System.Globalization.CultureInfo.InvariantCulture)}."
            : null;
    }
}
