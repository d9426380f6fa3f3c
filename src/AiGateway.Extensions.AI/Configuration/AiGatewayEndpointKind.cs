namespace AiGateway.Extensions.AI;

/// <summary>The two ways Cloudflare addresses an AI Gateway.</summary>
public enum AiGatewayEndpointKind
{
    /// <summary>
    /// <c>{Endpoint}/{account}/{gateway}/{provider}/...</c>: the classic gateway URL, one route per provider.
    /// </summary>
    Gateway,

    /// <summary>
    /// <c>{CloudflareApiEndpoint}/accounts/{account}/ai/v1/chat/completions</c> with the gateway named in
    /// <c>cf-aig-gateway-id</c> and the Cloudflare token as <c>Authorization</c>; provider keys live in the gateway.
    /// </summary>
    CloudflareApi,
}
