namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// An account-level custom provider: an OpenAI-compatible endpoint the account's gateways can route to by its
/// <see cref="Slug"/>. Shape from <c>CustomProviderGetResponse</c> (cloudflare-typescript <c>src/resources/ai-gateway/custom-providers.ts</c>).
/// </summary>
public sealed record AiGatewayCustomProvider
{
    /// <summary>Gets the id.</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the display name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the slug requests name the provider by.</summary>
    public string Slug { get; set; } = string.Empty;

    /// <summary>Gets or sets the provider's base URL.</summary>
    public string BaseUrl { get; set; } = string.Empty;

    /// <summary>Gets or sets a description.</summary>
    public string? Description { get; set; }

    /// <summary>Gets or sets whether it is enabled.</summary>
    public bool? Enable { get; set; }

    /// <summary>Gets or sets whether it is marked beta.</summary>
    public bool? Beta { get; set; }

    /// <summary>
    /// Gets or sets headers sent to the provider, as the API holds them (a JSON string). They usually carry the provider's
    /// key, so <see cref="ToString"/> never shows them and API errors for a call that sends them are redacted against them.
    /// </summary>
    public string? Headers { get; set; }

    /// <summary>Gets or sets a link to the provider.</summary>
    public string? Link { get; set; }

    /// <summary>Gets the logo.</summary>
    public string? Logo { get; set; }

    /// <summary>Gets or sets the position in the dashboard's list.</summary>
    public int? Position { get; set; }

    /// <summary>Gets or sets a curl example.</summary>
    public string? CurlExample { get; set; }

    /// <summary>Gets or sets a JavaScript example.</summary>
    public string? JsExample { get; set; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets when it was last changed.</summary>
    public DateTimeOffset? ModifiedAt { get; set; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", Name = ").Append(Name).Append(", Slug = ").Append(Slug)
            .Append(", BaseUrl = ").Append(BaseUrl).Append(", Enable = ").Append(Enable)
            .Append(", Headers = ").Append(Headers is null ? "null" : "[REDACTED]");
        return true;
    }
}
