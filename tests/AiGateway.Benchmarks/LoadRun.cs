using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;

namespace AiGateway.Benchmarks;

/// <summary>Many concurrent streams through the emulator on loopback: throughput, errors, connections, memory.</summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(int requests, int concurrency)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        int connections = 0;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = concurrency,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var options = ChatBenchmarks.Options("load");
        options.Endpoint = emulator.GatewayEndpoint;
        options.CollectLog = false;
        var client = new AiGatewayChatClient(options, http);

        await Drain(client, "warm-up");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalMemory(forceFullCollection: true);

        int errors = 0;
        using var gate = new SemaphoreSlim(concurrency);
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if (await Drain(client, $"question {i}") == 0)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref errors);
            }
            finally
            {
                gate.Release();
            }
        }));
        stopwatch.Stop();

        long afterPooled = GC.GetTotalMemory(forceFullCollection: true);
        client.Dispose();
        http.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long after = GC.GetTotalMemory(forceFullCollection: true);
        await emulator.DisposeAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long afterEmulator = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load: {requests} streams at concurrency {concurrency}: {stopwatch.Elapsed.TotalSeconds:0.00} s, {requests / stopwatch.Elapsed.TotalSeconds:0} streams/s, " +
            $"errors {errors}, connections opened {connections}, managed memory before {before / 1024.0 / 1024:0.0} MiB, " +
            $"after with {connections} pooled connections open {afterPooled / 1024.0 / 1024:0.0} MiB, after closing them {after / 1024.0 / 1024:0.0} MiB, " +
            $"after stopping the in-process emulator {afterEmulator / 1024.0 / 1024:0.0} MiB"));
        return errors == 0 ? 0 : 1;
    }

    private static async Task<int> Drain(AiGatewayChatClient client, string prompt)
    {
        int updates = 0;
        await foreach (var update in client.GetStreamingResponseAsync(prompt))
        {
            updates++;
        }

        return updates;
    }
}
