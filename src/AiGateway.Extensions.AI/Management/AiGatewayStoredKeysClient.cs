using System.Text.Json;
using static AiGateway.Extensions.AI.Management.CloudflareApiTransport;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A gateway's stored provider keys (BYOK, <c>/gateways/{id}/provider_configs</c>; cloudflare-typescript
/// <c>src/resources/ai-gateway/provider-configs.ts</c>). Requests that carry no provider key use them, by
/// <c>cf-aig-byok-alias</c> or the provider's default. Get one from <see cref="AiGatewayManagementClient.StoredKeys"/>.
/// </summary>
public sealed class AiGatewayStoredKeysClient
{
    private readonly CloudflareApiTransport _api;

    internal AiGatewayStoredKeysClient(CloudflareApiTransport api) => _api = api;

    /// <summary>Stores a provider key on a gateway. The secret goes in this one request and never comes back.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="key">The key: provider, alias, and the secret or the id of one in the gateway's Secrets Store.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored key, with the secret's id and preview.</returns>
    /// <exception cref="ArgumentException">The provider is missing, or neither or both of the secret and its id are given.</exception>
    /// <exception cref="CloudflareApiException">The API refused the call; its message never contains the secret.</exception>
    public Task<AiGatewayStoredKey> CreateAsync(string gatewayId, AiGatewayStoredKeyDefinition key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        Check(key);
        return _api.SendAsync(HttpMethod.Post, Path(gatewayId), JsonSerializer.Serialize(key, AdminJsonContext.Default.AiGatewayStoredKeyDefinition),
            AdminJsonContext.Default.AiGatewayStoredKey, cancellationToken, [key.Secret]);
    }

    /// <summary>Lists a gateway's stored keys, page by page.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The stored keys.</returns>
    /// <exception cref="CloudflareApiException">While enumerating: the API refused a page.</exception>
    public IAsyncEnumerable<AiGatewayStoredKey> ListAsync(string gatewayId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        return Paged.ListAsync(_api, Path(gatewayId), string.Empty, 50, AdminJsonContext.Default.ListAiGatewayStoredKey, cancellationToken);
    }

    /// <summary>
    /// Deletes a stored key. Cloudflare's client has no call for it; this sends <c>DELETE provider_configs/{id}</c>,
    /// the API's usual shape for one item of a collection.
    /// </summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="storedKeyId">The stored key's id (<see cref="AiGatewayStoredKey.Id"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task DeleteAsync(string gatewayId, string storedKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        ArgumentException.ThrowIfNullOrWhiteSpace(storedKeyId);
        return _api.SendRawAsync(HttpMethod.Delete, Path(gatewayId) + "/" + Segment(storedKeyId), null, cancellationToken);
    }

    private static string Path(string gatewayId) => $"gateways/{Segment(gatewayId)}/provider_configs";

    /// <summary>What the API needs of a key: its provider, an alias, and exactly one of a secret and a secret id.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key lacks one of them.</exception>
    internal static void Check(AiGatewayStoredKeyDefinition key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(key.ProviderSlug, "key.ProviderSlug");
        ArgumentException.ThrowIfNullOrWhiteSpace(key.Alias, "key.Alias");
        if (string.IsNullOrEmpty(key.Secret) == string.IsNullOrEmpty(key.SecretId))
        {
            throw new ArgumentException($"The stored key for {key.ProviderSlug} ({key.Alias}) needs exactly one of Secret and SecretId.", nameof(key));
        }
    }
}
