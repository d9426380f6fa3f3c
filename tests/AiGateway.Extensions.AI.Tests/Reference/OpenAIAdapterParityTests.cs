using System.ClientModel;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat;

namespace AiGateway.Extensions.AI.Tests.Reference;

/// <summary>
/// Holds our OpenAI wire to Microsoft's adapter (<c>new OpenAIClient(...).GetChatClient(m).AsIChatClient()</c>): the same
/// inputs through both, against one loopback server, with request bodies compared as parsed JSON and mapped answers
/// compared field by field (serialized with Microsoft.Extensions.AI's own options). They must be equal except for the
/// deliberate differences below, each named in the README (Fidelity) with its reason:
/// <list type="number">
/// <item>tool-call arguments and object tool results are compact JSON (the adapter indents them): same JSON, fewer bytes;</item>
/// <item>a tool result that is only an exception is sent as <c>Error: {message}</c> (the adapter sends <c>""</c>);</item>
/// <item>a PDF without a name is sent as <c>document.pdf</c> (the adapter invents a fresh GUID per call, so the gateway cache never hits);</item>
/// <item>a tool call without arguments is sent as <c>{}</c> (the adapter sends <c>null</c>);</item>
/// <item>answers: reasoning in the <c>reasoning</c> field is read, <c>""</c> arguments are no parse error, a streamed refusal
/// without tool calls is kept; and every answer carries the gateway's facts in <c>AdditionalProperties</c>.</item>
/// </list>
/// Bumping Microsoft.Extensions.AI.OpenAI or the OpenAI SDK makes this class speak if either side changes.
/// </summary>
public sealed class OpenAIAdapterParityTests : IAsyncLifetime
{
    private const string TextReply = "openai/chat-completion-text.json";
    private static readonly JsonSerializerOptions s_json = AIJsonUtilities.DefaultOptions;
    private static int s_case;

    private readonly ConcurrentDictionary<string, (string Body, string ContentType)> _replies = new();
    private LoopbackServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(async (context, request) =>
        {
            // The account segment names the case: /v1/{case}/gw/openai/chat/completions.
            string account = request.PathAndQuery.Split('/')[2];
            var (body, contentType) = _replies[account];
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static TheoryData<string> RequestCases() => [.. s_requestCases.Keys];

    public static TheoryData<string> AnswerCases() => [.. s_answerCases.Keys];

    public static TheoryData<string> StreamCases() => [.. s_streamCases.Keys];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public async Task RequestBodies_EqualTheAdapters(string name)
    {
        var (messages, options, deliberate) = s_requestCases[name]();
        var (ours, theirs) = await BothAsync(TextReply, "application/json", async client => await client.GetResponseAsync(messages, options));

        var (ourBody, theirBody) = Bodies(ours.Account, theirs.Account);
        deliberate?.Invoke(theirBody, ourBody);
        AssertEqual(theirBody, ourBody, "request body");
        AssertEqual(Normalize(theirs.Result), Normalize(ours.Result), "answer");
    }

    [Theory]
    [MemberData(nameof(AnswerCases))]
    public async Task Answers_EqualTheAdapters(string fixture)
    {
        var (ours, theirs) = await BothAsync(fixture, "application/json", async client => await client.GetResponseAsync("Hi"));

        var expected = Normalize(theirs.Result);
        s_answerCases[fixture]?.Invoke(expected);
        AssertEqual(expected, Normalize(ours.Result), "answer");
        var (ourBody, theirBody) = Bodies(ours.Account, theirs.Account);
        AssertEqual(theirBody, ourBody, "request body");
    }

    [Theory]
    [MemberData(nameof(StreamCases))]
    public async Task Streams_EqualTheAdapters(string fixture)
    {
        var (ours, theirs) = await BothAsync(fixture, "text/event-stream", async client =>
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync("Hi", new ChatOptions { Tools = [Weather] }))
            {
                updates.Add(update);
            }

            return updates;
        });

        var expected = new JsonArray([.. theirs.Result.Select(Normalize)]);
        s_streamCases[fixture]?.Invoke(expected);
        AssertEqual(expected, new JsonArray([.. ours.Result.Select(Normalize)]), "updates");
        var (ourBody, theirBody) = Bodies(ours.Account, theirs.Account);
        AssertEqual(theirBody, ourBody, "request body");
    }

    [Fact]
    public void TheCasesCoverTheIssuesList() =>
        Assert.True(s_requestCases.Count + s_answerCases.Count + s_streamCases.Count >= 40, "at least 40 cases");

    private static readonly AIFunctionDeclaration Weather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Weather for a city", JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string","description":"The city"},"days":{"type":"integer","minimum":1}},"required":["city"]}"""));

    private static readonly AIFunctionDeclaration Time = AIFunctionFactory.CreateDeclaration(
        "get_time", "The current time", JsonElement.Parse("""{"type":"object","properties":{}}"""));

    private static readonly AIFunctionDeclaration StrictWeather = AIFunctionFactory.CreateDeclaration(
        "get_weather_strict", "Weather, strictly", JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string","pattern":"^[A-Z]"}}}"""));

    private delegate (IList<ChatMessage> Messages, ChatOptions? Options, Action<JsonNode, JsonNode>? Deliberate) RequestCase();

    private static readonly Dictionary<string, RequestCase> s_requestCases = new()
    {
        ["text"] = () => ([new(ChatRole.User, "What is the capital of France?")], null, null),
        ["system and user"] = () => ([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi")], null, null),
        ["instructions"] = () => ([new(ChatRole.User, "Hi")], new ChatOptions { Instructions = "Answer in French." }, null),
        ["multi-turn"] = () => ([new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello!"), new(ChatRole.User, "Capital of Spain?")], null, null),
        ["multi-part text"] = () => ([new(ChatRole.User, [new TextContent("Part one."), new TextContent("Part two.")])], null, null),
        ["author names"] = () => ([new(ChatRole.User, "Hi") { AuthorName = "Jane Doe (admin)!" }, new(ChatRole.Assistant, "Hey") { AuthorName = "bot_1" }], null, null),
        ["developer role"] = () => ([new(new ChatRole("developer"), "Dev note"), new(ChatRole.User, "Hi")], null, null),
        ["image data"] = () => ([new(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 137, 80, 78, 71 }, "image/png")])], null, null),
        ["image uri"] = () => ([new(ChatRole.User, [new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg")])], null, null),
        ["image detail"] = () => ([new(ChatRole.User, [new DataContent(new byte[] { 1, 2, 3 }, "image/png") { AdditionalProperties = new() { ["detail"] = "high" } }])], null, null),
        ["pdf with name"] = () => ([new(ChatRole.User, [new TextContent("Summarise"), new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf") { Name = "report.pdf" }])], null, null),
        ["pdf without name"] = () => ([new(ChatRole.User, [new DataContent(new byte[] { 37, 80, 68, 70 }, "application/pdf")])], null,
            (theirs, ours) => theirs["messages"]![0]!["content"]![0]!["file"]!["filename"] = "document.pdf"),
        ["audio wav"] = () => ([new(ChatRole.User, [new DataContent(new byte[] { 82, 73, 70, 70 }, "audio/wav")])], null, null),
        ["audio mp3"] = () => ([new(ChatRole.User, [new DataContent(new byte[] { 73, 68, 51 }, "audio/mpeg")])], null, null),
        ["hosted file"] = () => ([new(ChatRole.User, [new TextContent("Read"), new HostedFileContent("file-abc123")])], null, null),
        ["tool auto"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [Weather] }, null),
        ["tool strict on the function"] = () => ([new(ChatRole.User, "Weather?")],
            new ChatOptions { Tools = [new StrictDeclaration(StrictWeather)] }, null),
        ["tool strict on the options"] = () => ([new(ChatRole.User, "Weather?")], new ChatOptions { Tools = [StrictWeather], AdditionalProperties = new() { ["strict"] = true } }, null),
        ["tool mode none"] = () => ([new(ChatRole.User, "Weather?")], new ChatOptions { Tools = [Weather], ToolMode = ChatToolMode.None }, null),
        ["tool mode required"] = () => ([new(ChatRole.User, "Weather?")], new ChatOptions { Tools = [Weather, Time], ToolMode = ChatToolMode.RequireAny }, null),
        ["tool mode specific"] = () => ([new(ChatRole.User, "Weather?")], new ChatOptions { Tools = [Weather, Time], ToolMode = ChatToolMode.RequireSpecific("get_time") }, null),
        ["parallel tool calls off"] = () => ([new(ChatRole.User, "Weather?")], new ChatOptions { Tools = [Weather], AllowMultipleToolCalls = false }, null),
        ["tool calls and string results"] = () => (
            [
                new(ChatRole.User, "Weather in Paris and Rome?"),
                new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }), new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = "Rome" })]),
                new(ChatRole.Tool, [new FunctionResultContent("call_1", "18 degrees"), new FunctionResultContent("call_2", "21 degrees")]),
            ], new ChatOptions { Tools = [Weather] }, CompactToolJson),
        ["tool result object"] = () => (
            [
                new(ChatRole.User, "Weather?"),
                new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 2 })]),
                new(ChatRole.Tool, [new FunctionResultContent("call_1", new Dictionary<string, object?> { ["temp"] = 18, ["unit"] = "C" })]),
            ], null, CompactToolJson),
        ["tool result exception"] = () => (
            [
                new(ChatRole.User, "Weather?"),
                new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Atlantis" })]),
                new(ChatRole.Tool, [new FunctionResultContent("call_1", result: null) { Exception = new InvalidOperationException("city not found") }]),
            ], null, (theirs, ours) => { CompactToolJson(theirs, ours); theirs["messages"]![2]!["content"] = "Error: city not found"; }),
        ["tool call without arguments"] = () => (
            [new(ChatRole.User, "Time?"), new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_time")]), new(ChatRole.Tool, [new FunctionResultContent("call_1", "noon")])],
            null, (theirs, ours) => theirs["messages"]![1]!["tool_calls"]![0]!["function"]!["arguments"] = "{}"),
        ["text beside tool calls"] = () => (
            [new(ChatRole.User, "Weather?"), new(ChatRole.Assistant, [new TextContent("Let me check."), new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]), new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny")])],
            null, CompactToolJson),
        ["reasoning effort low"] = () => ([new(ChatRole.User, "Think")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } }, null),
        ["reasoning effort medium"] = () => ([new(ChatRole.User, "Think")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } }, null),
        ["reasoning effort high"] = () => ([new(ChatRole.User, "Think")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } }, null),
        ["reasoning history"] = () => ([new(ChatRole.User, "Think"), new(ChatRole.Assistant, [new TextReasoningContent("I considered it."), new TextContent("42")]), new(ChatRole.User, "Why?")], null, null),
        ["refusal history"] = () => ([new(ChatRole.User, "Bad idea"), new(ChatRole.Assistant, [new ErrorContent("I can't help with that.") { ErrorCode = "Refusal" }]), new(ChatRole.User, "Ok")], null, null),
        ["response format text"] = () => ([new(ChatRole.User, "x")], new ChatOptions { ResponseFormat = ChatResponseFormat.Text }, null),
        ["response format json"] = () => ([new(ChatRole.User, "x")], new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, null),
        ["response format schema"] = () => ([new(ChatRole.User, "x")],
            new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonElement.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}"""), "answer", "An answer.") }, null),
        ["response format strict schema"] = () => ([new(ChatRole.User, "x")],
            new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonElement.Parse("""{"type":"object","properties":{"n":{"type":"integer","minimum":0}}}"""), "n"), AdditionalProperties = new() { ["strict"] = true } }, null),
        ["temperature and top p"] = () => ([new(ChatRole.User, "x")], new ChatOptions { Temperature = 0.25f, TopP = 0.9f }, null),
        ["max output tokens"] = () => ([new(ChatRole.User, "x")], new ChatOptions { MaxOutputTokens = 77 }, null),
        ["stop sequences"] = () => ([new(ChatRole.User, "x")], new ChatOptions { StopSequences = ["END", "STOP"] }, null),
        ["seed"] = () => ([new(ChatRole.User, "x")], new ChatOptions { Seed = 42 }, null),
        ["penalties"] = () => ([new(ChatRole.User, "x")], new ChatOptions { FrequencyPenalty = 0.5f, PresencePenalty = -0.5f }, null),
        ["model override"] = () => ([new(ChatRole.User, "x")], new ChatOptions { ModelId = "gpt-4.1-nano" }, null),
        ["raw representation fields"] = () => ([new(ChatRole.User, "x")],
            new ChatOptions { Temperature = 0.1f, RawRepresentationFactory = _ => new ChatCompletionOptions { Temperature = 0.7f, EndUserId = "user-7", StoredOutputEnabled = false } }, null),
        ["raw representation tools beside options tools"] = () => ([new(ChatRole.User, "x")],
            new ChatOptions { Tools = [Weather], RawRepresentationFactory = _ => new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("raw_tool", "From the factory", BinaryData.FromString("""{"type":"object","properties":{}}""")) } } }, null),
    };

    private static readonly Dictionary<string, Action<JsonNode>?> s_answerCases = new()
    {
        [TextReply] = null,
        ["openai/chat-completion-parallel-tool-calls.json"] = null,
        ["openai/chat-completion-refusal.json"] = null,
        ["openai/chat-completion-reasoning-tokens.json"] = null,
        ["openai/chat-completion-cached-tokens.json"] = null,
        ["deepseek/chat-completion-reasoner-reasoning-content.json"] = null,
        ["deepseek/chat-completion-reasoner-tool-calls.json"] = null,
        ["openrouter/chat-completion-tool-calls.json"] = null,
        ["groq/chat-completion.json"] = null,
        ["mistral/chat-completion-cached-tokens.json"] = null,
    };

    private static readonly Dictionary<string, Action<JsonNode>?> s_streamCases = new()
    {
        ["openai/stream-text-final-usage-chunk.sse"] = null,
        ["openai/stream-tool-call-argument-fragments.sse"] = null,
        ["openai/stream-parallel-tool-calls.sse"] = null,
        ["openai/stream-finish-length.sse"] = null,
        ["openai/stream-text-include-usage-obfuscation.sse"] = null,

        // Deliberate: a streamed refusal without tool calls is kept, in a closing update.
        ["openai/stream-refusal-deltas.sse"] = updates =>
        {
            var closing = updates.AsArray()[^1]!.DeepClone().AsObject();
            closing["contents"] = JsonNode.Parse("""[{"$type":"error","message":"I'm sorry, I can't assist with that request.","errorCode":"Refusal"}]""");
            updates.AsArray().Add(closing);
        },
    };

    /// <summary>Deliberate difference 1: tool-call arguments and object results are the same JSON, written compact.</summary>
    private static void CompactToolJson(JsonNode theirs, JsonNode ours)
    {
        foreach (var message in theirs["messages"]!.AsArray())
        {
            foreach (var call in message!["tool_calls"]?.AsArray() ?? [])
            {
                call!["function"]!["arguments"] = Compact(call["function"]!["arguments"]!.GetValue<string>());
            }

            if (message["role"]!.GetValue<string>() == "tool" && message["content"] is JsonValue content && content.GetValue<string>() is ['{' or '[', ..] json)
            {
                message["content"] = Compact(json);
            }
        }
    }

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    private async Task<(Run<T> Ours, Run<T> Theirs)> BothAsync<T>(string fixture, string contentType, Func<IChatClient, Task<T>> call)
    {
        string ourAccount = NextAccount(), theirAccount = NextAccount();
        string reply = Fixtures.Text(fixture);
        _replies[ourAccount] = (reply, contentType);
        _replies[theirAccount] = (reply, contentType);

        var options = TestOptions.Create(_server.Root);
        options.AccountId = ourAccount;
        using var ours = new AiGatewayChatClient(options);
        using var theirs = new OpenAIClient(new ApiKeyCredential(TestOptions.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(_server.Root, $"v1/{theirAccount}/gw/openai") })
            .GetChatClient("gpt-4o-mini").AsIChatClient();
        return (new(ourAccount, await call(ours)), new(theirAccount, await call(theirs)));
    }

    private static string NextAccount() => "case" + Interlocked.Increment(ref s_case).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private (JsonNode Ours, JsonNode Theirs) Bodies(string ourAccount, string theirAccount)
    {
        var requests = _server.Requests.ToArray();
        return (Body(requests, ourAccount), Body(requests, theirAccount));

        static JsonNode Body(RecordedRequest[] requests, string account) =>
            JsonNode.Parse(Assert.Single(requests, r => r.PathAndQuery.StartsWith($"/v1/{account}/", StringComparison.Ordinal)).Body)!;
    }

    /// <summary>A mapped answer as Microsoft.Extensions.AI serializes it, without the gateway's facts (deliberate difference 5).</summary>
    private static JsonObject Normalize(ChatResponse response)
    {
        var node = JsonSerializer.SerializeToNode(response, s_json)!.AsObject();
        node.Remove("additionalProperties");
        return node;
    }

    private static JsonObject Normalize(ChatResponseUpdate update)
    {
        var node = JsonSerializer.SerializeToNode(update, s_json)!.AsObject();
        node.Remove("additionalProperties");
        return node;
    }

    private static void AssertEqual(JsonNode expected, JsonNode actual, string what) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{what} differs\nadapter: {expected.ToJsonString()}\nours:    {actual.ToJsonString()}");

    private sealed record Run<T>(string Account, T Result);

    /// <summary>A declaration marked strict the way the adapter reads it (<c>AdditionalProperties["strict"]</c>).</summary>
    private sealed class StrictDeclaration(AIFunctionDeclaration inner) : AIFunctionDeclaration
    {
        public override string Name => inner.Name;

        public override string Description => inner.Description;

        public override JsonElement JsonSchema => inner.JsonSchema;

        public override IReadOnlyDictionary<string, object?> AdditionalProperties { get; } = new Dictionary<string, object?> { ["strict"] = true };
    }
}
