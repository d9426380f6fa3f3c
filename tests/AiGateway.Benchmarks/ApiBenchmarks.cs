using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using AiGateway.Extensions.AI;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AiGateway.Benchmarks;

/// <summary>
/// The paths that speak their own API, each beside its reference client over the same in-memory handler: OpenAI's
/// Responses API (Microsoft's Responses client over the OpenAI SDK, the baseline; ours with <c>Api: Responses</c>),
/// answered and streamed (50 text deltas); Anthropic Messages on the REST form (the Anthropic SDK's client at
/// <c>.../ai/v1/messages</c>, the baseline; ours with <c>EndpointKind: CloudflareApi</c>).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class ApiBenchmarks
{
    private readonly List<ChatMessage> _messages = [new(ChatRole.System, "You are a geographer."), new(ChatRole.User, "What is the capital of France?")];
    private readonly ChatOptions _options = new() { MaxOutputTokens = 256 };

    private HttpClient _http = null!;
    private IChatClient _microsoftResponses = null!;
    private IChatClient _microsoftResponsesStream = null!;
    private IChatClient _oursResponses = null!;
    private IChatClient _oursResponsesStream = null!;
    private IChatClient _anthropicRest = null!;
    private IChatClient _oursRestMessages = null!;

    [GlobalSetup]
    public void Setup()
    {
        _http = new HttpClient(new ApiInstantHandler()) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning disable OPENAI001 // Microsoft's Responses client is experimental.
        _microsoftResponses = OpenAI("acct").GetResponsesClient().AsIChatClient("gpt-4o-mini");
        _microsoftResponsesStream = OpenAI("stream").GetResponsesClient().AsIChatClient("gpt-4o-mini");
#pragma warning restore OPENAI001
        _oursResponses = new AiGatewayChatClient(Responses("acct"), _http);
        _oursResponsesStream = new AiGatewayChatClient(Responses("stream"), _http);
        _anthropicRest = new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions
        {
            HttpClient = _http, BaseUrl = "http://bench/client/v4/accounts/acct/ai", ApiKey = "cf-bench", MaxRetries = 0, OpenTelemetry = false,
        }).AsIChatClient("anthropic/claude-sonnet-4-5", AiGatewayRouteOptions.DefaultAnthropicMaxOutputTokens);
        _oursRestMessages = new AiGatewayChatClient(new AiGatewayOptions
        {
            EndpointKind = AiGatewayEndpointKind.CloudflareApi,
            CloudflareApiEndpoint = new Uri("http://bench/client/v4"),
            AccountId = "acct",
            Token = "cf-bench",
            Provider = "anthropic",
            Model = "claude-sonnet-4-5",
        }, _http);
    }

    [GlobalCleanup]
    public void Cleanup() => _http.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("responses")]
    public async Task<string> MicrosoftResponses() => (await _microsoftResponses.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("responses")]
    public async Task<string> OursResponses() => (await _oursResponses.GetResponseAsync(_messages, _options)).Text;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("responses-streaming")]
    public Task<int> MicrosoftResponsesStreaming() => CountAsync(_microsoftResponsesStream);

    [Benchmark]
    [BenchmarkCategory("responses-streaming")]
    public Task<int> OursResponsesStreaming() => CountAsync(_oursResponsesStream);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("rest-messages")]
    public async Task<string> AnthropicSdkRest() => (await _anthropicRest.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("rest-messages")]
    public async Task<string> OursRestMessages() => (await _oursRestMessages.GetResponseAsync(_messages, _options)).Text;

    private async Task<int> CountAsync(IChatClient client)
    {
        int contents = 0;
        await foreach (var update in client.GetStreamingResponseAsync(_messages, _options))
        {
            contents += update.Contents.Count;
        }

        return contents;
    }

    private OpenAIClient OpenAI(string account) => new(new ApiKeyCredential("sk-bench"), new OpenAIClientOptions
    {
        Endpoint = new Uri($"http://bench/v1/{account}/default/openai"),
        Transport = new HttpClientPipelineTransport(_http),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    private static AiGatewayOptions Responses(string account)
    {
        var options = ChatBenchmarks.Options(account);
        options.Api = AiGatewayApi.Responses;
        return options;
    }
}

/// <summary>Answers Responses and Messages requests at once from memory (a stream for accounts named "stream").</summary>
internal sealed class ApiInstantHandler : HttpMessageHandler
{
    private const string Text = "The capital of France is Paris. It has been the capital since the 10th century and is home to about two million people.";

    private static readonly byte[] s_response = Encoding.UTF8.GetBytes(ResponseObject("completed", "[" + MessageItem(Text) + "]", usage: true));

    private static readonly byte[] s_responseStream = BuildStream();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            await request.Content.CopyToAsync(Stream.Null, cancellationToken);
        }

        string path = request.RequestUri!.AbsolutePath;
        bool stream = path.Contains("/stream/", StringComparison.Ordinal);
        var content = new ByteArrayContent(path.EndsWith("/v1/messages", StringComparison.Ordinal) ? Payloads.AnthropicMessage : stream ? s_responseStream : s_response);
        content.Headers.ContentType = new(stream ? "text/event-stream" : "application/json");
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.TryAddWithoutValidation("cf-aig-log-id", "01bench");
        response.Headers.TryAddWithoutValidation("cf-aig-cache-status", "MISS");
        return response;
    }

    private static string ResponseObject(string status, string output, bool usage) =>
        "{\"id\":\"resp_bench\",\"object\":\"response\",\"created_at\":1758064478,\"status\":\"" + status + "\",\"background\":false,\"error\":null,\"incomplete_details\":null," +
        "\"instructions\":null,\"max_output_tokens\":256,\"model\":\"gpt-4o-mini-2024-07-18\",\"output\":" + output + ",\"parallel_tool_calls\":true,\"previous_response_id\":null," +
        "\"store\":true,\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":" +
        (usage ? "{\"input_tokens\":24,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":27,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":51}" : "null") +
        ",\"user\":null,\"metadata\":{}}";

    private static string MessageItem(string text) =>
        "{\"id\":\"msg_bench\",\"type\":\"message\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"" + text + "\"}],\"role\":\"assistant\"}";

    private static byte[] BuildStream()
    {
        var sse = new StringBuilder();
        int sequence = 0;
        void Event(string type, string rest) => sse.Append("event: ").Append(type).Append("\ndata: {\"type\":\"").Append(type).Append("\",\"sequence_number\":").Append(sequence++).Append(rest).Append("}\n\n");
        Event("response.created", ",\"response\":" + ResponseObject("in_progress", "[]", usage: false));
        Event("response.in_progress", ",\"response\":" + ResponseObject("in_progress", "[]", usage: false));
        Event("response.output_item.added", ",\"output_index\":0,\"item\":{\"id\":\"msg_bench\",\"type\":\"message\",\"status\":\"in_progress\",\"content\":[],\"role\":\"assistant\"}");
        Event("response.content_part.added", ",\"item_id\":\"msg_bench\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"annotations\":[],\"logprobs\":[],\"text\":\"\"}");
        var words = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            string delta = i == 0 ? "Word0" : $" word{i}";
            words.Append(delta);
            Event("response.output_text.delta", ",\"item_id\":\"msg_bench\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + delta + "\",\"logprobs\":[]");
        }

        Event("response.output_text.done", ",\"item_id\":\"msg_bench\",\"output_index\":0,\"content_index\":0,\"text\":\"" + words + "\",\"logprobs\":[]");
        Event("response.output_item.done", ",\"output_index\":0,\"item\":" + MessageItem(words.ToString()));
        Event("response.completed", ",\"response\":" + ResponseObject("completed", "[" + MessageItem(words.ToString()) + "]", usage: true));
        return Encoding.UTF8.GetBytes(sse.ToString());
    }
}
