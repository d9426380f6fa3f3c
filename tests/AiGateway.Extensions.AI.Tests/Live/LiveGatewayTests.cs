using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Live;

public sealed class LiveGatewayTests
{
    [LiveFact]
    public async Task RealGateway_AnswersAndReportsALogId()
    {
        using var client = new AiGatewayChatClient(LiveSettings.Options()!);

        var response = await client.GetResponseAsync("Reply with the single word: pong", new ChatOptions { MaxOutputTokens = 16 });

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.NotNull(response.GetGatewayInfo()?.LogId);
    }

    [LiveFact]
    public async Task RealGateway_Streams()
    {
        using var client = new AiGatewayChatClient(LiveSettings.Options()!);

        var response = await client.GetStreamingResponseAsync("Count from 1 to 5.", new ChatOptions { MaxOutputTokens = 32 }).ToChatResponseAsync();

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.NotNull(response.FinishReason);
    }

    [LiveFact]
    public async Task RealGateway_CachesWithATtl()
    {
        using var client = new AiGatewayChatClient(LiveSettings.Options()!);
        var options = new ChatOptions { Temperature = 0 }.WithGatewayCache(TimeSpan.FromMinutes(5));
        string prompt = "Say hello to test run " + Guid.NewGuid().ToString("N")[..8];

        await client.GetResponseAsync(prompt, options);
        var second = await client.GetResponseAsync(prompt, options);

        Assert.Equal(AiGatewayCacheStatus.Hit, second.GetGatewayInfo()?.CacheStatus);
    }
}
