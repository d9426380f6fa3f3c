namespace AiGateway.Extensions.AI;

/// <summary>
/// Defaults for Cloudflare's Auto Router, bound from <c>AiGateway:AutoRouter</c>: sent with every request on a route
/// whose <c>Provider</c> is <c>compat</c> and <c>Model</c> is <see cref="Model"/>, and never on other routes. A request
/// overrides them with <see cref="AiGatewayAutoRouterExtensions"/>.
/// </summary>
/// <remarks>
/// Auto Router picks a model per request from a pool that Cloudflare manages, and with a session id keeps one model for
/// a whole turn (a user message and its tool calls), so the provider's prompt cache survives a tool loop. A request
/// without a session of its own uses <see cref="Microsoft.Extensions.AI.ChatOptions.ConversationId"/> as its session id.
/// </remarks>
public sealed class AiGatewayAutoRouterOptions
{
    /// <summary>The model that asks the gateway to choose the model: <c>cloudflare/auto</c>.</summary>
    public const string Model = "cloudflare/auto";

    /// <summary>
    /// Gets the models Auto Router may choose from (<c>cf-aig-allowed-models</c>), replacing its default pool: each
    /// <c>provider/model</c>, with <c>*</c> matching within one segment (<c>anthropic/*</c>; <c>*</c> never matches
    /// <c>/</c>). Empty leaves the gateway's default pool. The gateway answers 400 when an entry matches no model.
    /// </summary>
    public IList<string> AllowedModels { get; } = [];

    /// <summary>Gets the providers Auto Router may choose from (<c>cf-aig-allowed-providers</c>), for example <c>openai</c> and <c>anthropic</c>.</summary>
    public IList<string> AllowedProviders { get; } = [];

    /// <summary>
    /// Gets or sets whether Auto Router chooses a model for every request instead of keeping one per turn
    /// (<c>cf-aig-no-session-affinity: true</c>). Unset keeps session affinity.
    /// </summary>
    public bool? NoSessionAffinity { get; set; }
}
