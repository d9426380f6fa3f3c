namespace AiGateway.Extensions.AI;

/// <summary>
/// The one credential a route's requests carry, under the header its provider reads: <c>Authorization: Bearer</c> for
/// most, <c>api-key</c> for Azure OpenAI, <c>x-api-key</c> for Anthropic Messages, the Cloudflare token on the REST
/// form. A route without one (keys stored in the gateway, Unified Billing) has no credential at all: never a placeholder.
/// </summary>
internal sealed class RouteCredential
{
    private RouteCredential(string header, string value)
    {
        Header = header;
        Value = value;
    }

    /// <summary>Gets the header's name.</summary>
    public string Header { get; }

    /// <summary>Gets the header's value (secret).</summary>
    public string Value { get; }

    public static RouteCredential Bearer(string token) => new("Authorization", "Bearer " + token);

    public static RouteCredential ApiKeyHeader(string header, string key) => new(header, key);

    /// <summary>The route's credential: the REST form's token, else the provider key under the provider's header, else none.</summary>
    public static RouteCredential? For(ProviderAuthScheme scheme, ChatWireFormat format, string? apiKey, string? cloudflareApiToken) =>
        cloudflareApiToken is not null ? Bearer(cloudflareApiToken)
        : apiKey is null ? null
        : format == ChatWireFormat.AnthropicMessages ? ApiKeyHeader("x-api-key", apiKey)
        : scheme == ProviderAuthScheme.AzureApiKey ? ApiKeyHeader("api-key", apiKey)
        : Bearer(apiKey);

    /// <inheritdoc />
    public override string ToString() => $"{Header}: [REDACTED]";
}
