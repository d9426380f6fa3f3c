namespace AiGateway.Extensions.AI;

/// <summary>
/// A chat request through the gateway failed. Carries the HTTP status, the kind of failure, the gateway's and the
/// provider's own error codes, <c>Retry-After</c>, and the gateway's log id. Never contains an API key or token.
/// </summary>
public sealed class AiGatewayException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="AiGatewayException"/> class.</summary>
    public AiGatewayException()
        : this("The AI Gateway request failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiGatewayException"/> class.</summary>
    /// <param name="message">The message.</param>
    public AiGatewayException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AiGatewayException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AiGatewayException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the kind of failure.</summary>
    public AiGatewayErrorKind Kind { get; init; } = AiGatewayErrorKind.ProviderError;

    /// <summary>Gets the HTTP status code, or <see langword="null"/> when no response arrived.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the gateway's own error code (for example 2001, 2009, 2016), when the gateway produced the error.</summary>
    public int? GatewayErrorCode { get; init; }

    /// <summary>Gets the provider's error code (for example <c>insufficient_quota</c> or <c>rate_limit_exceeded</c>).</summary>
    public string? ProviderErrorCode { get; init; }

    /// <summary>Gets the provider's error type (for example <c>invalid_request_error</c>).</summary>
    public string? ProviderErrorType { get; init; }

    /// <summary>Gets the error message the gateway or provider sent, with any secret removed.</summary>
    public string? ProviderMessage { get; init; }

    /// <summary>Gets how long to wait before retrying, from <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the gateway's log id for the failed request (<c>cf-aig-log-id</c>).</summary>
    public string? LogId { get; init; }

    /// <summary>Gets the data-loss-prevention findings (<c>cf-aig-dlp</c>, raw JSON), when DLP flagged or blocked the request.</summary>
    public string? Dlp { get; init; }

    /// <summary>Gets the provider slug of the route that failed.</summary>
    public string? Provider { get; init; }

    /// <summary>Gets the model of the route that failed.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// Gets the budget bucket that is used up (the policy's resolved actor, or a spend-limit rule's bucket), when the
    /// gateway answered <see cref="AiGatewayErrorKind.SpendLimitExceeded"/>.
    /// </summary>
    public string? Bucket { get; init; }

    /// <summary>Gets the amount the bucket has spent in its current window, in US dollars, with <see cref="AiGatewayErrorKind.SpendLimitExceeded"/>.</summary>
    public decimal? Spent { get; init; }

    /// <summary>Gets the bucket's limit for its window, in US dollars, with <see cref="AiGatewayErrorKind.SpendLimitExceeded"/>.</summary>
    public decimal? Limit { get; init; }

    /// <summary>Gets every attempt made before giving up (more than one when fallback tried several routes).</summary>
    public IReadOnlyList<AiGatewayAttempt> Attempts { get; init; } = [];
}
