using AiGateway.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI.Tests.Ecosystem;

/// <summary>Our clients inside Microsoft.Extensions.AI's builder, with Microsoft's middleware around and between them.</summary>
public sealed class MicrosoftPipelineTests
{
    private const string TimeQuestion = "What time is it?";

    private static readonly AIFunction s_currentTime = AIFunctionFactory.Create(() => "12:00 UTC", "get_current_time", "Gets the current time.");

    private static ChatOptions WithTool() => new() { Tools = [s_currentTime] };

    private static int Requests(AiGatewayEmulator emulator, string provider) =>
        emulator.State.GetLogs("default").Count(l => l.Provider == provider);

    private static IConfiguration Configuration(AiGatewayEmulator emulator, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
            ["AiGateway:AccountId"] = "acct",
            ["AiGateway:Provider"] = "openai",
            ["AiGateway:Model"] = "gpt-4o-mini",
            ["AiGateway:ApiKey"] = TestOptions.ApiKey,
            ["AiGateway:Fallbacks:0:Provider"] = "groq",
            ["AiGateway:Fallbacks:0:Model"] = "llama-3.3-70b-versatile",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheIssuesChain_CallsATool_EndToEnd(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(Configuration(emulator).GetSection("AiGateway"))
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .UseAiGatewayFallback();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var chat = provider.GetRequiredService<IChatClient>();

        var response = streaming
            ? await chat.GetStreamingResponseAsync(TimeQuestion, WithTool()).ToChatResponseAsync()
            : await chat.GetResponseAsync(TimeQuestion, WithTool());

        Assert.Equal("The tool answered: \"12:00 UTC\"", response.Text);
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.Name == "get_current_time"));
        Assert.Contains(response.Messages, m => m.Contents.OfType<FunctionResultContent>().Any());
        Assert.Equal(2, Requests(emulator, "openai"));
        Assert.NotNull(chat.GetService<AiGatewayChatClient>());
        Assert.NotNull(chat.GetService<FunctionInvokingChatClient>());
        Assert.NotNull(chat.GetService<AiGatewayRouteSet>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FunctionInvocationBetweenFallbackAndCore_KeepsEveryRequestOfAnAttemptOnItsRoute(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(Configuration(emulator).GetSection("AiGateway"))
            .UseAiGatewayFallback()
            .UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();

        var response = streaming
            ? await chat.GetStreamingResponseAsync(TimeQuestion, WithTool()).ToChatResponseAsync()
            : await chat.GetResponseAsync(TimeQuestion, WithTool());

        // The primary failed once; the attempt on groq made both requests of the tool loop there.
        Assert.Equal("The tool answered: \"12:00 UTC\"", response.Text);
        Assert.Equal(1, Requests(emulator, "openai"));
        Assert.Equal(2, Requests(emulator, "groq"));
        Assert.Equal("groq", response.GetGatewayInfo()!.Provider);
    }

    [Fact]
    public async Task FunctionInvocationBetweenFallbackAndCore_AnAttemptThatFailsMidLoop_StartsOverOnTheNextRoute()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(Configuration(emulator).GetSection("AiGateway"))
            .UseAiGatewayFallback()
            .UseFunctionInvocation(configure: f => f.FunctionInvoker = (context, cancellationToken) =>
            {
                // The primary answers the tool call; its next request (with the result) fails.
                emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 502, Times = 1 });
                return context.Function.InvokeAsync(context.Arguments, cancellationToken);
            });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync(TimeQuestion, WithTool());

        Assert.Equal(2, Requests(emulator, "openai"));
        Assert.Equal(2, Requests(emulator, "groq"));
        Assert.Equal([(0, (int?)502), (1, (int?)200)], response.GetGatewayInfo()!.Attempts.Select(a => (a.RouteIndex, a.StatusCode)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DistributedCacheHit_KeepsTheOriginalGatewayFacts_AndSaysItCameFromTheLocalCache(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IDistributedCache>(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        services.AddAiGatewayChatClient(Configuration(emulator).GetSection("AiGateway"))
            .UseDistributedCache()
            .UseAiGatewayFallback();
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();

        async Task<ChatResponse> AskAsync() => streaming
            ? await chat.GetStreamingResponseAsync("What is the capital of Japan?").ToChatResponseAsync()
            : await chat.GetResponseAsync("What is the capital of Japan?");

        var first = await AskAsync();
        var second = await AskAsync();

        var original = first.GetGatewayInfo()!;
        var cached = second.GetGatewayInfo()!;
        Assert.Equal(1, Requests(emulator, "openai"));
        Assert.False(original.FromLocalCache);
        Assert.True(cached.FromLocalCache);
        Assert.Equal(original.LogId, cached.LogId);
        Assert.Equal(original.CacheStatus, cached.CacheStatus);
        Assert.Equal(original.Provider, cached.Provider);
        Assert.Equal(original.Attempts.Select(a => (a.RouteIndex, a.StatusCode)), cached.Attempts.Select(a => (a.RouteIndex, a.StatusCode)));
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task KeyedClients_EachGetTheirOwnPipeline()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var configuration = Configuration(emulator, ("Fast:Endpoint", emulator.GatewayEndpoint.AbsoluteUri), ("Fast:AccountId", "acct"), ("Fast:Provider", "groq"),
            ("Fast:Model", "llama-3.1-8b-instant"), ("Fast:ApiKey", TestOptions.ApiKey));
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(configuration.GetSection("AiGateway")).UseFunctionInvocation();
        services.AddKeyedAiGatewayChatClient("fast", configuration.GetSection("Fast")).UseOpenTelemetry();
        await using var provider = services.BuildServiceProvider();

        var main = provider.GetRequiredService<IChatClient>();
        var fast = provider.GetRequiredKeyedService<IChatClient>("fast");

        Assert.NotNull(main.GetService<FunctionInvokingChatClient>());
        Assert.Null(fast.GetService<FunctionInvokingChatClient>());
        Assert.NotNull(fast.GetService<OpenTelemetryChatClient>());
        Assert.Equal("groq", (await fast.GetResponseAsync("Hi")).GetGatewayInfo()!.Provider);
        Assert.Equal("openai", (await main.GetResponseAsync("Hi")).GetGatewayInfo()!.Provider);
    }

    [Fact]
    public async Task WithoutDependencyInjection_TheSameChainIsBuiltWithAsBuilder()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 429 });

        using var chat = new AiGatewayChatClient(options).AsBuilder()
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .UseAiGatewayFallback()
            .Build();
        var response = await chat.GetResponseAsync(TimeQuestion, WithTool());

        Assert.Equal("The tool answered: \"12:00 UTC\"", response.Text);
        Assert.Equal("groq", response.GetGatewayInfo()!.Provider);
    }

    [Fact]
    public void FallbackWithoutAGatewayClientInside_SaysWhatIsMissing()
    {
        using var chat = new AiGatewayFallbackChatClient(new ThrowingClient());

        var error = Assert.Throws<InvalidOperationException>(() => chat.GetResponseAsync("Hi").GetAwaiter().GetResult());

        Assert.Contains("needs an AiGatewayChatClient inside it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABugInCodeBetweenFallbackAndCore_IsNotRetriedOnAnotherRoute()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        using var chat = new AiGatewayChatClient(options).AsBuilder()
            .UseAiGatewayFallback()
            .Use((messages, chatOptions, next, cancellationToken) => throw new InvalidOperationException("a bug"))
            .Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => chat.GetResponseAsync("Hi"));

        Assert.Equal("a bug", error.Message);
        Assert.Equal(0, Requests(emulator, "groq"));
    }

    private sealed class ThrowingClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
