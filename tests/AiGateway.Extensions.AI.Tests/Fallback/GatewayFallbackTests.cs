using System.Text;
using System.Text.Json;
using AiGateway.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.Extensions.AI.Tests.Fallback;

/// <summary>Fallback at the gateway (universal endpoint, dynamic routes), and routes that follow configuration.</summary>
public sealed class GatewayFallbackTests
{
    private const string Question = "What is the capital of France?";

    private static AiGatewayOptions UniversalOptions(AiGatewayEmulator emulator)
    {
        var options = TestOptions.ForEmulator(emulator);
        options.FallbackMode = AiGatewayFallbackMode.Gateway;
        options.RequestTimeout = TimeSpan.FromSeconds(5);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile", ApiKey = "gsk-groq-key-123456" });
        return options;
    }

    /// <summary>A DI client with fallback whose configuration the test can change and reload.</summary>
    private static (IConfigurationRoot Configuration, ServiceProvider Provider) ReloadableClient(AiGatewayEmulator emulator)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
            ["AiGateway:AccountId"] = "acct",
            ["AiGateway:Provider"] = "openai",
            ["AiGateway:Model"] = "gpt-4o-mini",
            ["AiGateway:ApiKey"] = "sk-1",
        }).Build();
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(configuration.GetSection("AiGateway")).UseAiGatewayFallback();
        return (configuration, services.BuildServiceProvider());
    }

    [Fact]
    public async Task GatewayMode_SendsOneUniversalRequestWithAStepPerRoute()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var sent = new BodyCapture();
        using var client = new AiGatewayChatClient(UniversalOptions(emulator), new HttpClient(sent) { Timeout = Timeout.InfiniteTimeSpan });

        var response = await client.GetResponseAsync(Question, new ChatOptions { Temperature = 0.2f });

        Assert.Equal("The capital of France is Paris.", response.Text);
        var info = response.GetGatewayInfo()!;
        Assert.Equal(0, info.Step);
        Assert.Equal("openai", info.Provider);

        // The gateway keeps no provider key in its logs; the request carried each step's own.
        var log = Assert.Single(emulator.State.GetLogs("default"));
        Assert.DoesNotContain("gsk-groq-key-123456", log.RequestBody!, StringComparison.Ordinal);
        using var steps = JsonDocument.Parse(Assert.Single(sent.Bodies));
        Assert.Equal(2, steps.RootElement.GetArrayLength());
        var groq = steps.RootElement[1];
        Assert.Equal("groq", groq.GetProperty("provider").GetString());
        Assert.Equal("chat/completions", groq.GetProperty("endpoint").GetString());
        Assert.Equal("Bearer gsk-groq-key-123456", groq.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("llama-3.3-70b-versatile", groq.GetProperty("query").GetProperty("model").GetString());
        Assert.Equal(0.2, groq.GetProperty("query").GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(5000, groq.GetProperty("config").GetProperty("requestTimeout").GetInt32());
    }

    [Fact]
    public async Task GatewayMode_EachStepCarriesItsOwnRoutesGatewayHeaders()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = UniversalOptions(emulator);
        options.Metadata = new Dictionary<string, string> { ["app"] = "chat" };
        options.Fallbacks[0].Metadata = new Dictionary<string, string> { ["route"] = "backup" };
        options.Fallbacks[0].Cache = new AiGatewayCacheOptions { Ttl = TimeSpan.FromMinutes(2) };
        using var client = new AiGatewayChatClient(options);

        await client.GetResponseAsync(Question);

        using var steps = JsonDocument.Parse(Assert.Single(emulator.State.GetLogs("default")).RequestBody!);
        var primary = steps.RootElement[0].GetProperty("headers");
        var groq = steps.RootElement[1].GetProperty("headers");
        Assert.Equal("""{"app":"chat"}""", primary.GetProperty("cf-aig-metadata").GetString());
        Assert.False(primary.TryGetProperty("cf-aig-cache-ttl", out _));
        Assert.Equal("""{"app":"chat","route":"backup"}""", groq.GetProperty("cf-aig-metadata").GetString());
        Assert.Equal("120", groq.GetProperty("cf-aig-cache-ttl").GetString());
        Assert.False(groq.TryGetProperty("cf-aig-authorization", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GatewayMode_ReadsTheAnswerOfTheStepThatServed(bool stream)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 500 });
        using var client = new AiGatewayChatClient(UniversalOptions(emulator));

        var response = stream
            ? await client.GetStreamingResponseAsync(Question).ToChatResponseAsync()
            : await client.GetResponseAsync(Question);

        Assert.Equal("The capital of France is Paris.", response.Text);
        var info = response.GetGatewayInfo()!;
        Assert.Equal(1, info.Step);
        Assert.Equal(1, info.RouteIndex);
        Assert.Equal("groq", info.Provider);
        Assert.Equal("llama-3.3-70b-versatile", info.Model);
    }

    [Fact]
    public async Task GatewayMode_WhenEveryStepFails_TheErrorNamesTheLastRoute()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Status = 503 });
        using var client = new AiGatewayChatClient(UniversalOptions(emulator));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal("groq", error.Provider);
    }

    [Fact]
    public async Task GatewayMode_TheFallbackClientPassesRequestsThrough()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 500 });
        using var client = new AiGatewayFallbackChatClient(new AiGatewayChatClient(UniversalOptions(emulator)));

        var response = await client.GetResponseAsync(Question);

        Assert.Equal(1, response.GetGatewayInfo()!.Step);
        Assert.Single(emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task DynamicRoute_ReportsWhatServed()
    {
        var emulatorOptions = new AiGatewayEmulatorOptions();
        emulatorOptions.Gateways.Add(new EmulatorGateway
        {
            Id = "routed",
            DynamicRoutes = new Dictionary<string, IReadOnlyList<string>> { ["support"] = ["openai/gpt-4o", "anthropic/claude-3-5-haiku-latest"] },
        });
        await using var emulator = await AiGatewayEmulator.StartAsync(emulatorOptions);
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "compat", "dynamic/support", "routed"));

        var response = await client.GetResponseAsync(Question);

        var info = response.GetGatewayInfo()!;
        Assert.Equal("anthropic", info.Provider);
        Assert.Equal("claude-3-5-haiku-latest", info.Model);
        Assert.Equal("anthropic", response.AdditionalProperties!["cf-aig-provider"]);
    }

    [Fact]
    public async Task ConfigurationReload_SwitchesTheRouteForTheNextRequest_WhileInFlightRequestsFinishWhereTheyStarted()
    {
        var clock = new AiGateway.Testing.FakeClock();
        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Delay = TimeSpan.FromSeconds(10), Times = 1 });
        var (configuration, provider) = ReloadableClient(emulator);
        await using var _ = provider;
        var client = provider.GetRequiredService<IChatClient>();

        var inFlight = client.GetResponseAsync(Question);
        await clock.WaitForTimersAsync();
        configuration["AiGateway:Provider"] = "groq";
        configuration["AiGateway:Model"] = "llama-3.1-8b-instant";
        configuration.Reload();
        var next = await client.GetResponseAsync(Question);
        clock.Advance(TimeSpan.FromSeconds(10));
        var finished = await inFlight;

        Assert.Equal("groq", next.GetGatewayInfo()!.Provider);
        Assert.Equal("llama-3.1-8b-instant", next.GetGatewayInfo()!.Model);
        Assert.Equal("openai", finished.GetGatewayInfo()!.Provider);
        Assert.Equal("groq", client.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task ConfigurationReload_ChangesTheFallbackChain()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var (configuration, provider) = ReloadableClient(emulator);
        await using var _ = provider;
        var client = provider.GetRequiredService<IChatClient>();

        await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));
        configuration["AiGateway:Fallbacks:0:Provider"] = "mistral";
        configuration["AiGateway:Fallbacks:0:Model"] = "mistral-small-latest";
        configuration.Reload();
        var response = await client.GetResponseAsync(Question);

        Assert.Equal("mistral", response.GetGatewayInfo()!.Provider);
    }

    [Fact]
    public async Task KeyedClients_KeepTheirOwnRouteHealth()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var json = $$"""
            {
              "Fast":  { "Endpoint": "{{emulator.GatewayEndpoint}}", "AccountId": "a", "Provider": "openai", "Model": "gpt-4o-mini", "ApiKey": "k1",
                         "Fallbacks": [ { "Provider": "groq", "Model": "llama-3.1-8b-instant" } ] },
              "Smart": { "Endpoint": "{{emulator.GatewayEndpoint}}", "AccountId": "a", "Provider": "openai", "Model": "gpt-4o-mini", "ApiKey": "k2",
                         "Fallbacks": [ { "Provider": "mistral", "Model": "mistral-large-latest" } ] }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddKeyedAiGatewayChatClient("fast", configuration.GetSection("Fast")).UseAiGatewayFallback();
        services.AddKeyedAiGatewayChatClient("smart", configuration.GetSection("Smart")).UseAiGatewayFallback();
        await using var provider = services.BuildServiceProvider();
        var fast = provider.GetRequiredKeyedService<IChatClient>("fast");
        var smart = provider.GetRequiredKeyedService<IChatClient>("smart");
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 429, RetryAfter = TimeSpan.FromMinutes(1), Times = 1 });

        var first = await fast.GetResponseAsync(Question);
        var fastAgain = await fast.GetResponseAsync(Question);
        var smartFirst = await smart.GetResponseAsync(Question);

        Assert.Equal("groq", first.GetGatewayInfo()!.Provider);
        Assert.True(fastAgain.GetGatewayInfo()!.Attempts[0].Skipped);
        Assert.Equal("openai", smartFirst.GetGatewayInfo()!.Provider);
    }

    /// <summary>Forwards to the network and keeps each request body as sent.</summary>
    private sealed class BodyCapture() : DelegatingHandler(new SocketsHttpHandler())
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Bodies { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Enqueue(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
