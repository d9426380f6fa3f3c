namespace AiGateway.Extensions.AI;

/// <summary>
/// Model names on the Cloudflare REST form (<c>.../ai/v1/chat/completions</c>), which names models
/// <c>author/model</c> (<c>openai/gpt-4o-mini</c>, <c>google/gemini-2.5-flash</c>, <c>xai/grok-4</c>) rather than with
/// the gateway's provider slugs. Workers AI models keep their <c>@cf/</c> names.
/// </summary>
internal static class CloudflareApiModelNames
{
    private static readonly Dictionary<string, string> s_authors = new(StringComparer.Ordinal)
    {
        ["openai"] = "openai",
        ["anthropic"] = "anthropic",
        ["google-ai-studio"] = "google",
        ["grok"] = "xai",
    };

    /// <summary>The providers whose author name is known, for error messages.</summary>
    internal static string KnownProviders { get; } = string.Join(", ", s_authors.Select(a => $"{a.Key} ({a.Value}/...)")) + ", workers-ai (@cf/...)";

    /// <summary>
    /// The model as the REST form names it: already <c>author/model</c> or <c>@cf/...</c> as written, otherwise the
    /// provider's author in front; null when the provider's author is not known.
    /// </summary>
    internal static string? Qualify(string providerSlug, string model) =>
        model.Contains('/', StringComparison.Ordinal) || model.StartsWith('@') ? model
        : s_authors.TryGetValue(providerSlug, out string? author) ? $"{author}/{model}"
        : null;
}
