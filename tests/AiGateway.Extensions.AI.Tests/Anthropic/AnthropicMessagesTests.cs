using System.Diagnostics;
using System.Text.Json;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.Anthropic;

/// <summary>Provider <c>anthropic</c> speaks Anthropic Messages through the gateway, on the Anthropic SDK's own chat client.</summary>
public sealed class AnthropicMessagesTests
{
    private const string Model = "claude-sonnet-4-5";
    private const string Question = "What is the capital of France?";

    private static AiGatewayOptions Options(string? apiKey = TestOptions.ApiKey)
    {
        var options = TestOptions.Create(provider: "anthropic", model: Model);
        options.ApiKey = apiKey;
        return options;
    }

    private static async Task<RecordedRequest> SendAsync(AiGatewayOptions options, ChatOptions? chatOptions = null)
    {
        var handler = new RecordingHandler(Fixtures.Text("anthropic/message-text.json"));
        using var client = TestOptions.Client(options, handler);
        await client.GetResponseAsync(Question, chatOptions);
        return handler.SoleRequest;
    }

    [Fact]
    public async Task Requests_GoToMessages_WithTheKeyAsXApiKey_AndTheGatewaysHeaders()
    {
        var options = Options();
        options.Token = TestOptions.Token;
        options.Cache = new AiGatewayCacheOptions { Ttl = TimeSpan.FromMinutes(5) };

        var request = await SendAsync(options, new ChatOptions().WithGatewayMetadata("user", "u1"));

        Assert.Equal("http://gateway.test/v1/acct123/gw/anthropic/v1/messages", request.Uri!.AbsoluteUri);
        Assert.Equal(TestOptions.ApiKey, request.Header("x-api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.NotNull(request.Header("anthropic-version"));
        Assert.Equal("Bearer " + TestOptions.Token, request.Header("cf-aig-authorization"));
        Assert.Equal("300", request.Header("cf-aig-cache-ttl"));
        Assert.Equal("""{"user":"u1"}""", request.Header("cf-aig-metadata"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(Model, body.RootElement.GetProperty("model").GetString());
        Assert.Equal(AiGatewayRouteOptions.DefaultAnthropicMaxOutputTokens, body.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.Equal(Question, body.RootElement.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task WithoutAKey_NoCredentialIsSent_NotEvenOneFromTheEnvironment()
    {
        Environment.SetEnvironmentVariable("ANTHROPIC_API_KEY", "sk-ant-from-the-environment");
        try
        {
            var request = await SendAsync(Options(apiKey: null));

            Assert.Null(request.Header("x-api-key"));
            Assert.Null(request.Header("Authorization"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ANTHROPIC_API_KEY", null);
        }
    }

    [Fact]
    public async Task MaxTokens_ComesFromTheRequest_ThenTheRoute_ThenTheDefault()
    {
        var options = Options();
        options.MaxOutputTokens = 700;

        var configured = await SendAsync(options);
        var perRequest = await SendAsync(options, new ChatOptions { MaxOutputTokens = 50 });

        Assert.Equal(700, JsonDocument.Parse(configured.Body).RootElement.GetProperty("max_tokens").GetInt32());
        Assert.Equal(50, JsonDocument.Parse(perRequest.Body).RootElement.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task IdenticalRequests_AreIdenticalBytes()
    {
        var options = Options();
        var chatOptions = new ChatOptions { Temperature = 0.5f, StopSequences = ["END"], Tools = [AIFunctionFactory.Create((string city) => "sunny", "get_weather", "The weather.")] };

        var first = await SendAsync(options, chatOptions);
        var second = await SendAsync(options, chatOptions);

        Assert.Equal(first.BodyText, second.BodyText);
    }

    [Fact]
    public async Task PromptCaching_IsReachableFromChatOptions()
    {
        var fiveMinutes = await SendAsync(Options(), new ChatOptions().WithAnthropicPromptCaching());
        var oneHour = await SendAsync(Options(), new ChatOptions().WithAnthropicPromptCaching(TimeSpan.FromHours(1)));
        var block = await SendAsync(Options(), null);

        Assert.Equal("""{"type":"ephemeral"}""", JsonDocument.Parse(fiveMinutes.Body).RootElement.GetProperty("cache_control").GetRawText());
        Assert.Equal("""{"type":"ephemeral","ttl":"1h"}""", JsonDocument.Parse(oneHour.Body).RootElement.GetProperty("cache_control").GetRawText());
        Assert.False(JsonDocument.Parse(block.Body).RootElement.TryGetProperty("cache_control", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithAnthropicPromptCaching(TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task CacheKeyFromTheRequest_HashesTheBodyTheSdkWrote()
    {
        var first = await SendAsync(Options(), new ChatOptions().WithGatewayCacheKeyFromRequest("tenant-1"));
        var second = await SendAsync(Options(), new ChatOptions().WithGatewayCacheKeyFromRequest("tenant-1"));
        var other = await SendAsync(Options(), new ChatOptions { StopSequences = ["END"] }.WithGatewayCacheKeyFromRequest("tenant-1"));

        string expected = "tenant-1:anthropic:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(first.Body));
        Assert.Equal(expected, first.Header("cf-aig-cache-key"));
        Assert.Equal(expected, second.Header("cf-aig-cache-key"));
        Assert.NotEqual(expected, other.Header("cf-aig-cache-key"));
    }

    [Fact]
    public async Task OpenAICompatible_KeepsTheOpenAIFormatRoute()
    {
        var options = Options();
        options.OpenAICompatible = true;
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        using var client = TestOptions.Client(options, handler);

        await client.GetResponseAsync(Question);

        Assert.Equal("/v1/acct123/gw/anthropic/v1/chat/completions", handler.SoleRequest.PathAndQuery);
        Assert.Equal("Bearer " + TestOptions.ApiKey, handler.SoleRequest.Header("Authorization"));
    }

    [Fact]
    public void OpenAICompatible_OnAnotherProvider_OrMessagesBehindTheUniversalEndpoint_IsRefusedAtStart()
    {
        var wrongProvider = TestOptions.Create();
        wrongProvider.OpenAICompatible = true;
        var universal = Options();
        universal.FallbackMode = AiGatewayFallbackMode.Gateway;
        universal.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "openai", Model = "gpt-4o-mini" });

        var first = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(wrongProvider));
        var second = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(universal));

        Assert.Contains("AiGateway:OpenAICompatible applies only to the anthropic provider", first.Message, StringComparison.Ordinal);
        Assert.Contains("AiGateway:OpenAICompatible must be true on an anthropic route when FallbackMode is Gateway", second.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnTheEmulator_AnswersWithTheGatewaysFacts_AndRepeatsHitTheCache(bool stream)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator, "anthropic", Model);
        using var client = new AiGatewayChatClient(options);
        var chatOptions = new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(5));

        async Task<ChatResponse> AskAsync() => stream
            ? await client.GetStreamingResponseAsync(Question, chatOptions).ToChatResponseAsync()
            : await client.GetResponseAsync(Question, chatOptions);

        var first = await AskAsync();
        var second = await AskAsync();

        Assert.Equal("The capital of France is Paris.", first.Text);
        var info = first.GetGatewayInfo()!;
        Assert.Equal("anthropic", info.Provider);
        Assert.Equal(emulator.State.GetLogs("default")[0].Id, info.LogId);
        Assert.Equal("v1/messages", emulator.State.GetLogs("default")[0].Path);
        Assert.True(first.Usage!.InputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Stop, first.FinishReason);
        if (!stream)
        {
            Assert.Equal(AiGatewayCacheStatus.Miss, info.CacheStatus);
            Assert.Equal(AiGatewayCacheStatus.Hit, second.GetGatewayInfo()!.CacheStatus);
        }
        else
        {
            Assert.Equal("The capital of France is Paris.", second.Text);
        }
    }

    [Theory]
    [InlineData(529, AiGatewayErrorKind.ProviderError)]
    [InlineData(429, AiGatewayErrorKind.RateLimited)]
    [InlineData(400, AiGatewayErrorKind.BadRequest)]
    [InlineData(401, AiGatewayErrorKind.Authentication)]
    public async Task Failures_AreTypedFromTheAnswer_WithoutSecrets(int status, AiGatewayErrorKind kind)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "anthropic", Status = status, RetryAfter = status == 429 ? TimeSpan.FromSeconds(7) : null });
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "anthropic", Model));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("anthropic", error.Provider);
        Assert.NotNull(error.LogId);
        Assert.NotNull(error.ProviderErrorType);
        Assert.DoesNotContain(TestOptions.ApiKey, error.ToString(), StringComparison.Ordinal);
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        }
    }

    [Fact]
    public async Task AStreamThatReportsAnErrorMidway_IsAProviderError()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "anthropic", ErrorEventAfterChunks = 2 });
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "anthropic", Model));

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Question))
            {
            }
        });

        Assert.Equal(AiGatewayErrorKind.ProviderError, error.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fallback_GoesFromOpenAIToAnthropic_AndBack(bool stream)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "anthropic", Model = Model });
        using var toAnthropic = new AiGatewayChatClient(options).AsBuilder().UseAiGatewayFallback().Build();
        var back = TestOptions.ForEmulator(emulator, "anthropic", Model);
        back.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        using var toGroq = new AiGatewayChatClient(back).AsBuilder().UseAiGatewayFallback().Build();

        List<ChatMessage> history =
        [
            new(ChatRole.User, "What is the weather in Paris?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny, 21 C")]),
            new(ChatRole.User, Question),
        ];

        async Task<ChatResponse> AskAsync(IChatClient client) => stream
            ? await client.GetStreamingResponseAsync(history).ToChatResponseAsync()
            : await client.GetResponseAsync(history);

        var servedByAnthropic = await AskAsync(toAnthropic);
        emulator.Faults.Add(new EmulatorFault { Provider = "anthropic", Status = 529, Times = 1 });
        var servedByGroq = await AskAsync(toGroq);

        Assert.Equal("anthropic", servedByAnthropic.GetGatewayInfo()!.Provider);
        Assert.Equal("groq", servedByGroq.GetGatewayInfo()!.Provider);
        Assert.Equal("The capital of France is Paris.", servedByAnthropic.Text);
        Assert.Equal("The capital of France is Paris.", servedByGroq.Text);
        var anthropicBody = JsonDocument.Parse(emulator.State.GetLogs("default").First(l => l.Provider == "anthropic" && l.Success).RequestBody!).RootElement;
        Assert.Equal("tool_use", anthropicBody.GetProperty("messages")[1].GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("tool_result", anthropicBody.GetProperty("messages")[2].GetProperty("content")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Cancellation_IsTheCallersOwn()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "anthropic", Hang = true });
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "anthropic", Model));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync(Question, cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task NoAnswerWithinTheNetworkTimeout_IsATimeoutNamingTheSetting()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "anthropic", Hang = true });
        var options = TestOptions.ForEmulator(emulator, "anthropic", Model);
        options.NetworkTimeout = TimeSpan.FromMilliseconds(300);
        using var client = new AiGatewayChatClient(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Contains("AiGateway:NetworkTimeout", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MicrosoftsSpan_CarriesTheGatewaysFacts(bool stream)
    {
        string source = "anthropic." + Guid.NewGuid().ToString("N");
        var spans = new SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(source).AddInMemoryExporter(spans).Build();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "anthropic", Model)).AsBuilder().UseOpenTelemetry(sourceName: source).Build();

        var answer = stream ? await client.GetStreamingResponseAsync(Question).ToChatResponseAsync() : await client.GetResponseAsync(Question);

        var span = Assert.Single(spans, s => s.OperationName.StartsWith("chat", StringComparison.Ordinal));
        Assert.Equal(answer.GetGatewayInfo()!.LogId, span.GetTagItem(AiGatewayTelemetry.Attributes.LogId));
        Assert.Equal("anthropic", span.GetTagItem(AiGatewayTelemetry.Attributes.Provider));
        Assert.Equal("anthropic", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task Thinking_ComesBackWithItsSignature_AndIsSentBackWithIt()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "anthropic", Model));
        var thinking = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } };

        var answer = await client.GetResponseAsync(Question, thinking);
        var streamed = await client.GetStreamingResponseAsync(Question, thinking).ToChatResponseAsync();
        List<ChatMessage> followUp = [new(ChatRole.User, Question), .. answer.Messages, new(ChatRole.User, "Thanks. And Germany?")];
        await client.GetResponseAsync(followUp, thinking);

        var reasoning = Assert.Single(answer.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.False(string.IsNullOrEmpty(reasoning.Text));
        Assert.False(string.IsNullOrEmpty(reasoning.ProtectedData));
        var streamedReasoning = streamed.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        Assert.Equal(reasoning.Text, string.Concat(streamedReasoning.Select(r => r.Text)));
        Assert.Contains(streamedReasoning, r => r.ProtectedData == reasoning.ProtectedData);
        Assert.Equal("The capital of France is Paris.", answer.Text);
        var sent = JsonDocument.Parse(emulator.State.GetLogs("default")[^1].RequestBody!).RootElement;
        var block = sent.GetProperty("messages")[1].GetProperty("content")[0];
        Assert.Equal("thinking", block.GetProperty("type").GetString());
        Assert.Equal(reasoning.ProtectedData, block.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task AStreamThatStallsMidway_IsATimeout_WithoutCuttingOneThatFlows()
    {
        await using var slow = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { StreamChunkDelay = TimeSpan.FromSeconds(20) });
        await using var flowing = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { StreamChunkDelay = TimeSpan.FromMilliseconds(300) });
        var stalled = TestOptions.ForEmulator(slow, "anthropic", Model);
        stalled.NetworkTimeout = TimeSpan.FromMilliseconds(400);
        var steady = TestOptions.ForEmulator(flowing, "anthropic", Model);
        // Longer than any one gap (the first includes a cold start) on a loaded machine, shorter than the whole stream
        // (about 8 events 300 ms apart).
        steady.NetworkTimeout = TimeSpan.FromSeconds(2);
        using var stalledClient = new AiGatewayChatClient(stalled);
        using var steadyClient = new AiGatewayChatClient(steady);

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () => await stalledClient.GetStreamingResponseAsync(Question).ToChatResponseAsync());
        var answer = await steadyClient.GetStreamingResponseAsync(Question).ToChatResponseAsync();

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Equal("The capital of France is Paris.", answer.Text);
    }
}
