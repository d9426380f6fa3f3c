namespace AiGateway.Extensions.AI.Management;

/// <summary>A kind of evaluation the gateway can run.</summary>
public sealed record AiGatewayEvaluationType
{
    /// <summary>Gets the type id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the description.</summary>
    public string? Description { get; set; }

    /// <summary>Gets the type's kind, as the API words it.</summary>
    public string? Type { get; set; }

    /// <summary>Gets whether it is enabled.</summary>
    public bool? Enable { get; set; }

    /// <summary>Gets whether every evaluation runs it.</summary>
    public bool? Mandatory { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when it was last changed.</summary>
    public DateTimeOffset? ModifiedAt { get; set; }
}
