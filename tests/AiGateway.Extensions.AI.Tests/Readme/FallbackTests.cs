using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.Extensions.AI.Tests.Readme;

/// <summary>The test the emulator's README shows users, verbatim (ReadmeSnippetCoverageTests checks), so the example keeps working.</summary>
public class FallbackTests
{
    [Fact]
    public async Task WhenOpenAIIsDown_GroqAnswers()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });

        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(o =>
        {
            o.Endpoint = emulator.GatewayEndpoint;
            o.AccountId = "test";
            o.Provider = "openai";
            o.Model = "gpt-4o-mini";
            o.ApiKey = "test-key";
            o.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        }).UseAiGatewayFallback();
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("What is the capital of France?");

        Assert.Equal("groq", response.GetGatewayInfo()!.Provider);
        Assert.Contains("Paris", response.Text);
    }
}
