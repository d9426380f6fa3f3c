using System.Text;
using System.Text.Json;
using static AiGateway.Extensions.AI.Management.CloudflareApiTransport;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// The account's custom providers (<c>/custom-providers</c>; cloudflare-typescript <c>src/resources/ai-gateway/custom-providers.ts</c>):
/// create, list, get, delete. Get one from <see cref="AiGatewayManagementClient.CustomProviders"/>.
/// </summary>
public sealed class AiGatewayCustomProvidersClient
{
    private const string Path = "custom-providers";
    private readonly CloudflareApiTransport _api;

    internal AiGatewayCustomProvidersClient(CloudflareApiTransport api) => _api = api;

    /// <summary>Creates a custom provider.</summary>
    /// <param name="provider">Its name, slug and base URL (required), and the optional fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created provider.</returns>
    /// <exception cref="ArgumentException">The name, slug or base URL is missing.</exception>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayCustomProvider> CreateAsync(AiGatewayCustomProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider.Name, "provider.Name");
        ArgumentException.ThrowIfNullOrWhiteSpace(provider.Slug, "provider.Slug");
        ArgumentException.ThrowIfNullOrWhiteSpace(provider.BaseUrl, "provider.BaseUrl");
        string body = JsonSerializer.Serialize(provider with { Id = null, Logo = null, CreatedAt = null, ModifiedAt = null }, AdminJsonContext.Default.AiGatewayCustomProvider);
        return _api.SendAsync(HttpMethod.Post, Path, body, AdminJsonContext.Default.AiGatewayCustomProvider, cancellationToken, secrets: HeaderValues(provider.Headers));
    }

    /// <summary>Lists the account's custom providers, page by page.</summary>
    /// <param name="search">Text to search for, or null.</param>
    /// <param name="enabled">Only enabled (or disabled) ones, or null for both.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The providers.</returns>
    /// <exception cref="CloudflareApiException">While enumerating: the API refused a page.</exception>
    public IAsyncEnumerable<AiGatewayCustomProvider> ListAsync(string? search = null, bool? enabled = null, CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder();
        if (search is not null)
        {
            query.Append("search=").Append(Uri.EscapeDataString(search));
        }

        if (enabled is { } enable)
        {
            query.Append(query.Length > 0 ? "&" : string.Empty).Append("enable=").Append(enable ? "true" : "false");
        }

        return Paged.ListAsync(_api, Path, query.ToString(), 50, AdminJsonContext.Default.ListAiGatewayCustomProvider, cancellationToken);
    }

    /// <summary>Gets a custom provider.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="CloudflareApiException">It does not exist (404), or the API refused the call.</exception>
    public Task<AiGatewayCustomProvider> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return _api.SendAsync(HttpMethod.Get, Path + "/" + Segment(id), null, AdminJsonContext.Default.AiGatewayCustomProvider, cancellationToken);
    }

    /// <summary>Deletes a custom provider.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return _api.SendRawAsync(HttpMethod.Delete, Path + "/" + Segment(id), null, cancellationToken);
    }

    /// <summary>The values of the provider's headers (its key, usually), to keep out of error messages; the whole text when it is not a JSON object.</summary>
    private static IEnumerable<string?> HeaderValues(string? headers)
    {
        if (string.IsNullOrEmpty(headers))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(headers);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? [.. document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()), headers]
                : [headers];
        }
        catch (JsonException)
        {
            return [headers];
        }
    }
}
