using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The Auto Router headers of one request on a <c>cloudflare/auto</c> route: the configured defaults, the request's own
/// values laid over them (by <see cref="GatewayRequestSettings"/>, as every <c>cf-aig-*</c> value), and
/// <see cref="ChatOptions.ConversationId"/> as the session when the request names none.
/// </summary>
internal sealed record AutoRouterSettings
{
    public string? SessionId { get; init; }
    public string? TurnId { get; init; }
    public bool NoSessionAffinity { get; init; }
    public string? AllowedModels { get; init; }
    public string? AllowedProviders { get; init; }

    /// <summary>Whether a route is Auto Router's: the unified endpoint asked for <c>cloudflare/auto</c>.</summary>
    public static bool IsAutoRouter(string providerSlug, string model) =>
        string.Equals(providerSlug, "compat", StringComparison.OrdinalIgnoreCase) && string.Equals(model, AiGatewayAutoRouterOptions.Model, StringComparison.OrdinalIgnoreCase);

    public static AutoRouterSettings From(AiGatewayAutoRouterOptions? options) => new()
    {
        NoSessionAffinity = options?.NoSessionAffinity ?? false,
        AllowedModels = Join(options?.AllowedModels),
        AllowedProviders = Join(options?.AllowedProviders),
    };

    /// <summary>The comma-separated header value of a list, or null when it is empty.</summary>
    public static string? Join(IEnumerable<string>? entries) =>
        entries is null ? null : string.Join(',', entries) is { Length: > 0 } joined ? joined : null;

    /// <summary>The conversation as the session, so every request of a tool loop stays on one model; a session the request names wins.</summary>
    /// <exception cref="ArgumentException">The conversation id cannot be a header value.</exception>
    public AutoRouterSettings WithConversation(string conversationId)
    {
        if (SessionId is not null)
        {
            return this;
        }

        if (GatewayValueRules.CheckHeaderValue(conversationId) is { } problem)
        {
            throw new ArgumentException($"ChatOptions.ConversationId, sent as {AiGatewayHeaderNames.SessionId} on an Auto Router route, {problem} Set a session with WithGatewaySession(...) instead.");
        }

        return this with { SessionId = conversationId };
    }
}
