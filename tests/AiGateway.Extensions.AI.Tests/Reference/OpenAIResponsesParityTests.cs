using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AiGateway.Extensions.AI.Tests.Reference;

/// <summary>
/// Holds an <c>Api: Responses</c> route to Microsoft.Extensions.AI.OpenAI's Responses client
/// (<c>OpenAIClient.GetResponsesClient().AsIChatClient(model)</c>): the same inputs through both, each against an
/// in-memory handler answering the real payloads in <c>Fixtures/openai-responses/</c>; request bodies compared byte for
/// byte, answers and every streamed update field by field. Equal except for these deliberate differences:
/// <list type="number">
/// <item>headers: the gateway's <c>cf-aig-*</c> headers are added, and the key is sent only when configured (the SDK
/// needs one);</item>
/// <item>answers and the first and closing updates carry the gateway's facts in <c>AdditionalProperties</c>;</item>
/// <item>an error the API reports inside an answer (an <c>error</c> event, <c>response.failed</c>, a failed response
/// object) ends the request with an <see cref="AiGatewayException"/> (<see cref="AiGatewayErrorKind.ProviderError"/>):
/// Microsoft's client hands it on as <see cref="ErrorContent"/> in an update that looks like an answer;</item>
/// <item>a stream that ends before <c>response.completed</c> (or <c>response.incomplete</c>) is a
/// <see cref="AiGatewayErrorKind.Transport"/> failure, and an answer that is no response object (no id) a
/// <see cref="AiGatewayErrorKind.MalformedResponse"/>: Microsoft's client returns both as short or empty answers
/// (<c>ApiFaultMatrixTests</c>).</item>
/// </list>
/// Bumping Microsoft.Extensions.AI.OpenAI or OpenAI makes this class speak if the mapping changes under us.
/// </summary>
public sealed class OpenAIResponsesParityTests
{
    private const string Model = "gpt-4o-mini";

    private static readonly AIFunction s_weather = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Gets the weather for a city.");
    private static readonly AIFunction s_time = AIFunctionFactory.Create(() => "12:00", "get_current_time", "Gets the current time.");

    private static readonly Dictionary<string, Func<(List<ChatMessage> Messages, ChatOptions? Options)>> s_requestCases = new()
    {
        ["text"] = () => ([new(ChatRole.User, "Hello")], null),
        ["system and turns"] = () => ([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello!"), new(ChatRole.User, "Capital of France?")], null),
        ["instructions"] = () => ([new(ChatRole.User, "Hi")], new ChatOptions { Instructions = "Answer in French." }),
        ["sampling"] = () => ([new(ChatRole.User, "Hi")], new ChatOptions { Temperature = 0.2f, TopP = 0.9f, MaxOutputTokens = 77 }),
        ["image data and uri"] = () => ([new(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 137, 80, 78, 71 }, "image/png"), new UriContent("https://example.com/cat.jpg", "image/jpeg")])], null),
        ["pdf"] = () => ([new(ChatRole.User, [new TextContent("Summarize."), new DataContent("JVBERi0xLjQK"u8.ToArray(), "application/pdf") { Name = "a.pdf" }])], null),
        ["tools auto"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather, s_time] }),
        ["tools required"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather], ToolMode = ChatToolMode.RequireAny }),
        ["tool named"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather, s_time], ToolMode = ChatToolMode.RequireSpecific("get_weather") }),
        ["tools none"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather], ToolMode = ChatToolMode.None, AllowMultipleToolCalls = false }),
        ["calls and results"] = () => (
        [
            new(ChatRole.User, "Weather in Paris and the time?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }), new FunctionCallContent("call_2", "get_current_time")]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny"), new FunctionResultContent("call_2", null) { Exception = new InvalidOperationException("clock offline") }]),
        ], new ChatOptions { Tools = [s_weather, s_time] }),
        ["reasoning"] = () => ([new(ChatRole.User, "Think about it.")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High, Output = ReasoningOutput.Full } }),
        ["reasoning history with encrypted content"] = () => (
        [
            new(ChatRole.User, "Think."),
            new(ChatRole.Assistant, [new TextReasoningContent("I considered it.") { ProtectedData = "gAAAAB-encrypted" }, new TextContent("Done.")]),
            new(ChatRole.User, "And now?"),
        ], null),
        ["json schema"] = () => ([new(ChatRole.User, "A city.")], new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""), "city"),
        }),
        ["hosted tools"] = () => ([new(ChatRole.User, "Look it up.")], new ChatOptions
        {
            Tools = [new HostedWebSearchTool(), new HostedFileSearchTool { Inputs = [new HostedVectorStoreContent("vs_1")], MaximumResultCount = 3 }, new HostedCodeInterpreterTool(), new HostedMcpServerTool("docs", "https://mcp.example.com/")],
        }),
        ["conversation"] = () => ([new(ChatRole.User, "And then?")], new ChatOptions { ConversationId = "resp_0123" }),
        ["background"] = () => ([new(ChatRole.User, "Take your time.")], new ChatOptions { AllowBackgroundResponses = true }),
    };

    public static TheoryData<string> RequestCases() => [.. s_requestCases.Keys];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public async Task RequestBodies_AndAnswers_EqualMicrosoftsResponsesClient(string name)
    {
        foreach (bool streaming in new[] { false, true })
        {
            var (ours, theirs) = await BothAsync(s_requestCases[name], streaming ? "openai-responses/stream-text.sse" : "openai-responses/response-text.json", streaming);

            Assert.Equal(theirs.Body, ours.Body);
            Assert.Equal(theirs.Answer, ours.Answer);
        }
    }

    [Theory]
    [InlineData("openai-responses/response-text.json", false)]
    [InlineData("openai-responses/response-function-call.json", false)]
    [InlineData("openai-responses/response-incomplete-max-output-tokens.json", false)]
    [InlineData("openai-responses/response-reasoning-encrypted-content.json", false)]
    [InlineData("openai-responses/response-reasoning-summary.json", false)]
    [InlineData("openai-responses/response-web-search-citation.json", false)]
    [InlineData("openai-responses/stream-text.sse", true)]
    [InlineData("openai-responses/stream-function-call.sse", true)]
    [InlineData("openai-responses/stream-web-search-annotation.sse", true)]
    [InlineData("openai-responses/stream-reasoning-summary-tool-loop.chunks.jsonl", true)]
    public async Task RealPayloads_MapAsMicrosoftsClientMapsThem(string fixture, bool streaming)
    {
        var (ours, theirs) = await BothAsync(s_requestCases["tools auto"], fixture, streaming);

        Assert.Equal(theirs.Body, ours.Body);
        Assert.Equal(theirs.Answer, ours.Answer);
    }

    [Fact]
    public async Task DeliberateDifference_AnErrorInsideTheStream_IsAFailure_WhereMicrosoftsClientGivesContent()
    {
        string stream = FirstStream("openai-responses/stream-error-insufficient-quota.chunks.jsonl");
        var theirs = await Updates(TheirClient(new RecordingHandler(_ => RecordingHandler.Sse(stream))), [new(ChatRole.User, "Hi")], null);
        Assert.Contains(theirs.SelectMany(u => u.Contents), c => c is ErrorContent { ErrorCode: "insufficient_quota" });

        using var ours = TestOptions.Client(OurOptions(), new RecordingHandler(_ => RecordingHandler.Sse(stream)));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => ours.GetStreamingResponseAsync("Hi").ToListAsync().AsTask());
        Assert.Equal(AiGatewayErrorKind.ProviderError, error.Kind);
        Assert.Equal("insufficient_quota", error.ProviderErrorCode);
    }

    [Fact]
    public async Task DeliberateDifference_TheGatewaysHeadersAreAdded()
    {
        var options = OurOptions();
        options.Token = TestOptions.Token;
        var handler = new RecordingHandler(Fixtures.Text("openai-responses/response-text.json"));
        using (var ours = TestOptions.Client(options, handler))
        {
            await ours.GetResponseAsync("Hi", new ChatOptions().WithGatewayMetadata("user", "u1"));
        }

        var request = handler.SoleRequest;
        Assert.Equal("/v1/acct123/gw/openai/responses", request.PathAndQuery);
        Assert.Equal("Bearer " + TestOptions.Token, request.Header("cf-aig-authorization"));
        Assert.Equal("""{"user":"u1"}""", request.Header("cf-aig-metadata"));
        Assert.Equal("Bearer " + TestOptions.ApiKey, request.Header("Authorization"));
    }

    private static AiGatewayOptions OurOptions()
    {
        var options = TestOptions.Create(model: Model);
        options.Api = AiGatewayApi.Responses;
        return options;
    }

#pragma warning disable OPENAI001 // Microsoft's Responses client is experimental.
    private static IChatClient TheirClient(RecordingHandler handler) =>
        new OpenAIClient(new ApiKeyCredential(TestOptions.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://gateway.test/v1/acct123/gw/openai"),
            Transport = new HttpClientPipelineTransport(new HttpClient(handler)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).GetResponsesClient().AsIChatClient(Model);
#pragma warning restore OPENAI001

    /// <summary>The first stream of a <c>*.chunks.jsonl</c> recording (one decoded event per line; a new stream starts at each <c>response.created</c>).</summary>
    private static string FirstStream(string fixture)
    {
        var lines = File.ReadAllLines(Fixtures.Path(fixture)).Where(l => l.Length > 0).ToList();
        int next = lines.FindIndex(1, l => l.Contains("\"type\":\"response.created\"", StringComparison.Ordinal));
        return string.Concat((next < 0 ? lines : lines[..next]).Select(l => $"data: {l}\n\n"));
    }

    private static async Task<((string Body, string Answer) Ours, (string Body, string Answer) Theirs)> BothAsync(
        Func<(List<ChatMessage> Messages, ChatOptions? Options)> inputs, string fixture, bool streaming)
    {
        string payload = fixture.EndsWith(".jsonl", StringComparison.Ordinal) ? FirstStream(fixture) : Fixtures.Text(fixture);
        HttpResponseMessage Reply(HttpRequestMessage _) => streaming ? RecordingHandler.Sse(payload) : RecordingHandler.Json(payload);
        var ourHandler = new RecordingHandler(Reply);
        var theirHandler = new RecordingHandler(Reply);
        string ourAnswer;
        string theirAnswer;
        using (var ours = TestOptions.Client(OurOptions(), ourHandler))
        {
            var (messages, options) = inputs();
            ourAnswer = await AskAsync(ours, messages, options, streaming);
        }

        using (var theirs = TheirClient(theirHandler))
        {
            var (messages, options) = inputs();
            theirAnswer = await AskAsync(theirs, messages, options, streaming);
        }

        return ((ourHandler.SoleRequest.BodyText, ourAnswer), (theirHandler.SoleRequest.BodyText, theirAnswer));
    }

    private static async Task<List<ChatResponseUpdate>> Updates(IChatClient client, List<ChatMessage> messages, ChatOptions? options)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        return updates;
    }

    /// <summary>The answer (and, streamed, every update) as JSON, without the gateway's facts (deliberate difference 2) or raw SDK objects.</summary>
    private static async Task<string> AskAsync(IChatClient client, List<ChatMessage> messages, ChatOptions? options, bool streaming)
    {
        if (!streaming)
        {
            return ParityJson.Answer(await client.GetResponseAsync(messages, options));
        }

        var updates = await Updates(client, messages, options);
        return ParityJson.Updates(updates) + "\n" + ParityJson.Answer(updates.ToChatResponse());
    }
}
