namespace AiGateway.Extensions.AI;

/// <summary>How a route presents the provider credential.</summary>
internal enum ProviderAuthScheme
{
    /// <summary><c>Authorization: Bearer {key}</c>.</summary>
    Bearer,

    /// <summary><c>api-key: {key}</c> (Azure OpenAI).</summary>
    AzureApiKey,
}

/// <summary>What this package knows about one provider slug's OpenAI-compatible chat route.</summary>
/// <param name="Slug">Cloudflare's provider slug.</param>
/// <param name="ChatPath">The chat-completions path after <c>{gateway}/{slug}/</c>.</param>
/// <param name="Auth">How the provider key is sent.</param>
/// <param name="OpenTelemetryName">The provider's name in the OpenTelemetry GenAI conventions (the slug when they define none).</param>
/// <param name="MaxTokensField">The body field that carries <c>ChatOptions.MaxOutputTokens</c>.</param>
/// <param name="Embeddings">The provider's OpenAI-format embeddings route through the gateway, or null when it has none.</param>
internal sealed record ProviderDescriptor(
    string Slug,
    string ChatPath,
    ProviderAuthScheme Auth,
    string OpenTelemetryName,
    string MaxTokensField,
    EmbeddingsRoute? Embeddings = null);

/// <summary>An OpenAI-format embeddings route.</summary>
/// <param name="Path">The path after <c>{gateway}/{slug}/</c>.</param>
/// <param name="MaxBatchSize">The most inputs one request may carry (the provider's documented limit).</param>
/// <param name="SupportsDimensions">Whether the provider honours <c>dimensions</c>.</param>
internal sealed record EmbeddingsRoute(string Path, int MaxBatchSize, bool SupportsDimensions);

/// <summary>The table of provider routes (see Cloudflare's provider documentation).</summary>
internal static class ProviderCatalog
{
    internal const string MaxCompletionTokens = "max_completion_tokens";
    internal const string MaxTokens = "max_tokens";

    private static readonly Dictionary<string, ProviderDescriptor> s_providers = new ProviderDescriptor[]
    {
        new("openai", "chat/completions", ProviderAuthScheme.Bearer, "openai", MaxCompletionTokens, new("embeddings", 2048, SupportsDimensions: true)),
        new("workers-ai", "v1/chat/completions", ProviderAuthScheme.Bearer, "workers-ai", MaxTokens, new("v1/embeddings", 100, SupportsDimensions: false)),
        new("azure-openai", "chat/completions", ProviderAuthScheme.AzureApiKey, "azure.ai.openai", MaxCompletionTokens, new("embeddings", 2048, SupportsDimensions: true)),
        new("anthropic", "v1/chat/completions", ProviderAuthScheme.Bearer, "anthropic", MaxTokens),
        new("google-ai-studio", "v1beta/openai/chat/completions", ProviderAuthScheme.Bearer, "gcp.gemini", MaxTokens, new("v1beta/openai/embeddings", 100, SupportsDimensions: true)),
        new("groq", "chat/completions", ProviderAuthScheme.Bearer, "groq", MaxCompletionTokens),
        new("mistral", "v1/chat/completions", ProviderAuthScheme.Bearer, "mistral_ai", MaxTokens, new("v1/embeddings", 512, SupportsDimensions: false)),
        new("deepseek", "chat/completions", ProviderAuthScheme.Bearer, "deepseek", MaxTokens),
        new("perplexity-ai", "chat/completions", ProviderAuthScheme.Bearer, "perplexity", MaxTokens),
        new("openrouter", "v1/chat/completions", ProviderAuthScheme.Bearer, "openrouter", MaxCompletionTokens),
        new("grok", "v1/chat/completions", ProviderAuthScheme.Bearer, "x_ai", MaxCompletionTokens),
        new("cerebras", "chat/completions", ProviderAuthScheme.Bearer, "cerebras", MaxCompletionTokens),
        new("baseten", "v1/chat/completions", ProviderAuthScheme.Bearer, "baseten", MaxTokens),
        new("compat", "chat/completions", ProviderAuthScheme.Bearer, "compat", MaxCompletionTokens, new("embeddings", 2048, SupportsDimensions: true)),
    }.ToDictionary(p => p.Slug, StringComparer.Ordinal);

    /// <summary>
    /// Providers Cloudflare documents whose gateway route speaks a format this package does not (it speaks OpenAI's
    /// chat completions), each with what to use instead.
    /// </summary>
    private static readonly Dictionary<string, string> s_unsupported = new(StringComparer.Ordinal)
    {
        ["cohere"] = "speaks Cohere's chat API on its provider route, not OpenAI's chat completions; use Provider 'compat' with Model 'cohere/{model}'",
        ["parallel"] = "speaks Parallel's task and search APIs on its provider route; use Provider 'compat' with Model 'parallel/{model}'",
        ["google-vertex-ai"] = "speaks Gemini's generateContent format on its provider route; use Provider 'compat' with Model 'google-vertex-ai/google/{model}'",
        ["aws-bedrock"] = "speaks Bedrock's SigV4-signed invoke format on its provider route; use Provider 'compat' with Model 'aws-bedrock/{model}' (Claude and Nova models)",
        ["huggingface"] = "speaks the Hugging Face Inference API ({\"inputs\": ...}), not chat completions",
        ["replicate"] = "speaks Replicate's predictions API, not chat completions",
        ["cartesia"] = "is a speech provider, not a chat one",
        ["deepgram"] = "is a speech provider, not a chat one",
        ["elevenlabs"] = "is a speech provider, not a chat one",
        ["fal"] = "is an image and media provider, not a chat one",
        ["ideogram"] = "is an image provider, not a chat one",
    };

    /// <summary>The slugs this package routes, in a stable order, for error messages.</summary>
    internal static string KnownSlugs { get; } = string.Join(", ", s_providers.Keys) + ", custom-{name}";

    /// <summary>The slugs with an embeddings route, for error messages.</summary>
    internal static string EmbeddingSlugs { get; } = string.Join(", ", s_providers.Values.Where(p => p.Embeddings is not null).Select(p => p.Slug)) + ", custom-{name}";

    /// <summary>Why a documented provider cannot be used here and what to use instead, or null.</summary>
    internal static string? GetUnsupportedReason(string slug) => s_unsupported.GetValueOrDefault(slug);

    internal static bool TryGet(string slug, out ProviderDescriptor descriptor)
    {
        if (s_providers.TryGetValue(slug, out var found))
        {
            descriptor = found;
            return true;
        }

        if (slug.StartsWith("custom-", StringComparison.Ordinal) && slug.Length > "custom-".Length)
        {
            // Cloudflare appends the path to the custom provider's base_url, which it asks to be the root domain: the
            // OpenAI convention is then v1/... (CustomPath overrides it for other layouts).
            descriptor = new(slug, "v1/chat/completions", ProviderAuthScheme.Bearer, slug, MaxTokens, new("v1/embeddings", 2048, SupportsDimensions: true));
            return true;
        }

        descriptor = null!;
        return false;
    }

    /// <summary>
    /// The OpenTelemetry provider name for a route. On the unified endpoint the model names its provider
    /// (<c>openai/gpt-4o-mini</c>), so that provider is reported rather than <c>compat</c>.
    /// </summary>
    internal static string GetOpenTelemetryName(ProviderDescriptor descriptor, string? model)
    {
        if (descriptor.Slug == "compat" && model is not null)
        {
            int slash = model.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && TryGet(model[..slash], out var inner) && inner.Slug != "compat")
            {
                return inner.OpenTelemetryName;
            }
        }

        return descriptor.OpenTelemetryName;
    }
}
