using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace AiGateway.Extensions.AI.Tests.Wire;

public sealed class OpenAIWireTests
{
    private static async Task<(ChatResponse Response, RecordedRequest Request)> SendAsync(
        string responseBody, IEnumerable<ChatMessage> messages, ChatOptions? options = null, AiGatewayOptions? gateway = null,
        params (string, string)[] headers)
    {
        var handler = new RecordingHandler(responseBody, HttpStatusCode.OK, headers);
        using var client = TestOptions.Client(gateway ?? TestOptions.Create(), handler);
        var response = await client.GetResponseAsync(messages, options);
        return (response, handler.SoleRequest);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithNoNetworkTimeout_AnInMemoryHandlersAnswer_IsRead(bool streaming)
    {
        // An in-memory body is a MemoryStream; without a timeout view over it, System.ClientModel's response reads it
        // again from the start when disposed, and fails once it was read.
        var gateway = TestOptions.Create();
        gateway.NetworkTimeout = Timeout.InfiniteTimeSpan;
        var handler = new RecordingHandler(_ => streaming
            ? RecordingHandler.Sse(Fixtures.Text("openai/stream-text-final-usage-chunk.sse"))
            : RecordingHandler.Json(Fixtures.Text("openai/chat-completion-text.json")));
        using var client = TestOptions.Client(gateway, handler);

        var response = streaming ? await client.GetStreamingResponseAsync("Hi").ToChatResponseAsync() : await client.GetResponseAsync("Hi");

        Assert.False(string.IsNullOrEmpty(response.Text));
    }

    [Fact]
    public async Task RequestBody_CarriesMessagesAndCommonOptionsInOpenAIFormat()
    {
        var options = new ChatOptions
        {
            Instructions = "Be brief.",
            Temperature = 0.7f,
            TopP = 0.9f,
            MaxOutputTokens = 256,
            StopSequences = ["END", "STOP"],
            Seed = 42,
            FrequencyPenalty = 0.5f,
            PresencePenalty = -0.25f,
        };
        ChatMessage[] messages =
        [
            new(ChatRole.System, "You are a geographer."),
            new(ChatRole.User, "Capital of France?") { AuthorName = "alice" },
            new(ChatRole.Assistant, "Paris."),
            new(ChatRole.User, [new TextContent("And of "), new TextContent("Spain?")]),
        ];

        var (_, request) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), messages, options);

        using var expected = JsonDocument.Parse("""
            {
              "model": "gpt-4o-mini",
              "messages": [
                { "role": "system", "content": "Be brief." },
                { "role": "system", "content": "You are a geographer." },
                { "role": "user", "content": "Capital of France?", "name": "alice" },
                { "role": "assistant", "content": "Paris." },
                { "role": "user", "content": [ { "type": "text", "text": "And of " }, { "type": "text", "text": "Spain?" } ] }
              ],
              "temperature": 0.7,
              "top_p": 0.9,
              "max_completion_tokens": 256,
              "stop": ["END", "STOP"],
              "seed": 42,
              "frequency_penalty": 0.5,
              "presence_penalty": -0.25
            }
            """);
        using var actual = JsonDocument.Parse(request.Body);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), request.BodyText);
        Assert.Equal("/v1/acct123/gw/openai/chat/completions", request.PathAndQuery);
        Assert.StartsWith("application/json", request.Header("Content-Type"));
    }

    [Theory]
    [InlineData("openai", "max_completion_tokens")]
    [InlineData("workers-ai", "max_tokens")]
    [InlineData("mistral", "max_tokens")]
    [InlineData("deepseek", "max_tokens")]
    [InlineData("groq", "max_completion_tokens")]
    public async Task MaxOutputTokens_UsesTheFieldEachProviderAccepts(string provider, string field)
    {
        var (_, request) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")],
            new ChatOptions { MaxOutputTokens = 10 }, TestOptions.Create(provider: provider, model: "m"));

        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(10, body.RootElement.GetProperty(field).GetInt32());
    }

    [Fact]
    public async Task ConfiguredMaxOutputTokens_IsSentWhenTheRequestSetsNone_AndNotOtherwise()
    {
        var configured = TestOptions.Create();
        configured.MaxOutputTokens = 300;

        var (_, withoutOptions) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")], null, configured);
        var (_, perRequest) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")], new ChatOptions { MaxOutputTokens = 20 }, configured);
        var (_, unconfigured) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")]);

        Assert.Equal(300, JsonDocument.Parse(withoutOptions.Body).RootElement.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(20, JsonDocument.Parse(perRequest.Body).RootElement.GetProperty("max_completion_tokens").GetInt32());
        Assert.False(JsonDocument.Parse(unconfigured.Body).RootElement.TryGetProperty("max_completion_tokens", out _));
    }

    [Fact]
    public async Task ModelIdOverride_ReplacesTheConfiguredModelInTheBody()
    {
        var (_, request) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")], new ChatOptions { ModelId = "gpt-4.1" });

        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("gpt-4.1", body.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task ExtraBody_FromConfigAndRequest_IsMergedSortedAndTypedFromJson()
    {
        var gateway = TestOptions.Create(provider: "openrouter", model: "openai/gpt-4o-mini");
        gateway.ExtraBody = new Dictionary<string, string> { ["top_k"] = "40", ["transforms"] = """["middle-out"]""", ["user"] = "configured user" };
        var options = new ChatOptions().WithExtraBody("user", "request-user").WithExtraBody("provider", JsonDocument.Parse("""{"sort":"price"}""").RootElement);

        var (_, request) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")], options, gateway);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(40, root.GetProperty("top_k").GetInt32());
        Assert.Equal("middle-out", root.GetProperty("transforms")[0].GetString());
        Assert.Equal("request-user", root.GetProperty("user").GetString());
        Assert.Equal("price", root.GetProperty("provider").GetProperty("sort").GetString());
        Assert.Equal(["model", "messages", "provider", "top_k", "transforms", "user"], root.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task SameLogicalRequest_SerialisesToTheSameBytes()
    {
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        var gateway = TestOptions.Create();
        gateway.ExtraBody = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        using var client = TestOptions.Client(gateway, handler);

        for (int i = 0; i < 2; i++)
        {
            var options = new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 5 }.WithExtraBody("z", 1).WithExtraBody("c", true);
            await client.GetResponseAsync([new(ChatRole.System, "s"), new(ChatRole.User, "u")], options);
        }

        var bodies = handler.Requests.Select(r => r.BodyText).ToArray();
        Assert.Equal(bodies[0], bodies[1]);
    }

    [Fact]
    public async Task ExtraBodyInsertionOrder_DoesNotChangeTheBytes()
    {
        async Task<string> BodyAsync(Dictionary<string, string> configured, params (string Name, object Value)[] perRequest)
        {
            var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
            var gateway = TestOptions.Create();
            gateway.ExtraBody = configured;
            using var client = TestOptions.Client(gateway, handler);
            var options = new ChatOptions();
            foreach (var (name, value) in perRequest)
            {
                options.WithExtraBody(name, value);
            }

            await client.GetResponseAsync("x", options);
            return handler.SoleRequest.BodyText;
        }

        string first = await BodyAsync(new() { ["top_k"] = "40", ["min_p"] = "0.1" }, ("z", 1), ("a", true));
        string second = await BodyAsync(new() { ["min_p"] = "0.1", ["top_k"] = "40" }, ("a", true), ("z", 1));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Response_MapsTextIdsModelTimeFinishReasonUsageAndRaw()
    {
        var (response, _) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "Hello")]);

        using var fixture = JsonDocument.Parse(Fixtures.Text("openai/chat-completion-text.json"));
        var root = fixture.RootElement;
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal(root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), response.Text);
        Assert.Equal(root.GetProperty("id").GetString(), response.ResponseId);
        Assert.Equal(root.GetProperty("id").GetString(), message.MessageId);
        Assert.Equal(root.GetProperty("model").GetString(), response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("created").GetInt64()), response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var usage = root.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), response.Usage!.InputTokenCount);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt64(), response.Usage.OutputTokenCount);
        Assert.Equal(usage.GetProperty("total_tokens").GetInt64(), response.Usage.TotalTokenCount);
        Assert.IsType<ChatCompletion>(response.RawRepresentation);
        Assert.Same(response.RawRepresentation, message.RawRepresentation);
    }

    [Theory]
    [InlineData("openai/chat-completion-cached-tokens.json", 4012L, 0L)]
    [InlineData("openai/chat-completion-reasoning-tokens.json", 0L, 64L)]
    [InlineData("mistral/chat-completion-cached-tokens.json", 224L, 0L)]
    public async Task Usage_CarriesCachedAndReasoningTokens(string fixture, long cached, long reasoning)
    {
        var (response, _) = await SendAsync(Fixtures.Text(fixture), [new(ChatRole.User, "x")]);

        Assert.Equal(cached, response.Usage!.CachedInputTokenCount ?? 0);
        Assert.Equal(reasoning, response.Usage.ReasoningTokenCount ?? 0);
    }

    [Theory]
    [InlineData("groq/chat-completion.json")]
    [InlineData("mistral/chat-completion.json")]
    [InlineData("deepseek/chat-completion.json")]
    public async Task OtherProvidersResponses_ParseToTextAndUsage(string fixture)
    {
        var (response, _) = await SendAsync(Fixtures.Text(fixture), [new(ChatRole.User, "x")]);

        using var document = JsonDocument.Parse(Fixtures.Text(fixture));
        Assert.Equal(document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), response.Text);
        Assert.Equal(document.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt64(), response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task FinishReasonLength_IsMapped()
    {
        var body = Fixtures.Text("openai/chat-completion-text.json").Replace("\"finish_reason\": \"stop\"", "\"finish_reason\": \"length\"", StringComparison.Ordinal);

        var (response, _) = await SendAsync(body, [new(ChatRole.User, "x")]);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task ResponseHeaders_BecomeGatewayInfoAndRawAdditionalProperties()
    {
        var (response, _) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")], null, null,
            ("cf-aig-cache-status", "HIT"), ("cf-aig-log-id", "log-1"), ("cf-aig-request-id", "req-1"), ("cf-aig-step", "1"),
            ("cf-aig-model", "gpt-4o"), ("cf-aig-provider", "azure-openai"), ("cf-aig-dlp", """{"action":"FLAG"}"""));

        var info = response.GetGatewayInfo();
        Assert.NotNull(info);
        Assert.Equal(AiGatewayCacheStatus.Hit, info.CacheStatus);
        Assert.Equal("log-1", info.LogId);
        Assert.Equal("req-1", info.RequestId);
        Assert.Equal(1, info.Step);
        Assert.Equal("gpt-4o", info.Model);
        Assert.Equal("azure-openai", info.Provider);
        Assert.Equal("""{"action":"FLAG"}""", info.Dlp);
        var attempt = Assert.Single(info.Attempts);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Null(attempt.ErrorKind);
        Assert.Equal("HIT", response.AdditionalProperties!["cf-aig-cache-status"]);
        Assert.Equal("log-1", response.AdditionalProperties["cf-aig-log-id"]);
    }

    [Fact]
    public async Task WithoutGatewayHeaders_InfoFallsBackToTheRoute()
    {
        var (response, _) = await SendAsync(Fixtures.Text("openai/chat-completion-text.json"), [new(ChatRole.User, "x")]);

        var info = response.GetGatewayInfo()!;
        Assert.Equal(AiGatewayCacheStatus.Unknown, info.CacheStatus);
        Assert.Equal("openai", info.Provider);
        Assert.Equal("gpt-4o-mini", info.Model);
        Assert.Null(info.LogId);
        Assert.Null(info.Step);
    }

    [Fact]
    public async Task MalformedJson_IsATypedError()
    {
        var handler = new RecordingHandler("{\"id\": \"x\", \"choices\": [ {", HttpStatusCode.OK, ("cf-aig-log-id", "log-9"));
        using var client = TestOptions.Client(TestOptions.Create(), handler);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("x"));

        Assert.Equal(AiGatewayErrorKind.MalformedResponse, error.Kind);
        Assert.Equal("log-9", error.LogId);
    }

    [Fact]
    public async Task HugeBody_IsRefusedWithATypedError()
    {
        var gateway = TestOptions.Create();
        gateway.MaxResponseContentLength = 1024;
        string huge = "{\"pad\":\"" + new string('x', 64 * 1024) + "\"}";
        var handler = new RecordingHandler(huge);
        using var client = TestOptions.Client(gateway, handler);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("x"));

        Assert.Equal(AiGatewayErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("MaxResponseContentLength", error.Message);
    }
}
