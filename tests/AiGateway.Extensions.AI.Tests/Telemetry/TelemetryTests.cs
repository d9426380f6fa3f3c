using System.Diagnostics;
using AiGateway.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiGateway.Extensions.AI.Tests.Telemetry;

/// <summary>Spans, metrics and logs through the real OpenTelemetry SDK, against the emulator.</summary>
public sealed class TelemetryTests
{
    private const string Question = "What is the capital of France?";

    private static (IChatClient Client, ServiceProvider Services) Build(AiGatewayEmulator emulator, TelemetryCapture capture, string model, bool withFallback = true, Action<AiGatewayOptions>? configure = null, bool sensitive = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton(capture.LoggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var builder = services.AddAiGatewayChatClient(o =>
        {
            o.Endpoint = emulator.GatewayEndpoint;
            o.AccountId = "acct";
            o.Provider = "openai";
            o.Model = model;
            o.ApiKey = TestOptions.ApiKey;
            o.Token = TestOptions.Token;
            if (withFallback)
            {
                o.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = model + "-groq" });
            }

            configure?.Invoke(o);
        }).UseTelemetry(c => c.EnableSensitiveData = sensitive);
        if (withFallback)
        {
            builder.UseFallback();
        }

        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IChatClient>(), provider);
    }

    private static string UniqueModel() => "gpt-test-" + Guid.NewGuid().ToString("N")[..8];

    private static object? Tag(Activity span, string name) => span.TagObjects.FirstOrDefault(t => t.Key == name).Value;

    [Fact]
    public async Task Success_IsOneChatSpanWithTheConventionsAttributes_AndTheGatewaysFacts()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        string model = UniqueModel();
        var (client, services) = Build(emulator, capture, model, withFallback: false);
        await using var _ = services;

        var response = await client.GetResponseAsync(Question, new ChatOptions
        {
            Temperature = 0.5f, TopP = 0.9f, MaxOutputTokens = 100, StopSequences = ["END"], Seed = 7, FrequencyPenalty = 0.1f, PresencePenalty = 0.2f,
        });

        var span = Assert.Single(capture.TestSpans);
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("chat", Tag(span, "gen_ai.operation.name"));
        Assert.Equal("openai", Tag(span, "gen_ai.provider.name"));
        Assert.Equal(model, Tag(span, "gen_ai.request.model"));
        Assert.Equal(0.5, (double)Tag(span, "gen_ai.request.temperature")!, 3);
        Assert.Equal(0.9, (double)Tag(span, "gen_ai.request.top_p")!, 3);
        Assert.Equal(100, Tag(span, "gen_ai.request.max_tokens"));
        Assert.Equal(["END"], (string[])Tag(span, "gen_ai.request.stop_sequences")!);
        Assert.Equal(7L, Tag(span, "gen_ai.request.seed"));
        Assert.Equal(0.1, (double)Tag(span, "gen_ai.request.frequency_penalty")!, 3);
        Assert.Equal(0.2, (double)Tag(span, "gen_ai.request.presence_penalty")!, 3);
        Assert.Equal(response.ResponseId, Tag(span, "gen_ai.response.id"));
        Assert.Equal(model, Tag(span, "gen_ai.response.model"));
        Assert.Equal(["stop"], (string[])Tag(span, "gen_ai.response.finish_reasons")!);
        Assert.Equal(response.Usage!.InputTokenCount, Tag(span, "gen_ai.usage.input_tokens"));
        Assert.Equal(response.Usage.OutputTokenCount, Tag(span, "gen_ai.usage.output_tokens"));
        Assert.Equal(0L, Tag(span, "gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(0L, Tag(span, "gen_ai.usage.reasoning.output_tokens"));
        Assert.Equal("127.0.0.1", Tag(span, "server.address"));
        Assert.Equal(emulator.Root.Port, Tag(span, "server.port"));
        Assert.Equal("default", Tag(span, "aigateway.gateway.id"));
        Assert.Equal("unknown", Tag(span, "aigateway.cache.status"));
        Assert.Equal(response.GetGatewayInfo()!.LogId, Tag(span, "aigateway.log.id"));
        Assert.Equal("openai", Tag(span, "aigateway.provider"));
        Assert.Equal(1, Tag(span, "aigateway.attempts"));
        Assert.Null(Tag(span, "gen_ai.input.messages"));
        Assert.Null(Tag(span, "gen_ai.output.messages"));

        var duration = Assert.Single(capture.Metric("gen_ai.client.operation.duration", model));
        Assert.Equal("s", duration.Unit);
        Assert.Equal(1, duration.Count);
        Assert.Equal([0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, double.PositiveInfinity], duration.Boundaries);
        Assert.Equal("chat", duration.Tags["gen_ai.operation.name"]);
        Assert.Equal("openai", duration.Tags["gen_ai.provider.name"]);
        Assert.Equal(model, duration.Tags["gen_ai.response.model"]);
        Assert.Equal("127.0.0.1", duration.Tags["server.address"]);
        var tokens = capture.Metric("gen_ai.client.token.usage", model);
        Assert.Equal("{token}", tokens[0].Unit);
        Assert.Equal(response.Usage.InputTokenCount, (long)tokens.Single(p => Equals(p.Tags["gen_ai.token.type"], "input")).Sum);
        Assert.Equal(response.Usage.OutputTokenCount, (long)tokens.Single(p => Equals(p.Tags["gen_ai.token.type"], "output")).Sum);
        Assert.Equal(16384, tokens[0].Boundaries[7]);
        var requests = Assert.Single(capture.Metric("aigateway.client.requests", model));
        Assert.Equal(1, requests.Count);
        Assert.Equal("success", requests.Tags["aigateway.outcome"]);
        Assert.Equal("unknown", requests.Tags["aigateway.cache.status"]);
    }

    [Fact]
    public async Task Streaming_RecordsTimeToFirstChunkAndTimePerChunk()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        string model = UniqueModel();
        var (client, services) = Build(emulator, capture, model, withFallback: false);
        await using var _ = services;

        var updates = await client.GetStreamingResponseAsync(Question).ToListAsync();

        var span = Assert.Single(capture.TestSpans);
        Assert.Equal(["stop"], (string[])Tag(span, "gen_ai.response.finish_reasons")!);
        Assert.NotNull(Tag(span, "gen_ai.usage.output_tokens"));
        Assert.Equal(1, Assert.Single(capture.Metric("gen_ai.client.operation.time_to_first_chunk", model)).Count);
        Assert.Equal(updates.Count - 1, Assert.Single(capture.Metric("gen_ai.client.operation.time_per_output_chunk", model)).Count);
        Assert.Equal(true, Assert.Single(capture.Metric("aigateway.client.requests", model)).Tags["aigateway.streaming"]);
    }

    [Fact]
    public async Task CacheHit_IsOnTheSpanAndTheCounter()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        string model = UniqueModel();
        var (client, services) = Build(emulator, capture, model, withFallback: false, o => o.Cache = new() { Ttl = TimeSpan.FromMinutes(5) });
        await using var _ = services;

        await client.GetResponseAsync(Question);
        await client.GetResponseAsync(Question);

        Assert.Equal(["miss", "hit"], capture.TestSpans.Select(s => Tag(s, "aigateway.cache.status")));
        var counters = capture.Metric("aigateway.client.requests", model);
        Assert.Equal(1, counters.Single(p => Equals(p.Tags["aigateway.cache.status"], "hit")).Count);
        Assert.Equal(1, counters.Single(p => Equals(p.Tags["aigateway.cache.status"], "miss")).Count);
    }

    [Fact]
    public async Task Fallback_EachAttemptIsAChildSpan_AndTheChatSpanNamesWhatServed()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        string model = UniqueModel();
        var (client, services) = Build(emulator, capture, model);
        await using var _ = services;

        await client.GetResponseAsync(Question);

        var spans = capture.TestSpans;
        var chat = spans.Single(s => s.DisplayName == $"chat {model}");
        var attempts = spans.Where(s => s.ParentSpanId == chat.SpanId).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(["attempt openai", "attempt groq"], attempts.Select(a => a.DisplayName));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal(503, Tag(attempts[0], "http.response.status_code"));
        Assert.Equal("ProviderError", Tag(attempts[0], "aigateway.error.kind"));
        Assert.Equal(0, Tag(attempts[0], "aigateway.route.index"));
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
        Assert.Equal(200, Tag(attempts[1], "http.response.status_code"));
        Assert.Equal("groq", Tag(chat, "gen_ai.provider.name"));
        Assert.Equal("groq", Tag(chat, "aigateway.provider"));
        Assert.Equal(2, Tag(chat, "aigateway.attempts"));
        Assert.Equal("fallback", Assert.Single(capture.Metric("aigateway.client.requests", model)).Tags["aigateway.outcome"]);
        Assert.Contains(capture.Logs, l => l.StartsWith("Information: AI Gateway fell back from openai/", StringComparison.Ordinal));
        Assert.Contains(capture.Logs, l => l.StartsWith("Warning: AI Gateway openai/", StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal));
        Assert.Contains(capture.Logs, l => l.StartsWith("Debug: AI Gateway groq/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failure_SetsErrorTypeAndStatus()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 401 });
        string model = UniqueModel();
        var (client, services) = Build(emulator, capture, model);
        await using var _ = services;

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        var chat = capture.TestSpans.Single(s => s.DisplayName == $"chat {model}");
        Assert.Equal(ActivityStatusCode.Error, chat.Status);
        Assert.Equal("Authentication", Tag(chat, "error.type"));
        Assert.Equal(401, Tag(chat, "http.response.status_code"));
        Assert.Equal(error.LogId, Tag(chat, "aigateway.log.id"));
        var duration = Assert.Single(capture.Metric("gen_ai.client.operation.duration", model));
        Assert.Equal("Authentication", duration.Tags["error.type"]);
        Assert.Equal("error", Assert.Single(capture.Metric("aigateway.client.requests", model)).Tags["aigateway.outcome"]);
        Assert.Contains(capture.Logs, l => l.StartsWith("Warning:", StringComparison.Ordinal) && l.Contains(error.LogId!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageContent_IsRecordedOnlyWhenOptedIn()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        string model = UniqueModel();
        var (client, services) = Build(emulator, capture, model, withFallback: false, sensitive: true);
        await using var _ = services;

        await client.GetResponseAsync(Question, new ChatOptions { Instructions = "Be brief." });

        var span = Assert.Single(capture.TestSpans);
        Assert.Equal("""[{"role":"user","parts":[{"type":"text","content":"What is the capital of France?"}]}]""", Tag(span, "gen_ai.input.messages"));
        Assert.Equal("""[{"type":"text","content":"Be brief."}]""", Tag(span, "gen_ai.system_instructions"));
        Assert.Equal("""[{"role":"assistant","parts":[{"type":"text","content":"The capital of France is Paris."}],"finish_reason":"stop"}]""", Tag(span, "gen_ai.output.messages"));
    }

    [Fact]
    public async Task TraceContext_ReachesTheGateway()
    {
        using var capture = new TelemetryCapture();
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        string model = UniqueModel();
        var options = TestOptions.Create(model: model);
        using var client = new AiGatewayTelemetryChatClient(TestOptions.Client(options, handler));

        await client.GetResponseAsync(Question);

        var span = Assert.Single(capture.TestSpans);
        var request = handler.SoleRequest;
        Assert.Equal(span.TraceId.ToHexString(), request.Header("cf-aig-otel-trace-id"));
        Assert.Equal(span.SpanId.ToHexString(), request.Header("cf-aig-otel-parent-span-id"));
        Assert.Matches("^[0-9a-f]{32}$", request.Header("cf-aig-otel-trace-id"));
        Assert.Matches("^[0-9a-f]{16}$", request.Header("cf-aig-otel-parent-span-id"));
    }

    [Fact]
    public async Task NoSecret_AppearsInAnySpanMetricOrLog()
    {
        using var capture = new TelemetryCapture();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault
        {
            Provider = "openai", Status = 401,
            Body = $$$"""{"error":{"message":"Incorrect API key provided: {{{TestOptions.ApiKey}}}","type":"invalid_request_error","code":"invalid_api_key"}}""",
        });
        string model = UniqueModel();
        var (client, services) = Build(emulator, capture, model, sensitive: true);
        await using var _ = services;

        await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));
        emulator.Faults.Clear();
        await client.GetStreamingResponseAsync(Question).ToListAsync();

        var everything = capture.TestSpans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.StatusDescription ?? string.Empty))
            .Concat(capture.Points.SelectMany(p => p.Tags.Select(t => $"{t.Key}={t.Value}")))
            .Concat(capture.Logs)
            .ToList();
        Assert.NotEmpty(everything);
        Assert.DoesNotContain(everything, s => s.Contains(TestOptions.ApiKey, StringComparison.Ordinal) || s.Contains(TestOptions.Token, StringComparison.Ordinal));
    }
}
