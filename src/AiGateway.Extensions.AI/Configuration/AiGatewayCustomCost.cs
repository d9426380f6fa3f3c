namespace AiGateway.Extensions.AI;

/// <summary>A custom cost for the gateway to record (<c>cf-aig-custom-cost</c>): per token, or a total.</summary>
public sealed class AiGatewayCustomCost
{
    /// <summary>Gets or sets the cost per input token.</summary>
    public decimal? PerTokenIn { get; set; }

    /// <summary>Gets or sets the cost per output token.</summary>
    public decimal? PerTokenOut { get; set; }

    /// <summary>Gets or sets the total cost of the request.</summary>
    public decimal? TotalCost { get; set; }
}
