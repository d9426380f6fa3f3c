using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AiGateway.Extensions.AI;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AiGateway.Benchmarks;

/// <summary>
/// One chat call (a system + user message, temperature 0.7, max tokens 256) against a handler that answers at once:
/// raw HttpClient + System.Text.Json, the OpenAI SDK directly, this package's client, and the full pipeline
/// (telemetry with listeners + fallback), non-streaming and streaming (50 chunks + usage + [DONE]).
/// </summary>
[MemoryDiagnoser]
public class ChatBenchmarks
{
    private static readonly byte[] s_rawBody = Encoding.UTF8.GetBytes(
        """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a geographer."},{"role":"user","content":"What is the capital of France?"}],"temperature":0.7,"max_completion_tokens":256}""");

    private static readonly byte[] s_rawStreamBody = Encoding.UTF8.GetBytes(
        """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a geographer."},{"role":"user","content":"What is the capital of France?"}],"stream":true,"stream_options":{"include_usage":true},"temperature":0.7,"max_completion_tokens":256}""");

    private readonly List<ChatMessage> _messages = [new(ChatRole.System, "You are a geographer."), new(ChatRole.User, "What is the capital of France?")];
    private readonly List<OpenAI.Chat.ChatMessage> _sdkMessages = [new SystemChatMessage("You are a geographer."), new UserChatMessage("What is the capital of France?")];
    private readonly ChatOptions _options = new() { Temperature = 0.7f, MaxOutputTokens = 256 };
    private readonly ChatCompletionOptions _sdkOptions = new() { Temperature = 0.7f, MaxOutputTokenCount = 256 };

    private HttpClient _http = null!;
    private ChatClient _sdk = null!;
    private ChatClient _sdkStream = null!;
    private AiGatewayChatClient _ours = null!;
    private AiGatewayChatClient _oursStream = null!;
    private IChatClient _full = null!;
    private IChatClient _fullStream = null!;
    private IChatClient _cooling = null!;
    private TracerProvider _tracer = null!;
    private MeterProvider _meter = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _http = new HttpClient(new InstantHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _sdk = Sdk("acct");
        _sdkStream = Sdk("stream");
        _ours = new AiGatewayChatClient(Options("acct"), _http);
        _oursStream = new AiGatewayChatClient(Options("stream"), _http);
        _full = Full("acct", _http);
        _fullStream = Full("stream", _http);

        // A chain whose primary answered 429 with a one-hour Retry-After: every request skips it.
        var coolingHttp = new HttpClient(new CoolingPrimaryHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _cooling = new AiGatewayFallbackChatClient(new AiGatewayChatClient(WithFallback(Options("acct")), coolingHttp));
        await _cooling.GetResponseAsync(_messages, _options);

        _tracer = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(AiGatewayTelemetry.SourceName).SetSampler(new AlwaysOnSampler()).Build()!;
        _meter = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMeter(AiGatewayTelemetry.SourceName)
            .AddReader(new BaseExportingMetricReader(new NullMetricExporter())).Build()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracer.Dispose();
        _meter.Dispose();
        _http.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("non-streaming")]
    public async Task<string?> Raw()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://bench/v1/acct/default/openai/chat/completions") { Content = new ByteArrayContent(s_rawBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-bench");
        using var response = await _http.SendAsync(request);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var document = await JsonDocument.ParseAsync(body);
        return document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
    }

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string?> SdkDirect() => (await _sdk.CompleteChatAsync(_sdkMessages, _sdkOptions)).Value.Content[0].Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> Ours() => (await _ours.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> OursTelemetryFallback() => (await _full.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> OursPrimaryInCooldown() => (await _cooling.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public async Task<int> RawStreaming()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://bench/v1/stream/default/openai/chat/completions") { Content = new ByteArrayContent(s_rawStreamBody) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-bench");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        int chunks = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(line.AsMemory(6));
                var choices = document.RootElement.GetProperty("choices");
                if (choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString() is { Length: > 0 })
                {
                    chunks++;
                }
            }
        }

        return chunks;
    }

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public async Task<int> SdkDirectStreaming()
    {
        int chunks = 0;
        await foreach (var update in _sdkStream.CompleteChatStreamingAsync(_sdkMessages, _sdkOptions))
        {
            chunks += update.ContentUpdate.Count;
        }

        return chunks;
    }

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public async Task<int> OursStreaming()
    {
        int chunks = 0;
        await foreach (var update in _oursStream.GetStreamingResponseAsync(_messages, _options))
        {
            chunks += update.Contents.Count;
        }

        return chunks;
    }

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public async Task<int> OursTelemetryFallbackStreaming()
    {
        int chunks = 0;
        await foreach (var update in _fullStream.GetStreamingResponseAsync(_messages, _options))
        {
            chunks += update.Contents.Count;
        }

        return chunks;
    }

    private ChatClient Sdk(string account) => new("gpt-4o-mini", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions
    {
        Endpoint = new Uri($"http://bench/v1/{account}/default/openai"),
        Transport = new HttpClientPipelineTransport(_http),
    });

    internal static AiGatewayOptions Options(string account) => new()
    {
        Endpoint = new Uri("http://bench/v1"),
        AccountId = account,
        Provider = "openai",
        Model = "gpt-4o-mini",
        ApiKey = "sk-bench",
    };

    private static AiGatewayOptions WithFallback(AiGatewayOptions options)
    {
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.1-8b-instant" });
        return options;
    }

    private static IChatClient Full(string account, HttpClient http) =>
        new AiGatewayChatClient(WithFallback(Options(account)), http).AsBuilder().UseOpenTelemetry().UseAiGatewayFallback().Build();

    private sealed class NullMetricExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }

    /// <summary>The primary (openai) answers 429 with Retry-After: 3600 once; the fallback answers at once.</summary>
    private sealed class CoolingPrimaryHandler : HttpMessageHandler
    {
        private readonly InstantHandler _inner = new();
        private int _primaryCalls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.Contains("/openai/", StringComparison.Ordinal))
            {
                if (Interlocked.Increment(ref _primaryCalls) > 1)
                {
                    throw new UnreachableException("The route in cooldown received a request.");
                }

                var limited = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests) { Content = new StringContent("{}") };
                limited.Headers.TryAddWithoutValidation("Retry-After", "3600");
                return Task.FromResult(limited);
            }

            return new HttpMessageInvoker(_inner).SendAsync(request, cancellationToken);
        }
    }
}
