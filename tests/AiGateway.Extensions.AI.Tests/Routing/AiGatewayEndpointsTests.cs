using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Routing;

public sealed class AiGatewayEndpointsTests
{
    private const string Base = "https://gateway.ai.cloudflare.com/v1/acct123/gw";

    [Theory]
    [InlineData("openai", "gpt-4o-mini", "/openai/chat/completions")]
    [InlineData("workers-ai", "@cf/meta/llama-3.1-8b-instruct", "/workers-ai/v1/chat/completions")]
    [InlineData("anthropic", "claude-3-5-haiku-latest", "/anthropic/v1/messages")]
    [InlineData("google-ai-studio", "gemini-2.5-flash", "/google-ai-studio/v1beta/openai/chat/completions")]
    [InlineData("groq", "llama-3.3-70b-versatile", "/groq/chat/completions")]
    [InlineData("mistral", "mistral-large-latest", "/mistral/v1/chat/completions")]
    [InlineData("deepseek", "deepseek-chat", "/deepseek/chat/completions")]
    [InlineData("perplexity-ai", "sonar", "/perplexity-ai/chat/completions")]
    [InlineData("openrouter", "openai/gpt-4o-mini", "/openrouter/v1/chat/completions")]
    [InlineData("grok", "grok-3", "/grok/v1/chat/completions")]
    [InlineData("cerebras", "llama3.1-8b", "/cerebras/chat/completions")]
    [InlineData("baseten", "deepseek-ai/DeepSeek-V3", "/baseten/v1/chat/completions")]
    [InlineData("compat", "openai/gpt-4o-mini", "/compat/chat/completions")]
    [InlineData("custom-mine", "my-model", "/custom-mine/v1/chat/completions")]
    [InlineData("OpenAI", "gpt-4o-mini", "/openai/chat/completions")]
    public void ChatCompletionsUrl_ForEveryProvider_FollowsCloudflareRoutes(string provider, string model, string path)
    {
        var options = new AiGatewayOptions { AccountId = "acct123", GatewayId = "gw", Provider = provider, Model = model };

        Assert.Equal(Base + path, AiGatewayEndpoints.GetChatCompletionsUrl(options).AbsoluteUri);
    }

    [Fact]
    public void ChatCompletionsUrl_ForAzure_NamesResourceDeploymentAndApiVersion()
    {
        var options = new AiGatewayOptions
        {
            AccountId = "acct123", GatewayId = "gw", Provider = "azure-openai",
            Azure = new() { ResourceName = "my-resource", DeploymentName = "gpt4o", ApiVersion = "2025-01-01-preview" },
        };

        Assert.Equal(Base + "/azure-openai/my-resource/gpt4o/chat/completions?api-version=2025-01-01-preview",
            AiGatewayEndpoints.GetChatCompletionsUrl(options).AbsoluteUri);
    }

    [Fact]
    public void ChatCompletionsUrl_ForAzureWithoutApiVersion_UsesTheDefault()
    {
        var options = new AiGatewayOptions
        {
            AccountId = "acct123", GatewayId = "gw", Provider = "azure-openai",
            Azure = new() { ResourceName = "r", DeploymentName = "d" },
        };

        Assert.EndsWith("?api-version=" + AiGatewayAzureOptions.DefaultApiVersion, AiGatewayEndpoints.GetChatCompletionsUrl(options).AbsoluteUri);
    }

    [Fact]
    public void ChatCompletionsUrl_ForCustomProvider_UsesCustomPath()
    {
        var options = new AiGatewayOptions
        {
            AccountId = "acct123", GatewayId = "gw", Provider = "custom-acme", Model = "m", CustomPath = "/api/v2/chat",
        };

        Assert.Equal(Base + "/custom-acme/api/v2/chat", AiGatewayEndpoints.GetChatCompletionsUrl(options).AbsoluteUri);
    }

    [Fact]
    public void ChatCompletionsUrl_OnCloudflareApi_UsesTheAccountsAiPath()
    {
        var options = new AiGatewayOptions
        {
            AccountId = "acct123", GatewayId = "gw", Provider = "workers-ai", Model = "@cf/meta/llama-3.1-8b-instruct",
            EndpointKind = AiGatewayEndpointKind.CloudflareApi, Token = "t",
        };

        Assert.Equal("https://api.cloudflare.com/client/v4/accounts/acct123/ai/v1/chat/completions",
            AiGatewayEndpoints.GetChatCompletionsUrl(options).AbsoluteUri);
    }

    [Fact]
    public void GatewayUrl_EscapesIdsAndToleratesTrailingSlash()
    {
        var url = AiGatewayEndpoints.GetGatewayUrl(new Uri("http://127.0.0.1:8787/v1/"), "a b", "g/w");

        Assert.Equal("http://127.0.0.1:8787/v1/a%20b/g%2Fw", url.AbsoluteUri);
    }

    [Fact]
    public void ProviderUrl_IsGatewayPlusSlug()
    {
        var gateway = AiGatewayEndpoints.GetGatewayUrl(AiGatewayOptions.DefaultEndpoint, "acct123", "gw");

        Assert.Equal(Base + "/workers-ai", AiGatewayEndpoints.GetProviderUrl(gateway, AiGatewayProvider.WorkersAI).AbsoluteUri);
        Assert.Equal(Base + "/custom-x", AiGatewayEndpoints.GetProviderUrl(gateway, AiGatewayProvider.Custom("x")).AbsoluteUri);
    }

    [Fact]
    public void UnknownProvider_IsRejectedNamingTheProviderKey()
    {
        var options = new AiGatewayOptions { AccountId = "a", Provider = "openia", Model = "m" };

        var error = Assert.Throws<ArgumentException>(() => AiGatewayEndpoints.GetChatCompletionsUrl(options));
        Assert.Contains("AiGateway:Provider 'openia' is not a provider", error.Message);
    }

    [Theory]
    [InlineData("cohere", "Provider 'compat' with Model 'cohere/{model}'")]
    [InlineData("google-vertex-ai", "Gemini's generateContent format")]
    [InlineData("aws-bedrock", "Model 'aws-bedrock/{model}'")]
    [InlineData("huggingface", "Hugging Face Inference API")]
    [InlineData("elevenlabs", "speech provider")]
    public void DocumentedProvidersInAnotherFormat_AreRefusedSayingWhichFormatAndWhatToUseInstead(string provider, string advice)
    {
        var options = new AiGatewayOptions { AccountId = "a", Provider = provider, Model = "m" };

        var error = Assert.Throws<ArgumentException>(() => AiGatewayEndpoints.GetChatCompletionsUrl(options));
        Assert.Contains($"AiGateway:Provider '{provider}' ", error.Message, StringComparison.Ordinal);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai", "gpt-4o-mini", "openai/gpt-4o-mini")]
    [InlineData("anthropic", "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5")]
    [InlineData("google-ai-studio", "gemini-2.5-flash", "google/gemini-2.5-flash")]
    [InlineData("grok", "grok-4", "xai/grok-4")]
    [InlineData("workers-ai", "@cf/meta/llama-3.1-8b-instruct", "@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("groq", "meta/llama-3.3-70b", "meta/llama-3.3-70b")]
    public async Task CloudflareApiForm_NamesModelsByAuthor(string provider, string model, string sent)
    {
        var options = TestOptions.ForCloudflareApi(provider, model);
        var handler = new RecordingHandler(Fixtures.Text(provider == "anthropic" ? "anthropic/message-text.json" : "openai/chat-completion-text.json"));
        using var client = TestOptions.Client(options, handler);

        await client.GetResponseAsync("Hello");

        using var body = System.Text.Json.JsonDocument.Parse(handler.SoleRequest.Body);
        Assert.Equal(sent, body.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void CloudflareApiForm_RefusesAModelWhoseAuthorItCannotName()
    {
        var options = new AiGatewayOptions
        {
            AccountId = "a", Provider = "groq", Model = "llama-3.3-70b-versatile", Token = "cf-token-123456",
            EndpointKind = AiGatewayEndpointKind.CloudflareApi,
        };

        var error = Assert.Throws<ArgumentException>(() => AiGatewayEndpoints.GetChatCompletionsUrl(options));
        Assert.Contains("AiGateway:Model 'llama-3.3-70b-versatile' needs its author", error.Message, StringComparison.Ordinal);
        Assert.Contains("google-ai-studio (google/...)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProviderStruct_ComparesCaseInsensitivelyAndKnowsCustomSlugs()
    {
        Assert.Equal(AiGatewayProvider.OpenAI, new AiGatewayProvider("OPENAI"));
        Assert.True(AiGatewayProvider.Custom("acme").IsCustom);
        Assert.Equal("custom-acme", AiGatewayProvider.Custom("custom-acme").Slug);
        Assert.False(new AiGatewayProvider("aws-bedrock").IsSupported);
    }

    [Theory]
    [InlineData("openai", "gpt-4o-mini", "openai")]
    [InlineData("azure-openai", null, "azure.ai.openai")]
    [InlineData("google-ai-studio", "gemini-2.5-flash", "gcp.gemini")]
    [InlineData("mistral", "mistral-small", "mistral_ai")]
    [InlineData("grok", "grok-3", "x_ai")]
    [InlineData("perplexity-ai", "sonar", "perplexity")]
    [InlineData("workers-ai", "@cf/meta/llama-3.1-8b-instruct", "workers-ai")]
    [InlineData("compat", "anthropic/claude-sonnet-4-5", "anthropic")]
    [InlineData("compat", "dynamic/support", "compat")]
    public void Metadata_NamesTheProviderInOpenTelemetrySpelling(string provider, string? model, string expected)
    {
        var options = new AiGatewayOptions
        {
            AccountId = "acct123", Provider = provider, Model = model,
            Azure = new() { ResourceName = "r", DeploymentName = "d" },
        };
        using var client = new AiGatewayChatClient(options);

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal(expected, metadata.ProviderName);
        Assert.Equal(model ?? "d", metadata.DefaultModelId);
    }
}
