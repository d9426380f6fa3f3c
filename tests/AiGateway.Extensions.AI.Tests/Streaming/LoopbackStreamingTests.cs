using AiGateway.Testing;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace AiGateway.Extensions.AI.Tests.Streaming;

/// <summary>Behaviour that crosses the network, over real HTTP on 127.0.0.1.</summary>
public sealed class LoopbackStreamingTests
{
    private static readonly TimeSpan s_testTimeout = TimeSpan.FromSeconds(30);

    private static async Task WriteSseAsync(HttpContext context, string sse, params (string, string)[] headers)
    {
        context.Response.ContentType = "text/event-stream";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(sse);
    }

    [Fact]
    public async Task FirstUpdate_ReachesTheCallerWhileTheServerStillHoldsTheRest()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers["cf-aig-log-id"] = "log-stream";
            await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n");
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(s_testTimeout);
            await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        });
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Hi").WithCancellation(new CancellationTokenSource(s_testTimeout).Token))
        {
            updates.Add(update);
            if (updates.Count == 1)
            {
                Assert.False(release.Task.IsCompleted);
                Assert.Equal("Hel", update.Text);
                Assert.Equal("log-stream", update.GetGatewayInfo()?.LogId);
                release.SetResult();
            }
        }

        Assert.Equal("Hello", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.NotNull(updates[^1].GetGatewayInfo());
    }

    [Fact]
    public async Task AStreamThatKeepsFlowing_IsNeverCut_ButOneThatStalls_EndsAtTheNetworkTimeout()
    {
        // The network timeout bounds each next piece, not the answer: four pieces 40 s apart outlast a 60 s timeout.
        const string Chunk = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":null}]}\n\n";
        var gate = new SemaphoreSlim(0);
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            for (int piece = 0; piece < 5; piece++)
            {
                if (piece > 0)
                {
                    await gate.WaitAsync(context.RequestAborted);
                }

                await context.Response.WriteAsync(Chunk);
                await context.Response.Body.FlushAsync();
            }

            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var clock = new FakeClock();
        var options = TestOptions.Create(server.Root);
        options.NetworkTimeout = TimeSpan.FromSeconds(60);
        using var client = new AiGatewayChatClient(options, null, clock);
        await using var updates = client.GetStreamingResponseAsync("Hi").GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(s_testTimeout));

        for (int piece = 1; piece < 5; piece++)
        {
            // The next read waits while the clock moves on, then its piece arrives.
            var next = updates.MoveNextAsync();
            clock.Advance(TimeSpan.FromSeconds(40));
            gate.Release();
            Assert.True(await next.AsTask().WaitAsync(s_testTimeout));
        }

        var stalled = updates.MoveNextAsync().AsTask();
        clock.Advance(TimeSpan.FromSeconds(60));
        clock.Advance(TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => stalled.WaitAsync(s_testTimeout));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Contains("NetworkTimeout (00:01:00)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n", 0)]
    [InlineData("\n", 1)]
    [InlineData("\r\n", 0)]
    [InlineData("\r\n", 1)]
    [InlineData("\r", 0)]
    [InlineData("\r", 1)]
    public async Task MaxStreamEventLength_CountsEachEventsText_HoweverTheStreamIsSplit(string lineEnd, int over)
    {
        // The longest event is exactly the limit (or one byte more); the server flushes every event in pieces, cutting
        // through its text and through its line ends, so the client reads it in several reads.
        string content = new('x', 3000);
        string[] events =
        [
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},\"finish_reason\":null}]}",
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            "data: [DONE]",
        ];
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (string sse in events.Select(e => e + lineEnd + lineEnd))
            {
                int[] cuts = [0, 1, 7, sse.Length - (2 * lineEnd.Length) - 1, sse.Length - lineEnd.Length - 1, sse.Length - 1, sse.Length];
                foreach (var (from, to) in cuts.Distinct().Order().Zip(cuts.Distinct().Order().Skip(1)))
                {
                    await context.Response.WriteAsync(sse[from..to]);
                    await context.Response.Body.FlushAsync();
                }
            }
        });
        var options = TestOptions.Create(server.Root);
        options.MaxStreamEventLength = events[0].Length - over;
        using var client = new AiGatewayChatClient(options);

        var streamed = client.GetStreamingResponseAsync("Hi").ToListAsync().AsTask().WaitAsync(s_testTimeout);

        if (over == 0)
        {
            Assert.Equal(content, string.Concat((await streamed).Select(u => u.Text)));
        }
        else
        {
            var error = await Assert.ThrowsAsync<AiGatewayException>(() => streamed);
            Assert.Equal(AiGatewayErrorKind.MalformedResponse, error.Kind);
            Assert.Contains("MaxStreamEventLength", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StreamedFixture_CoalescesToTheFullAnswerWithUsage()
    {
        string sse = Fixtures.Text("openai/stream-text-final-usage-chunk.sse");
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteSseAsync(context, sse, ("cf-aig-cache-status", "MISS")));
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var updates = await client.GetStreamingResponseAsync("Hi").ToListAsync();
        var response = updates.ToChatResponse();

        var expectedText = string.Concat(sse.Split('\n')
            .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .Select(l => System.Text.Json.JsonDocument.Parse(l[6..]).RootElement)
            .Where(e => e.GetProperty("choices").GetArrayLength() > 0 && e.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) && c.ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(e => e.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal(expectedText, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.TotalTokenCount > 0);
        Assert.All(updates, u => Assert.Equal(updates[0].ResponseId, u.ResponseId));
        Assert.Equal(AiGatewayCacheStatus.Miss, response.GetGatewayInfo()?.CacheStatus);
        var request = Assert.Single(server.Requests);
        Assert.Contains("\"stream\":true", request.BodyText, StringComparison.Ordinal);
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", request.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("groq/stream-reasoning-tool-call-x-groq.sse")]
    [InlineData("openai/stream-finish-length.sse")]
    [InlineData("openai/stream-text-include-usage-obfuscation.sse")]
    [InlineData("openrouter/stream-processing-comments-cost-usage.sse")]
    public async Task ProviderStreams_ParseToTheEnd(string fixture)
    {
        string sse = Fixtures.Text(fixture);
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteSseAsync(context, sse));
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var response = await client.GetStreamingResponseAsync("Hi").ToChatResponseAsync();

        Assert.NotNull(response.FinishReason);
        Assert.NotNull(response.ModelId);
    }

    [Fact]
    public async Task ErrorInsideA200Stream_IsATypedProviderError()
    {
        string sse = Fixtures.Text("openrouter/stream-midstream-error.sse");
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteSseAsync(context, sse));
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () => await client.GetStreamingResponseAsync("Hi").ToListAsync());

        Assert.Equal(AiGatewayErrorKind.ProviderError, error.Kind);
        Assert.NotNull(error.ProviderMessage);
    }

    [Fact]
    public async Task ConnectionDroppedMidStream_IsATransportError()
    {
        var firstReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":null}]}\n\n");
            await context.Response.Body.FlushAsync();
            await firstReceived.Task.WaitAsync(s_testTimeout);
            context.Abort();
        });
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi"))
            {
                received.Add(update.Text);
                firstReceived.TrySetResult();
            }
        });

        Assert.Equal(AiGatewayErrorKind.Transport, error.Kind);
        Assert.Equal(["partial"], received);
    }

    [Fact]
    public async Task StreamEndingWithoutFinishOrDone_IsATransportError()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteSseAsync(context,
            "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"cut\"},\"finish_reason\":null}]}\n\n"));
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () => await client.GetStreamingResponseAsync("Hi").ToListAsync());

        Assert.Equal(AiGatewayErrorKind.Transport, error.Kind);
        Assert.Contains("ended before the answer was complete", error.Message);
    }

    [Fact]
    public async Task MalformedSse_IsATypedError()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => WriteSseAsync(context, "data: {\"id\": \"c1\", \"choices\": [\n\ndata: [DONE]\n\n"));
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () => await client.GetStreamingResponseAsync("Hi").ToListAsync());

        Assert.Equal(AiGatewayErrorKind.MalformedResponse, error.Kind);
    }

    [Fact]
    public async Task ErrorStatusOnAStream_IsThrownBeforeAnyUpdate()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers["Retry-After"] = "3";
            await context.Response.WriteAsync(Fixtures.Text("openai/error-429-insufficient-quota.json"));
        });
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () => await client.GetStreamingResponseAsync("Hi").ToListAsync());

        Assert.Equal(AiGatewayErrorKind.RateLimited, error.Kind);
        Assert.Equal("insufficient_quota", error.ProviderErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A503_IsExactlyOneRequest(bool stream)
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("""{"error":{"message":"overloaded","type":"server_error"}}""");
        });
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var error = await Assert.ThrowsAsync<AiGatewayException>(async () =>
        {
            if (stream)
            {
                await client.GetStreamingResponseAsync("Hi").ToListAsync();
            }
            else
            {
                await client.GetResponseAsync("Hi");
            }
        });

        Assert.Equal(AiGatewayErrorKind.ProviderError, error.Kind);
        Assert.Equal(503, error.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task CancellingWhileWaitingForTheAnswer_ThrowsOperationCanceled()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            arrived.SetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));
        using var cts = new CancellationTokenSource();

        var call = client.GetResponseAsync("Hi", cancellationToken: cts.Token);
        await arrived.Task.WaitAsync(s_testTimeout);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task CancellingMidStream_StopsTheStream()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hi", cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task AServerThatNeverAnswers_HitsTheNetworkTimeoutAsATypedError()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var options = TestOptions.Create(server.Root);
        options.NetworkTimeout = TimeSpan.FromMilliseconds(300);
        using var client = new AiGatewayChatClient(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi").WaitAsync(s_testTimeout));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task NothingListening_IsATransportError()
    {
        Uri root;
        await using (var server = await LoopbackServer.StartAsync((_, _) => Task.CompletedTask))
        {
            root = server.Root;
        }

        using var client = new AiGatewayChatClient(TestOptions.Create(root));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(AiGatewayErrorKind.Transport, error.Kind);
        Assert.DoesNotContain(TestOptions.ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentRequests_EachGetTheirOwnHeadersAndTheirOwnAnswer()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, request) =>
        {
            string eventId = request.Header("cf-aig-event-id")!;
            string metadata = request.Header("cf-aig-metadata")!;
            context.Response.ContentType = "application/json";
            context.Response.Headers["cf-aig-log-id"] = "log-" + eventId;
            await Task.Yield();
            string content = System.Text.Json.JsonSerializer.Serialize(eventId + "|" + metadata);
            await context.Response.WriteAsync($$"""{"id":"{{eventId}}","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":{{content}}},"finish_reason":"stop"}]}""");
        });
        using var client = new AiGatewayChatClient(TestOptions.Create(server.Root));

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var options = new ChatOptions().WithGatewayEventId($"e{i}").WithGatewayMetadata("n", i);
            var response = await client.GetResponseAsync($"question {i}", options);
            return (i, response);
        }));

        Assert.Equal(50, server.Requests.Count);
        foreach (var (i, response) in results)
        {
            Assert.Equal($"e{i}|{{\"n\":{i}}}", response.Text);
            Assert.Equal($"e{i}", response.ResponseId);
            Assert.Equal($"log-e{i}", response.GetGatewayInfo()!.LogId);
        }
    }
}
