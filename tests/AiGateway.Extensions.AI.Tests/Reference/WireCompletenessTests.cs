using System.ClientModel;
using System.ClientModel.Primitives;
using System.Reflection;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AiGateway.Extensions.AI.Tests.Reference;

#pragma warning disable MEAI001 // Experimental types are part of what Microsoft.Extensions.AI can say.
#pragma warning disable OPENAI001

/// <summary>
/// Nothing Microsoft.Extensions.AI can say is dropped in silence. By reflection over the Microsoft.Extensions.AI.Abstractions
/// assembly this project references: every public concrete <see cref="AITool"/> and <see cref="AIContent"/> type and
/// every public settable <see cref="ChatOptions"/> property, sent on each wire format beside its reference client
/// (Microsoft's adapter for chat completions and Responses, the Anthropic SDK's client for Messages). Each is either
/// sent as the reference sends it (the same request bytes, and the reference's bytes differ from a request without it),
/// refused with a <see cref="NotSupportedException"/> naming it and the route, or one of the decided omissions in
/// <see cref="s_omitted"/> (what an answer carries that no request can carry back, as every reference omits it).
/// A release that adds a type or a property fails <see cref="EveryTypeAndProperty_HasASampleAndADecision"/> until someone decides.
/// </summary>
public sealed class WireCompletenessTests
{
    public enum Wire
    {
        ChatCompletions,
        Responses,
        Messages,
    }

    private static readonly AIFunction s_function = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Gets the weather.");

    /// <summary>A sample of each tool type.</summary>
    private static readonly Dictionary<Type, Func<AITool>> s_tools = new()
    {
        [typeof(ApprovalRequiredAIFunction)] = () => new ApprovalRequiredAIFunction(s_function),
        [typeof(HostedCodeInterpreterTool)] = () => new HostedCodeInterpreterTool(),
        [typeof(HostedFileSearchTool)] = () => new HostedFileSearchTool { Inputs = [new HostedVectorStoreContent("vs_1")] },
        [typeof(HostedImageGenerationTool)] = () => new HostedImageGenerationTool(),
        [typeof(HostedMcpServerTool)] = () => new HostedMcpServerTool("docs", "https://mcp.example.com/"),
        [typeof(HostedToolSearchTool)] = () => new HostedToolSearchTool(),
        [typeof(HostedWebSearchTool)] = () => new HostedWebSearchTool(),
    };

    /// <summary>A sample of each content type, with the role of the message it naturally sits in.</summary>
    private static readonly Dictionary<Type, Func<(ChatRole Role, AIContent Content)>> s_contents = new()
    {
        [typeof(AIContent)] = () => (ChatRole.Assistant, new AIContent()),
        [typeof(CodeInterpreterToolCallContent)] = () => (ChatRole.Assistant, new CodeInterpreterToolCallContent("ci_1")),
        [typeof(CodeInterpreterToolResultContent)] = () => (ChatRole.Assistant, new CodeInterpreterToolResultContent("ci_1")),
        [typeof(DataContent)] = () => (ChatRole.User, new DataContent("hello"u8.ToArray(), "text/plain")),
        [typeof(ErrorContent)] = () => (ChatRole.Assistant, new ErrorContent("It failed.")),
        [typeof(FunctionCallContent)] = () => (ChatRole.Assistant, new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })),
        [typeof(FunctionResultContent)] = () => (ChatRole.Tool, new FunctionResultContent("call_1", "sunny")),
        [typeof(HostedFileContent)] = () => (ChatRole.User, new HostedFileContent("file_1")),
        [typeof(HostedVectorStoreContent)] = () => (ChatRole.User, new HostedVectorStoreContent("vs_1")),
        [typeof(ImageGenerationToolCallContent)] = () => (ChatRole.Assistant, new ImageGenerationToolCallContent("ig_1")),
        [typeof(ImageGenerationToolResultContent)] = () => (ChatRole.Assistant, new ImageGenerationToolResultContent("ig_1")),
        [typeof(McpServerToolCallContent)] = () => (ChatRole.Assistant, new McpServerToolCallContent("mcp_1", "search", "docs")),
        [typeof(McpServerToolResultContent)] = () => (ChatRole.Assistant, new McpServerToolResultContent("mcp_1")),
        [typeof(TextContent)] = () => (ChatRole.User, new TextContent("More text.")),
        [typeof(TextReasoningContent)] = () => (ChatRole.Assistant, new TextReasoningContent("I thought.")),
        [typeof(ToolApprovalRequestContent)] = () => (ChatRole.Assistant, new ToolApprovalRequestContent("ap_1", new FunctionCallContent("call_1", "get_weather"))),
        [typeof(ToolApprovalResponseContent)] = () => (ChatRole.User, new ToolApprovalResponseContent("ap_1", true, new FunctionCallContent("call_1", "get_weather"))),
        [typeof(ToolCallContent)] = () => (ChatRole.Assistant, new ToolCallContent("tc_1")),
        [typeof(ToolResultContent)] = () => (ChatRole.Tool, new ToolResultContent("tc_1")),
        [typeof(UriContent)] = () => (ChatRole.User, new UriContent("https://example.com/a.txt", "text/plain")),
        [typeof(UsageContent)] = () => (ChatRole.Assistant, new UsageContent(new UsageDetails { InputTokenCount = 1 })),
        [typeof(WebSearchToolCallContent)] = () => (ChatRole.Assistant, new WebSearchToolCallContent("ws_1")),
        [typeof(WebSearchToolResultContent)] = () => (ChatRole.Assistant, new WebSearchToolResultContent("ws_1")),
    };

    /// <summary>A sample value of each settable option.</summary>
    private static readonly Dictionary<string, Action<ChatOptions>> s_options = new()
    {
        [nameof(ChatOptions.ConversationId)] = o => o.ConversationId = "resp_123",
        [nameof(ChatOptions.Instructions)] = o => o.Instructions = "Be brief.",
        [nameof(ChatOptions.Temperature)] = o => o.Temperature = 0.3f,
        [nameof(ChatOptions.MaxOutputTokens)] = o => o.MaxOutputTokens = 55,
        [nameof(ChatOptions.TopP)] = o => o.TopP = 0.5f,
        [nameof(ChatOptions.TopK)] = o => o.TopK = 7,
        [nameof(ChatOptions.FrequencyPenalty)] = o => o.FrequencyPenalty = 0.1f,
        [nameof(ChatOptions.PresencePenalty)] = o => o.PresencePenalty = 0.2f,
        [nameof(ChatOptions.Seed)] = o => o.Seed = 42,
        [nameof(ChatOptions.Reasoning)] = o => o.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High },
        [nameof(ChatOptions.ResponseFormat)] = o => o.ResponseFormat = ChatResponseFormat.Json,
        [nameof(ChatOptions.ModelId)] = o => o.ModelId = "other-model",
        [nameof(ChatOptions.StopSequences)] = o => o.StopSequences = ["END"],
        [nameof(ChatOptions.AllowMultipleToolCalls)] = o => { o.AllowMultipleToolCalls = false; o.Tools = [s_function]; },
        [nameof(ChatOptions.ToolMode)] = o => { o.ToolMode = ChatToolMode.RequireAny; o.Tools = [s_function]; },
        [nameof(ChatOptions.Tools)] = o => o.Tools = [s_function],
        [nameof(ChatOptions.AllowBackgroundResponses)] = o => o.AllowBackgroundResponses = true,
        [nameof(ChatOptions.ContinuationToken)] = o => o.ContinuationToken = null,
        [nameof(ChatOptions.RawRepresentationFactory)] = o => o.RawRepresentationFactory = null,
        [nameof(ChatOptions.AdditionalProperties)] = o => o.AdditionalProperties = new() { ["unknown"] = "x" },
    };

    /// <summary>
    /// Decided omissions, on every wire as by its reference: what an answer carries and no request field takes back
    /// (so a conversation that holds it keeps working), and options that are not request fields.
    /// </summary>
    private static readonly Dictionary<string, string> s_omitted = new()
    {
        [nameof(AIContent)] = "an answer's opaque item; only its RawRepresentation means anything, on the API that made it",
        [nameof(UsageContent)] = "an answer's token counts",
        [nameof(ErrorContent)] = "an answer's error",
        [nameof(TextReasoningContent)] = "an answer's reasoning: sent back only where the API takes it (Responses' reasoning items with encrypted content, Messages' signed thinking)",
        [nameof(ToolApprovalRequestContent)] = "an answer's request for approval: Microsoft's function invocation answers it before a request is sent",
        [nameof(ToolCallContent)] = "the record of a tool call that is not a function's",
        [nameof(ToolResultContent)] = "the record of a tool result that is not a function's",
        [nameof(CodeInterpreterToolCallContent)] = "the record of a tool the provider ran (the answer's text carries what it found)",
        [nameof(CodeInterpreterToolResultContent)] = "the record of a tool the provider ran",
        [nameof(ImageGenerationToolCallContent)] = "the record of a tool the provider ran",
        [nameof(ImageGenerationToolResultContent)] = "the record of a tool the provider ran",
        [nameof(McpServerToolCallContent)] = "the record of a tool the provider ran",
        [nameof(McpServerToolResultContent)] = "the record of a tool the provider ran",
        [nameof(WebSearchToolCallContent)] = "the record of a tool the provider ran",
        [nameof(WebSearchToolResultContent)] = "the record of a tool the provider ran",
        [nameof(ChatOptions.ContinuationToken)] = "null here: a continuation token comes only from a background response (covered in the Responses tests)",
        [nameof(ChatOptions.RawRepresentationFactory)] = "null here: the raw escape hatch (covered in each wire's parity tests)",
        [nameof(ChatOptions.AdditionalProperties)] = "not request fields: cf-aig-* settings become headers, extra body fields go through WithExtraBody, other keys are not sent (as every reference)",
    };

    public static TheoryData<Wire> Wires() => [Wire.ChatCompletions, Wire.Responses, Wire.Messages];

    [Fact]
    public void EveryTypeAndProperty_HasASampleAndADecision()
    {
        var assembly = typeof(AIContent).Assembly;
        // Types a caller can create (a base with only protected constructors, such as DelegatingAIFunction, is met as its subclasses).
        var concrete = assembly.GetExportedTypes().Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition && t.GetConstructors().Length > 0).ToList();
        var tools = concrete.Where(t => typeof(AITool).IsAssignableFrom(t) && t != typeof(AIFunction)).ToList();
        var contents = concrete.Where(t => typeof(AIContent).IsAssignableFrom(t)).ToList();
        var properties = typeof(ChatOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true).Select(p => p.Name).ToList();

        Assert.Empty(tools.Except(s_tools.Keys).Select(t => $"new AITool type {t.Name}: add a sample and decide what each wire does with it"));
        Assert.Empty(contents.Except(s_contents.Keys).Select(t => $"new AIContent type {t.Name}: add a sample and decide what each wire does with it"));
        Assert.Empty(properties.Except(s_options.Keys).Select(p => $"new ChatOptions property {p}: add a sample and decide what each wire does with it"));
    }

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task EveryToolContentAndOption_IsSentAsTheReferenceSendsIt_OrRefused(Wire wire)
    {
        var baseline = await ReferenceBodyAsync(wire, Messages(null), new ChatOptions());
        var outcomes = new List<string>();
        var failures = new List<string>();
        // without: the same request without the item (the content's message left empty), to tell whether the reference sends it.
        async Task CheckAsync(string name, Func<List<ChatMessage>> messages, Func<ChatOptions> options, Func<List<ChatMessage>>? without = null)
        {
            string? theirs = await ReferenceBodyAsync(wire, messages(), options());
            string? reference = without is null ? baseline : await ReferenceBodyAsync(wire, without(), new ChatOptions());
            bool referenceSends = theirs is not null && (reference is null || !System.Text.Json.Nodes.JsonNode.DeepEquals(JsonNode(theirs), JsonNode(reference)));
            (string? ours, NotSupportedException? refused) = await OurBodyAsync(wire, messages(), options());
            string outcome = refused is not null ? "refused" : referenceSends ? "sent" : "omitted";
            outcomes.Add($"{wire} {name}: {outcome}");
            if (refused is not null)
            {
                if (!refused.Message.Contains(name, StringComparison.Ordinal) || !refused.Message.Contains(RouteName(wire), StringComparison.Ordinal))
                {
                    failures.Add($"{name}: the refusal does not name it and the route: {refused.Message}");
                }
            }
            else if (!SameRequest(wire, ours, theirs))
            {
                failures.Add($"{name}: sent differently from the reference\n  ours   {ours}\n  theirs {theirs}");
            }
            else if (!referenceSends && !s_omitted.ContainsKey(name) && wire == Wire.ChatCompletions)
            {
                failures.Add($"{name}: dropped in silence (the reference drops it too); send it or refuse it");
            }
        }

        foreach (var (type, sample) in s_tools)
        {
            await CheckAsync(type.Name, () => Messages(null), () => new ChatOptions { Tools = [sample()] });
        }

        foreach (var (type, sample) in s_contents)
        {
            await CheckAsync(type.Name, () => Messages(sample()), () => new ChatOptions(), () => Messages(sample(), empty: true));
        }

        foreach (var (name, set) in s_options)
        {
            await CheckAsync(name, () => Messages(null), () =>
            {
                var options = new ChatOptions();
                set(options);
                return options;
            });
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", outcomes));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static System.Text.Json.Nodes.JsonNode JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!;

    /// <summary>
    /// Responses and Messages run on the reference clients themselves: the same bytes. Chat completions is written here:
    /// the same JSON, with the deliberate differences of <see cref="OpenAIAdapterParityTests"/> (compact tool-call
    /// arguments; <c>tool_choice</c> written out when functions are offered).
    /// </summary>
    private static bool SameRequest(Wire wire, string? ours, string? theirs)
    {
        if (wire != Wire.ChatCompletions || ours is null || theirs is null)
        {
            return ours == theirs;
        }

        var (a, b) = (JsonNode(ours).AsObject(), JsonNode(theirs).AsObject());
        foreach (var body in new[] { a, b })
        {
            foreach (var call in body["messages"]!.AsArray().SelectMany(m => m!["tool_calls"]?.AsArray() ?? []))
            {
                call!["function"]!["arguments"] = JsonNode(call["function"]!["arguments"]!.GetValue<string>());
            }
        }

        if (!b.ContainsKey("tool_choice") && a["tool_choice"]?.GetValue<string>() == "auto")
        {
            a.Remove("tool_choice");
        }

        return System.Text.Json.Nodes.JsonNode.DeepEquals(a, b);
    }

    private static List<ChatMessage> Messages((ChatRole Role, AIContent Content)? item, bool empty = false)
    {
        List<ChatMessage> messages = [new(ChatRole.User, "Hi")];
        if (item is { } added)
        {
            if (added.Role == ChatRole.Tool)
            {
                messages.Add(new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]));
            }

            messages.Add(new(added.Role, empty ? [] : [added.Content]));
            if (added.Role != ChatRole.User)
            {
                messages.Add(new(ChatRole.User, "Go on."));
            }
        }

        return messages;
    }

    private static string RouteName(Wire wire) => wire switch
    {
        Wire.Messages => "anthropic/claude-sonnet-4-5",
        _ => "openai/gpt-4o-mini",
    };

    private static string Fixture(Wire wire) => wire switch
    {
        Wire.ChatCompletions => "openai/chat-completion-text.json",
        Wire.Responses => "openai-responses/response-text.json",
        _ => "anthropic/message-text.json",
    };

    private static async Task<(string? Body, NotSupportedException? Refused)> OurBodyAsync(Wire wire, List<ChatMessage> messages, ChatOptions options)
    {
        var handler = new RecordingHandler(Fixtures.Text(Fixture(wire)));
        var gateway = wire == Wire.Messages ? TestOptions.Create(provider: "anthropic", model: "claude-sonnet-4-5") : TestOptions.Create();
        gateway.Api = wire == Wire.Responses ? AiGatewayApi.Responses : null;
        using var client = TestOptions.Client(gateway, handler);
        try
        {
            await client.GetResponseAsync(messages, options);
        }
        catch (NotSupportedException e)
        {
            return (null, e);
        }
        catch (Exception) when (!handler.Requests.IsEmpty)
        {
            // The answer did not fit the request (a continuation token, a background response): the request is what counts.
        }

        return handler.Requests.IsEmpty ? (null, null) : (handler.SoleRequest.BodyText, null);
    }

    private static async Task<string?> ReferenceBodyAsync(Wire wire, List<ChatMessage> messages, ChatOptions options)
    {
        var handler = new RecordingHandler(Fixtures.Text(Fixture(wire)));
        using IChatClient client = wire switch
        {
            Wire.Messages => new AnthropicClient(new ClientOptions
            {
                HttpClient = new HttpClient(handler), BaseUrl = "http://gateway.test/v1/acct123/gw/anthropic", ApiKey = TestOptions.ApiKey, MaxRetries = 0, OpenTelemetry = false,
            }).AsIChatClient("claude-sonnet-4-5", AiGatewayRouteOptions.DefaultAnthropicMaxOutputTokens),
            _ => OpenAI(wire, handler),
        };
        try
        {
            await client.GetResponseAsync(messages, options);
        }
        catch (Exception) when (!handler.Requests.IsEmpty)
        {
            // As above: the request is what counts.
        }
        catch (Exception)
        {
            return null;
        }

        return handler.Requests.IsEmpty ? null : handler.SoleRequest.BodyText;
    }

    private static IChatClient OpenAI(Wire wire, RecordingHandler handler)
    {
        var openAI = new OpenAIClient(new ApiKeyCredential(TestOptions.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://gateway.test/v1/acct123/gw/openai"),
            Transport = new HttpClientPipelineTransport(new HttpClient(handler)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        return wire == Wire.Responses ? openAI.GetResponsesClient().AsIChatClient("gpt-4o-mini") : openAI.GetChatClient("gpt-4o-mini").AsIChatClient();
    }
}
