using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using AiGateway.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>
/// The fault matrix of <see cref="FaultMatrixTests"/> for the paths that speak their own API: OpenAI's Responses API
/// (<c>{gateway}/openai/responses</c>) and Anthropic Messages on the REST form (<c>/ai/v1/messages</c>). Every fault x
/// (answered, streamed) x (bare, behind a fallback to a chat-completions route), over real HTTP on 127.0.0.1: the kind,
/// status and fallback decision, a time bound that proves nothing hangs, and no secret in the message,
/// <c>ToString()</c>, logs or spans. Each API's own payloads (recorded ones from <c>Fixtures/</c>) and error bodies.
/// </summary>
public sealed class ApiFaultMatrixTests : IAsyncLifetime
{
    private static int s_case;

    private readonly ConcurrentDictionary<string, Case> _cases = new();
    private readonly string _sourceName = "apimatrix." + Guid.NewGuid().ToString("N");
    private LoopbackServer _server = null!;

    public enum Api
    {
        Responses,
        RestMessages,
    }

    public enum Fault
    {
        BadRequest400,
        RateLimited429,
        ServerError500,
        AcceptsButNeverAnswers,
        MalformedJson,
        OversizedBody,
        OversizedDeclaredBody,
        MalformedSse,
        OversizedEvent,
        ErrorEventFirst,
        ErrorEventMidStream,
        ResponseFailedMidStream,
        CutMidStream,
        EndsWithoutItsLastEvent,
        HangMidStream,
        CancelBeforeFirstByte,
        CancelMidStream,
    }

    public async ValueTask InitializeAsync() =>
        _server = await LoopbackServer.StartAsync((context, request) => _cases[request.PathAndQuery.Split('/').First(s => s.StartsWith('x'))].HandleAsync(context, request));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static TheoryData<Api, Fault, bool, bool> Cases()
    {
        var data = new TheoryData<Api, Fault, bool, bool>();
        foreach (var api in Enum.GetValues<Api>())
        {
            foreach (var fault in Enum.GetValues<Fault>())
            {
                foreach (bool streaming in (bool[])[false, true])
                {
                    bool onlyStreaming = fault is Fault.MalformedSse or Fault.OversizedEvent or Fault.ErrorEventFirst or Fault.ErrorEventMidStream
                        or Fault.ResponseFailedMidStream or Fault.CutMidStream or Fault.EndsWithoutItsLastEvent or Fault.HangMidStream or Fault.CancelMidStream;
                    if ((onlyStreaming && !streaming) || (fault is Fault.MalformedJson or Fault.OversizedBody or Fault.OversizedDeclaredBody && streaming) || (fault == Fault.ResponseFailedMidStream && api != Api.Responses))
                    {
                        continue;
                    }

                    data.Add(api, fault, streaming, false);
                    data.Add(api, fault, streaming, true);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachFault_EndsInItsTypedAnswer_WithinTheBound_AndWithoutSecrets(Api api, Fault fault, bool streaming, bool fallback)
    {
        var (kind, status, fallsBack) = Expectations(fault);
        bool served = fallback && fallsBack;
        string account = "x" + Interlocked.Increment(ref s_case).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var @case = new Case(api, fault);
        _cases[account] = @case;

        var spans = new SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(_sourceName, AiGatewayTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        var services = new ServiceCollection();
        services.AddFakeLogging();
        var builder = services.AddAiGatewayChatClient(o =>
        {
            o.Endpoint = new Uri(_server.Root, "v1");
            o.CloudflareApiEndpoint = new Uri(_server.Root, "client/v4");
            o.AccountId = account;
            o.GatewayId = "gw";
            o.Token = TestOptions.Token;
            o.NetworkTimeout = TimeSpan.FromSeconds(1);
            o.MaxResponseContentLength = 64 * 1024;
            o.MaxStreamEventLength = 64 * 1024;
            if (api == Api.Responses)
            {
                o.Provider = "openai";
                o.Model = "gpt-4o-mini";
                o.ApiKey = TestOptions.ApiKey;
                o.Api = AiGatewayApi.Responses;
            }
            else
            {
                o.EndpointKind = AiGatewayEndpointKind.CloudflareApi;
                o.Provider = "anthropic";
                o.Model = "claude-sonnet-4-5";
            }

            if (fallback)
            {
                o.Fallbacks.Add(api == Api.Responses
                    ? new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile", Api = AiGatewayApi.ChatCompletions }
                    : new AiGatewayRouteOptions { Provider = "openai", Model = "gpt-4o-mini" });
            }
        });
        builder.UseOpenTelemetry(sourceName: _sourceName);
        if (fallback)
        {
            builder.UseAiGatewayFallback();
        }

        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();
        using var cancellation = new CancellationTokenSource();
        @case.Cancel = cancellation;

        var (response, error, elapsed) = await FaultRun.RunAsync(chat, streaming, null, @case.ContentReceived, cancellation.Token);
        Assert.True(elapsed < FaultRun.Bound, $"took {elapsed}");
        if (served)
        {
            Assert.Null(error);
            Assert.Equal(1, @case.FallbackServed);
            var failed = response!.GetGatewayInfo()!.Attempts[0];
            Assert.Equal(kind, failed.ErrorKind);
        }
        else if (kind is null)
        {
            Assert.IsAssignableFrom<OperationCanceledException>(error);
            Assert.Equal(0, @case.FallbackServed);
        }
        else
        {
            var gatewayError = Assert.IsType<AiGatewayException>(error);
            Assert.Equal(kind, gatewayError.Kind);
            Assert.Equal(status, gatewayError.StatusCode);
            Assert.Equal(0, @case.FallbackServed);
        }

        FaultRun.AssertNoSecrets(error, provider, spans);
    }

    /// <summary>Each fault's kind and status (null kind: the caller's cancellation), and whether a fallback route may serve.</summary>
    private static (AiGatewayErrorKind? Kind, int? Status, bool FallsBack) Expectations(Fault fault) => fault switch
    {
        Fault.BadRequest400 => (AiGatewayErrorKind.BadRequest, 400, false),
        Fault.RateLimited429 => (AiGatewayErrorKind.RateLimited, 429, true),
        Fault.ServerError500 => (AiGatewayErrorKind.ProviderError, 500, true),
        Fault.AcceptsButNeverAnswers => (AiGatewayErrorKind.Timeout, null, true),
        Fault.MalformedJson => (AiGatewayErrorKind.MalformedResponse, null, true),
        Fault.OversizedBody or Fault.OversizedDeclaredBody => (AiGatewayErrorKind.MalformedResponse, null, true),
        Fault.MalformedSse => (AiGatewayErrorKind.MalformedResponse, null, true),
        Fault.OversizedEvent => (AiGatewayErrorKind.MalformedResponse, null, true),
        Fault.ErrorEventFirst => (AiGatewayErrorKind.ProviderError, 200, true),
        Fault.ErrorEventMidStream => (AiGatewayErrorKind.ProviderError, 200, false),
        Fault.ResponseFailedMidStream => (AiGatewayErrorKind.ProviderError, 200, false),
        Fault.CutMidStream => (AiGatewayErrorKind.Transport, null, false),
        Fault.EndsWithoutItsLastEvent => (AiGatewayErrorKind.Transport, null, false),
        Fault.HangMidStream => (AiGatewayErrorKind.Timeout, null, false),
        Fault.CancelBeforeFirstByte or Fault.CancelMidStream => (null, null, false),
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>One case's server side: the primary route misbehaves as the fault says; the chat-completions fallback answers well.</summary>
    private sealed class Case(Api api, Fault fault)
    {
        private const string Completion = """{"id":"c1","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}""";
        private const string Chunks = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        private int _fallbackServed;

        public TaskCompletionSource ContentReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource? Cancel { get; set; }

        public int FallbackServed => Volatile.Read(ref _fallbackServed);

        private string Answer => Fixtures.Text(api == Api.Responses ? "openai-responses/response-text.json" : "anthropic/message-text.json");

        /// <summary>The recorded stream's events up to and including the first text delta.</summary>
        private string[] FirstEvents => [.. Fixtures.Text(api == Api.Responses ? "openai-responses/stream-text.sse" : "anthropic/stream-text-padded.sse")
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Take(api == Api.Responses ? 5 : 4).Select(e => e + "\n\n")];

        private string ErrorEvent => api == Api.Responses
            ? "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"The model failed, key " + TestOptions.ApiKey + "\",\"param\":null,\"sequence_number\":5}\n\n"
            : "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}\n\n";

        public async Task HandleAsync(HttpContext context, RecordedRequest request)
        {
            bool stream = request.BodyText.Contains("\"stream\":true", StringComparison.Ordinal);
            context.Response.Headers["cf-aig-log-id"] = "log-1";
            if (request.PathAndQuery.EndsWith("chat/completions", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _fallbackServed);
                await WriteAsync(context, 200, stream ? "text/event-stream" : "application/json", stream ? Chunks : Completion);
                return;
            }

            var response = context.Response;
            switch (fault)
            {
                case Fault.BadRequest400:
                    await WriteAsync(context, 400, "application/json", Fixtures.Text(api == Api.Responses ? "openai-responses/error-400-invalid-temperature.json" : "anthropic/error-400-invalid-request.json"));
                    break;
                case Fault.RateLimited429:
                    response.Headers.RetryAfter = "30";
                    await WriteAsync(context, 429, "application/json", Fixtures.Text(api == Api.Responses ? "openai/error-429-insufficient-quota.json" : "anthropic/error-429-rate-limit.json"));
                    break;
                case Fault.ServerError500:
                    await WriteAsync(context, 500, "application/json", "{\"error\":{\"message\":\"Upstream saw " + TestOptions.Token + "\",\"type\":\"server_error\"}}");
                    break;
                case Fault.AcceptsButNeverAnswers or Fault.CancelBeforeFirstByte:
                    if (fault == Fault.CancelBeforeFirstByte)
                    {
                        await Cancel!.CancelAsync();
                    }

                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
                case Fault.MalformedJson:
                    await WriteAsync(context, 200, "application/json", Answer[..60]);
                    break;
                case Fault.OversizedBody:
                    // Chunked: no declared length.
                    await WriteAsync(context, 200, "application/json", "{\"pad\":\"" + new string('x', 100_000) + "\"}");
                    break;
                case Fault.OversizedDeclaredBody:
                    response.ContentLength = 100_010;
                    await WriteAsync(context, 200, "application/json", "{\"pad\":\"" + new string('x', 100_000) + "\"}");
                    break;
                case Fault.MalformedSse:
                    await WriteAsync(context, 200, "text/event-stream", FirstEvents[0][..80] + "\n\n");
                    break;
                case Fault.OversizedEvent:
                    await WriteAsync(context, 200, "text/event-stream", "event: ping\ndata: {\"pad\":\"" + new string('x', 100_000) + "\"}\n\n");
                    break;
                case Fault.ErrorEventFirst:
                    await WriteAsync(context, 200, "text/event-stream", ErrorEvent);
                    break;
                case Fault.ErrorEventMidStream:
                    await ContentThenAsync(context, () => response.WriteAsync(ErrorEvent));
                    break;
                case Fault.ResponseFailedMidStream:
                    await ContentThenAsync(context, () => response.WriteAsync(
                        "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":6,\"response\":{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1758064478,\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"The model failed.\"},\"model\":\"gpt-4o-mini\",\"output\":[]}}\n\n"));
                    break;
                case Fault.CutMidStream:
                    await ContentThenAsync(context, () => Task.CompletedTask);
                    context.Abort();
                    break;
                case Fault.EndsWithoutItsLastEvent:
                    // Closed cleanly after content, without response.completed / message_stop.
                    await ContentThenAsync(context, () => Task.CompletedTask);
                    break;
                case Fault.HangMidStream or Fault.CancelMidStream:
                    await ContentThenAsync(context, () => fault == Fault.CancelMidStream ? Cancel!.CancelAsync() : Task.CompletedTask);
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
            }
        }

        private static async Task WriteAsync(HttpContext context, int status, string contentType, string body)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        }

        /// <summary>Sends the stream up to its first text, waits until the caller has it, then does what the fault says.</summary>
        private async Task ContentThenAsync(HttpContext context, Func<Task> then)
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(string.Concat(FirstEvents));
            await context.Response.Body.FlushAsync();
            await ContentReceived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await then();
            await context.Response.Body.FlushAsync();
        }
    }
}
