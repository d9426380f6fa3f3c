using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>Anthropic-only request settings on <see cref="ChatOptions"/>, honoured by <c>anthropic</c> routes and ignored by others.</summary>
public static class AiGatewayAnthropicChatOptionsExtensions
{
    internal const string PromptCachingKey = "aigateway.anthropic.cache-control";

    /// <summary>
    /// Turns on Anthropic's automatic prompt caching for this request (the request's top-level <c>cache_control</c>):
    /// Anthropic caches the longest reusable prefix. To mark one block instead, use the Anthropic SDK's
    /// <c>content.WithCacheControl(...)</c> on that content.
    /// </summary>
    /// <param name="options">The chat options.</param>
    /// <param name="ttl">How long the cache entry lives: 5 minutes (the default) or 1 hour, Anthropic's two choices.</param>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is neither 5 minutes nor 1 hour.</exception>
    public static ChatOptions WithAnthropicPromptCaching(this ChatOptions options, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? value = ttl switch
        {
            null => null,
            { TotalMinutes: 5 } => "5m",
            { TotalHours: 1 } => "1h",
            _ => throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "Anthropic caches for 5 minutes or 1 hour."),
        };
        (options.AdditionalProperties ??= [])[PromptCachingKey] = value is null ? """{"type":"ephemeral"}""" : $$"""{"type":"ephemeral","ttl":"{{value}}"}""";
        return options;
    }
}
