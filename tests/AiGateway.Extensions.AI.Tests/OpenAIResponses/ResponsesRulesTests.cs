using AiGateway.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace AiGateway.Extensions.AI.Tests.OpenAIResponses;

/// <summary>What <c>Api: Responses</c> refuses at start, how its failures are typed, and how a conversation falls back.</summary>
public sealed class ResponsesRulesTests
{
    private static AiGatewayOptions Options(AiGatewayEmulator? emulator = null)
    {
        var options = emulator is null ? TestOptions.Create() : TestOptions.ForEmulator(emulator);
        options.Api = AiGatewayApi.Responses;
        return options;
    }

    [Fact]
    public async Task AnEndlessAnswer_StopsAtMaxResponseContentLength_NotAtTheNetworkTimeout()
    {
        // 64 KiB after 64 KiB until the client gives up: a limit checked after buffering would wait for the timeout.
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            var chunk = new byte[64 * 1024];
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        var options = Options();
        options.Endpoint = new Uri(server.Root, "v1");
        options.MaxResponseContentLength = 1024 * 1024;
        options.NetworkTimeout = TimeSpan.FromMinutes(5);
        using var client = new AiGatewayChatClient(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("hi").WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(AiGatewayErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("MaxResponseContentLength", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-5")]
    [InlineData("groq", "llama-3.3-70b-versatile")]
    [InlineData("compat", "openai/gpt-4o-mini")]
    public void AProviderWithoutTheResponsesApi_FailsAtStart_NamingTheKey(string provider, string model)
    {
        var options = Options();
        options.Provider = provider;
        options.Model = model;

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Api Responses needs provider openai", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{provider}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AzureOpenAI_HasNoDocumentedResponsesPath_AndFailsAtStart()
    {
        var options = Options();
        options.Provider = "azure-openai";
        options.Azure = new() { ResourceName = "res", DeploymentName = "gpt-4o" };

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Api Responses needs provider openai", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFallbackInheritingResponses_OntoAnotherProvider_IsToldAtItsProvider()
    {
        var options = Options();
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "anthropic", Model = "claude-sonnet-4-5" });

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Fallbacks:0:Provider Responses needs provider openai", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFallbackSettingChatCompletions_IsAnotherApi_AndIsAccepted()
    {
        var options = Options();
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "anthropic", Model = "claude-sonnet-4-5", Api = AiGatewayApi.ChatCompletions });

        using var client = new AiGatewayChatClient(options);

        var routes = client.GetService<AiGatewayRouteSet>()!.Routes;
        Assert.Equal(["openai", "anthropic"], routes.Select(r => r.Provider));
    }

    [Fact]
    public void GatewayFallbackMode_CannotCarryResponses()
    {
        var options = Options();
        options.FallbackMode = AiGatewayFallbackMode.Gateway;
        options.Fallbacks.Add(new AiGatewayRouteOptions { Model = "gpt-4o" });

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Api Responses needs FallbackMode Client", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKey_BindsFromConfiguration()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiGateway:AccountId"] = "acct", ["AiGateway:Provider"] = "openai", ["AiGateway:Model"] = "gpt-4o-mini", ["AiGateway:Api"] = "Responses",
            ["AiGateway:Fallbacks:0:Model"] = "gpt-4o",
        }).Build();
        var options = new AiGatewayOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection("AiGateway"), options);

        Assert.Equal(AiGatewayApi.Responses, options.Api);
        Assert.Equal("https://gateway.ai.cloudflare.com/v1/acct/default/openai/responses", AiGatewayEndpoints.GetChatCompletionsUrl(options).AbsoluteUri);
    }

    [Theory]
    [InlineData(false, 401, AiGatewayErrorKind.Authentication)]
    [InlineData(true, 401, AiGatewayErrorKind.Authentication)]
    [InlineData(false, 429, AiGatewayErrorKind.RateLimited)]
    [InlineData(true, 500, AiGatewayErrorKind.ProviderError)]
    public async Task Failures_AreTypedFromTheAnswer_WithoutSecrets(bool streaming, int status, AiGatewayErrorKind kind)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = status });
        using var client = new AiGatewayChatClient(Options(emulator));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => streaming
            ? client.GetStreamingResponseAsync("Hi").ToListAsync().AsTask()
            : client.GetResponseAsync("Hi"));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal($"Emulated {status} from openai.", error.ProviderMessage);
        Assert.Equal(Assert.Single(emulator.State.GetLogs("default")).Id, error.LogId);
        Assert.DoesNotContain(TestOptions.ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorEventMidStream_IsAProviderError_NotContent()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", ErrorEventAfterChunks = 4 });
        using var client = new AiGatewayChatClient(Options(emulator));
        var received = new List<ChatResponseUpdate>();

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("What is the capital of France?"))
            {
                received.Add(update);
            }
        });

        Assert.Equal(AiGatewayErrorKind.ProviderError, error.Kind);
        Assert.Equal("server_error", error.ProviderErrorCode);
        Assert.Equal("Emulated upstream failure mid-stream.", error.ProviderMessage);
        Assert.NotEmpty(received);
        Assert.DoesNotContain(received.SelectMany(u => u.Contents), c => c is ErrorContent);
    }

    [Fact]
    public async Task MissingKey_IsOpenAIsOwn401()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator);
        options.ApiKey = null;
        using var client = new AiGatewayChatClient(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
        Assert.Equal("invalid_api_key", error.ProviderErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AConversation_FallsBackOnlyWhereItCanContinue(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "anthropic", Model = "claude-sonnet-4-5", Api = AiGatewayApi.ChatCompletions });
        using var client = new AiGatewayChatClient(options).AsBuilder().UseAiGatewayFallback().Build();
        async Task<ChatResponse> AskAsync(ChatOptions? chatOptions) => streaming
            ? await client.GetStreamingResponseAsync("What is the capital of France?", chatOptions).ToChatResponseAsync()
            : await client.GetResponseAsync("What is the capital of France?", chatOptions);

        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var fresh = await AskAsync(null);
        Assert.Equal("anthropic", fresh.GetGatewayInfo()!.Provider);

        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => AskAsync(new ChatOptions { ConversationId = "resp_emu0123456789abcdef0123" }));
        Assert.Equal(503, error.StatusCode);
        Assert.Equal("openai", error.Provider);
        Assert.Single(error.Attempts);
        Assert.DoesNotContain(emulator.State.GetLogs("default"), l => l.Provider == "anthropic" && l.RequestBody!.Contains("resp_emu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AConversation_FallsBackToAnotherOpenAIResponsesRoute()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "anthropic", Model = "claude-sonnet-4-5", Api = AiGatewayApi.ChatCompletions });
        options.Fallbacks.Add(new AiGatewayRouteOptions { Model = "gpt-4o" });
        using var client = new AiGatewayChatClient(options).AsBuilder().UseAiGatewayFallback().Build();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Model = "gpt-4o-mini", Status = 503 });

        var response = await client.GetResponseAsync("What is the capital of France?", new ChatOptions { ConversationId = "resp_emu0123456789abcdef0123" });

        var info = response.GetGatewayInfo()!;
        Assert.Equal("openai", info.Provider);
        Assert.Equal("gpt-4o", info.Model);
        Assert.Contains("\"previous_response_id\":\"resp_emu0123456789abcdef0123\"", emulator.State.GetLogs("default").Single(l => l.Model == "gpt-4o").RequestBody!, StringComparison.Ordinal);
    }
}
