using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI;

/// <summary>An evaluation of datasets.</summary>
public sealed record AiGatewayEvaluation
{
    /// <summary>Gets the evaluation id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the evaluated datasets.</summary>
    public IReadOnlyList<string>? DatasetIds { get; set; }

    /// <summary>Gets the evaluation types applied.</summary>
    public IReadOnlyList<string>? EvaluationTypeIds { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}
