namespace AiGateway.Aspire;

/// <summary>
/// The keys of a gateway connection string, <c>Endpoint=...;AccountId=...;GatewayId=...;Token=...</c>: written by the
/// hosting package, read by the client package. One file, linked into both, so the two cannot drift apart.
/// </summary>
internal static class ConnectionStringKeys
{
    /// <summary>The gateway endpoint, as <c>AiGateway:Endpoint</c>: <c>https://gateway.ai.cloudflare.com/v1</c> or an emulator's <c>{root}/v1</c>.</summary>
    public const string Endpoint = "Endpoint";

    /// <summary>The Cloudflare account id, as <c>AiGateway:AccountId</c>.</summary>
    public const string AccountId = "AccountId";

    /// <summary>The gateway id, as <c>AiGateway:GatewayId</c>.</summary>
    public const string GatewayId = "GatewayId";

    /// <summary>The gateway's Cloudflare API token (<c>cf-aig-authorization</c>), as <c>AiGateway:Token</c>; never logged.</summary>
    public const string Token = "Token";

    /// <summary>The Cloudflare endpoint every real gateway is reached at.</summary>
    public const string CloudflareEndpoint = "https://gateway.ai.cloudflare.com/v1";
}
