using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;

namespace AiGateway.Extensions.AI.Tests.Wire;

/// <summary>Exact request bodies (compared as parsed JSON) for everything Microsoft.Extensions.AI can say.</summary>
public sealed class RequestMappingTests
{
    private static async Task<JsonElement> BodyAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, string provider = "openai")
    {
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        using var client = TestOptions.Client(TestOptions.Create(provider: provider), handler);
        await client.GetResponseAsync(messages, options);
        return JsonDocument.Parse(handler.SoleRequest.Body).RootElement;
    }

    private static void AssertJson(string expected, JsonElement actual)
    {
        using var document = JsonDocument.Parse(expected);
        Assert.True(JsonElement.DeepEquals(document.RootElement, actual), $"expected {document.RootElement.GetRawText()}\nactual   {actual.GetRawText()}");
    }

    [Fact]
    public async Task MultiPartUserMessage_CarriesTextImagesAudioAndPdf_AndRefusesWhatItCannotCarry()
    {
        var image = new DataContent(new byte[] { 1, 2, 3 }, "image/png") { AdditionalProperties = new() { ["detail"] = "low" } };
        var remote = new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg");
        var audio = new DataContent(new byte[] { 4, 5 }, "audio/mpeg");
        var pdf = new DataContent(new byte[] { 6 }, "application/pdf") { Name = "report.pdf" };
        var unsupported = new DataContent(new byte[] { 7 }, "video/mp4");

        var body = await BodyAsync([new(ChatRole.User, [new TextContent("Look:"), image, remote, audio, pdf])]);
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => BodyAsync([new(ChatRole.User, [new TextContent("Look:"), unsupported])]));
        Assert.Contains("'video/mp4'", refused.Message, StringComparison.Ordinal);

        AssertJson("""
            [ { "role": "user", "content": [
                { "type": "text", "text": "Look:" },
                { "type": "image_url", "image_url": { "url": "data:image/png;base64,AQID", "detail": "low" } },
                { "type": "image_url", "image_url": { "url": "https://example.com/cat.jpg" } },
                { "type": "input_audio", "input_audio": { "data": "BAU=", "format": "mp3" } },
                { "type": "file", "file": { "file_data": "data:application/pdf;base64,Bg==", "filename": "report.pdf" } } ] } ]
            """, body.GetProperty("messages"));
    }

    [Fact]
    public async Task SystemAndDeveloperMessages_WithSeveralParts_AndSanitisedAuthorNames()
    {
        var body = await BodyAsync(
        [
            new(ChatRole.System, [new TextContent("Rule one."), new TextContent("Rule two.")]),
            new(new ChatRole("developer"), "Dev note"),
            new(ChatRole.User, "Hi") { AuthorName = "Jane Doe (admin)!" },
            new(ChatRole.User, "Hey") { AuthorName = "!!!" },
            new(new ChatRole("critic"), "ignored, as the adapter ignores unknown roles"),
        ]);

        AssertJson("""
            [ { "role": "system", "content": [ { "type": "text", "text": "Rule one." }, { "type": "text", "text": "Rule two." } ] },
              { "role": "developer", "content": "Dev note" },
              { "role": "user", "content": "Hi", "name": "JaneDoeadmin" },
              { "role": "user", "content": "Hey" } ]
            """, body.GetProperty("messages"));
    }

    [Fact]
    public async Task AssistantMessages_WithTextToolCallsRefusalOrNothing()
    {
        var body = await BodyAsync(
        [
            new(ChatRole.Assistant, [new TextContent("Let me check."), new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Assistant, [new FunctionCallContent("call_2", "get_time", null)]),
            new(ChatRole.Assistant, [new ErrorContent("I can't help with that.") { ErrorCode = "Refusal" }]),
            new(ChatRole.Assistant, []),
        ]);

        AssertJson("""
            [ { "role": "assistant", "content": "Let me check.",
                "tool_calls": [ { "id": "call_1", "type": "function", "function": { "name": "get_weather", "arguments": "{\"city\":\"Paris\"}" } } ] },
              { "role": "assistant", "tool_calls": [ { "id": "call_2", "type": "function", "function": { "name": "get_time", "arguments": "{}" } } ] },
              { "role": "assistant", "content": "", "refusal": "I can't help with that." },
              { "role": "assistant", "content": "" } ]
            """, body.GetProperty("messages"));
    }

    [Fact]
    public async Task ToolResults_AreToolMessages_WithJsonForObjectsAndTheExceptionMessageForFailures()
    {
        var body = await BodyAsync(
        [
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "18 degrees")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_2", new Dictionary<string, object?> { ["temp"] = 18, ["unit"] = "C" }), new FunctionResultContent("call_3", 42)]),
            new(ChatRole.Tool, [new FunctionResultContent("call_4", result: null) { Exception = new InvalidOperationException("city not found") }]),
        ]);

        AssertJson("""
            [ { "role": "tool", "tool_call_id": "call_1", "content": "18 degrees" },
              { "role": "tool", "tool_call_id": "call_2", "content": "{\"temp\":18,\"unit\":\"C\"}" },
              { "role": "tool", "tool_call_id": "call_3", "content": "42" },
              { "role": "tool", "tool_call_id": "call_4", "content": "Error: city not found" } ]
            """, body.GetProperty("messages"));
    }

    [Fact]
    public async Task Tools_ToolModeAndParallelCalls()
    {
        var schema = JsonDocument.Parse("""{"$schema":"http://json-schema.org/draft-07/schema#","title":"x","type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement;
        var weather = AIFunctionFactory.CreateDeclaration("get_weather", "Weather for a city", schema);
        var options = new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireSpecific("get_weather"), AllowMultipleToolCalls = false };

        var body = await BodyAsync([new(ChatRole.User, "Weather in Paris?")], options);

        AssertJson("""
            [ { "type": "function", "function": { "description": "Weather for a city", "name": "get_weather",
                "parameters": { "type": "object", "required": [ "city" ], "properties": { "city": { "type": "string" } },
                  "additionalProperties": false, "$schema": "http://json-schema.org/draft-07/schema#", "title": "x" } } } ]
            """, body.GetProperty("tools"));
        AssertJson("""{ "type": "function", "function": { "name": "get_weather" } }""", body.GetProperty("tool_choice"));
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
    }

    [Theory]
    [InlineData("none", "\"none\"")]
    [InlineData("auto", "\"auto\"")]
    [InlineData("required", "\"required\"")]
    [InlineData("unset", "\"auto\"")]
    public async Task ToolModes_MapToToolChoice(string mode, string expected)
    {
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("f", "d", JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement)],
            ToolMode = mode switch { "none" => ChatToolMode.None, "auto" => ChatToolMode.Auto, "required" => ChatToolMode.RequireAny, _ => null },
        };

        var body = await BodyAsync([new(ChatRole.User, "x")], options);

        AssertJson(expected, body.GetProperty("tool_choice"));
        Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
    }

    [Fact]
    public async Task StrictTools_FollowTheAdaptersStrictConvention()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","default":3}},"required":["city"]}""").RootElement;
        var strictFunction = AIFunctionFactory.CreateDeclaration("f", "d", schema);
        var options = new ChatOptions { Tools = [strictFunction], AdditionalProperties = new() { ["strict"] = true } };

        var body = await BodyAsync([new(ChatRole.User, "x")], options);

        var function = body.GetProperty("tools")[0].GetProperty("function");
        Assert.True(function.GetProperty("strict").GetBoolean());
        var parameters = function.GetProperty("parameters");
        Assert.False(parameters.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["city", "days"], parameters.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.False(body.TryGetProperty("strict", out _));
    }

    [Fact]
    public async Task NoTools_MeansNoToolFields()
    {
        var body = await BodyAsync([new(ChatRole.User, "x")], new ChatOptions { ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = true });

        Assert.False(body.TryGetProperty("tools", out _));
        Assert.False(body.TryGetProperty("tool_choice", out _));
        Assert.False(body.TryGetProperty("parallel_tool_calls", out _));
    }

    [Fact]
    public async Task ResponseFormats_TextJsonAndJsonSchema()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}""").RootElement;

        var text = await BodyAsync([new(ChatRole.User, "x")], new ChatOptions { ResponseFormat = ChatResponseFormat.Text });
        var json = await BodyAsync([new(ChatRole.User, "x")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json });
        var typed = await BodyAsync([new(ChatRole.User, "x")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer", "An answer.") });

        AssertJson("""{ "type": "text" }""", text.GetProperty("response_format"));
        AssertJson("""{ "type": "json_object" }""", json.GetProperty("response_format"));
        AssertJson("""{ "type": "json_schema", "json_schema": { "description": "An answer.", "name": "answer", "schema": { "type": "object", "properties": { "answer": { "type": "string" } }, "additionalProperties": false, "required": [ "answer" ] } } }""",
            typed.GetProperty("response_format"));
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    [InlineData(ReasoningEffort.None, "none")]
    public async Task ReasoningEffort_IsSent(ReasoningEffort effort, string expected)
    {
        var body = await BodyAsync([new(ChatRole.User, "x")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } });

        Assert.Equal(expected, body.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task RawRepresentationFactory_SetValuesWin_UnsetOnesComeFromChatOptions()
    {
#pragma warning disable OPENAI001 // Seed is experimental in the SDK.
        var options = new ChatOptions
        {
            Temperature = 0.9f,
            TopP = 0.5f,
            MaxOutputTokens = 100,
            RawRepresentationFactory = _ => new ChatCompletionOptions { Temperature = 0.1f, Seed = 7, EndUserId = "user-1" },
        };
#pragma warning restore OPENAI001

        var body = await BodyAsync([new(ChatRole.User, "x")], options);

        Assert.Equal(0.1, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.5, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(100, body.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal("user-1", body.GetProperty("user").GetString());
        Assert.Single(body.EnumerateObject(), p => p.Name == "temperature");
    }

    [Fact]
    public async Task RawOpenAIMessagesAndParts_AreSentAsTheyAre()
    {
        var raw = new UserChatMessage(ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/a.png"), ChatImageDetailLevel.High));
        var part = ChatMessageContentPart.CreateTextPart("from a raw part");

        var body = await BodyAsync(
        [
            new(ChatRole.User, "ignored text") { RawRepresentation = raw },
            new(ChatRole.User, [new TextContent("x") { RawRepresentation = part }]),
        ]);

        AssertJson("""
            [ { "role": "user", "content": [ { "type": "image_url", "image_url": { "url": "https://example.com/a.png", "detail": "high" } } ] },
              { "role": "user", "content": [ { "type": "text", "text": "from a raw part" } ] } ]
            """, body.GetProperty("messages"));
    }

    [Fact]
    public async Task UnknownAdditionalProperties_AreNotSent_ButExtraBodyIs()
    {
        var options = new ChatOptions { AdditionalProperties = new() { ["top_k"] = 40, ["cf-aig-event-id"] = "e" } }.WithExtraBody("top_k", 20);

        var body = await BodyAsync([new(ChatRole.User, "x")], options);

        Assert.Equal(20, body.GetProperty("top_k").GetInt32());
        Assert.Equal(["model", "messages", "top_k"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ExtraBody_BeatsTheRawOptions_WhichBeatChatOptions()
    {
        var options = new ChatOptions { Temperature = 0.9f, RawRepresentationFactory = _ => new ChatCompletionOptions { Temperature = 0.5f } }
            .WithExtraBody("temperature", 0.2);

        var body = await BodyAsync([new(ChatRole.User, "x")], options);

        Assert.Equal(0.2, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Single(body.EnumerateObject(), p => p.Name == "temperature");
    }
}
