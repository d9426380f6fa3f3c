using System.Diagnostics.CodeAnalysis;

namespace AiGateway.Extensions.AI;

/// <summary>
/// A provider slug as Cloudflare AI Gateway spells it in a route (<c>{gateway}/{slug}/...</c>), such as
/// <c>openai</c>, <c>workers-ai</c> or <c>custom-my-model</c>.
/// </summary>
/// <remarks>Compared case-insensitively; the canonical spelling is lower case.</remarks>
public readonly struct AiGatewayProvider : IEquatable<AiGatewayProvider>
{
    private const string CustomPrefix = "custom-";
    private readonly string? _slug;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayProvider"/> struct.</summary>
    /// <param name="slug">The provider slug, for example <c>openai</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="slug"/> is null, empty or white space.</exception>
    public AiGatewayProvider(string slug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        _slug = slug.Trim().ToLowerInvariant();
    }

    /// <summary>Gets the provider slug, in lower case.</summary>
    public string Slug => _slug ?? string.Empty;

    /// <summary>Gets a value indicating whether this is a custom provider (<c>custom-{name}</c>).</summary>
    public bool IsCustom => Slug.StartsWith(CustomPrefix, StringComparison.Ordinal) && Slug.Length > CustomPrefix.Length;

    /// <summary>Gets the OpenAI chat-completions provider, <c>openai</c>.</summary>
    public static AiGatewayProvider OpenAI { get; } = new("openai");

    /// <summary>Gets Cloudflare Workers AI, <c>workers-ai</c> (its OpenAI-compatible <c>/v1/chat/completions</c>).</summary>
    public static AiGatewayProvider WorkersAI { get; } = new("workers-ai");

    /// <summary>Gets Azure OpenAI, <c>azure-openai</c>.</summary>
    public static AiGatewayProvider AzureOpenAI { get; } = new("azure-openai");

    /// <summary>Gets Anthropic, <c>anthropic</c> (Anthropic Messages, or its OpenAI compatibility layer with <see cref="AiGatewayRouteOptions.OpenAICompatible"/>).</summary>
    public static AiGatewayProvider Anthropic { get; } = new("anthropic");

    /// <summary>Gets Google AI Studio, <c>google-ai-studio</c> (through Gemini's OpenAI-compatible API in this package).</summary>
    public static AiGatewayProvider GoogleAIStudio { get; } = new("google-ai-studio");

    /// <summary>Gets Groq, <c>groq</c>.</summary>
    public static AiGatewayProvider Groq { get; } = new("groq");

    /// <summary>Gets Mistral AI, <c>mistral</c>.</summary>
    public static AiGatewayProvider Mistral { get; } = new("mistral");

    /// <summary>Gets DeepSeek, <c>deepseek</c>.</summary>
    public static AiGatewayProvider DeepSeek { get; } = new("deepseek");

    /// <summary>Gets Perplexity, <c>perplexity-ai</c>.</summary>
    public static AiGatewayProvider PerplexityAI { get; } = new("perplexity-ai");

    /// <summary>Gets OpenRouter, <c>openrouter</c>.</summary>
    public static AiGatewayProvider OpenRouter { get; } = new("openrouter");

    /// <summary>Gets xAI Grok, <c>grok</c>.</summary>
    public static AiGatewayProvider Grok { get; } = new("grok");

    /// <summary>Gets Cerebras, <c>cerebras</c>.</summary>
    public static AiGatewayProvider Cerebras { get; } = new("cerebras");

    /// <summary>Gets Baseten, <c>baseten</c>.</summary>
    public static AiGatewayProvider Baseten { get; } = new("baseten");

    /// <summary>Gets the unified OpenAI-compatible endpoint, <c>compat</c>, whose models are named <c>{provider}/{model}</c>.</summary>
    public static AiGatewayProvider Compat { get; } = new("compat");

    /// <summary>Creates a custom provider, <c>custom-{name}</c>.</summary>
    /// <param name="name">The custom provider's name as configured in the gateway, without the <c>custom-</c> prefix.</param>
    /// <returns>The provider.</returns>
    public static AiGatewayProvider Custom(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(name.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase) ? name : CustomPrefix + name);
    }

    /// <summary>Gets a value indicating whether this package can build a chat route for the slug.</summary>
    public bool IsSupported => IsCustom || ProviderCatalog.TryGet(Slug, out _);

    /// <inheritdoc />
    public bool Equals(AiGatewayProvider other) => string.Equals(Slug, other.Slug, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is AiGatewayProvider other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Slug);

    /// <inheritdoc />
    public override string ToString() => Slug;

    /// <summary>Compares two providers for equality.</summary>
    /// <param name="left">The first provider.</param>
    /// <param name="right">The second provider.</param>
    /// <returns><see langword="true"/> when both have the same slug.</returns>
    public static bool operator ==(AiGatewayProvider left, AiGatewayProvider right) => left.Equals(right);

    /// <summary>Compares two providers for inequality.</summary>
    /// <param name="left">The first provider.</param>
    /// <param name="right">The second provider.</param>
    /// <returns><see langword="true"/> when the slugs differ.</returns>
    public static bool operator !=(AiGatewayProvider left, AiGatewayProvider right) => !left.Equals(right);
}
