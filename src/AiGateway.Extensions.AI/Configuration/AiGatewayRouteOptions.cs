namespace AiGateway.Extensions.AI;

/// <summary>
/// The settings that choose one route through the gateway: a provider, a model and how to authenticate with it,
/// plus the cache, metadata and extra body fields sent on that route.
/// </summary>
/// <remarks>
/// The <c>AiGateway</c> configuration section holds the primary route; each <c>AiGateway:Fallbacks:{i}</c> entry
/// is another route that inherits every key it does not set from the primary one.
/// </remarks>
public class AiGatewayRouteOptions
{
    /// <summary>Gets or sets the provider slug, for example <c>openai</c>, <c>workers-ai</c> or <c>compat</c>.</summary>
    public string? Provider { get; set; }

    /// <summary>
    /// Gets or sets the model, for example <c>gpt-4o-mini</c>, <c>@cf/meta/llama-3.1-8b-instruct</c> or, on the
    /// <c>compat</c> provider, <c>openai/gpt-4o-mini</c>.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// Gets or sets the provider's API key. Leave it empty when the gateway holds the key (BYOK stored keys,
    /// Unified Billing): then no provider credential is sent at all.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the Azure OpenAI resource, deployment and API version (provider <c>azure-openai</c>).</summary>
    public AiGatewayAzureOptions Azure { get; set; } = new();

    /// <summary>Gets or sets the gateway cache settings for requests on this route.</summary>
    public AiGatewayCacheOptions Cache { get; set; } = new();

    /// <summary>
    /// Gets or sets metadata sent in <c>cf-aig-metadata</c> with every request on this route. Values from a request
    /// (<see cref="AiGatewayChatOptionsExtensions.WithGatewayMetadata"/>) merge over these; the gateway keeps at most five.
    /// </summary>
    public IDictionary<string, string>? Metadata { get; set; }

    /// <summary>
    /// Gets or sets extra top-level fields for the provider's request body (for example <c>top_k</c>). A value that
    /// is valid JSON (<c>40</c>, <c>true</c>, <c>{"order":["a"]}</c>) is sent as that JSON; any other value as a string.
    /// </summary>
    public IDictionary<string, string>? ExtraBody { get; set; }

    /// <summary>
    /// Gets or sets the path after <c>{gateway}/{provider}/</c> for a <c>custom-*</c> provider
    /// (default <c>v1/chat/completions</c>). The path must accept an OpenAI chat-completions body.
    /// </summary>
    public string? CustomPath { get; set; }

    /// <summary>
    /// Gets or sets the most tokens an answer may have when a request does not say
    /// (<see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/>). Anthropic requires a value on every request:
    /// on the <c>anthropic</c> provider the default is <see cref="DefaultAnthropicMaxOutputTokens"/>. Other providers
    /// send it only when set.
    /// </summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether an <c>anthropic</c> route sends OpenAI-format requests to Anthropic's
    /// OpenAI compatibility layer (<c>anthropic/v1/chat/completions</c>) instead of Anthropic's own Messages API
    /// (<c>anthropic/v1/messages</c>, the default). Anthropic does not recommend its compatibility layer for
    /// production: prompt caching, thinking signatures, PDFs and citations are dropped or approximated there.
    /// </summary>
    public bool? OpenAICompatible { get; set; }

    /// <summary>
    /// Gets or sets the OpenAI-format API the route speaks: <see cref="AiGatewayApi.ChatCompletions"/> (when not set) or
    /// <see cref="AiGatewayApi.Responses"/> (OpenAI's Responses API, on the <c>openai</c> provider and on the REST form
    /// with an <c>openai/...</c> model). A fallback entry inherits it like every route key.
    /// </summary>
    public AiGatewayApi? Api { get; set; }

    /// <summary>The <c>max_tokens</c> an Anthropic Messages request carries when neither the request nor <see cref="MaxOutputTokens"/> says.</summary>
    public const int DefaultAnthropicMaxOutputTokens = 4096;
}
