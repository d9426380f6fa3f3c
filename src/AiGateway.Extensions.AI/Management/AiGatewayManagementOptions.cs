namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// Options for <see cref="AiGatewayManagementClient"/> and <see cref="AiGatewayLogsClient"/>, bound from the
/// <c>AiGatewayManagement</c> section. They authenticate with a Cloudflare API token (AI Gateway Read/Edit), which is
/// neither the gateway token nor a provider key.
/// </summary>
public sealed class AiGatewayManagementOptions
{
    /// <summary>Gets or sets the Cloudflare API endpoint. Defaults to <c>https://api.cloudflare.com/client/v4</c>; point it at the emulator's control plane to test.</summary>
    public Uri BaseUrl { get; set; } = AiGatewayOptions.DefaultCloudflareApiEndpoint;

    /// <summary>Gets or sets the Cloudflare account id.</summary>
    public string? AccountId { get; set; }

    /// <summary>Gets or sets the Cloudflare API token.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Gets or sets whether the gateways in <see cref="Gateways"/> are ensured when the host starts.</summary>
    public bool EnsureOnStart { get; set; }

    /// <summary>Gets the desired gateways by id, for <see cref="EnsureOnStart"/>.</summary>
    public IDictionary<string, AiGatewaySettings> Gateways { get; } = new Dictionary<string, AiGatewaySettings>(StringComparer.Ordinal);

    /// <summary>Gets or sets how many times a 429 is retried after its <c>Retry-After</c> (at most a minute each). Defaults to 3.</summary>
    public int MaxRateLimitRetries { get; set; } = 3;
}
