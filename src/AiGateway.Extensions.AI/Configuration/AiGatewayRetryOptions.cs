namespace AiGateway.Extensions.AI;

/// <summary>The gateway's retry settings (<c>cf-aig-max-attempts</c>, <c>cf-aig-retry-delay</c>, <c>cf-aig-backoff</c>).</summary>
public sealed class AiGatewayRetryOptions
{
    /// <summary>Gets or sets the number of attempts the gateway makes, 1 to 5.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Gets or sets the delay between attempts, at most five seconds.</summary>
    public TimeSpan? Delay { get; set; }

    /// <summary>Gets or sets how the delay grows between attempts.</summary>
    public AiGatewayBackoff? Backoff { get; set; }
}
