using System.Diagnostics;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.Telemetry;

/// <summary>
/// Microsoft's <c>UseOpenTelemetry()</c> makes the GenAI span; our clients add the gateway's facts to it, a child span per
/// fallback attempt, and counters of their own. Captured with OpenTelemetry's in-memory exporter, Microsoft's
/// <see cref="MetricCollector{T}"/> and <see cref="FakeLogger"/>.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private const string Question = "What is the capital of France?";

    // A source name of this test class's own for Microsoft's span, so parallel tests never see each other's spans.
    private readonly string _sourceName = "test." + Guid.NewGuid().ToString("N");
    private readonly SpanCollection _spans = [];
    private readonly TracerProvider _tracer;

    public TelemetryTests()
    {
        _tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(_sourceName, AiGatewayTelemetry.SourceName)
            .AddInMemoryExporter(_spans)
            .Build();
    }

    public void Dispose() => _tracer.Dispose();

    private static string UniqueModel() => "gpt-test-" + Guid.NewGuid().ToString("N")[..8];

    private static object? Tag(Activity span, string name) => span.TagObjects.FirstOrDefault(t => t.Key == name).Value;

    private (IChatClient Chat, ServiceProvider Services) Build(AiGatewayEmulator emulator, string model, bool fallback, Action<AiGatewayOptions>? configure = null, Action<ChatClientBuilder>? inner = null)
    {
        var services = new ServiceCollection();
        services.AddFakeLogging();
        var builder = services.AddAiGatewayChatClient(o =>
        {
            o.Endpoint = emulator.GatewayEndpoint;
            o.AccountId = "acct";
            o.Provider = "openai";
            o.Model = model;
            o.ApiKey = TestOptions.ApiKey;
            o.Token = TestOptions.Token;
            if (fallback)
            {
                o.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = model + "-groq" });
            }

            configure?.Invoke(o);
        });
        builder.UseFunctionInvocation().UseOpenTelemetry(sourceName: _sourceName);
        inner?.Invoke(builder);
        if (fallback)
        {
            builder.UseAiGatewayFallback();
        }

        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IChatClient>(), provider);
    }

    private Activity ChatSpan() => Assert.Single(_spans, s => s.Source.Name == _sourceName && s.OperationName.StartsWith("chat", StringComparison.Ordinal));

    private List<Activity> Attempts(Activity chat) => [.. _spans.Where(s => s.Source.Name == AiGatewayTelemetry.SourceName && s.ParentSpanId == chat.SpanId)];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MicrosoftsSpan_CarriesTheGatewaysFacts(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { Gateways = { new EmulatorGateway { Id = "cached", CacheTtl = 300 } } });
        string model = UniqueModel();
        var (chat, services) = Build(emulator, model, fallback: false, o => o.GatewayId = "cached");
        await using var _ = services;

        var options = new ChatOptions().WithGatewayEventId("evt-42");
        var response = streaming
            ? await chat.GetStreamingResponseAsync(Question, options).ToChatResponseAsync()
            : await chat.GetResponseAsync(Question, options);

        var span = ChatSpan();
        var info = response.GetGatewayInfo()!;
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal("openai", Tag(span, "gen_ai.provider.name"));
        Assert.Equal(model, Tag(span, "gen_ai.request.model"));
        Assert.Equal(streaming ? "unknown" : "miss", Tag(span, AiGatewayTelemetry.Attributes.CacheStatus));
        Assert.Equal(info.LogId, Tag(span, AiGatewayTelemetry.Attributes.LogId));
        Assert.Equal(info.RequestId, Tag(span, AiGatewayTelemetry.Attributes.RequestId));
        Assert.Equal("evt-42", Tag(span, AiGatewayTelemetry.Attributes.EventId));
        Assert.Equal("cached", Tag(span, AiGatewayTelemetry.Attributes.GatewayId));
        Assert.Equal("openai", Tag(span, AiGatewayTelemetry.Attributes.Provider));
        Assert.Equal(model, Tag(span, AiGatewayTelemetry.Attributes.Model));
        Assert.Equal(0, Tag(span, AiGatewayTelemetry.Attributes.RouteIndex));
        Assert.Null(Tag(span, AiGatewayTelemetry.Attributes.Attempts));
        Assert.NotNull(info.LogId);
    }

    [Fact]
    public async Task TheGatewayReceivesTheSpansTraceContext()
    {
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        using var chat = new AiGatewayChatClient(TestOptions.Create(), new HttpClient(handler)).AsBuilder().UseOpenTelemetry(sourceName: _sourceName).Build();

        await chat.GetResponseAsync(Question);

        var span = ChatSpan();
        Assert.Equal(span.TraceId.ToHexString(), handler.SoleRequest.Header("cf-aig-otel-trace-id"));
        Assert.Equal(span.SpanId.ToHexString(), handler.SoleRequest.Header("cf-aig-otel-parent-span-id"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Fallback_MakesAChildSpanPerAttempt_AndPutsTheServingRoutesFactsOnTheChatSpan(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        string model = UniqueModel();
        var (chat, services) = Build(emulator, model, fallback: true);
        await using var _ = services;

        var response = streaming
            ? await chat.GetStreamingResponseAsync(Question).ToChatResponseAsync()
            : await chat.GetResponseAsync(Question);

        var span = ChatSpan();
        var attempts = Attempts(span);
        Assert.Equal(["attempt openai", "attempt groq"], attempts.Select(a => a.DisplayName));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal(503, Tag(attempts[0], AiGatewayTelemetry.Attributes.HttpStatusCode));
        Assert.Equal("ProviderError", Tag(attempts[0], AiGatewayTelemetry.Attributes.ErrorKind));
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
        Assert.Equal(200, Tag(attempts[1], AiGatewayTelemetry.Attributes.HttpStatusCode));
        Assert.Equal(response.GetGatewayInfo()!.LogId, Tag(attempts[1], AiGatewayTelemetry.Attributes.LogId));
        Assert.Equal(("openai", model, 0), (Tag(attempts[0], AiGatewayTelemetry.Attributes.Provider), Tag(attempts[0], AiGatewayTelemetry.Attributes.Model), Tag(attempts[0], AiGatewayTelemetry.Attributes.RouteIndex)));
        Assert.Equal(("groq", model + "-groq", 1), (Tag(attempts[1], AiGatewayTelemetry.Attributes.Provider), Tag(attempts[1], AiGatewayTelemetry.Attributes.Model), Tag(attempts[1], AiGatewayTelemetry.Attributes.RouteIndex)));
        Assert.Equal("groq", Tag(span, AiGatewayTelemetry.Attributes.Provider));
        Assert.Equal(1, Tag(span, AiGatewayTelemetry.Attributes.RouteIndex));
        Assert.Equal(2, Tag(span, AiGatewayTelemetry.Attributes.Attempts));

        // Microsoft's attributes hold only what every route shares: not the primary's provider and model, which did not serve.
        Assert.Null(Tag(span, "gen_ai.provider.name"));
        Assert.Null(Tag(span, "gen_ai.request.model"));
        Assert.Null(Tag(span, "server.address"));
    }

    [Fact]
    public async Task SkippedRoutes_AreEventsOnTheChatSpan_AndCounted()
    {
        var clock = new FakeClock();
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 429, RetryAfter = TimeSpan.FromMinutes(1) });
        string model = UniqueModel();
        using var skips = new MetricCollector<long>(null, AiGatewayTelemetry.SourceName, AiGatewayTelemetry.Metrics.RouteSkips);
        using var fallbacks = new MetricCollector<long>(null, AiGatewayTelemetry.SourceName, AiGatewayTelemetry.Metrics.Fallbacks);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAiGatewayChatClient(o =>
        {
            o.Endpoint = emulator.GatewayEndpoint;
            o.AccountId = "acct";
            o.Provider = "openai";
            o.Model = model;
            o.ApiKey = TestOptions.ApiKey;
            o.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        }).UseOpenTelemetry(sourceName: _sourceName).UseAiGatewayFallback();
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();

        await chat.GetResponseAsync(Question);
        _spans.Clear();
        await chat.GetResponseAsync(Question);

        var span = ChatSpan();
        var skipped = Assert.Single(span.Events);
        Assert.Equal("aigateway.route.skipped", skipped.Name);
        Assert.Equal("openai", skipped.Tags.First(t => t.Key == AiGatewayTelemetry.Attributes.Provider).Value);
        Assert.Equal(["attempt groq"], Attempts(span).Select(a => a.DisplayName));
        Assert.Equal(1, skips.GetMeasurementSnapshot().Count(m => Equals(m.Tags[AiGatewayTelemetry.Attributes.Model], model)));
        var fellBack = Assert.Single(fallbacks.GetMeasurementSnapshot(), m => Equals(m.Tags[AiGatewayTelemetry.Attributes.Model], model));
        Assert.Equal("RateLimited", fellBack.Tags[AiGatewayTelemetry.Attributes.ErrorKind]);
    }

    [Fact]
    public async Task CacheLookups_AreCountedByStatus()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { Gateways = { new EmulatorGateway { Id = "cached", CacheTtl = 300 } } });
        string model = UniqueModel();
        using var lookups = new MetricCollector<long>(null, AiGatewayTelemetry.SourceName, AiGatewayTelemetry.Metrics.CacheLookups);
        var (chat, services) = Build(emulator, model, fallback: false, o => o.GatewayId = "cached");
        await using var _ = services;

        await chat.GetResponseAsync(Question);
        await chat.GetResponseAsync(Question);

        var mine = lookups.GetMeasurementSnapshot().Where(m => Equals(m.Tags[AiGatewayTelemetry.Attributes.Model], model)).ToList();
        Assert.Equal(["miss", "hit"], mine.Select(m => m.Tags[AiGatewayTelemetry.Attributes.CacheStatus]));
        Assert.All(mine, m => Assert.Equal(1, m.Value));
    }

    [Fact]
    public async Task AToolCallByFunctionInvocation_IsInTheSameTrace()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        string model = UniqueModel();
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(o =>
        {
            o.Endpoint = emulator.GatewayEndpoint;
            o.AccountId = "acct";
            o.Provider = "openai";
            o.Model = model;
            o.ApiKey = TestOptions.ApiKey;
        }).UseFunctionInvocation().UseOpenTelemetry(sourceName: _sourceName);
        await using var provider = services.BuildServiceProvider();
        var tool = AIFunctionFactory.Create(() => "12:00", "get_current_time", "The time.");

        using (var root = new ActivitySource(_sourceName).StartActivity("request"))
        {
            await provider.GetRequiredService<IChatClient>().GetResponseAsync("What time is it?", new ChatOptions { Tools = [tool] });
        }

        var trace = _spans.Single(s => s.DisplayName == "request").TraceId;
        Assert.Equal(2, _spans.Count(s => s.TraceId == trace && s.OperationName.StartsWith("chat", StringComparison.Ordinal)));
        Assert.Contains(_spans, s => s.TraceId == trace && s.DisplayName == "execute_tool get_current_time");
    }

    [Fact]
    public async Task Failures_AreTaggedAndLogged_WithoutSecrets()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503, Body = "{\"error\":{\"message\":\"upstream saw " + TestOptions.ApiKey + "\"}}" });
        emulator.Faults.Add(new EmulatorFault { Provider = "groq", Status = 500 });
        string model = UniqueModel();
        var (chat, services) = Build(emulator, model, fallback: true);
        await using var _ = services;

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => chat.GetResponseAsync(Question));

        var span = ChatSpan();
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(AiGatewayException).FullName, Tag(span, "error.type"));
        var logs = services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, l => l.Level == LogLevel.Information && l.Message.Contains("fell back from openai/" + model, StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Level == LogLevel.Warning && l.Message.Contains("groq/" + model + "-groq failed: 500", StringComparison.Ordinal));
        string everything = string.Join('\n', logs.Select(l => l.Message))
            + string.Join('\n', _spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")))
            + error.ToString();
        Assert.DoesNotContain(TestOptions.ApiKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.Token, everything, StringComparison.Ordinal);
    }
}
