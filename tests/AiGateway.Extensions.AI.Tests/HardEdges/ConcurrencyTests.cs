using System.Net.Sockets;
using AiGateway.Emulator;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>Many concurrent streams on one client against the emulator: no errors, no cross-talk, connections reused.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task FiveHundredConcurrentStreams_WithTheirOwnOptions_NeverMixAndReuseConnections()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        int connections = 0;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator), http);

        async Task WaveAsync(int wave)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(async i =>
            {
                string tag = $"w{wave}-n{i}";
                var options = new ChatOptions().WithGatewayEventId("evt-" + tag).WithGatewayMetadata("tag", tag);
                var response = await client.GetStreamingResponseAsync($"Echo {tag} please", options).ToChatResponseAsync();
                return (Tag: tag, Response: response);
            })).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.All(results, r =>
            {
                Assert.Contains($"Echo {r.Tag} please", r.Response.Text, StringComparison.Ordinal);
                Assert.Equal("evt-" + r.Tag, r.Response.GetGatewayInfo()!.EventId);
            });
        }

        await WaveAsync(1);
        int afterFirstWave = Volatile.Read(ref connections);
        await WaveAsync(2);

        Assert.InRange(afterFirstWave, 1, 500);
        Assert.Equal(afterFirstWave, Volatile.Read(ref connections));
        Assert.Equal(1000, emulator.State.GetLogs("default").Count);
        // Each request's headers arrived together: its event id and its metadata name the same request.
        Assert.All(emulator.State.GetLogs("default"), log => Assert.Equal(log.EventId, "evt-" + log.Metadata!["tag"]!.GetValue<string>()));
    }
}
