namespace AiGateway.Extensions.AI;

/// <summary>
/// A custom cost for the gateway to record (<c>cf-aig-custom-cost</c>): per token (any of input, output, cache read and
/// cache write, each alone allowed), or a total. Only the values set are sent.
/// </summary>
public sealed class AiGatewayCustomCost
{
    /// <summary>Gets or sets the cost per input token.</summary>
    public decimal? PerTokenIn { get; set; }

    /// <summary>Gets or sets the cost per output token.</summary>
    public decimal? PerTokenOut { get; set; }

    /// <summary>Gets or sets the cost per input token read from the provider's prompt cache (<c>per_cache_read_token</c>).</summary>
    public decimal? PerCacheReadToken { get; set; }

    /// <summary>Gets or sets the cost per input token written to the provider's prompt cache (<c>per_cache_write_token</c>).</summary>
    public decimal? PerCacheWriteToken { get; set; }

    /// <summary>Gets or sets the total cost of the request.</summary>
    public decimal? TotalCost { get; set; }
}
