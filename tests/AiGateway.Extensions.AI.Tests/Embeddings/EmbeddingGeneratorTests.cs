using System.Diagnostics;
using System.Text.Json.Nodes;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.Embeddings;

/// <summary>Embeddings through the gateway, against the emulator over real HTTP (and an in-memory handler for exact requests).</summary>
public sealed class EmbeddingGeneratorTests
{
    private static AiGatewayOptions Options(AiGatewayEmulator emulator, string provider = "openai", string model = "text-embedding-3-small", string gateway = "default")
    {
        var options = TestOptions.ForEmulator(emulator, provider, model, gateway);
        return options;
    }

    private static int Requests(AiGatewayEmulator emulator, string provider, string gateway = "default") =>
        emulator.State.GetLogs(gateway).Count(l => l.Provider == provider);

    [Fact]
    public async Task Vectors_AreTheModelsSize_TheSameForTheSameText_AndCarryTheGatewaysFacts()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var generator = new AiGatewayEmbeddingGenerator(Options(emulator));

        var embeddings = await generator.GenerateAsync(["The capital of France", "A recipe for bread", "The capital of France"]);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(1536, e.Vector.Length));
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[2].Vector.ToArray());
        Assert.NotEqual(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
        Assert.Equal(1.0, Math.Sqrt(embeddings[1].Vector.ToArray().Sum(v => (double)v * v)), 3);
        Assert.True(embeddings.Usage!.InputTokenCount > 0);
        var info = embeddings.GetGatewayInfo()!;
        Assert.Equal("openai", info.Provider);
        Assert.NotNull(info.LogId);
        Assert.Equal(info.LogId, embeddings[1].GetGatewayInfo()!.LogId);
        Assert.Equal(info.LogId, embeddings.AdditionalProperties!["cf-aig-log-id"]);
    }

    [Fact]
    public async Task AnEndlessAnswer_StopsAtMaxResponseContentLength()
    {
        // 64 KiB after 64 KiB until the client gives up: without the pipeline's bound the SDK would buffer it all.
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            var chunk = new byte[64 * 1024];
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        var options = TestOptions.Create(server.Root, model: "text-embedding-3-small");
        options.MaxResponseContentLength = 1024 * 1024;
        options.NetworkTimeout = TimeSpan.FromMinutes(5);
        using var generator = new AiGatewayEmbeddingGenerator(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => generator.GenerateAsync(["hi"]).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(AiGatewayErrorKind.MalformedResponse, error.Kind);
        Assert.Contains("MaxResponseContentLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameInputsTwice_AreOneByteIdenticalRequest_SoTheGatewayCacheHits()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { Gateways = { new EmulatorGateway { Id = "cached", CacheTtl = 300 } } });
        using var generator = new AiGatewayEmbeddingGenerator(Options(emulator, gateway: "cached"));

        var first = await generator.GenerateAsync(["retrieval chunk one", "retrieval chunk two"]);
        var second = await generator.GenerateAsync(["retrieval chunk one", "retrieval chunk two"]);

        Assert.Equal(AiGatewayCacheStatus.Miss, first.GetGatewayInfo()!.CacheStatus);
        Assert.Equal(AiGatewayCacheStatus.Hit, second.GetGatewayInfo()!.CacheStatus);
        Assert.Equal(first[1].Vector.ToArray(), second[1].Vector.ToArray());
        var bodies = emulator.State.GetLogs("cached").Select(l => l.RequestBody).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.Equal(bodies[0], bodies[1]);
    }

    [Fact]
    public async Task ManyInputs_AreSplitToTheProvidersLimit_AndAnsweredInInputOrder()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var generator = new AiGatewayEmbeddingGenerator(Options(emulator, "workers-ai", "@cf/baai/bge-base-en-v1.5"));
        string[] texts = [.. Enumerable.Range(0, 250).Select(i => $"passage number {i}")];

        var batched = await generator.GenerateAsync(texts);
        var single = await generator.GenerateAsync([texts[0], texts[137], texts[249]]);

        Assert.Equal(250, batched.Count);
        Assert.Equal(3 + 1, Requests(emulator, "workers-ai"));
        Assert.Equal(single[0].Vector.ToArray(), batched[0].Vector.ToArray());
        Assert.Equal(single[1].Vector.ToArray(), batched[137].Vector.ToArray());
        Assert.Equal(single[2].Vector.ToArray(), batched[249].Vector.ToArray());
        Assert.All(batched, e => Assert.Equal(768, e.Vector.Length));
        Assert.Equal(3, batched.GetGatewayInfo()!.Attempts.Count);
        Assert.NotEqual(batched[0].GetGatewayInfo()!.LogId, batched[249].GetGatewayInfo()!.LogId);
    }

    [Fact]
    public async Task Dimensions_AreHonouredWhereTheProviderTakesThem_AndRefusedWhereNot()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var openai = new AiGatewayEmbeddingGenerator(Options(emulator));
        using var workers = new AiGatewayEmbeddingGenerator(Options(emulator, "workers-ai", "@cf/baai/bge-base-en-v1.5"));

        var shortened = await openai.GenerateAsync(["hello"], new EmbeddingGenerationOptions { Dimensions = 256 });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => workers.GenerateAsync(["hello"], new EmbeddingGenerationOptions { Dimensions = 256 }));

        Assert.Equal(256, shortened[0].Vector.Length);
        Assert.Contains("workers-ai does not take dimensions", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Requests(emulator, "workers-ai"));
    }

    [Theory]
    [InlineData("openai", "text-embedding-3-small", "/v1/acct123/gw/openai/embeddings")]
    [InlineData("workers-ai", "@cf/baai/bge-m3", "/v1/acct123/gw/workers-ai/v1/embeddings")]
    [InlineData("mistral", "mistral-embed", "/v1/acct123/gw/mistral/v1/embeddings")]
    [InlineData("google-ai-studio", "gemini-embedding-001", "/v1/acct123/gw/google-ai-studio/v1beta/openai/embeddings")]
    [InlineData("compat", "openai/text-embedding-3-small", "/v1/acct123/gw/compat/embeddings")]
    [InlineData("custom-vectors", "my-model", "/v1/acct123/gw/custom-vectors/v1/embeddings")]
    public async Task EachProvider_HasItsEmbeddingsRoute_WithTheGatewaysHeaders(string provider, string model, string path)
    {
        var handler = new RecordingHandler(_ => RecordingHandler.Json("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}"""));
        var options = TestOptions.Create(provider: provider, model: model);
        options.Token = TestOptions.Token;
        options.Cache = new AiGatewayCacheOptions { Ttl = TimeSpan.FromHours(1) };
        using var generator = new AiGatewayEmbeddingGenerator(options, new HttpClient(handler));

        var embeddings = await generator.GenerateAsync(["hello"], new EmbeddingGenerationOptions().WithGatewayMetadata("doc", "42").WithGatewayEventId("evt-1"));

        var request = handler.SoleRequest;
        Assert.Equal(path, request.PathAndQuery);
        Assert.Equal("Bearer " + TestOptions.Token, request.Header("cf-aig-authorization"));
        Assert.Equal("Bearer " + TestOptions.ApiKey, request.Header("Authorization"));
        Assert.Equal("3600", request.Header("cf-aig-cache-ttl"));
        Assert.Equal("""{"doc":"42"}""", request.Header("cf-aig-metadata"));
        Assert.Equal("evt-1", request.Header("cf-aig-event-id"));
        Assert.Equal(model, JsonNode.Parse(request.BodyText)!["model"]!.GetValue<string>());
        Assert.Equal([0.6f, 0.8f], embeddings[0].Vector.ToArray());
    }

    [Fact]
    public async Task AzureAndTheRestForm_HaveTheirOwnUrls()
    {
        var handler = new RecordingHandler(_ => RecordingHandler.Json("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[1.0]}],"model":"m"}"""));
        var azure = TestOptions.Create(provider: "azure-openai", model: "text-embedding-3-small");
        azure.Azure = new AiGatewayAzureOptions { ResourceName = "res", DeploymentName = "emb" };
        var rest = TestOptions.ForCloudflareApi("compat", "openai/text-embedding-3-small");

        await new AiGatewayEmbeddingGenerator(azure, new HttpClient(handler)).GenerateAsync(["a"]);
        await new AiGatewayEmbeddingGenerator(rest, new HttpClient(handler)).GenerateAsync(["a"]);

        var requests = handler.Requests.ToArray();
        Assert.Equal("/v1/acct123/gw/azure-openai/res/emb/embeddings?api-version=2024-10-21", requests[0].PathAndQuery);
        Assert.Equal(TestOptions.ApiKey, requests[0].Header("api-key"));
        Assert.Equal("/client/v4/accounts/acct123/ai/v1/embeddings", requests[1].PathAndQuery);
        Assert.Equal("gw", requests[1].Header("cf-aig-gateway-id"));
    }

    [Fact]
    public void AProviderWithoutEmbeddings_AndAChainThatMixesModels_AreRefusedAtValidation()
    {
        var groq = TestOptions.Create(provider: "groq", model: "llama-3.3-70b-versatile");
        var mixed = TestOptions.Create(model: "text-embedding-3-small");
        mixed.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "mistral", Model = "mistral-embed" });

        var noRoute = Assert.Throws<ArgumentException>(() => new AiGatewayEmbeddingGenerator(groq));
        var mixing = Assert.Throws<ArgumentException>(() => new AiGatewayEmbeddingGenerator(mixed));

        Assert.Contains("AiGateway:Provider 'groq' has no embeddings route through the gateway", noRoute.Message, StringComparison.Ordinal);
        Assert.Contains("AiGateway:Fallbacks:0:Model 'mistral-embed' differs from the primary route's 'text-embedding-3-small': vectors from two models cannot be compared", mixing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallback_MovesToTheNextRouteOfTheSameModel()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var options = Options(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "custom-backup" });
        using var generator = new AiGatewayEmbeddingGenerator(options);

        var embeddings = await generator.GenerateAsync(["hello"]);

        var info = embeddings.GetGatewayInfo()!;
        Assert.Equal("custom-backup", info.Provider);
        Assert.Equal([(0, (int?)503), (1, (int?)200)], info.Attempts.Select(a => (a.RouteIndex, a.StatusCode)));
        Assert.Equal(1536, embeddings[0].Vector.Length);
    }

    [Theory]
    [InlineData(401, AiGatewayErrorKind.Authentication)]
    [InlineData(429, AiGatewayErrorKind.RateLimited)]
    [InlineData(500, AiGatewayErrorKind.ProviderError)]
    public async Task Failures_AreTypedErrors_WithoutSecrets(int status, AiGatewayErrorKind kind)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = status, RetryAfter = TimeSpan.FromSeconds(7), Body = "{\"error\":{\"message\":\"saw " + TestOptions.ApiKey + "\"}}" });
        using var generator = new AiGatewayEmbeddingGenerator(Options(emulator));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => generator.GenerateAsync(["hello"]));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.NotNull(error.LogId);
        Assert.DoesNotContain(TestOptions.ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableAnswer_IsMalformedResponse()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Malformed = true });
        using var generator = new AiGatewayEmbeddingGenerator(Options(emulator));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => generator.GenerateAsync(["hello"]));

        Assert.Equal(AiGatewayErrorKind.MalformedResponse, error.Kind);
    }

    [Fact]
    public async Task Cancellation_IsTheCallersOwn()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Hang = true });
        using var generator = new AiGatewayEmbeddingGenerator(Options(emulator));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["hello"], cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task InMicrosoftsBuilder_OpenTelemetryAndTheDistributedCacheCompose()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        string source = "emb." + Guid.NewGuid().ToString("N");
        var spans = new SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(source).AddInMemoryExporter(spans).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions())));
        services.AddAiGatewayChatClient(o => { o.Endpoint = emulator.GatewayEndpoint; o.AccountId = "acct"; o.Provider = "openai"; o.Model = "gpt-4o-mini"; o.ApiKey = "k"; });
        services.AddAiGatewayEmbeddingGenerator(o =>
        {
            o.Endpoint = emulator.GatewayEndpoint;
            o.AccountId = "acct";
            o.Provider = "openai";
            o.Model = "text-embedding-3-small";
            o.ApiKey = TestOptions.ApiKey;
        }).UseDistributedCache().UseOpenTelemetry(sourceName: source);
        await using var provider = services.BuildServiceProvider();
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var first = await generator.GenerateAsync(["cache me"]);
        var second = await generator.GenerateAsync(["cache me"]);

        Assert.Equal(1, Requests(emulator, "openai"));
        Assert.Equal(first[0].Vector.ToArray(), second[0].Vector.ToArray());
        var span = Assert.Single(spans, s => s.GetTagItem(AiGatewayTelemetry.Attributes.LogId) is not null);
        Assert.Equal(first.GetGatewayInfo()!.LogId, span.GetTagItem(AiGatewayTelemetry.Attributes.LogId));
        Assert.Equal("openai", span.GetTagItem(AiGatewayTelemetry.Attributes.Provider));
        Assert.NotNull(provider.GetRequiredService<IChatClient>());
        Assert.NotSame(
            provider.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName),
            provider.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>().Get(AiGatewayEmbeddingServiceCollectionExtensions.HttpClientName));
    }

    [Fact]
    public async Task AnUnknownGateway_IsReportedFromTheGatewaysOwnErrorBody()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator, model: "text-embedding-3-small", gateway: "no-such-gateway");
        using var generator = new AiGatewayEmbeddingGenerator(options);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal((AiGatewayErrorKind.GatewayError, 400, 2001), (error.Kind, error.StatusCode, error.GatewayErrorCode));
    }
}
