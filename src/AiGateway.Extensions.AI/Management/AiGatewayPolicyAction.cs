namespace AiGateway.Extensions.AI.Management;

/// <summary>What a policy does when it matches (features/policies.mdx, "Action object"). Build one with the factory methods.</summary>
public sealed record AiGatewayPolicyAction
{
    /// <summary>Gets or sets <c>no-limit</c>, <c>block</c> or <c>limit</c>.</summary>
    public string Type { get; set; } = "no-limit";

    /// <summary>Gets or sets, for a block, whether it blocks everything except the policy's resource (an allowlist).</summary>
    public bool? Except { get; set; }

    /// <summary>Gets or sets a spend cap's amount in US dollars.</summary>
    public decimal? Amount { get; set; }

    /// <summary>Gets or sets a spend cap's window: <c>hourly</c>, <c>daily</c>, <c>weekly</c> or <c>monthly</c> (calendar windows, UTC).</summary>
    public string? Period { get; set; }

    /// <summary>Gets or sets a spend cap's technique; the API takes only <c>named-interval</c>.</summary>
    public string? Technique { get; set; }

    /// <summary>Allows matching requests without a cap.</summary>
    /// <returns>The action.</returns>
    public static AiGatewayPolicyAction NoLimit() => new() { Type = "no-limit" };

    /// <summary>Blocks matching requests (403).</summary>
    /// <returns>The action.</returns>
    public static AiGatewayPolicyAction Block() => new() { Type = "block" };

    /// <summary>Blocks every request except those to the policy's resource (an allowlist).</summary>
    /// <returns>The action.</returns>
    public static AiGatewayPolicyAction BlockAllExcept() => new() { Type = "block", Except = true };

    /// <summary>Allows matching requests until the bucket's spend reaches <paramref name="amountUsd"/> in the window (then 429).</summary>
    /// <param name="amountUsd">The cap in US dollars, greater than zero.</param>
    /// <param name="period"><c>hourly</c>, <c>daily</c>, <c>weekly</c> or <c>monthly</c>.</param>
    /// <returns>The action.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The amount is not above zero, or the period is not one of those.</exception>
    public static AiGatewayPolicyAction Limit(decimal amountUsd, string period)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amountUsd);
        if (period is not ("hourly" or "daily" or "weekly" or "monthly"))
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A spend cap's period is hourly, daily, weekly or monthly.");
        }

        return new() { Type = "limit", Amount = amountUsd, Period = period, Technique = "named-interval" };
    }
}
