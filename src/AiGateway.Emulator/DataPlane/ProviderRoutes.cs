namespace AiGateway.Emulator;

/// <summary>How a provider expects its key.</summary>
internal enum ProviderKeyKind
{
    Bearer,
    AzureApiKey,
    AnthropicKey,
    None,
}

/// <summary>A provider request's route: which built-in provider answers, in which format, with which model.</summary>
internal sealed record ProviderRoute(string Provider, WireFormat Format, string? ModelFromPath, ProviderKeyKind KeyKind);

/// <summary>Why a route does not exist: a known provider's upstream does not serve the path (404), or the gateway knows no such provider (400).</summary>
internal sealed record ProviderRouteError(int Status, string Message);

/// <summary>Maps <c>{slug}/{path}</c> to a built-in provider, as the real gateway forwards each provider's native paths.</summary>
internal static class ProviderRoutes
{
    /// <summary>
    /// The OpenAI-compatible providers and the chat path each upstream serves after the gateway's prefix (see the
    /// library's Routing/README.md for the sources). Any other path is the upstream's 404, as it would be for real.
    /// </summary>
    private static readonly Dictionary<string, string[]> s_openAICompatible = new(StringComparer.Ordinal)
    {
        ["openai"] = ["chat/completions", "v1/chat/completions"],
        ["groq"] = ["chat/completions"],
        ["mistral"] = ["v1/chat/completions"],
        ["deepseek"] = ["chat/completions"],
        ["perplexity-ai"] = ["chat/completions"],
        ["openrouter"] = ["v1/chat/completions"],
        ["grok"] = ["v1/chat/completions"],
        ["cerebras"] = ["chat/completions"],
        ["baseten"] = ["v1/chat/completions"],
    };

    /// <summary>The providers with routes of their own besides the OpenAI-compatible ones.</summary>
    private static readonly string[] s_otherProviders = ["workers-ai", "azure-openai", "anthropic", "google-ai-studio"];

    /// <summary>
    /// Why a fault naming <paramref name="provider"/> could never fire, or null when it can: faults match the provider
    /// that serves a request, which is never <c>compat</c> (it serves as the provider its model names) and never one the
    /// emulator does not know.
    /// </summary>
    public static string? CheckFaultProvider(string provider) =>
        string.Equals(provider, "compat", StringComparison.OrdinalIgnoreCase)
            ? "provider 'compat' never serves a request itself: name the provider its model names (openai for openai/gpt-4o-mini)."
        : s_openAICompatible.ContainsKey(provider.ToLowerInvariant()) || s_otherProviders.Contains(provider, StringComparer.OrdinalIgnoreCase) ||
          (provider.StartsWith("custom-", StringComparison.OrdinalIgnoreCase) && provider.Length > "custom-".Length)
            ? null
            : $"provider '{provider}' is not one the emulator serves ({string.Join(", ", s_openAICompatible.Keys.Concat(s_otherProviders).Order(StringComparer.Ordinal))}, or custom-{{name}}).";

    /// <summary>Resolves a route, or returns null with the reason it does not exist.</summary>
    public static ProviderRoute? Resolve(string slug, string path, out ProviderRouteError? error)
    {
        error = null;
        path = path.Trim('/');
        if (s_openAICompatible.TryGetValue(slug, out var chatPaths))
        {
            return path switch
            {
                _ when chatPaths.Contains(path) => new ProviderRoute(slug, WireFormat.OpenAI, null, ProviderKeyKind.Bearer),
                "embeddings" when slug == "openai" => new ProviderRoute(slug, WireFormat.OpenAIEmbeddings, null, ProviderKeyKind.Bearer),
                "responses" or "v1/responses" when slug == "openai" => new ProviderRoute(slug, WireFormat.OpenAIResponses, null, ProviderKeyKind.Bearer),
                "v1/embeddings" when slug == "mistral" => new ProviderRoute(slug, WireFormat.OpenAIEmbeddings, null, ProviderKeyKind.Bearer),
                _ => NotFound(slug, path, out error),
            };
        }

        switch (slug)
        {
            case "compat":
                return path switch
                {
                    "chat/completions" => new ProviderRoute("compat", WireFormat.OpenAI, null, ProviderKeyKind.Bearer),
                    "embeddings" => new ProviderRoute("compat", WireFormat.OpenAIEmbeddings, null, ProviderKeyKind.Bearer),
                    // The REST form's /ai/v1/responses and /ai/v1/messages, each in its own API's format.
                    "responses" => new ProviderRoute("compat", WireFormat.OpenAIResponses, null, ProviderKeyKind.Bearer),
                    "messages" => new ProviderRoute("compat", WireFormat.Anthropic, null, ProviderKeyKind.Bearer),
                    _ => NotFound(slug, path, out error),
                };
            case "workers-ai":
                if (path == "v1/chat/completions")
                {
                    return new ProviderRoute(slug, WireFormat.OpenAI, null, ProviderKeyKind.Bearer);
                }

                if (path == "v1/embeddings")
                {
                    return new ProviderRoute(slug, WireFormat.OpenAIEmbeddings, null, ProviderKeyKind.Bearer);
                }

                return path.StartsWith("@cf/", StringComparison.Ordinal) || path.StartsWith("@hf/", StringComparison.Ordinal)
                    ? new ProviderRoute(slug, WireFormat.WorkersAiNative, path, ProviderKeyKind.Bearer)
                    : NotFound(slug, path, out error);
            case "azure-openai":
                var segments = path.Split('/');
                return segments switch
                {
                    [_, var deployment, "chat", "completions"] => new ProviderRoute(slug, WireFormat.OpenAI, Uri.UnescapeDataString(deployment), ProviderKeyKind.AzureApiKey),
                    [_, var deployment, "embeddings"] => new ProviderRoute(slug, WireFormat.OpenAIEmbeddings, Uri.UnescapeDataString(deployment), ProviderKeyKind.AzureApiKey),
                    _ => NotFound(slug, path, out error),
                };
            case "anthropic":
                return path switch
                {
                    "v1/messages" => new ProviderRoute(slug, WireFormat.Anthropic, null, ProviderKeyKind.AnthropicKey),
                    "v1/chat/completions" => new ProviderRoute(slug, WireFormat.OpenAI, null, ProviderKeyKind.Bearer),
                    _ => NotFound(slug, path, out error),
                };
            case "google-ai-studio":
                return path switch
                {
                    "v1beta/openai/chat/completions" => new ProviderRoute(slug, WireFormat.OpenAI, null, ProviderKeyKind.Bearer),
                    "v1beta/openai/embeddings" => new ProviderRoute(slug, WireFormat.OpenAIEmbeddings, null, ProviderKeyKind.Bearer),
                    _ => NotFound(slug, path, out error),
                };
            default:
                if (slug.StartsWith("custom-", StringComparison.Ordinal) && slug.Length > "custom-".Length)
                {
                    var format = path.EndsWith("embeddings", StringComparison.Ordinal) ? WireFormat.OpenAIEmbeddings : WireFormat.OpenAI;
                    return new ProviderRoute(slug, format, null, ProviderKeyKind.Bearer);
                }

                error = new(400, $"Unknown provider '{slug}'.");
                return null;
        }
    }

    private static ProviderRoute? NotFound(string slug, string path, out ProviderRouteError error)
    {
        error = new(404, $"The {slug} provider has no chat or embeddings endpoint at '/{path}' in the emulator.");
        return null;
    }
}
