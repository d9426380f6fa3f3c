using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Per-request Auto Router settings on <see cref="ChatOptions"/>, for a route whose model is
/// <see cref="AiGatewayAutoRouterOptions.Model"/> on the <c>compat</c> provider (other routes never send them). Each
/// overrides <c>AiGateway:AutoRouter</c> for this request and returns the same options, so calls chain.
/// </summary>
public static class AiGatewayAutoRouterExtensions
{
    /// <summary>
    /// Names the session (<c>cf-aig-session-id</c>) and optionally the turn (<c>cf-aig-turn-id</c>) this request belongs
    /// to: Auto Router keeps one model for a turn, so a tool loop keeps the provider's prompt cache. Without it the
    /// request's <see cref="ChatOptions.ConversationId"/> is the session.
    /// </summary>
    /// <param name="options">The chat options.</param>
    /// <param name="sessionId">The session, for example a chat's id.</param>
    /// <param name="turnId">The turn; when null, Auto Router tells turns apart from the message history.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="sessionId"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty or cannot be a header value; the message says why.</exception>
    public static ChatOptions WithGatewaySession(this ChatOptions options, string sessionId, string? turnId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = options.AdditionalProperties ??= [];
        GatewayOptionValues.SetString(properties, AiGatewayHeaderNames.SessionId, sessionId);
        if (turnId is null)
        {
            properties.Remove(AiGatewayHeaderNames.TurnId);
        }
        else
        {
            GatewayOptionValues.SetString(properties, AiGatewayHeaderNames.TurnId, turnId);
        }

        return options;
    }

    /// <summary>Lets Auto Router choose a model for this request alone instead of keeping one for the turn (<c>cf-aig-no-session-affinity: true</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public static ChatOptions WithoutGatewaySessionAffinity(this ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        GatewayOptionValues.Set(options.AdditionalProperties ??= [], AiGatewayHeaderNames.NoSessionAffinity, true, null);
        return options;
    }

    /// <summary>Limits the models Auto Router may choose for this request (<c>cf-aig-allowed-models</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="models">Each <c>provider/model</c>; <c>*</c> matches within one segment (<c>anthropic/*</c>).</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="models"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty, or an entry is not <c>provider/model</c> or has a comma.</exception>
    public static ChatOptions WithGatewayAllowedModels(this ChatOptions options, params IEnumerable<string> models) =>
        SetList(options, AiGatewayHeaderNames.AllowedModels, models, model: true);

    /// <summary>Limits the providers Auto Router may choose from for this request (<c>cf-aig-allowed-providers</c>).</summary>
    /// <param name="options">The chat options.</param>
    /// <param name="providers">Provider names as Auto Router lists them, for example <c>openai</c>, <c>anthropic</c>.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="providers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty, or an entry is empty or has a comma.</exception>
    public static ChatOptions WithGatewayAllowedProviders(this ChatOptions options, params IEnumerable<string> providers) =>
        SetList(options, AiGatewayHeaderNames.AllowedProviders, providers, model: false);

    private static ChatOptions SetList(ChatOptions options, string header, IEnumerable<string> entries, bool model)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(entries);
        List<string> list = [.. entries];
        foreach (string entry in list)
        {
            if (AutoRouterValueRules.CheckEntry(entry, model) is { } problem)
            {
                throw new ArgumentException($"An entry of {header} {problem}", nameof(entries));
            }
        }

        GatewayOptionValues.SetString(options.AdditionalProperties ??= [], header, AutoRouterSettings.Join(list) ?? throw new ArgumentException($"{header} needs at least one entry.", nameof(entries)));
        return options;
    }
}
