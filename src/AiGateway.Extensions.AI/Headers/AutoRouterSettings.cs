using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// The Auto Router headers of one request on a <c>cloudflare/auto</c> route: the configured defaults, the request's own
/// values laid over them, and <see cref="ChatOptions.ConversationId"/> as the session when the request names none.
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

    /// <summary>Lays a request's values over these.</summary>
    /// <exception cref="ArgumentException">A value has the wrong type.</exception>
    public AutoRouterSettings WithOverrides(AdditionalPropertiesDictionary properties) => this with
    {
        SessionId = Get(properties, AiGatewayHeaderNames.SessionId, SessionId),
        TurnId = Get(properties, AiGatewayHeaderNames.TurnId, TurnId),
        NoSessionAffinity = properties.TryGetValue(AiGatewayHeaderNames.NoSessionAffinity, out object? raw) && raw is not null
            ? raw as bool? ?? throw WrongType(AiGatewayHeaderNames.NoSessionAffinity, typeof(bool), raw)
            : NoSessionAffinity,
        AllowedModels = Get(properties, AiGatewayHeaderNames.AllowedModels, AllowedModels),
        AllowedProviders = Get(properties, AiGatewayHeaderNames.AllowedProviders, AllowedProviders),
    };

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

    public void AddHeaders(List<KeyValuePair<string, string>> headers)
    {
        Add(headers, AiGatewayHeaderNames.SessionId, SessionId);
        Add(headers, AiGatewayHeaderNames.TurnId, TurnId);
        Add(headers, AiGatewayHeaderNames.NoSessionAffinity, NoSessionAffinity ? "true" : null);
        Add(headers, AiGatewayHeaderNames.AllowedModels, AllowedModels);
        Add(headers, AiGatewayHeaderNames.AllowedProviders, AllowedProviders);
    }

    private static void Add(List<KeyValuePair<string, string>> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.Add(new(name, value));
        }
    }

    private static string? Get(AdditionalPropertiesDictionary properties, string key, string? fallback)
    {
        if (!properties.TryGetValue(key, out object? raw) || raw is null)
        {
            return fallback;
        }

        string value = raw as string ?? throw WrongType(key, typeof(string), raw);
        return GatewayValueRules.CheckHeaderValue(value) is { } problem ? throw new ArgumentException($"AdditionalProperties[\"{key}\"] {problem}") : value;
    }

    private static ArgumentException WrongType(string key, Type expected, object raw) =>
        new($"AdditionalProperties[\"{key}\"] must be a {expected.Name}; it is a {raw.GetType().Name}. Use the WithGateway* extension methods to set it.");
}
