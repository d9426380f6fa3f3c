using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Reference;

/// <summary>
/// Holds the <c>anthropic</c> route to the Anthropic SDK's own <see cref="IChatClient"/> (<c>AnthropicClient.AsIChatClient()</c>):
/// the same inputs through both, each against an in-memory handler answering the real payloads in
/// <c>Fixtures/anthropic/</c>; request bodies compared as parsed JSON, answers field by field. Equal except for these
/// deliberate differences:
/// <list type="number">
/// <item>headers: the key goes as <c>x-api-key</c> (the SDK sends <c>Authorization: Bearer</c>), only when configured
/// (the SDK reads <c>ANTHROPIC_API_KEY</c> otherwise), and the gateway's <c>cf-aig-*</c> headers are added;</item>
/// <item>extra body fields (<c>WithExtraBody</c>, the route's <c>ExtraBody</c>) are sent; <c>temperature</c>, <c>top_p</c>
/// and <c>top_k</c> are not, as the SDK's client does not send them (API version 2026-10-21 refuses them), unless a
/// caller sends one deliberately as an extra body field;</item>
/// <item>answers carry the gateway's facts in <c>AdditionalProperties</c>;</item>
/// <item>headers the SDK adds from its environment or a request's raw parameters carry no credential and no
/// <c>cf-aig-*</c> setting, and <c>anthropic-version</c> is always the SDK's own (<c>RestMessagesTests</c>); a stream that
/// ends before <c>message_delta</c> is a <see cref="AiGatewayErrorKind.Transport"/> failure where the SDK ends quietly.</item>
/// </list>
/// Bumping the Anthropic package makes this class speak if the SDK's mapping changes under us.
/// </summary>
public sealed class AnthropicSdkParityTests
{
    private const string Model = "claude-sonnet-4-5";
    private const int MaxTokens = AiGatewayRouteOptions.DefaultAnthropicMaxOutputTokens;

    private static readonly AIFunction s_weather = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Gets the weather for a city.");
    private static readonly AIFunction s_time = AIFunctionFactory.Create(() => "12:00", "get_current_time", "Gets the current time.");

    private static readonly Dictionary<string, Func<(List<ChatMessage> Messages, ChatOptions? Options)>> s_requestCases = new()
    {
        ["text"] = () => ([new(ChatRole.User, "Hello")], null),
        ["system and turns"] = () => ([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello!"), new(ChatRole.User, "Capital of France?")], null),
        ["instructions"] = () => ([new(ChatRole.User, "Hi")], new ChatOptions { Instructions = "Answer in French." }),
        ["image data"] = () => ([new(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, "image/png")])], null),
        ["image uri"] = () => ([new(ChatRole.User, [new TextContent("What is this?"), new UriContent("https://example.com/cat.jpg", "image/jpeg")])], null),
        ["pdf"] = () => ([new(ChatRole.User, [new TextContent("Summarize."), new DataContent("JVBERi0xLjQK"u8.ToArray(), "application/pdf")])], null),
        ["tools auto"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather, s_time] }),
        ["tools required"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather], ToolMode = ChatToolMode.RequireAny }),
        ["tool named"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather, s_time], ToolMode = ChatToolMode.RequireSpecific("get_weather") }),
        ["tools none"] = () => ([new(ChatRole.User, "Weather in Paris?")], new ChatOptions { Tools = [s_weather], ToolMode = ChatToolMode.None }),
        ["one call at a time"] = () => ([new(ChatRole.User, "Weather?")], new ChatOptions { Tools = [s_weather], AllowMultipleToolCalls = false }),
        ["parallel calls and results"] = () => (
        [
            new(ChatRole.User, "Weather in Paris and the time?"),
            new(ChatRole.Assistant, [new FunctionCallContent("toolu_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }), new FunctionCallContent("toolu_2", "get_current_time")]),
            new(ChatRole.Tool, [new FunctionResultContent("toolu_1", "sunny"), new FunctionResultContent("toolu_2", null) { Exception = new InvalidOperationException("clock offline") }]),
        ], new ChatOptions { Tools = [s_weather, s_time] }),
        ["reasoning effort"] = () => ([new(ChatRole.User, "Think about it.")], new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } }),
        ["reasoning history with signature"] = () => (
        [
            new(ChatRole.User, "Think."),
            new(ChatRole.Assistant, [new TextReasoningContent("I considered it.") { ProtectedData = "sig-abc" }, new TextContent("Done.")]),
            new(ChatRole.User, "And now?"),
        ], null),
        ["stop sequences"] = () => ([new(ChatRole.User, "Count")], new ChatOptions { StopSequences = ["5", "END"] }),
        ["max tokens"] = () => ([new(ChatRole.User, "Hi")], new ChatOptions { MaxOutputTokens = 77 }),
        ["json schema"] = () => ([new(ChatRole.User, "A city.")], new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""), "city"),
        }),
        ["prompt caching"] = () => ([new(ChatRole.User, [new TextContent("A long document ...").WithCacheControl(new CacheControlEphemeral())])], null),
        ["raw representation"] = () => ([new(ChatRole.User, "Hi")], new ChatOptions
        {
            RawRepresentationFactory = _ => new MessageCreateParams { MaxTokens = 99, Model = Model, Messages = [], StopSequences = ["STOP"] },
        }),
    };

    public static TheoryData<string> RequestCases() => [.. s_requestCases.Keys];

    [Theory]
    [MemberData(nameof(RequestCases))]
    public async Task RequestBodies_AndAnswers_EqualTheSdksOwnClient(string name)
    {
        var (ours, theirs) = await BothAsync(name, "anthropic/message-text.json", streaming: false);

        Assert.Equal(theirs.Body, ours.Body);
        Assert.Equal(theirs.Answer, ours.Answer);
    }

    [Theory]
    [InlineData("anthropic/message-text-and-tool-use.json", false)]
    [InlineData("anthropic/message-text.json", false)]
    [InlineData("anthropic/stream-text-padded.sse", true)]
    [InlineData("anthropic/stream-tool-use-input-json-delta.sse", true)]
    [InlineData("anthropic/stream-tool-use-text-then-tool.sse", true)]
    public async Task RealPayloads_MapAsTheSdksOwnClientMapsThem(string fixture, bool streaming)
    {
        var (ours, theirs) = await BothAsync("tools auto", fixture, streaming);

        Assert.Equal(theirs.Answer, ours.Answer);
        Assert.Equal(theirs.Body, ours.Body);
    }

    [Fact]
    public async Task DeliberateDifferences_ExtraBodyIsSent_SamplingIsNot_TheKeyIsXApiKey()
    {
        var options = new ChatOptions { Temperature = 0.2f, TopP = 0.9f, TopK = 40 }.WithExtraBody("metadata", JsonNode.Parse("""{"user_id":"u1"}"""));
        var ourHandler = new RecordingHandler(Fixtures.Text("anthropic/message-text.json"));
        var theirHandler = new RecordingHandler(Fixtures.Text("anthropic/message-text.json"));

        using (var ours = TestOptions.Client(OurOptions(), ourHandler))
        {
            await ours.GetResponseAsync("Hi", options);
        }

        using (var theirs = TheirClient(theirHandler))
        {
            await theirs.GetResponseAsync("Hi", options);
        }

        var ourBody = JsonNode.Parse(ourHandler.SoleRequest.Body)!.AsObject();
        var theirBody = JsonNode.Parse(theirHandler.SoleRequest.Body)!.AsObject();
        Assert.Equal("u1", ourBody["metadata"]!["user_id"]!.GetValue<string>());
        foreach (string field in new[] { "temperature", "top_p", "top_k" })
        {
            Assert.False(ourBody.ContainsKey(field), field);
            Assert.False(theirBody.ContainsKey(field), field);
        }

        ourBody.Remove("metadata");

        Assert.True(JsonNode.DeepEquals(theirBody, ourBody), $"ours {ourBody.ToJsonString()} theirs {theirBody.ToJsonString()}");
        Assert.Equal(TestOptions.ApiKey, ourHandler.SoleRequest.Header("x-api-key"));
        Assert.Equal("Bearer " + TestOptions.ApiKey, theirHandler.SoleRequest.Header("Authorization"));
    }

    private static AiGatewayOptions OurOptions() => TestOptions.Create(provider: "anthropic", model: Model);

    private static IChatClient TheirClient(RecordingHandler handler) => new AnthropicClient(new ClientOptions
    {
        HttpClient = new HttpClient(handler),
        BaseUrl = "http://gateway.test/v1/acct123/gw/anthropic",
        ApiKey = TestOptions.ApiKey,
        MaxRetries = 0,
        OpenTelemetry = false,
    }).AsIChatClient(Model, MaxTokens);

    private static async Task<((string Body, string Answer) Ours, (string Body, string Answer) Theirs)> BothAsync(string name, string fixture, bool streaming)
    {
        HttpResponseMessage Reply(HttpRequestMessage _) => streaming ? RecordingHandler.Sse(Fixtures.Text(fixture)) : RecordingHandler.Json(Fixtures.Text(fixture));
        var ourHandler = new RecordingHandler(Reply);
        var theirHandler = new RecordingHandler(Reply);
        string ourAnswer;
        string theirAnswer;
        using (var ours = TestOptions.Client(OurOptions(), ourHandler))
        {
            var (messages, options) = s_requestCases[name]();
            ourAnswer = Normalize(await AskAsync(ours, messages, options, streaming));
        }

        using (var theirs = TheirClient(theirHandler))
        {
            var (messages, options) = s_requestCases[name]();
            theirAnswer = Normalize(await AskAsync(theirs, messages, options, streaming));
        }

        return ((ourHandler.SoleRequest.BodyText, ourAnswer), (theirHandler.SoleRequest.BodyText, theirAnswer));
    }

    private static async Task<ChatResponse> AskAsync(IChatClient client, List<ChatMessage> messages, ChatOptions? options, bool streaming) =>
        streaming ? await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync() : await client.GetResponseAsync(messages, options);

    /// <summary>The answer as JSON, without the gateway's facts (deliberate difference 3) or the creation time (Anthropic's answers carry none: the SDK stamps the time it read them).</summary>
    private static string Normalize(ChatResponse response) => ParityJson.Answer(response, withoutTimes: true);

    [Fact]
    public async Task ASamplingField_CanStillBeSentDeliberately_AsAnExtraBodyField()
    {
        var handler = new RecordingHandler(Fixtures.Text("anthropic/message-text.json"));
        using (var ours = TestOptions.Client(OurOptions(), handler))
        {
            await ours.GetResponseAsync("Hi", new ChatOptions().WithExtraBody("temperature", JsonNode.Parse("0.3")));
        }

        Assert.Equal(0.3, JsonNode.Parse(handler.SoleRequest.Body)!["temperature"]!.GetValue<double>(), 6);
    }
}
