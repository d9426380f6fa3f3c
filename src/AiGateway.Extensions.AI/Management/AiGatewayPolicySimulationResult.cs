namespace AiGateway.Extensions.AI.Management;

/// <summary>What a policy simulation decided (the simulate answer's <c>evaluation</c> and <c>enforcement</c>, flattened).</summary>
public sealed record AiGatewayPolicySimulationResult
{
    /// <summary>Gets the evaluation's decision: <c>no-limit</c>, <c>block</c> or <c>check_limits</c>.</summary>
    public string? Decision { get; init; }

    /// <summary>Gets the budget buckets the request would draw on.</summary>
    public IReadOnlyList<string> Buckets { get; init; } = [];

    /// <summary>Gets whether the request would be allowed.</summary>
    public bool Allowed { get; init; }

    /// <summary>Gets why not: <c>blocked</c> or <c>limit_exceeded</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the bucket whose limit was reached.</summary>
    public string? Bucket { get; init; }

    /// <summary>Gets the bucket's spend in US dollars.</summary>
    public decimal? Spent { get; init; }

    /// <summary>Gets the bucket's limit in US dollars.</summary>
    public decimal? Limit { get; init; }

    /// <summary>Gets the policy that decided.</summary>
    public string? PolicyName { get; init; }

    /// <summary>Gets how many policies were evaluated.</summary>
    public int PoliciesEvaluated { get; init; }
}
