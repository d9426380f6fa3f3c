using AiGateway.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>
/// <see cref="AiGatewayOptions.NetworkTimeout"/> on a whole (not streamed) answer, over real HTTP on 127.0.0.1 and a fake
/// clock: it bounds the wait for the answer's headers and for each next piece of its body, never the whole answer.
/// </summary>
public sealed class WholeAnswerTimeoutTests
{
    private static readonly TimeSpan s_testTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string, AiGatewayApi, string> Answers => new()
    {
        { "openai", AiGatewayApi.ChatCompletions, "openai/chat-completion-text.json" },
        { "openai", AiGatewayApi.Responses, "openai-responses/response-text.json" },
        { "anthropic", AiGatewayApi.ChatCompletions, "anthropic/message-text.json" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task AnAnswerWhoseBodyKeepsArriving_IsRead_HoweverLongItTakesInAll(string provider, AiGatewayApi api, string fixture)
    {
        // The headers, then four pieces of the body 40 s apart under a 60 s timeout: 160 s in all.
        byte[] body = Fixtures.Bytes(fixture);
        var gate = new SemaphoreSlim(0);
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            int piece = (body.Length + 3) / 4;
            for (int offset = 0; offset < body.Length; offset += piece)
            {
                await gate.WaitAsync(context.RequestAborted);
                await context.Response.Body.WriteAsync(body.AsMemory(offset, Math.Min(piece, body.Length - offset)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        var clock = new FakeClock();
        using var signalled = new SignalledClient(Options(server, provider, api), clock);
        var (client, reads) = (signalled.Client, signalled.Reads);

        var answer = client.GetResponseAsync("Hi");
        for (int piece = 0; piece < 4; piece++)
        {
            // The client waits for the next piece of the body: 40 s pass, then it arrives.
            Assert.True(await reads.WaitAsync(s_testTimeout), $"piece {piece}");
            clock.Advance(TimeSpan.FromSeconds(40));
            gate.Release();
        }

        var response = await answer.WaitAsync(s_testTimeout);

        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.NotNull(response.GetGatewayInfo());
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task AnAnswerWhoseBodyStalls_FailsAtTheNetworkTimeout(string provider, AiGatewayApi api, string fixture)
    {
        await using var server = await HalfThenSilenceAsync(Fixtures.Bytes(fixture));
        var clock = new FakeClock();
        using var signalled = new SignalledClient(Options(server, provider, api), clock);
        var (client, reads) = (signalled.Client, signalled.Reads);

        var answer = client.GetResponseAsync("Hi");
        Assert.True(await reads.WaitAsync(s_testTimeout));
        clock.Advance(TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => answer.WaitAsync(s_testTimeout));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task TheCallersCancellation_StopsTheBodysRead_AsTheCallersOwn(string provider, AiGatewayApi api, string fixture)
    {
        await using var server = await HalfThenSilenceAsync(Fixtures.Bytes(fixture));
        var clock = new FakeClock();
        using var signalled = new SignalledClient(Options(server, provider, api), clock);
        var (client, reads) = (signalled.Client, signalled.Reads);

        using var caller = new CancellationTokenSource();

        var answer = client.GetResponseAsync("Hi", cancellationToken: caller.Token);
        Assert.True(await reads.WaitAsync(s_testTimeout));
        await caller.CancelAsync();

        // The caller's own cancellation, at once: not a timeout, and not the network timeout's wait.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer.WaitAsync(s_testTimeout));
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task AnAnswerWhoseHeadersNeverArrive_FailsAtTheNetworkTimeout(string provider, AiGatewayApi api, string fixture)
    {
        _ = fixture;
        _ = provider;
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var clock = new FakeClock();
        using var client = new AiGatewayChatClient(Options(server, provider, api), null, clock);

        var answer = client.GetResponseAsync("Hi");
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => answer.WaitAsync(s_testTimeout));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task AnEmbeddingWhoseHeadersNeverArrive_FailsAtTheNetworkTimeout()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        var clock = new FakeClock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddAiGatewayEmbeddingGenerator(o =>
        {
            o.Endpoint = new Uri(server.Root.AbsoluteUri.TrimEnd('/') + "/v1");
            o.AccountId = "acct";
            o.Provider = "openai";
            o.Model = "text-embedding-3-small";
            o.ApiKey = TestOptions.ApiKey;
            o.NetworkTimeout = TimeSpan.FromSeconds(60);
        });
        await using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var embeddings = generator.GenerateAsync(["Hi"]);
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(60));
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => embeddings.WaitAsync(s_testTimeout));

        Assert.Equal(AiGatewayErrorKind.Timeout, error.Kind);
    }

    private static AiGatewayOptions Options(LoopbackServer server, string provider, AiGatewayApi api)
    {
        var options = TestOptions.Create(server.Root, provider, provider == "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini");
        options.Api = api;
        options.NetworkTimeout = TimeSpan.FromSeconds(60);
        return options;
    }

    /// <summary>A server that sends the answer's headers and the first half of its body, then nothing.</summary>
    private static Task<LoopbackServer> HalfThenSilenceAsync(byte[] body) => LoopbackServer.StartAsync(async (context, _) =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    });

    /// <summary>A client on <paramref name="clock"/> whose HTTP handler signals each read of a body that has to wait.</summary>
    private sealed class SignalledClient : IDisposable
    {
        private readonly HttpClient _http;

        public SignalledClient(AiGatewayOptions options, FakeClock clock)
        {
            _http = new HttpClient(new ReadsSignalled(Reads)) { Timeout = Timeout.InfiniteTimeSpan };
            Client = new AiGatewayChatClient(options, _http, clock);
        }

        public AiGatewayChatClient Client { get; }

        public SemaphoreSlim Reads { get; } = new(0);

        public void Dispose()
        {
            Client.Dispose();
            _http.Dispose();
        }
    }

    /// <summary>Signals each read of a response body as it starts: the client is then waiting for the next piece.</summary>
    private sealed class ReadsSignalled(SemaphoreSlim reads) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var body = new StreamContent(new SignallingStream(await response.Content.ReadAsStreamAsync(cancellationToken), reads));
            foreach (var header in response.Content.Headers)
            {
                body.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = body;
            return response;
        }
    }

    private sealed class SignallingStream(Stream inner, SemaphoreSlim reads) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(buffer, cancellationToken);
            if (!read.IsCompleted)
            {
                reads.Release();
            }

            return await read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
