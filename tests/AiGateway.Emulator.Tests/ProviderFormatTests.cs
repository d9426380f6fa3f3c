using System.Net;
using System.Text.Json.Nodes;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

public sealed class ProviderFormatTests
{
    [Theory]
    [InlineData("groq/v1/chat/completions")]
    [InlineData("openrouter/chat/completions")]
    [InlineData("grok/chat/completions")]
    [InlineData("mistral/chat/completions")]
    [InlineData("cerebras/v1/chat/completions")]
    public async Task AChatPathTheUpstreamDoesNotServe_Is404(string route)
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/" + route, OpenAIBody("hi"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("openai/chat/completions")]
    [InlineData("workers-ai/v1/chat/completions")]
    [InlineData("anthropic/v1/chat/completions")]
    [InlineData("google-ai-studio/v1beta/openai/chat/completions")]
    [InlineData("groq/chat/completions")]
    [InlineData("mistral/v1/chat/completions")]
    [InlineData("deepseek/chat/completions")]
    [InlineData("perplexity-ai/chat/completions")]
    [InlineData("openrouter/v1/chat/completions")]
    [InlineData("grok/v1/chat/completions")]
    [InlineData("cerebras/chat/completions")]
    [InlineData("baseten/v1/chat/completions")]
    [InlineData("custom-acme/api/chat")]
    public async Task OpenAICompatibleRoutes_AnswerChatCompletions(string route)
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/" + route, OpenAIBody("What is the capital of France?"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.Equal("The capital of France is Paris.", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", body["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var usage = body["usage"]!;
        Assert.True(usage["prompt_tokens"]!.GetValue<int>() > 0);
        Assert.Equal(usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>());
        Assert.NotNull(Header(response, "cf-aig-log-id"));
        Assert.Equal(Header(response, "cf-aig-log-id"), Header(response, "cf-aig-request-id"));
    }

    [Fact]
    public async Task Answers_AreDeterministic()
    {
        await using var client = await StartAsync();

        var first = await JsonAsync(await client.ChatAsync("Tell me something"));
        var second = await JsonAsync(await client.ChatAsync("Tell me something"));

        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal(first["choices"]!.ToJsonString(), second["choices"]!.ToJsonString());
    }

    [Fact]
    public async Task AzureRoute_NeedsTheApiKeyHeaderAndUsesTheDeployment()
    {
        await using var client = await StartAsync();
        const string path = "v1/acct/default/azure-openai/res/my-deployment/chat/completions?api-version=2024-10-21";

        var withBearer = await client.PostAsync(path, """{"messages":[{"role":"user","content":"hi"}]}""", ("Authorization", "Bearer k"));
        var withKey = await client.PostAsync(path, """{"messages":[{"role":"user","content":"hi"}]}""", ("api-key", "k"));

        Assert.Equal(HttpStatusCode.Unauthorized, withBearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal("my-deployment", (await JsonAsync(withKey))["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAIStream_SendsChunksAFinishChunkAUsageChunkAndDone()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("What is the capital of France?", stream: true), ("Authorization", "Bearer k"));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = SseReader.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1].Data);
        var chunks = events.SkipLast(1).Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        string text = string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0)
            .Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>()));
        Assert.Equal("The capital of France is Paris.", text);
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.True(chunks[^1]["usage"]!["total_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task AnthropicMessages_AnswerInAnthropicFormat()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude-3-5-haiku-latest","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"What is the capital of France?"}]}""",
            ("x-api-key", "k"), ("anthropic-version", "2023-06-01"));

        var body = await JsonAsync(response);
        Assert.Equal("message", body["type"]!.GetValue<string>());
        Assert.Equal("text", body["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("The capital of France is Paris.", body["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("end_turn", body["stop_reason"]!.GetValue<string>());
        Assert.True(body["usage"]!["input_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task AnthropicStream_FollowsTheMessageEventSequence()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"What is the capital of France?"}]}""", ("x-api-key", "k"));

        var events = SseReader.Parse(await response.Content.ReadAsStringAsync());
        var names = events.Select(e => e.Event).Distinct().ToList();
        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], names);
        Assert.All(events, e => Assert.Equal(e.Event, JsonNode.Parse(e.Data)!["type"]!.GetValue<string>()));
        string text = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => JsonNode.Parse(e.Data)!["delta"]!["text"]!.GetValue<string>()));
        Assert.Equal("The capital of France is Paris.", text);
    }

    [Fact]
    public async Task WorkersAiNative_AnswersInTheCloudflareEnvelopeAndStreamsResponses()
    {
        await using var client = await StartAsync();

        var json = await JsonAsync(await client.PostAsync("v1/acct/default/workers-ai/@cf/meta/llama-3.1-8b-instruct",
            """{"prompt":"What is the capital of France?"}""", ("Authorization", "Bearer cf")));
        var stream = await client.PostAsync("v1/acct/default/workers-ai/@cf/meta/llama-3.1-8b-instruct",
            """{"messages":[{"role":"user","content":"What is the capital of France?"}],"stream":true}""", ("Authorization", "Bearer cf"));

        Assert.True(json["success"]!.GetValue<bool>());
        Assert.Equal("The capital of France is Paris.", json["result"]!["response"]!.GetValue<string>());
        Assert.True(json["result"]!["usage"]!["total_tokens"]!.GetValue<int>() > 0);
        var events = SseReader.Parse(await stream.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1].Data);
        Assert.Equal("The capital of France is Paris.", string.Concat(events.SkipLast(1).Select(e => JsonNode.Parse(e.Data)!["response"]!.GetValue<string>())));
        Assert.NotNull(JsonNode.Parse(events[^2].Data)!["usage"]);
    }

    [Fact]
    public async Task ToolRoundTrip_CallsTheOfferedToolThenAnswersFromItsResult()
    {
        await using var client = await StartAsync();
        const string tools = ""","tools":[{"type":"function","function":{"name":"get_weather","description":"Weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

        var call = await JsonAsync(await client.PostAsync("v1/acct/default/openai/chat/completions",
            OpenAIBody("What is the weather in Paris?", extra: tools), ("Authorization", "Bearer k")));
        var toolCall = call["choices"]![0]!["message"]!["tool_calls"]![0]!;
        string callId = toolCall["id"]!.GetValue<string>();
        string followUp = $$"""
            {"model":"gpt-4o-mini","messages":[
              {"role":"user","content":"What is the weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{{toolCall.ToJsonString()}}]},
              {"role":"tool","tool_call_id":"{{callId}}","content":"18 degrees and sunny"}]{{tools}}}
            """;
        var answer = await JsonAsync(await client.PostAsync("v1/acct/default/openai/chat/completions", followUp, ("Authorization", "Bearer k")));

        Assert.Equal("tool_calls", call["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal("get_weather", toolCall["function"]!["name"]!.GetValue<string>());
        Assert.Equal("Paris", JsonNode.Parse(toolCall["function"]!["arguments"]!.GetValue<string>())!["city"]!.GetValue<string>());
        Assert.Contains("18 degrees and sunny", answer["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", answer["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompatEndpoint_RoutesByTheModelsProviderPrefix()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/compat/chat/completions", OpenAIBody("hi", model: "anthropic/claude-sonnet-4-5"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var log = Assert.Single(client.Emulator.State.GetLogs("default"));
        Assert.Equal("anthropic", log.Provider);
        Assert.Equal("claude-sonnet-4-5", log.Model);
    }

    [Theory]
    [InlineData("openai/chat/completions", "", "invalid_api_key")]
    [InlineData("anthropic/v1/messages", "", "authentication_error")]
    public async Task MissingProviderKey_GetsTheProvidersOwn401(string route, string _, string expected)
    {
        await using var client = await StartAsync();
        string body = route.StartsWith("anthropic", StringComparison.Ordinal)
            ? """{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}"""
            : OpenAIBody("hi");

        var response = await client.PostAsync("v1/acct/default/" + route, body);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StoredKeys_LetRequestsThroughWithoutAProviderKey()
    {
        var options = new AiGatewayEmulatorOptions();
        options.Gateways.Add(new EmulatorGateway { Id = "byok", StoredKeys = new HashSet<string> { "openai" } });
        await using var client = await StartAsync(options);

        var stored = await client.PostAsync("v1/acct/byok/openai/chat/completions", OpenAIBody("hi"));
        var notStored = await client.PostAsync("v1/acct/byok/groq/chat/completions", OpenAIBody("hi"));
        var alias = await client.PostAsync("v1/acct/default/groq/chat/completions", OpenAIBody("hi"), ("cf-aig-byok-alias", "prod"));

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notStored.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, alias.StatusCode); // no stored key has that alias: the gateway's 2040
    }

    [Theory]
    [InlineData("openai/chat/completions", "{not json", HttpStatusCode.BadRequest)]
    [InlineData("openai/chat/completions", """{"model":"m"}""", HttpStatusCode.BadRequest)]
    [InlineData("openai/v2/unknown", """{"model":"m","messages":[]}""", HttpStatusCode.NotFound)]
    [InlineData("nosuchprovider/chat/completions", """{"model":"m"}""", HttpStatusCode.BadRequest)]
    public async Task BadRequests_GetAClearAnswerNeverA500(string route, string body, HttpStatusCode expected)
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/" + route, body, ("Authorization", "Bearer k"));

        Assert.Equal(expected, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(text));
    }
}
