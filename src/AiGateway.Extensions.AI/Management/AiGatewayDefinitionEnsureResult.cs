namespace AiGateway.Extensions.AI.Management;

/// <summary>What <see cref="AiGatewayManagementClient.EnsureAsync"/> did.</summary>
/// <param name="Gateway">What ensuring the gateway's settings did.</param>
/// <param name="Changes">What changed among stored keys, routes and policies, one line each (<c>stored key openai/default created</c>); empty when nothing did.</param>
public sealed record AiGatewayDefinitionEnsureResult(AiGatewayEnsureResult Gateway, IReadOnlyList<string> Changes)
{
    /// <summary>Gets a value indicating whether anything changed.</summary>
    public bool Changed => Gateway.Created || Gateway.ChangedSettings.Count > 0 || Changes.Count > 0;
}
