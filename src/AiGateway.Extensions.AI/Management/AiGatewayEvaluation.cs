namespace AiGateway.Extensions.AI.Management;

/// <summary>An evaluation of datasets, with its results once processed.</summary>
public sealed record AiGatewayEvaluation
{
    /// <summary>Gets the evaluation id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the evaluated datasets.</summary>
    public IReadOnlyList<AiGatewayDataset>? Datasets { get; set; }

    /// <summary>Gets one result per evaluation type.</summary>
    public IReadOnlyList<AiGatewayEvaluationResult>? Results { get; set; }

    /// <summary>Gets whether the evaluation has been processed.</summary>
    public bool? Processed { get; set; }

    /// <summary>Gets how many logs it covers.</summary>
    public int? TotalLogs { get; set; }

    /// <summary>Gets the gateway id.</summary>
    public string? GatewayId { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when it was last changed.</summary>
    public DateTimeOffset? ModifiedAt { get; set; }
}
