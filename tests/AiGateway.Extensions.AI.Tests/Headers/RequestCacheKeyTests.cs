using AiGateway.Emulator;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Headers;

public sealed class RequestCacheKeyTests
{
    [Fact]
    public async Task DerivedKey_IsTheSameForTheSameRequest_AndDiffersByTenantAndContent()
    {
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        using var client = TestOptions.Client(TestOptions.Create(), handler);
        ChatOptions Options(string tenant) => new ChatOptions { Temperature = 0.3f }.WithExtraBody("b", 1).WithExtraBody("a", 2).WithGatewayCacheKeyFromRequest(tenant);

        await client.GetResponseAsync("Capital of France?", Options("tenant-a"));
        await client.GetResponseAsync("Capital of France?", Options("tenant-a"));
        await client.GetResponseAsync("Capital of France?", Options("tenant-b"));
        await client.GetResponseAsync("Capital of Spain?", Options("tenant-a"));

        var keys = handler.Requests.Select(r => r.Header("cf-aig-cache-key")!).ToArray();
        Assert.Matches("^tenant-a:openai:[0-9a-f]{64}$", keys[0]);
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], keys[2]);
        Assert.StartsWith("tenant-b:openai:", keys[2], StringComparison.Ordinal);
        Assert.NotEqual(keys[0], keys[3]);
    }

    [Fact]
    public async Task DerivedKey_SharesCachedAnswersAcrossApiKeys_WithinATenant()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var first = TestOptions.ForEmulator(emulator);
        first.ApiKey = "sk-key-one-000000";
        var second = TestOptions.ForEmulator(emulator);
        second.ApiKey = "sk-key-two-000000";
        using var one = new AiGatewayChatClient(first);
        using var two = new AiGatewayChatClient(second);
        var shared = new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(5)).WithGatewayCacheKeyFromRequest("tenant-a");

        await one.GetResponseAsync("Capital of France?", shared);
        var viaKeyTwo = await two.GetResponseAsync("Capital of France?", shared);
        var defaultKey = await two.GetResponseAsync("Capital of France?", new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(5)));

        Assert.Equal(AiGatewayCacheStatus.Hit, viaKeyTwo.GetGatewayInfo()!.CacheStatus);
        Assert.Equal(AiGatewayCacheStatus.Miss, defaultKey.GetGatewayInfo()!.CacheStatus);
    }

    [Fact]
    public void Namespace_IsValidated()
    {
        Assert.Throws<ArgumentException>(() => new ChatOptions().WithGatewayCacheKeyFromRequest(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatOptions().WithGatewayCacheKeyFromRequest("a\nb"));
    }
}
