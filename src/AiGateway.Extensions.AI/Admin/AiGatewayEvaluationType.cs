using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI;

/// <summary>A kind of evaluation the gateway can run.</summary>
public sealed record AiGatewayEvaluationType
{
    /// <summary>Gets the type id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the description.</summary>
    public string? Description { get; set; }
}
