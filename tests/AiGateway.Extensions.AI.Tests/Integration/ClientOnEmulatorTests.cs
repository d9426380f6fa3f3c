using AiGateway.Emulator;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Integration;

/// <summary>The client against the AI Gateway emulator, over real HTTP on 127.0.0.1.</summary>
public sealed class ClientOnEmulatorTests
{
    private static AiGatewayOptions Options(AiGatewayEmulator emulator, string provider = "openai", string model = "gpt-4o-mini", string gateway = "default") =>
        TestOptions.ForEmulator(emulator, provider, model, gateway);

    [Theory]
    [InlineData("openai", "gpt-4o-mini")]
    [InlineData("workers-ai", "@cf/meta/llama-3.1-8b-instruct")]
    [InlineData("anthropic", "claude-3-5-haiku-latest")]
    [InlineData("google-ai-studio", "gemini-2.5-flash")]
    [InlineData("groq", "llama-3.3-70b-versatile")]
    [InlineData("mistral", "mistral-large-latest")]
    [InlineData("deepseek", "deepseek-chat")]
    [InlineData("perplexity-ai", "sonar")]
    [InlineData("openrouter", "openai/gpt-4o-mini")]
    [InlineData("grok", "grok-3")]
    [InlineData("cerebras", "llama3.1-8b")]
    [InlineData("baseten", "deepseek-v3")]
    [InlineData("compat", "anthropic/claude-sonnet-4-5")]
    [InlineData("custom-acme", "acme-1")]
    public async Task EveryRoute_AnswersThroughTheGateway(string provider, string model)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(Options(emulator, provider, model));

        var response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.NotNull(response.Usage?.TotalTokenCount);
        var info = response.GetGatewayInfo()!;
        var log = Assert.Single(emulator.State.GetLogs("default"));
        Assert.Equal(log.Id, info.LogId);
        Assert.Equal(provider == "compat" ? "anthropic" : provider, log.Provider);
    }

    [Fact]
    public async Task AzureRoute_AnswersThroughTheGateway()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator, "azure-openai", "gpt-4o");
        options.Azure = new() { ResourceName = "res", DeploymentName = "gpt-4o" };
        using var client = new AiGatewayChatClient(options);

        var response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("The capital of France is Paris.", response.Text);
    }

    [Fact]
    public async Task CloudflareApiForm_AnswersThroughTheEmulatorsRestEndpoint()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator, "workers-ai", "@cf/meta/llama-3.1-8b-instruct");
        options.EndpointKind = AiGatewayEndpointKind.CloudflareApi;
        options.CloudflareApiEndpoint = emulator.ControlPlaneEndpoint;
        options.ApiKey = null;
        options.Token = TestOptions.Token;
        using var client = new AiGatewayChatClient(options);

        var response = await client.GetResponseAsync("What is the capital of France?");

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.Equal("workers-ai", Assert.Single(emulator.State.GetLogs("default")).Provider);
    }

    [Fact]
    public async Task Streaming_ThroughTheGateway_CoalescesToTheAnswer()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(Options(emulator));

        var updates = await client.GetStreamingResponseAsync("What is the capital of France?").ToListAsync();
        var response = updates.ToChatResponse();

        Assert.True(updates.Count > 3);
        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage!.OutputTokenCount > 0);
        Assert.Equal(emulator.State.GetLogs("default")[0].Id, response.GetGatewayInfo()!.LogId);
    }

    [Fact]
    public async Task ConfiguredCache_MissThenHit()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator);
        options.Cache = new() { Ttl = TimeSpan.FromMinutes(5) };
        using var client = new AiGatewayChatClient(options);

        var first = await client.GetResponseAsync("What is the capital of France?");
        var second = await client.GetResponseAsync("What is the capital of France?");
        var skipped = await client.GetResponseAsync("What is the capital of France?", new ChatOptions().SkipGatewayCache());

        Assert.Equal(AiGatewayCacheStatus.Miss, first.GetGatewayInfo()!.CacheStatus);
        Assert.Equal(AiGatewayCacheStatus.Hit, second.GetGatewayInfo()!.CacheStatus);
        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(AiGatewayCacheStatus.Hit, skipped.GetGatewayInfo()!.CacheStatus);
    }

    [Fact]
    public async Task HeadersReachTheGatewayLog()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator);
        options.Metadata = new Dictionary<string, string> { ["app"] = "tests" };
        using var client = new AiGatewayChatClient(options);

        await client.GetResponseAsync("hi", new ChatOptions().WithGatewayEventId("evt-1").WithGatewayMetadata("user", "u1").WithGatewayCustomCost(0.25m));

        var log = Assert.Single(emulator.State.GetLogs("default"));
        Assert.Equal("evt-1", log.EventId);
        Assert.Equal("tests", log.Metadata!["app"]!.GetValue<string>());
        Assert.Equal("u1", log.Metadata["user"]!.GetValue<string>());
        Assert.Equal(0.25, log.Cost);
    }

    [Fact]
    public async Task AuthenticatedGateway_AcceptsTheTokenAndRejectsItsAbsence()
    {
        var emulatorOptions = new AiGatewayEmulatorOptions();
        emulatorOptions.Gateways.Add(new EmulatorGateway { Id = "locked", Authentication = true });
        await using var emulator = await AiGatewayEmulator.StartAsync(emulatorOptions);
        var withToken = Options(emulator, gateway: "locked");
        withToken.Token = TestOptions.Token;
        using var good = new AiGatewayChatClient(withToken);
        using var bad = new AiGatewayChatClient(Options(emulator, gateway: "locked"));

        var response = await good.GetResponseAsync("hi");
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => bad.GetResponseAsync("hi"));

        Assert.NotNull(response.Text);
        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
        Assert.Equal(2009, error.GatewayErrorCode);
    }

    [Fact]
    public async Task UnknownGateway_IsAGatewayError2001()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(Options(emulator, gateway: "nope"));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(AiGatewayErrorKind.GatewayError, error.Kind);
        Assert.Equal(2001, error.GatewayErrorCode);
    }

    [Fact]
    public async Task MissingProviderKey_IsTheProvidersAuthenticationError()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = Options(emulator);
        options.ApiKey = null;
        using var client = new AiGatewayChatClient(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
        Assert.Equal("invalid_api_key", error.ProviderErrorCode);
        Assert.NotNull(error.LogId);
    }

    [Theory]
    [InlineData(429, null, AiGatewayErrorKind.RateLimited)]
    [InlineData(503, null, AiGatewayErrorKind.ProviderError)]
    [InlineData(400, null, AiGatewayErrorKind.BadRequest)]
    [InlineData(404, null, AiGatewayErrorKind.NotFound)]
    [InlineData(424, 2016, AiGatewayErrorKind.Blocked)]
    [InlineData(400, 2029, AiGatewayErrorKind.Blocked)]
    public async Task Faults_BecomeTypedErrors_OneRequestEach(int status, int? gatewayCode, AiGatewayErrorKind kind)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = status, GatewayCode = gatewayCode, RetryAfter = status == 429 ? TimeSpan.FromSeconds(12) : null });
        using var client = new AiGatewayChatClient(Options(emulator));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(gatewayCode, error.GatewayErrorCode);
        Assert.Equal(status == 429 ? TimeSpan.FromSeconds(12) : null, error.RetryAfter);
        Assert.Single(emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task GatewayRetries_AreTheGatewaysNotOurs()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503, Times = 1 });
        using var client = new AiGatewayChatClient(Options(emulator));

        var response = await client.GetResponseAsync("What is the capital of France?", new ChatOptions().WithGatewayRetries(2));

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.Single(emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task GatewayRequestTimeout_IsATimeoutError()
    {
        var clock = new AiGateway.Testing.FakeClock();
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Hang = true });
        using var client = new AiGatewayChatClient(Options(emulator));

        var call = client.GetResponseAsync("hi", new ChatOptions().WithGatewayRequestTimeout(TimeSpan.FromSeconds(2)));
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => call);

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Equal(504, error.StatusCode);
    }

    [Fact]
    public async Task MalformedAnswer_IsATypedError()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Malformed = true });
        using var client = new AiGatewayChatClient(Options(emulator));

        var plain = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("hi"));
        var streamed = await Assert.ThrowsAsync<AiGatewayException>(async () => await client.GetStreamingResponseAsync("hi").ToListAsync());

        Assert.Equal(AiGatewayErrorKind.MalformedResponse, plain.Kind);
        Assert.Equal(AiGatewayErrorKind.MalformedResponse, streamed.Kind);
    }

    [Fact]
    public async Task ErrorEventInsideTheStream_IsAProviderErrorAfterThePartialAnswer()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { ErrorEventAfterChunks = 3 });
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
        Assert.Equal(3, received.Count);
        Assert.NotNull(error.LogId);
    }

    [Fact]
    public async Task DroppedStream_IsATransportError()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { DropAfterChunks = 3 });
        using var client = new AiGatewayChatClient(Options(emulator));
        int received = 0;

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("What is the capital of France?"))
            {
                received++;
            }
        });

        Assert.Equal(AiGatewayErrorKind.Transport, error.Kind);
        Assert.InRange(received, 0, 3);
    }
}
