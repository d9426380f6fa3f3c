using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>Messages that help: they name our settings, keep each route's cause, and print no empty placeholders.</summary>
public sealed class MessageTests
{
    [Fact]
    public async Task ANetworkTimeout_NamesOurSetting_NotTheSdks()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        var options = TestOptions.Create(server.Root);
        options.NetworkTimeout = TimeSpan.FromMilliseconds(300);
        using var client = new AiGatewayChatClient(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Contains("AiGateway:NetworkTimeout (00:00:00.3000000)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ClientPipelineOptions", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("aka.ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRouteFailed_KeepsEachRoutesCause()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = TestOptions.Create(new Uri($"http://127.0.0.1:{closedPort}"));
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        using var client = new AiGatewayChatClient(options).AsBuilder().UseAiGatewayFallback().Build();

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        Assert.Matches(
            @"^Every AI Gateway route failed: openai/gpt-4o-mini no response \(Transport\): Connection refused[^;]*; groq/llama-3\.3-70b-versatile no response \(Transport\): Connection refused",
            error.Message);
    }

    [Fact]
    public async Task LogLines_LeaveOutWhatIsAbsent()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("""{"error":{"message":"Overloaded"}}""");
        });
        var logs = new FakeLogCollector();
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root), logger: new FakeLogger<AiGatewayChatClient>(logs));

        await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        var line = Assert.Single(logs.GetSnapshot(), l => l.Level == LogLevel.Warning);
        Assert.Equal("AI Gateway openai/gpt-4o-mini failed: 503 ProviderError.", line.Message);
    }
}
