using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>One saved version of a dynamic route's graph; deploying it makes it serve.</summary>
public sealed record AiGatewayDynamicRouteVersion
{
    /// <summary>Gets the version id.</summary>
    public string VersionId { get; set; } = string.Empty;

    /// <summary>Gets <c>true</c> or <c>false</c> as the API writes it: whether this version is the deployed one.</summary>
    public string? Active { get; set; }

    /// <summary>Gets a value indicating whether this version is the deployed one.</summary>
    [JsonIgnore]
    public bool IsActive => string.Equals(Active, "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the version's graph as the API stores it (a JSON string).</summary>
    public string? Data { get; set; }

    /// <summary>Gets whether the API found the graph valid.</summary>
    public bool? IsValid { get; set; }

    /// <summary>Gets the graph (answered when one version is read, not in lists).</summary>
    public IReadOnlyList<AiGatewayDynamicRouteElement>? Elements { get; set; }

    /// <summary>Gets when the version was made.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}
