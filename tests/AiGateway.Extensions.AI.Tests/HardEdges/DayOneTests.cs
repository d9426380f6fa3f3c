using AiGateway.Emulator;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>What a newcomer trips over in configuration: each problem said once, where it was set; reloads that keep working.</summary>
public sealed class DayOneTests
{
    [Fact]
    public void AFallbackOfAnotherProvider_MustNameItsModel()
    {
        var options = TestOptions.Create();
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq" });

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Fallbacks:0:Model is required: this route's provider 'groq' differs from AiGateway:Provider 'openai'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInheritedValue_IsReportedOnce_AtTheKeyTheUserSet()
    {
        var options = TestOptions.Create();
        options.Cache.Ttl = TimeSpan.FromMinutes(-5);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Cache:Ttl", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Fallbacks:0:Cache:Ttl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyMetadataEntries_OnAFallback_SayWhereTheyCameFrom()
    {
        var options = TestOptions.Create();
        options.Metadata = Enumerable.Range(1, 5).ToDictionary(i => $"k{i}", i => "v");
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile", Metadata = new Dictionary<string, string> { ["own"] = "v" } });

        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(options));

        Assert.Contains("AiGateway:Fallbacks:0:Metadata has 6 entries; the gateway accepts at most 5 (5 from AiGateway:Metadata, 1 of its own).", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AiGateway:Metadata has", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedOptions_CanBeSetInAnInitializer()
    {
        var options = new AiGatewayOptions { Azure = { ResourceName = "r", DeploymentName = "d" }, Cache = { Ttl = TimeSpan.FromMinutes(5) }, Retry = { MaxAttempts = 2 } };

        Assert.Equal(("r", "d", TimeSpan.FromMinutes(5), 2), (options.Azure.ResourceName, options.Azure.DeploymentName, options.Cache.Ttl, options.Retry.MaxAttempts));
    }

    [Fact]
    public async Task AnUnknownGateway_NamesTheGatewayIdAndTheAccount()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, gateway: "production"));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal(2001, error.GatewayErrorCode);
        Assert.Contains("Check AiGateway:GatewayId ('production') and AiGateway:AccountId ('acct123')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadEditOnReload_LeavesTheLastGoodConfigurationServing_AndLogsOneError()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
            ["AiGateway:AccountId"] = "acct123",
            ["AiGateway:Provider"] = "openai",
            ["AiGateway:Model"] = "gpt-4o-mini",
            ["AiGateway:ApiKey"] = TestOptions.ApiKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddFakeLogging();
        services.AddAiGatewayChatClient(configuration.GetSection("AiGateway"));
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();
        Assert.Equal("The capital of France is Paris.", (await chat.GetResponseAsync("What is the capital of France?")).Text);

        configuration["AiGateway:Cache:Ttl"] = "-00:05:00";
        configuration.Reload();
        var first = await chat.GetResponseAsync("What is the capital of France?");
        var second = await chat.GetResponseAsync("What is the capital of France?");

        Assert.Equal("The capital of France is Paris.", first.Text);
        Assert.Equal("The capital of France is Paris.", second.Text);
        var error = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("AiGateway:Cache:Ttl", error.Message, StringComparison.Ordinal);

        // A good edit after it is followed again.
        configuration["AiGateway:Cache:Ttl"] = "00:05:00";
        configuration.Reload();
        await chat.GetResponseAsync("What is the capital of France?");
        Assert.Equal(AiGatewayCacheStatus.Hit, (await chat.GetResponseAsync("What is the capital of France?")).GetGatewayInfo()!.CacheStatus);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConfiguredFallbacks_WithoutAFallbackClient_AreNamedOnce(bool withFallback)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        var logs = new FakeLogCollector();
        var core = new AiGatewayChatClient(options, logger: new FakeLogger<AiGatewayChatClient>(logs));
        using var chat = withFallback ? core.AsBuilder().UseAiGatewayFallback().Build() : core;

        await chat.GetResponseAsync("What is the capital of France?");
        await chat.GetResponseAsync("What is the capital of France?");

        var warnings = logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        if (withFallback)
        {
            Assert.Empty(warnings);
        }
        else
        {
            Assert.Contains(".UseAiGatewayFallback()", Assert.Single(warnings).Message, StringComparison.Ordinal);
        }
    }
}
