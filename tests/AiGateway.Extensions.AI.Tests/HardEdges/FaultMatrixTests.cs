using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AiGateway.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>
/// Every fault x (non-streaming, streaming) x (bare client, behind fallback), over real HTTP on 127.0.0.1: the kind,
/// status and fallback decision, a time bound that proves nothing hangs, and no secret in the message,
/// <c>ToString()</c>, logs or spans. The primary route (openai) misbehaves; the fallback route (groq) answers well.
/// Each case appends a row to <c>fault-matrix.md</c> in the test output directory.
/// </summary>
public sealed class FaultMatrixTests : IAsyncLifetime
{
    private static readonly string s_matrixFile = NewMatrixFile();
    private static readonly Lock s_matrixLock = new();
    private static int s_case;

    private readonly ConcurrentDictionary<string, Case> _cases = new();
    private readonly string _sourceName = "matrix." + Guid.NewGuid().ToString("N");
    private LoopbackServer _server = null!;
    private int _closedPort;

    /// <summary>The table of this run only: started afresh when the class is first used.</summary>
    private static string NewMatrixFile()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fault-matrix.md");
        File.WriteAllText(path, "| fault | mode | route | outcome | time |\n|---|---|---|---|---|\n");
        return path;
    }

    public enum Fault
    {
        RateLimitedWithRetryAfter,
        ServerError500,
        BadGateway502,
        Unavailable503,
        Unauthorized2009,
        GatewayNotConfigured2001,
        GuardrailBlocked2016,
        OutOfCredits2021,
        ScannerOutOfCredits2021,
        ScannerUnavailable7013,
        PolicyDenied403,
        SpendLimitExceeded429,
        GatewayTimeout504,
        ConnectionRefused,
        AcceptsButNeverAnswers,
        HangMidStream,
        DropMidBody,
        DropMidStream,
        RoleChunkThenDrop,
        MalformedJson,
        MalformedSse,
        NotSse,
        EmptyChoices,
        EndsWithoutDone,
        OversizedBody,
        OversizedEvent,
        CancelBeforeFirstByte,
        CancelMidStream,

        // Hostile input (issue 24): an answer that echoes the key everywhere, bodies past their limits, a caller's bad value.
        StreamErrorEventEchoesTheKey,
        ErrorEchoesTheKeyAcrossTheCut,
        OversizedErrorBody,
        CallersHeaderValueNotAscii,
        CallersHeaderValueWithNewline,
    }

    public async ValueTask InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync((context, request) => _cases[request.PathAndQuery.Split('/')[2]].HandleAsync(context, request));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>(fault, streaming, behind fallback) for every combination that means something.</summary>
    public static TheoryData<Fault, bool, bool> Cases()
    {
        var data = new TheoryData<Fault, bool, bool>();
        foreach (var fault in Enum.GetValues<Fault>())
        {
            foreach (bool streaming in (bool[])[false, true])
            {
                bool onlyStreaming = fault is Fault.HangMidStream or Fault.DropMidStream or Fault.RoleChunkThenDrop or Fault.MalformedSse
                    or Fault.NotSse or Fault.EndsWithoutDone or Fault.OversizedEvent or Fault.CancelMidStream or Fault.StreamErrorEventEchoesTheKey;
                bool onlyNonStreaming = fault is Fault.DropMidBody or Fault.MalformedJson or Fault.EmptyChoices or Fault.OversizedBody;
                if ((onlyStreaming && !streaming) || (onlyNonStreaming && streaming))
                {
                    continue;
                }

                data.Add(fault, streaming, false);
                data.Add(fault, streaming, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachFault_EndsInItsTypedAnswer_WithinTheBound_AndWithoutSecrets(Fault fault, bool streaming, bool fallback)
    {
        var expected = Expectations(fault, fallback);
        string account = "m" + Interlocked.Increment(ref s_case).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var @case = new Case(fault);
        _cases[account] = @case;

        var spans = new SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(_sourceName, AiGatewayTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        var services = new ServiceCollection();
        services.AddFakeLogging();
        var builder = services.AddAiGatewayChatClient(
            o =>
            {
                o.Endpoint = new Uri(_server.Root, "v1");
                o.AccountId = account;
                o.GatewayId = "gw";
                o.Provider = "openai";
                o.Model = "gpt-4o-mini";
                o.ApiKey = TestOptions.ApiKey;
                o.Token = TestOptions.Token;
                o.NetworkTimeout = TimeSpan.FromSeconds(1);
                o.MaxResponseContentLength = 64 * 1024;
                o.MaxStreamEventLength = 64 * 1024;
                if (fallback)
                {
                    o.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
                }
            },
            http => http.AddHttpMessageHandler(() => new RefusePrimaryHandler(fault == Fault.ConnectionRefused ? _closedPort : null)));
        builder.UseOpenTelemetry(sourceName: _sourceName);
        if (fallback)
        {
            builder.UseAiGatewayFallback();
        }

        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();
        using var cancellation = new CancellationTokenSource();
        @case.Cancel = cancellation;

        // A value set straight in AdditionalProperties (WithGatewayEventId refuses it where it is set).
        var options = @case.CallersEventId is { } eventId ? new ChatOptions { AdditionalProperties = new() { [AiGatewayHeaderNames.EventId] = eventId } } : null;
        var (response, error, elapsed) = await FaultRun.RunAsync(chat, streaming, options, @case.ContentReceived, cancellation.Token);
        Record(fault, streaming, fallback, error, response, elapsed);
        Assert.True(elapsed < FaultRun.Bound, $"took {elapsed}");

        if (expected.Served)
        {
            Assert.Null(error);
            Assert.Equal("groq", response!.GetGatewayInfo()!.Provider);
            var failed = response!.GetGatewayInfo()!.Attempts[0];
            Assert.Equal(expected.Kind, failed.ErrorKind);
            Assert.Equal(expected.Status, failed.StatusCode);
        }
        else if (fault is Fault.CallersHeaderValueNotAscii or Fault.CallersHeaderValueWithNewline)
        {
            // The request's own mistake: refused before anything is sent, naming the header, and no route is blamed.
            var refused = Assert.IsType<ArgumentException>(error);
            Assert.Contains(AiGatewayHeaderNames.EventId, refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, @case.Served("openai") + @case.Served("groq"));
            Assert.DoesNotContain(provider.GetFakeLogCollector().GetSnapshot(), l => l.Category?.StartsWith("AiGateway", StringComparison.Ordinal) == true && l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        }
        else if (expected.Kind is null)
        {
            Assert.IsAssignableFrom<OperationCanceledException>(error);
            Assert.Equal(0, @case.Served("groq"));
        }
        else
        {
            var gatewayError = Assert.IsType<AiGatewayException>(error);
            Assert.Equal(expected.Kind, gatewayError.Kind);
            Assert.Equal(expected.Status, gatewayError.StatusCode);
            Assert.Equal(0, @case.Served("groq"));
        }

        FaultRun.AssertNoSecrets(error, provider, spans);
    }

    /// <summary>What each fault must end in: its kind and status (null kind: the caller's cancellation), and whether the fallback route serves.</summary>
    private static (AiGatewayErrorKind? Kind, int? Status, bool Served) Expectations(Fault fault, bool fallback)
    {
        var (kind, status, fallsBack) = fault switch
        {
            Fault.RateLimitedWithRetryAfter => (AiGatewayErrorKind.RateLimited, (int?)429, true),
            Fault.ServerError500 => (AiGatewayErrorKind.ProviderError, 500, true),
            Fault.BadGateway502 => (AiGatewayErrorKind.ProviderError, 502, true),
            Fault.Unavailable503 => (AiGatewayErrorKind.ProviderError, 503, true),
            Fault.Unauthorized2009 => (AiGatewayErrorKind.Authentication, 401, false),
            Fault.GatewayNotConfigured2001 => (AiGatewayErrorKind.GatewayError, 400, false),
            Fault.GuardrailBlocked2016 => (AiGatewayErrorKind.Blocked, 424, false),
            Fault.OutOfCredits2021 => (AiGatewayErrorKind.InsufficientCredits, 402, true),
            Fault.ScannerOutOfCredits2021 => (AiGatewayErrorKind.InsufficientCredits, 402, true),
            Fault.ScannerUnavailable7013 => (AiGatewayErrorKind.GatewayError, 503, false),
            Fault.PolicyDenied403 => (AiGatewayErrorKind.PolicyDenied, 403, true),
            Fault.SpendLimitExceeded429 => (AiGatewayErrorKind.SpendLimitExceeded, 429, true),
            Fault.GatewayTimeout504 => (AiGatewayErrorKind.Timeout, 504, true),
            Fault.ConnectionRefused => (AiGatewayErrorKind.Transport, null, true),
            Fault.AcceptsButNeverAnswers => (AiGatewayErrorKind.Timeout, null, true),
            Fault.HangMidStream => (AiGatewayErrorKind.Timeout, null, false),
            Fault.DropMidBody => (AiGatewayErrorKind.Transport, null, true),
            Fault.DropMidStream => (AiGatewayErrorKind.Transport, null, false),
            Fault.RoleChunkThenDrop => (AiGatewayErrorKind.Transport, null, true),
            Fault.MalformedJson => (AiGatewayErrorKind.MalformedResponse, null, true),
            Fault.MalformedSse => (AiGatewayErrorKind.MalformedResponse, null, true),
            Fault.NotSse => (AiGatewayErrorKind.MalformedResponse, 200, true),
            Fault.EmptyChoices => (AiGatewayErrorKind.MalformedResponse, null, true),
            Fault.EndsWithoutDone => (AiGatewayErrorKind.Transport, null, false),
            Fault.OversizedBody => (AiGatewayErrorKind.MalformedResponse, null, true),
            Fault.OversizedEvent => (AiGatewayErrorKind.MalformedResponse, null, true),
            Fault.CancelBeforeFirstByte => ((AiGatewayErrorKind?)null, (int?)null, false),
            Fault.CancelMidStream => (null, null, false),
            Fault.StreamErrorEventEchoesTheKey => (AiGatewayErrorKind.ProviderError, 200, true),
            Fault.ErrorEchoesTheKeyAcrossTheCut => (AiGatewayErrorKind.ProviderError, 500, true),
            Fault.OversizedErrorBody => (AiGatewayErrorKind.ProviderError, 500, true),
            Fault.CallersHeaderValueNotAscii or Fault.CallersHeaderValueWithNewline => (null, null, false),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        // A failure before any content that a fallback route can fix: the error on the answer's failed attempt has a
        // status only when a response came; a mid-body failure after headers reports the attempt without one.
        if (fault is Fault.MalformedJson or Fault.EmptyChoices or Fault.OversizedBody or Fault.DropMidBody or Fault.MalformedSse
            or Fault.OversizedEvent or Fault.RoleChunkThenDrop)
        {
            status = null;
        }

        return (kind, status, fallback && fallsBack);
    }

    private static void Record(Fault fault, bool streaming, bool fallback, Exception? error, ChatResponse? response, TimeSpan elapsed)
    {
        string outcome = error switch
        {
            AiGatewayException e => $"{e.Kind} | {e.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} | no",
            OperationCanceledException => "cancelled | - | no",
            null => $"served by {response?.GetGatewayInfo()?.Provider} | {response?.GetGatewayInfo()?.Attempts[0].ErrorKind} | yes",
            _ => $"{error.GetType().Name} | - | no",
        };
        lock (s_matrixLock)
        {
            File.AppendAllText(s_matrixFile, $"| {fault} | {(streaming ? "stream" : "answer")} | {(fallback ? "fallback" : "bare")} | {outcome} | {elapsed.TotalMilliseconds:F0} ms |\n");
        }
    }

    /// <summary>Sends the primary route's requests to a closed port (a real refused connection), and leaves the rest alone.</summary>
    private sealed class RefusePrimaryHandler(int? closedPort) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (closedPort is { } port && request.RequestUri!.AbsolutePath.Contains("/openai/", StringComparison.Ordinal))
            {
                request.RequestUri = new UriBuilder(request.RequestUri) { Port = port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>One test case's server side: the primary (openai) misbehaves as the fault says; groq answers well.</summary>
    private sealed class Case(Fault fault)
    {
        private const string Chunk = """{"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":[{"index":0,"delta":{DELTA},"finish_reason":FINISH}]}""";
        private const string Completion = """{"id":"c1","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}""";
        private readonly ConcurrentDictionary<string, int> _served = new();

        public TaskCompletionSource ContentReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource? Cancel { get; set; }

        public string? CallersEventId => fault switch
        {
            Fault.CallersHeaderValueNotAscii => "user-\u00e9",
            Fault.CallersHeaderValueWithNewline => "user\r\nx-injected: 1",
            _ => null,
        };

        public int Served(string provider) => _served.TryGetValue(provider, out int count) ? count : 0;

        public async Task HandleAsync(HttpContext context, RecordedRequest request)
        {
            bool stream = request.BodyText.Contains("\"stream\":true", StringComparison.Ordinal);
            string provider = request.PathAndQuery.Split('/')[4];
            _served.AddOrUpdate(provider, 1, (_, n) => n + 1);
            context.Response.Headers["cf-aig-log-id"] = "log-" + provider;
            if (provider != "openai")
            {
                await AnswerAsync(context, stream);
                return;
            }

            var response = context.Response;
            switch (fault)
            {
                case Fault.RateLimitedWithRetryAfter:
                    response.Headers.RetryAfter = "30";
                    await JsonAsync(context, 429, """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""");
                    break;
                case Fault.ServerError500:
                    await JsonAsync(context, 500, """{"error":{"message":"The server had an error","type":"server_error"}}""");
                    break;
                case Fault.BadGateway502:
                    await JsonAsync(context, 502, "{\"error\":{\"message\":\"Bad gateway, upstream saw " + TestOptions.ApiKey + "\"}}");
                    break;
                case Fault.Unavailable503:
                    await JsonAsync(context, 503, """{"error":{"message":"Overloaded","type":"server_error"}}""");
                    break;
                case Fault.Unauthorized2009:
                    await JsonAsync(context, 401, """[{"code":2009,"message":"Unauthorized"}]""");
                    break;
                case Fault.GatewayNotConfigured2001:
                    await JsonAsync(context, 400, """{"success":false,"result":[],"messages":[],"error":[{"code":2001,"message":"Please configure AI Gateway in the Cloudflare dashboard"}]}""");
                    break;
                case Fault.GuardrailBlocked2016:
                    await JsonAsync(context, 424, """{"success":false,"result":[],"messages":[],"error":[{"code":2016,"message":"Prompt blocked due to security configurations"}]}""");
                    break;
                case Fault.OutOfCredits2021:
                    await JsonAsync(context, 402, """{"success":false,"result":[],"messages":[],"error":[{"code":2021,"message":"Insufficient credits"}]}""");
                    break;
                case Fault.ScannerOutOfCredits2021:
                    await JsonAsync(context, 402, """{"success":false,"name":"AiGatewayError","internalCode":2021,"error":[{"code":2021,"message":"Guardrails scanner requires more credits"}]}""");
                    break;
                case Fault.PolicyDenied403:
                    await JsonAsync(context, 403, """{"success":false,"error":{"message":"Access denied by policy"}}""");
                    break;
                case Fault.SpendLimitExceeded429:
                    await JsonAsync(context, 429, """{"success":false,"error":{"message":"Spending limit exceeded","bucket":"team:a","spent":10.5,"limit":10}}""");
                    break;
                case Fault.ScannerUnavailable7013:
                    await JsonAsync(context, 503, """{"success":false,"result":[],"messages":[],"error":[{"code":7013,"message":"Guardrails scanner unavailable"}]}""");
                    break;
                case Fault.GatewayTimeout504:
                    await JsonAsync(context, 504, """{"success":false,"error":[{"message":"Request timed out"}]}""");
                    break;
                case Fault.ConnectionRefused:
                    throw new InvalidOperationException("The refused route must never reach the server.");
                case Fault.AcceptsButNeverAnswers or Fault.CancelBeforeFirstByte:
                    if (fault == Fault.CancelBeforeFirstByte)
                    {
                        await Cancel!.CancelAsync();
                    }

                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
                case Fault.HangMidStream or Fault.CancelMidStream:
                    await ContentThenAsync(context, () => fault == Fault.CancelMidStream ? Cancel!.CancelAsync() : Task.CompletedTask);
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
                case Fault.DropMidBody:
                    response.ContentType = "application/json";
                    await response.WriteAsync(Completion[..40]);
                    await response.Body.FlushAsync();
                    context.Abort();
                    break;
                case Fault.DropMidStream:
                    await ContentThenAsync(context, () => Task.CompletedTask);
                    context.Abort();
                    break;
                case Fault.RoleChunkThenDrop:
                    response.ContentType = "text/event-stream";
                    await response.WriteAsync("data: " + Chunk.Replace("{DELTA}", """{"role":"assistant","content":""}""", StringComparison.Ordinal).Replace("FINISH", "null", StringComparison.Ordinal) + "\n\n");
                    await response.Body.FlushAsync();
                    context.Abort();
                    break;
                case Fault.MalformedJson:
                    await JsonAsync(context, 200, Completion[..60]);
                    break;
                case Fault.MalformedSse:
                    response.ContentType = "text/event-stream";
                    await response.WriteAsync("data: {\"id\":\"c1\",\"choices\":[{\"delta\n\ndata: [DONE]\n\n");
                    break;
                case Fault.NotSse:
                    response.ContentType = "text/html";
                    await response.WriteAsync("<!DOCTYPE html><html><body>502 Bad Gateway from a proxy</body></html>");
                    break;
                case Fault.EmptyChoices:
                    await JsonAsync(context, 200, """{"id":"c1","object":"chat.completion","created":1700000000,"model":"m","choices":[]}""");
                    break;
                case Fault.EndsWithoutDone:
                    await ContentThenAsync(context, () => Task.CompletedTask);
                    break;
                case Fault.OversizedBody:
                    await JsonAsync(context, 200, """{"id":"c1","pad":" """ + new string('x', 100_000) + "\"}");
                    break;
                case Fault.StreamErrorEventEchoesTheKey:
                    response.ContentType = "text/event-stream";
                    await response.WriteAsync($"data: {{\"error\":{{\"code\":\"{TestOptions.ApiKey}\",\"type\":\"{TestOptions.Token}\",\"message\":\"upstream saw {TestOptions.ApiKey}\"}}}}\n\n");
                    break;
                case Fault.ErrorEchoesTheKeyAcrossTheCut:
                    // The key starts just before the message's 1,000-character cut: redaction must come first.
                    await JsonAsync(context, 500, $"{{\"error\":{{\"message\":\"{new string('x', 990)}{TestOptions.ApiKey}\",\"type\":\"{TestOptions.ApiKey}\",\"code\":\"{TestOptions.Token}\"}}}}");
                    break;
                case Fault.OversizedErrorBody:
                    await JsonAsync(context, 500, "{\"error\":{\"message\":\"" + new string('x', 1_000_000) + TestOptions.ApiKey + "\"}}");
                    break;
                case Fault.OversizedEvent:
                    response.ContentType = "text/event-stream";
                    await response.WriteAsync("data: {\"pad\":\"" + new string('x', 100_000) + "\"}\n\ndata: [DONE]\n\n");
                    break;
            }
        }

        private static async Task JsonAsync(HttpContext context, int status, string body)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        }

        private static async Task AnswerAsync(HttpContext context, bool stream)
        {
            if (!stream)
            {
                await JsonAsync(context, 200, Completion);
                return;
            }

            context.Response.ContentType = "text/event-stream";
            var sse = new StringBuilder();
            foreach (string word in (string[])["The capital", " of France", " is Paris."])
            {
                sse.Append("data: ").Append(Chunk.Replace("{DELTA}", $"{{\"content\":\"{word}\"}}", StringComparison.Ordinal).Replace("FINISH", "null", StringComparison.Ordinal)).Append("\n\n");
            }

            sse.Append("data: ").Append(Chunk.Replace("{DELTA}", "{}", StringComparison.Ordinal).Replace("FINISH", "\"stop\"", StringComparison.Ordinal)).Append("\n\ndata: [DONE]\n\n");
            await context.Response.WriteAsync(sse.ToString());
        }

        /// <summary>Sends two content chunks, waits until the caller has received content, then does what the fault says.</summary>
        private async Task ContentThenAsync(HttpContext context, Func<Task> then)
        {
            context.Response.ContentType = "text/event-stream";
            foreach (string word in (string[])["The capital", " of France"])
            {
                await context.Response.WriteAsync("data: " + Chunk.Replace("{DELTA}", $"{{\"content\":\"{word}\"}}", StringComparison.Ordinal).Replace("FINISH", "null", StringComparison.Ordinal) + "\n\n");
            }

            await context.Response.Body.FlushAsync();
            await ContentReceived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await then();
        }
    }
}
