using System.Net;
using AiGateway.Testing;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>
/// A policy's or budget's refusal comes before any provider is called, so the gateway's own retries
/// (<c>cf-aig-max-attempts</c>) cannot change it: it is answered at once, and never retried on the same route.
/// </summary>
public sealed class PolicyRetryTests
{
    [Theory]
    [InlineData("""{"name":"Block OpenAI","actor":"company:all","resource":{"provider":"openai"},"condition":"true","action":{"type":"block"}}""", HttpStatusCode.Forbidden)]
    [InlineData("""{"name":"Spent","actor":"company:all","resource":"*","condition":"true","action":{"type":"limit","amount":1,"period":"monthly","technique":"named-interval"}}""", HttpStatusCode.TooManyRequests)]
    public async Task ARefusal_IsAnsweredAtOnce_WithoutTheGatewaysRetries(string policy, HttpStatusCode status)
    {
        // The clock never moves: a retry would wait on it for cf-aig-retry-delay and the request would never end.
        var clock = new FakeClock();
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        await client.ControlAsync(HttpMethod.Post, "gateways/default/policies?commit=true", policy);

        await client.ChatAsync("spend the budget", ("cf-aig-custom-cost", "{\"total_cost\":1}"));
        var response = await client.ChatAsync("hi", ("cf-aig-max-attempts", "5"), ("cf-aig-retry-delay", "5000")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(0, clock.PendingTimers);
    }
}
