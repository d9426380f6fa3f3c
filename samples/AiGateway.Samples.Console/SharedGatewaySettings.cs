using AiGateway.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace AiGateway.Samples.Console;

/// <summary>
/// One set of settings for every verb: the <c>embed</c> and <c>manage</c> verbs take the gateway, its endpoint and the
/// credentials from the <c>AiGateway</c> section unless their own sections (<c>AiGatewayEmbeddings</c>,
/// <c>AiGatewayManagement</c>) set them, so the settings the emulator tool prints work for chat, embed and manage.
/// </summary>
internal static class SharedGatewaySettings
{
    /// <summary>The placeholder Cloudflare API token for an emulator's control plane, which accepts any token on loopback.</summary>
    public const string EmulatorApiToken = "emulator-placeholder-token";

    /// <summary>Where the gateway is and who calls it: the same for chat and embeddings.</summary>
    private static readonly string[] s_gatewayKeys = ["Endpoint", "EndpointKind", "CloudflareApiEndpoint", "AccountId", "GatewayId", "Token"];

    /// <summary>Returns <paramref name="configuration"/> with the shared values filled in where a verb's section leaves them unset.</summary>
    /// <param name="configuration">The sample's configuration.</param>
    /// <returns>The configuration every verb reads.</returns>
    public static IConfiguration Apply(IConfiguration configuration)
    {
        var gateway = configuration.GetSection("AiGateway");
        var embeddings = configuration.GetSection("AiGatewayEmbeddings");
        var management = configuration.GetSection("AiGatewayManagement");
        var shared = new Dictionary<string, string?>();
        void Inherit(IConfigurationSection section, string key, string? value)
        {
            if (Set(section[key]) is null && Set(value) is not null)
            {
                shared[$"{section.Path}:{key}"] = value;
            }
        }

        foreach (string key in s_gatewayKeys)
        {
            Inherit(embeddings, key, gateway[key]);
        }

        // A provider key goes only to the provider it belongs to.
        if (string.Equals(embeddings["Provider"], gateway["Provider"], StringComparison.OrdinalIgnoreCase))
        {
            Inherit(embeddings, "ApiKey", gateway["ApiKey"]);
        }

        // Management calls Cloudflare's API with a Cloudflare API token: the gateway token is one. An Endpoint other
        // than Cloudflare's is an emulator, whose control plane sits beside its gateway endpoint ({root}/client/v4).
        Uri? emulatorControlPlane = EmulatorControlPlane(gateway["Endpoint"]);
        Inherit(management, "AccountId", gateway["AccountId"]);
        Inherit(management, "BaseUrl", Set(gateway["CloudflareApiEndpoint"]) ?? emulatorControlPlane?.AbsoluteUri);
        Inherit(management, "ApiToken", Set(gateway["Token"]) ?? (emulatorControlPlane is null ? null : EmulatorApiToken));

        return shared.Count == 0 ? configuration : new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(shared).Build();
    }

    private static string? Set(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static Uri? EmulatorControlPlane(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && !string.Equals(uri.Host, AiGatewayOptions.DefaultEndpoint.Host, StringComparison.OrdinalIgnoreCase)
            ? new Uri(new Uri(uri.AbsoluteUri.TrimEnd('/') + "/"), "../client/v4")
            : null;
}
