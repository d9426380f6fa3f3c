namespace AiGateway.Extensions.AI.Management;

/// <summary>What <see cref="AiGatewayManagementClient.EnsureAsync"/> did.</summary>
/// <param name="Gateway">What ensuring the gateway's settings did.</param>
/// <param name="Changes">What changed, one line each (<c>gateway created</c>, <c>setting cache_ttl updated</c>, <c>stored key openai/default created</c>, <c>route 'x' created</c>); empty when nothing did.</param>
public sealed record AiGatewayDefinitionEnsureResult(AiGatewayEnsureResult Gateway, IReadOnlyList<string> Changes)
{
    /// <summary>Gets a value indicating whether anything changed.</summary>
    public bool Changed => Changes.Count > 0;
}
