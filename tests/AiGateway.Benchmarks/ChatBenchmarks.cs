using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
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
/// One chat call (a system + user message, temperature 0.7, max tokens 256) against a handler that answers at once,
/// non-streaming and streaming (50 chunks + usage + [DONE]): Microsoft's OpenAI adapter (<c>AsIChatClient()</c> over the
/// SDK, the baseline of each category) and this package's client, bare and inside their pipelines with OpenTelemetry
/// listening (the adapter inside <c>UseOpenTelemetry()</c>; ours inside <c>UseOpenTelemetry().UseAiGatewayFallback()</c>).
/// The OpenAI SDK called directly, and a fallback chain whose primary is cooling down, are there for reference.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class ChatBenchmarks
{
    private const string MicrosoftSource = "Experimental.Microsoft.Extensions.AI";

    private readonly List<ChatMessage> _messages = [new(ChatRole.System, "You are a geographer."), new(ChatRole.User, "What is the capital of France?")];
    private readonly List<OpenAI.Chat.ChatMessage> _sdkMessages = [new SystemChatMessage("You are a geographer."), new UserChatMessage("What is the capital of France?")];
    private readonly ChatOptions _options = new() { Temperature = 0.7f, MaxOutputTokens = 256 };

    private readonly ChatOptions _anthropicOptions = new() { MaxOutputTokens = 256 };
    private readonly ChatCompletionOptions _sdkOptions = new() { Temperature = 0.7f, MaxOutputTokenCount = 256 };

    private HttpClient _http = null!;
    private ChatClient _sdk = null!;
    private ChatClient _sdkStream = null!;
    private IChatClient _adapter = null!;
    private IChatClient _adapterStream = null!;
    private IChatClient _adapterPipeline = null!;
    private IChatClient _adapterPipelineStream = null!;
    private IChatClient _adapterFailoverPipeline = null!;
    private IChatClient _adapterFailoverPipelineStream = null!;
    private AiGatewayChatClient _ours = null!;
    private AiGatewayChatClient _oursStream = null!;
    private IChatClient _oursPipeline = null!;
    private IChatClient _oursPipelineStream = null!;
    private IChatClient _cooling = null!;
    private IChatClient _oursTelemetryOnly = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _adapterEmbeddings = null!;
    private IEmbeddingGenerator<string, Embedding<float>> _oursEmbeddings = null!;
    private IChatClient _oursFallbackOnly = null!;
    private IChatClient _anthropicSdk = null!;
    private IChatClient _oursAnthropic = null!;
    private TracerProvider _tracer = null!;
    private MeterProvider _meter = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _http = new HttpClient(new InstantHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _sdk = Sdk("acct");
        _sdkStream = Sdk("stream");
        _adapter = Sdk("acct").AsIChatClient();
        _adapterStream = Sdk("stream").AsIChatClient();
        _adapterPipeline = Sdk("acct").AsIChatClient().AsBuilder().UseOpenTelemetry().Build();
        _adapterPipelineStream = Sdk("stream").AsIChatClient().AsBuilder().UseOpenTelemetry().Build();
        _adapterFailoverPipeline = new OrderedFailoverChatClient([Sdk("acct").AsIChatClient(), Sdk("acct", "groq").AsIChatClient()]).AsBuilder().UseOpenTelemetry().Build();
        _adapterFailoverPipelineStream = new OrderedFailoverChatClient([Sdk("stream").AsIChatClient(), Sdk("stream", "groq").AsIChatClient()]).AsBuilder().UseOpenTelemetry().Build();
        _ours = new AiGatewayChatClient(Options("acct"), _http);
        _oursStream = new AiGatewayChatClient(Options("stream"), _http);
        _oursPipeline = Pipeline("acct", _http);
        _oursPipelineStream = Pipeline("stream", _http);
        _oursTelemetryOnly = new AiGatewayChatClient(Options("acct"), _http).AsBuilder().UseOpenTelemetry().Build();
        _oursFallbackOnly = new AiGatewayChatClient(WithFallback(Options("acct")), _http).AsBuilder().UseAiGatewayFallback().Build();
        _adapterEmbeddings = new OpenAI.Embeddings.EmbeddingClient("text-embedding-3-small", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions
        {
            Endpoint = new Uri("http://bench/v1/acct/default/openai"),
            Transport = new HttpClientPipelineTransport(_http),
        }).AsIEmbeddingGenerator();
        var embeddingOptions = Options("acct");
        embeddingOptions.Model = "text-embedding-3-small";
        _oursEmbeddings = new AiGatewayEmbeddingGenerator(embeddingOptions, _http);

        _anthropicSdk = new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions
        {
            HttpClient = _http,
            BaseUrl = "http://bench/v1/acct/default/anthropic",
            ApiKey = "sk-ant-bench",
            MaxRetries = 0,
            OpenTelemetry = false,
        }).AsIChatClient("claude-sonnet-4-5", 4096);
        var anthropicOptions = Options("acct");
        anthropicOptions.Provider = "anthropic";
        anthropicOptions.Model = "claude-sonnet-4-5";
        _oursAnthropic = new AiGatewayChatClient(anthropicOptions, _http);

        // A chain whose primary answered 429 with a one-hour Retry-After: every request skips it.
        var coolingHttp = new HttpClient(new CoolingPrimaryHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _cooling = new AiGatewayFallbackChatClient(new AiGatewayChatClient(WithFallback(Options("acct")), coolingHttp));
        await _cooling.GetResponseAsync(_messages, _options);

        // AIGATEWAY_BENCH_SOURCES=microsoft records Microsoft's source only: the spans Microsoft's pipeline makes, without
        // this package's attempt spans (which exist only for a listener of its own source).
        string[] sources = Environment.GetEnvironmentVariable("AIGATEWAY_BENCH_SOURCES") == "microsoft" ? [MicrosoftSource] : [MicrosoftSource, AiGatewayTelemetry.SourceName];
        _tracer = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(sources).SetSampler(new AlwaysOnSampler()).Build()!;
        _meter = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMeter(MicrosoftSource, AiGatewayTelemetry.SourceName)
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
    public async Task<string> Adapter() => (await _adapter.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> Ours() => (await _ours.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> AdapterPipeline() => (await _adapterPipeline.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> AdapterFailoverPipeline() => (await _adapterFailoverPipeline.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> OursPipeline() => (await _oursPipeline.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> OursOpenTelemetryOnly() => (await _oursTelemetryOnly.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> OursFallbackOnly() => (await _oursFallbackOnly.GetResponseAsync(_messages, _options)).Text;

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string?> SdkDirect() => (await _sdk.CompleteChatAsync(_sdkMessages, _sdkOptions)).Value.Content[0].Text;

    /// <summary>
    /// The OpenAI SDK's call and Microsoft's mapping of its answer alone (no request mapping): the floor for any client
    /// that reads answers through Microsoft.Extensions.AI.OpenAI, as this package does.
    /// </summary>
    [Benchmark]
    [BenchmarkCategory("non-streaming")]
#pragma warning disable OPENAI001 // Microsoft's mapping is experimental only because the SDK types it reads are.
    public async Task<string> SdkMapped() => (await _sdk.CompleteChatAsync(_sdkMessages, _sdkOptions)).Value.AsChatResponse().Text;
#pragma warning restore OPENAI001

    [Benchmark]
    [BenchmarkCategory("non-streaming")]
    public async Task<string> OursPrimaryInCooldown() => (await _cooling.GetResponseAsync(_messages, _options)).Text;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("streaming")]
    public Task<int> AdapterStreaming() => CountAsync(_adapterStream);

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public Task<int> OursStreaming() => CountAsync(_oursStream);

    /// <summary>The OpenAI SDK's own stream, nothing mapped: what the bare client is held to.</summary>
    [Benchmark]
    [BenchmarkCategory("streaming")]
    public async Task<int> SdkStreaming()
    {
        int parts = 0;
        await foreach (var update in _sdkStream.CompleteChatStreamingAsync(_sdkMessages, _sdkOptions))
        {
            parts += update.ContentUpdate.Count;
        }

        return parts;
    }

    /// <summary>The SDK's stream mapped by Microsoft.Extensions.AI.OpenAI: the floor for a client that maps through it.</summary>
    [Benchmark]
    [BenchmarkCategory("streaming")]
    public async Task<int> SdkMappedStreaming()
    {
        int contents = 0;
#pragma warning disable OPENAI001 // Microsoft's mapping is experimental only because the SDK types it reads are.
        await foreach (var update in _sdkStream.CompleteChatStreamingAsync(_sdkMessages, _sdkOptions).AsChatResponseUpdatesAsync())
#pragma warning restore OPENAI001
        {
            contents += update.Contents.Count;
        }

        return contents;
    }

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public Task<int> AdapterPipelineStreaming() => CountAsync(_adapterPipelineStream);

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public Task<int> AdapterFailoverPipelineStreaming() => CountAsync(_adapterFailoverPipelineStream);

    [Benchmark]
    [BenchmarkCategory("streaming")]
    public Task<int> OursPipelineStreaming() => CountAsync(_oursPipelineStream);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("embeddings")]
    public async Task<int> AdapterEmbeddings() => (await _adapterEmbeddings.GenerateAsync(["The capital of France is Paris."]))[0].Vector.Length;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("anthropic")]
    public async Task<string> AnthropicSdk() => (await _anthropicSdk.GetResponseAsync(_messages, _anthropicOptions)).Text;

    [Benchmark]
    [BenchmarkCategory("anthropic")]
    public async Task<string> OursAnthropic() => (await _oursAnthropic.GetResponseAsync(_messages, _anthropicOptions)).Text;

    [Benchmark]
    [BenchmarkCategory("embeddings")]
    public async Task<int> OursEmbeddings() => (await _oursEmbeddings.GenerateAsync(["The capital of France is Paris."]))[0].Vector.Length;

    private async Task<int> CountAsync(IChatClient client)
    {
        int contents = 0;
        await foreach (var update in client.GetStreamingResponseAsync(_messages, _options))
        {
            contents += update.Contents.Count;
        }

        return contents;
    }

    private ChatClient Sdk(string account, string provider = "openai") => new("gpt-4o-mini", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions
    {
        Endpoint = new Uri($"http://bench/v1/{account}/default/{provider}"),
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

    private static IChatClient Pipeline(string account, HttpClient http) =>
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
