using System.Text;

namespace AiGateway.Extensions.AI;

/// <summary>Builds Cloudflare AI Gateway URLs.</summary>
public static class AiGatewayEndpoints
{
    /// <summary>Returns the gateway's base URL, <c>{endpoint}/{accountId}/{gatewayId}</c>.</summary>
    /// <param name="endpoint">The gateway endpoint, for example <see cref="AiGatewayOptions.DefaultEndpoint"/>.</param>
    /// <param name="accountId">The Cloudflare account id.</param>
    /// <param name="gatewayId">The gateway id.</param>
    /// <returns>The base URL, without a trailing slash.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The account or gateway id is empty.</exception>
    public static Uri GetGatewayUrl(Uri endpoint, string accountId, string gatewayId)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        return new(Join(endpoint, Uri.EscapeDataString(accountId), Uri.EscapeDataString(gatewayId)));
    }

    /// <summary>Returns a provider's base URL, <c>{gateway}/{slug}</c>, like the Workers binding's <c>getUrl(provider)</c>.</summary>
    /// <param name="gatewayUrl">The gateway's base URL from <see cref="GetGatewayUrl"/>.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>The provider's base URL, without a trailing slash.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The provider has no slug.</exception>
    public static Uri GetProviderUrl(Uri gatewayUrl, AiGatewayProvider provider)
    {
        ArgumentNullException.ThrowIfNull(gatewayUrl);
        if (string.IsNullOrEmpty(provider.Slug))
        {
            throw new ArgumentException("The provider has no slug.", nameof(provider));
        }

        return new(Join(gatewayUrl, provider.Slug));
    }

    /// <summary>Returns a provider's base URL from options: <c>{Endpoint}/{AccountId}/{GatewayId}/{slug}</c>.</summary>
    /// <param name="options">Options with <see cref="AiGatewayOptions.AccountId"/> and <see cref="AiGatewayOptions.GatewayId"/> set.</param>
    /// <param name="provider">The provider.</param>
    /// <returns>The provider's base URL.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The account or gateway id is empty, or the provider has no slug.</exception>
    public static Uri GetProviderUrl(AiGatewayOptions options, AiGatewayProvider provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GetProviderUrl(GetGatewayUrl(options.Endpoint, options.AccountId!, options.GatewayId), provider);
    }

    /// <summary>
    /// Returns the chat-completions URL of the primary route in <paramref name="options"/>, exactly as requests use it
    /// (for example <c>{gateway}/workers-ai/v1/chat/completions</c>, or the Azure deployment URL with its <c>api-version</c>).
    /// </summary>
    /// <param name="options">Valid options.</param>
    /// <returns>The URL.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are not valid; the message names each bad key.</exception>
    public static Uri GetChatCompletionsUrl(AiGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RouteTable.Create(options, "AiGateway").Primary.Url;
    }

    /// <summary>Returns the Cloudflare REST API's chat URL, <c>{apiEndpoint}/accounts/{accountId}/ai/v1/chat/completions</c>.</summary>
    /// <param name="apiEndpoint">The REST API endpoint, for example <see cref="AiGatewayOptions.DefaultCloudflareApiEndpoint"/>.</param>
    /// <param name="accountId">The Cloudflare account id.</param>
    /// <returns>The URL.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The account id is empty.</exception>
    public static Uri GetCloudflareApiChatCompletionsUrl(Uri apiEndpoint, string accountId)
    {
        ArgumentNullException.ThrowIfNull(apiEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        return GetCloudflareApiUrl(apiEndpoint, accountId, "chat/completions");
    }

    internal static Uri GetCloudflareApiUrl(Uri apiEndpoint, string accountId, string operationPath)
    {
        ArgumentNullException.ThrowIfNull(apiEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        return new(Join(apiEndpoint, "accounts", Uri.EscapeDataString(accountId), "ai/v1", operationPath));
    }

    /// <summary>Returns the gateway's universal endpoint (<c>POST {gateway}</c> with an array of steps).</summary>
    /// <param name="options">Options with <see cref="AiGatewayOptions.AccountId"/> and <see cref="AiGatewayOptions.GatewayId"/> set.</param>
    /// <returns>The URL.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The account or gateway id is empty.</exception>
    public static Uri GetUniversalUrl(AiGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GetGatewayUrl(options.Endpoint, options.AccountId!, options.GatewayId);
    }

    internal static string Join(Uri root, params ReadOnlySpan<string> segments)
    {
        var builder = new StringBuilder(root.AbsoluteUri.TrimEnd('/'));
        foreach (string segment in segments)
        {
            builder.Append('/').Append(segment.Trim('/'));
        }

        return builder.ToString();
    }
}
