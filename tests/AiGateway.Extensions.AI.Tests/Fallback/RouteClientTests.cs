using AiGateway.Emulator;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Fallback;

/// <summary>Each configured route is an <see cref="IChatClient"/> of its own, usable in Microsoft's routing clients.</summary>
public sealed class RouteClientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RouteClients_InMicrosoftsOrderedFailover_AnswerWithTheGatewaysFacts(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        using var chat = new AiGatewayChatClient(options);
        var routes = chat.GetService<AiGatewayRouteSet>()!.Routes;
        using var failover = new OrderedFailoverChatClient([.. routes.Select(r => r.Client)], leaveOpen: true);

        var response = streaming
            ? await failover.GetStreamingResponseAsync("What is the capital of France?").ToChatResponseAsync()
            : await failover.GetResponseAsync("What is the capital of France?");

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.Equal(("groq", "llama-3.3-70b-versatile"), (response.GetGatewayInfo()!.Provider, response.GetGatewayInfo()!.Model));
        Assert.Equal(["openai/gpt-4o-mini", "groq/llama-3.3-70b-versatile"], routes.Select(r => r.ToString()));
        Assert.Equal("groq", routes[1].Client.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public async Task TheFallbacksMetadata_IsTheProviderAndModelEveryRouteShares_AndNoServer()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.1-8b-instant" });
        using var across = new AiGatewayChatClient(options).AsBuilder().UseAiGatewayFallback().Build();
        var sameProvider = TestOptions.ForEmulator(emulator);
        sameProvider.Fallbacks.Add(new AiGatewayRouteOptions { Model = "gpt-4.1-mini" });
        using var alike = new AiGatewayChatClient(sameProvider).AsBuilder().UseAiGatewayFallback().Build();
        using var single = new AiGatewayChatClient(TestOptions.ForEmulator(emulator)).AsBuilder().UseAiGatewayFallback().Build();

        var acrossProviders = across.GetService<ChatClientMetadata>()!;
        Assert.Equal((null, null), (acrossProviders.ProviderName, acrossProviders.DefaultModelId));
        Assert.Null(acrossProviders.ProviderUri);
        Assert.Equal(("openai", null), (alike.GetService<ChatClientMetadata>()!.ProviderName, alike.GetService<ChatClientMetadata>()!.DefaultModelId));
        var one = single.GetService<ChatClientMetadata>()!;
        Assert.Equal(("openai", "gpt-4o-mini"), (one.ProviderName, one.DefaultModelId));
    }

    [Fact]
    public async Task ARouteClient_SendsOnItsRouteOnly()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        using var chat = new AiGatewayChatClient(options);

        var response = await chat.GetService<AiGatewayRouteSet>()!.Routes[1].Client.GetResponseAsync("What is the capital of France?");

        Assert.Equal((1, "groq"), (response.GetGatewayInfo()!.RouteIndex, response.GetGatewayInfo()!.Provider));
        Assert.Equal(0, emulator.State.GetLogs("default").Count(l => l.Provider == "openai"));
    }
}
