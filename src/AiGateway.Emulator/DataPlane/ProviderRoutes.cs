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

/// <summary>Maps <c>{slug}/{path}</c> to a built-in provider, as the real gateway forwards each provider's native paths.</summary>
internal static class ProviderRoutes
{
    private static readonly HashSet<string> s_openAICompatible = new(StringComparer.Ordinal)
    {
        "openai", "groq", "mistral", "deepseek", "perplexity-ai", "openrouter", "grok", "cerebras", "baseten",
    };

    /// <summary>Resolves a route, or returns null with the reason it does not exist.</summary>
    public static ProviderRoute? Resolve(string slug, string path, out string? error)
    {
        error = null;
        path = path.Trim('/');
        if (s_openAICompatible.Contains(slug))
        {
            return path switch
            {
                "chat/completions" or "v1/chat/completions" => new ProviderRoute(slug, WireFormat.OpenAI, null, ProviderKeyKind.Bearer),
                "embeddings" when slug == "openai" => new ProviderRoute(slug, WireFormat.OpenAIEmbeddings, null, ProviderKeyKind.Bearer),
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

                error = $"Unknown provider '{slug}'.";
                return null;
        }
    }

    private static ProviderRoute? NotFound(string slug, string path, out string error)
    {
        error = $"The {slug} provider has no chat or embeddings endpoint at '/{path}' in the emulator.";
        return null;
    }
}
