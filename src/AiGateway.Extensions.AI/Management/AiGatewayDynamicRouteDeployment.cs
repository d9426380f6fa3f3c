namespace AiGateway.Extensions.AI.Management;

/// <summary>A deployment of a dynamic route: which version served from when.</summary>
public sealed record AiGatewayDynamicRouteDeployment
{
    /// <summary>Gets the deployment id.</summary>
    public string DeploymentId { get; set; } = string.Empty;

    /// <summary>Gets the deployed version's id.</summary>
    public string VersionId { get; set; } = string.Empty;

    /// <summary>Gets when it was deployed.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}
