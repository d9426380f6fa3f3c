namespace AiGateway.Extensions.AI.Management;

/// <summary>What <see cref="AiGatewayDynamicRoutesClient.EnsureAsync"/> did.</summary>
/// <param name="Route">The route as it is now.</param>
/// <param name="Created">Whether the route had to be created (with its first version, deployed).</param>
/// <param name="DeployedVersionId">The version made and deployed because the graph differed, or null when nothing changed or the route was created.</param>
public sealed record AiGatewayDynamicRouteEnsureResult(AiGatewayDynamicRoute Route, bool Created, string? DeployedVersionId)
{
    /// <summary>Gets a value indicating whether anything changed.</summary>
    public bool Changed => Created || DeployedVersionId is not null;
}
