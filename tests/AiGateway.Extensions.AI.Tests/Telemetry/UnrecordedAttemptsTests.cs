using System.Diagnostics;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.Telemetry;

/// <summary>Activity listeners are process-wide: these tests need no listener on this package's source, so they run alone.</summary>
[CollectionDefinition(nameof(UnrecordedAttemptsTests), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>When only Microsoft's span is recorded (nothing listens to attempt spans), the fallback still tags it once per fact.</summary>
[Collection(nameof(UnrecordedAttemptsTests))]
public sealed class UnrecordedAttemptsTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task WithoutAttemptSpans_TheChatSpanCarriesEachFactOnce(bool primaryFails, bool streaming)
    {
        string source = "only-microsoft." + Guid.NewGuid().ToString("N");
        var spans = new SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(source).AddInMemoryExporter(spans).Build();
        Assert.False(AiGatewayTelemetry.Source.HasListeners(), "another test's listener on the package's source is still alive");
        await using var emulator = await AiGatewayEmulator.StartAsync();
        if (primaryFails)
        {
            emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        }

        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        using var chat = new AiGatewayChatClient(options).AsBuilder().UseOpenTelemetry(sourceName: source).UseAiGatewayFallback().Build();

        var response = streaming
            ? await chat.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync()
            : await chat.GetResponseAsync("What is the capital of France?");

        var span = Assert.Single(spans);
        var ours = span.TagObjects.Where(t => t.Key.StartsWith("aigateway.", StringComparison.Ordinal)).ToList();
        Assert.Equal(string.Join(",", ours.Select(t => t.Key).Distinct()), string.Join(",", ours.Select(t => t.Key)));
        Assert.Equal(primaryFails ? 2 : null, ours.SingleOrDefault(t => t.Key == AiGatewayTelemetry.Attributes.Attempts).Value);
        Assert.Equal(primaryFails ? 1 : 0, ours.Single(t => t.Key == AiGatewayTelemetry.Attributes.RouteIndex).Value);
        Assert.Equal(primaryFails ? "groq" : "openai", ours.Single(t => t.Key == AiGatewayTelemetry.Attributes.Provider).Value);
        Assert.Equal(response.GetGatewayInfo()!.LogId, ours.Single(t => t.Key == AiGatewayTelemetry.Attributes.LogId).Value);
    }
}
