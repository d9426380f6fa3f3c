using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace AiGateway.Extensions.AI.Tests.Wire;

/// <summary>Real provider answers (Fixtures/) mapped to Microsoft.Extensions.AI types, non-streaming and streaming.</summary>
public sealed class ResponseMappingTests
{
    private static async Task<ChatResponse> CompleteAsync(string body, string provider = "openai")
    {
        using var client = TestOptions.Client(TestOptions.Create(provider: provider), new RecordingHandler(body));
        return await client.GetResponseAsync("x");
    }

    private static async Task<List<ChatResponseUpdate>> StreamAsync(string sse, string provider = "openai")
    {
        using var client = TestOptions.Client(TestOptions.Create(provider: provider), new RecordingHandler(_ => RecordingHandler.Sse(sse)));
        return await client.GetStreamingResponseAsync("x").ToListAsync();
    }

    [Fact]
    public async Task ParallelToolCalls_BecomeFunctionCallsWithParsedArguments()
    {
        var response = await CompleteAsync(Fixtures.Text("openai/chat-completion-parallel-tool-calls.json"));

        var calls = response.Messages[0].Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        using var fixture = JsonDocument.Parse(Fixtures.Text("openai/chat-completion-parallel-tool-calls.json"));
        var expected = fixture.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls");
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(expected[i].GetProperty("id").GetString(), calls[i].CallId);
            Assert.Equal(expected[i].GetProperty("function").GetProperty("name").GetString(), calls[i].Name);
            using var arguments = JsonDocument.Parse(expected[i].GetProperty("function").GetProperty("arguments").GetString()!);
            Assert.Equal(arguments.RootElement.EnumerateObject().Select(p => p.Name), calls[i].Arguments!.Keys);
            Assert.IsType<ChatToolCall>(calls[i].RawRepresentation);
            Assert.Null(calls[i].Exception);
        }
    }

    [Fact]
    public async Task Refusal_IsErrorContentWithCodeRefusal()
    {
        var response = await CompleteAsync(Fixtures.Text("openai/chat-completion-refusal.json"));

        var refusal = Assert.Single(response.Messages[0].Contents.OfType<ErrorContent>());
        Assert.Equal("Refusal", refusal.ErrorCode);
        Assert.Equal("I'm very sorry, but I can't assist with that request.", refusal.Message);
        Assert.Empty(response.Text);
    }

    [Fact]
    public async Task DeepSeekReasoningContent_IsTextReasoningContent()
    {
        var response = await CompleteAsync(Fixtures.Text("deepseek/chat-completion-reasoner-reasoning-content.json"));

        using var fixture = JsonDocument.Parse(Fixtures.Text("deepseek/chat-completion-reasoner-reasoning-content.json"));
        var message = fixture.RootElement.GetProperty("choices")[0].GetProperty("message");
        var reasoning = Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal(message.GetProperty("reasoning_content").GetString(), reasoning.Text);
        Assert.Equal(message.GetProperty("content").GetString(), response.Text);
    }

    [Theory]
    [InlineData("deepseek/chat-completion-reasoner-tool-calls.json")]
    [InlineData("openrouter/chat-completion-tool-calls.json")]
    public async Task ProvidersToolCalls_Parse(string fixture)
    {
        var response = await CompleteAsync(Fixtures.Text(fixture));

        var call = response.Messages[0].Contents.OfType<FunctionCallContent>().First();
        Assert.False(string.IsNullOrEmpty(call.Name));
        Assert.False(string.IsNullOrEmpty(call.CallId));
        Assert.Null(call.Exception);
    }

    [Fact]
    public async Task MalformedArguments_BecomeTheCallsException_AndEmptyArgumentsMeanNone()
    {
        string body = """
            {"id":"c","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
             "tool_calls":[{"id":"a","type":"function","function":{"name":"broken","arguments":"{\"city\": \"Par"}},
                           {"id":"b","type":"function","function":{"name":"noargs","arguments":""}}]}}]}
            """;

        var response = await CompleteAsync(body);

        var calls = response.Messages[0].Contents.OfType<FunctionCallContent>().ToList();
        Assert.NotNull(calls[0].Exception);
        Assert.Null(calls[1].Exception);
        Assert.Null(calls[1].Arguments);
    }

    [Fact]
    public async Task Annotations_BecomeCitationsOnTheText()
    {
        string body = """
            {"id":"c","object":"chat.completion","created":1700000000,"model":"gpt-4o-search-preview","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Paris is the capital.",
             "annotations":[{"type":"url_citation","url_citation":{"start_index":0,"end_index":5,"title":"Paris","url":"https://en.wikipedia.org/wiki/Paris"}}]}}]}
            """;

        var response = await CompleteAsync(body);

        var text = Assert.Single(response.Messages[0].Contents.OfType<TextContent>());
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(text.Annotations!));
        Assert.Equal("Paris", citation.Title);
        Assert.Equal(new Uri("https://en.wikipedia.org/wiki/Paris"), citation.Url);
        var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citation.AnnotatedRegions!));
        Assert.Equal((0, 5), (region.StartIndex, region.EndIndex));
    }

    [Fact]
    public async Task Usage_KeepsTheAdaptersAdditionalCountKeys()
    {
        var zeros = await CompleteAsync(Fixtures.Text("openai/chat-completion-text.json"));
        var audio = await CompleteAsync(Fixtures.Text("openai/chat-completion-text.json").Replace("\"audio_tokens\": 0", "\"audio_tokens\": 12", StringComparison.Ordinal));

        Assert.Equal(0, zeros.Usage!.AdditionalCounts!["InputTokenDetails.AudioTokenCount"]);
        Assert.Equal(12, audio.Usage!.AdditionalCounts!["InputTokenDetails.AudioTokenCount"]);
        Assert.Equal(12, audio.Usage.AdditionalCounts["OutputTokenDetails.AudioTokenCount"]);
        Assert.Equal(zeros.CreatedAt, zeros.Messages[0].CreatedAt);
    }

    [Fact]
    public async Task MistralThinkingArrays_AreReadAsReasoningAndText_NonStreaming()
    {
        string body = """
            {"id":"m1","object":"chat.completion","created":1764296393,"model":"magistral-medium-latest","choices":[{"index":0,"finish_reason":"stop",
             "message":{"role":"assistant","tool_calls":null,"content":[{"type":"thinking","thinking":[{"type":"text","text":"Let me think."}]},{"type":"text","text":"Paris."}]}}],
             "usage":{"prompt_tokens":10,"total_tokens":20,"completion_tokens":10}}
            """;

        var response = await CompleteAsync(body, provider: "mistral");

        Assert.Equal("Paris.", response.Text);
        Assert.Equal("Let me think.", Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>()).Text);
    }

    [Fact]
    public async Task StreamedToolCallFragments_AreReassembledIntoOneCall()
    {
        var updates = await StreamAsync(Fixtures.Text("openai/stream-tool-call-argument-fragments.sse"));
        var response = updates.ToChatResponse();

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Null(call.Exception);
        Assert.NotEmpty(call.Arguments!);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.All(updates, u => Assert.Equal(updates[0].ResponseId, u.ResponseId));
        Assert.All(updates, u => Assert.Equal(updates[0].ModelId, u.ModelId));
    }

    [Fact]
    public async Task StreamedParallelToolCalls_AreTwoCallsInIndexOrder()
    {
        var response = (await StreamAsync(Fixtures.Text("openai/stream-parallel-tool-calls.sse"))).ToChatResponse();

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Null(c.Exception));
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
    }

    [Fact]
    public async Task AnthropicCompatToolCallIndexStartingAtOne_Parses()
    {
        var response = (await StreamAsync(Fixtures.Text("openai-compat/anthropic-tool-call-index-starts-at-1.sse"))).ToChatResponse();

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("read_file", call.Name);
        Assert.Equal("a.txt", call.Arguments!["path"]!.ToString());
        Assert.StartsWith("Reading", response.Text, StringComparison.Ordinal);
        Assert.Null(response.CreatedAt);
    }

    [Fact]
    public async Task StreamedRefusal_IsKept()
    {
        var response = (await StreamAsync(Fixtures.Text("openai/stream-refusal-deltas.sse"))).ToChatResponse();

        var refusal = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>());
        Assert.Equal("Refusal", refusal.ErrorCode);
        Assert.False(string.IsNullOrEmpty(refusal.Message));
    }

    [Fact]
    public async Task DeepSeekStreamedReasoningAndToolCall()
    {
        var response = (await StreamAsync(Fixtures.SseFromChunks("deepseek/stream-reasoner-tool-call.chunks.jsonl"))).ToChatResponse();

        var expectedReasoning = string.Concat(File.ReadAllLines(Fixtures.Path("deepseek/stream-reasoner-tool-call.chunks.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("choices").GetArrayLength() > 0 && e.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("reasoning_content", out var r) && r.ValueKind == JsonValueKind.String)
            .Select(e => e.GetProperty("choices")[0].GetProperty("delta").GetProperty("reasoning_content").GetString()));
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.Equal(expectedReasoning, string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Single(contents.OfType<FunctionCallContent>());
    }

    [Fact]
    public async Task GroqStreamedReasoningField_IsTextReasoningContent()
    {
        var response = (await StreamAsync(Fixtures.Text("groq/stream-reasoning-tool-call-x-groq.sse"))).ToChatResponse();

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.NotEmpty(string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Single(contents.OfType<FunctionCallContent>());
        Assert.True(response.Usage!.ReasoningTokenCount > 0);
    }

    [Fact]
    public async Task OpenRouterReasoningStream_IsReasoningThenText()
    {
        var response = (await StreamAsync(Fixtures.Text("openrouter/stream-reasoning-anthropic.sse"))).ToChatResponse();

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.NotEmpty(string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.NotEmpty(response.Text);
    }

    [Fact]
    public async Task MistralThinkingArrays_DoNotBreakTheStream()
    {
        var response = (await StreamAsync(Fixtures.Text("mistral/stream-magistral-thinking-content-array.sse"), provider: "mistral")).ToChatResponse();

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        Assert.StartsWith("Okay", string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)), StringComparison.Ordinal);
        Assert.EndsWith("crossing.", response.Text, StringComparison.Ordinal);
        Assert.Equal(232, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task MistralTextStream_FromChunks()
    {
        var response = (await StreamAsync(Fixtures.SseFromChunks("mistral/stream-text.chunks.jsonl"))).ToChatResponse();

        Assert.NotEmpty(response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task LeadingEmptyChoicesChunk_DoesNotBlankModelOrTime()
    {
        string azureFirst = """data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}""" + "\n\n";
        var updates = await StreamAsync(azureFirst + Fixtures.Text("openai/stream-finish-length.sse"));

        Assert.All(updates.Skip(1), u => Assert.False(string.IsNullOrEmpty(u.ModelId)));
        Assert.All(updates.Skip(1), u => Assert.NotNull(u.CreatedAt));
        Assert.Equal(ChatFinishReason.Length, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task UsageChunk_IsUsageContent()
    {
        var updates = await StreamAsync(Fixtures.Text("openai/stream-text-include-usage-obfuscation.sse"));

        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
        Assert.True(usage.Details.TotalTokenCount > 0);
        Assert.IsType<ChatTokenUsage>(usage.RawRepresentation);
    }
}
