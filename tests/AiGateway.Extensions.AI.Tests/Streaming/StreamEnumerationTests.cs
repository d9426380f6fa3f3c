using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Streaming;

/// <summary>What a streamed request promises as an <see cref="IAsyncEnumerable{T}"/>: nothing is sent until it is enumerated, each enumeration is a request, and either token stops it.</summary>
public sealed class StreamEnumerationTests
{
    private static RecordingHandler Handler() =>
        new(_ => RecordingHandler.Sse(Fixtures.Text("openai/stream-text-final-usage-chunk.sse"), ("cf-aig-log-id", "01stream")));

    [Fact]
    public async Task NothingIsSent_UntilEnumerated_AndEachEnumerationIsARequestOfItsOwn()
    {
        var handler = Handler();
        using var client = TestOptions.Client(TestOptions.Create(), handler);

        var stream = client.GetStreamingResponseAsync("Hello");
        Assert.Empty(handler.Requests);

        var first = await stream.ToChatResponseAsync();
        var second = await stream.ToChatResponseAsync();

        Assert.Equal(2, handler.Requests.Count);
        Assert.False(string.IsNullOrEmpty(first.Text));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal("01stream", first.GetGatewayInfo()?.LogId);
        Assert.Equal("01stream", second.GetGatewayInfo()?.LogId);
    }

    [Fact]
    public async Task TheEnumeratorsToken_StopsTheStream_AsTheRequestsOwnDoes()
    {
        var handler = Handler();
        using var client = TestOptions.Client(TestOptions.Create(), handler);
        int all = (await client.GetStreamingResponseAsync("Hello").ToListAsync()).Count;
        using var cancel = new CancellationTokenSource();
        int read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hello").WithCancellation(cancel.Token))
            {
                read++;
                await cancel.CancelAsync();
            }
        });

        // Updates already read from the wire may still arrive; the stream stops before its end.
        Assert.InRange(read, 1, all - 1);
    }
}
