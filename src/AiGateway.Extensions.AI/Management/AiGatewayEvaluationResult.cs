namespace AiGateway.Extensions.AI.Management;

/// <summary>One evaluation type's result in an evaluation.</summary>
public sealed record AiGatewayEvaluationResult
{
    /// <summary>Gets the result id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the evaluation id.</summary>
    public string? EvaluationId { get; set; }

    /// <summary>Gets the evaluation type that produced it.</summary>
    public string? EvaluationTypeId { get; set; }

    /// <summary>Gets the result, as the API words it.</summary>
    public string? Result { get; set; }

    /// <summary>Gets the status code of the run.</summary>
    public int? Status { get; set; }

    /// <summary>Gets the status in words.</summary>
    public string? StatusDescription { get; set; }

    /// <summary>Gets how many logs it covered.</summary>
    public int? TotalLogs { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when it was last changed.</summary>
    public DateTimeOffset? ModifiedAt { get; set; }
}
