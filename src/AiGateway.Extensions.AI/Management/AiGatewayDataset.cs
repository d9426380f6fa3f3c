namespace AiGateway.Extensions.AI.Management;

/// <summary>A dataset: a saved log filter that evaluations run over.</summary>
public sealed record AiGatewayDataset
{
    /// <summary>Gets the dataset id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets whether it is enabled.</summary>
    public bool? Enable { get; set; }

    /// <summary>Gets the conditions a log must meet to belong to the dataset.</summary>
    public IReadOnlyList<AiGatewayLogFilter>? Filters { get; set; }

    /// <summary>Gets the gateway id.</summary>
    public string? GatewayId { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when it was last changed.</summary>
    public DateTimeOffset? ModifiedAt { get; set; }
}
