using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Wire;

/// <summary>
/// Request bodies are written with pooled writers: each body must hold exactly its own request, whatever was written
/// before it (a body larger than any pooled buffer), beside it (concurrent requests) or around it (the universal
/// endpoint writes each step's body inside its own).
/// </summary>
public sealed class PooledBodyTests
{
    private static string UserText(byte[] body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("messages")[0].GetProperty("content").GetString()!;

    [Fact]
    public async Task ASmallBody_AfterOneLargerThanThePooledBuffers_HoldsOnlyItsOwnRequest()
    {
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        using var client = TestOptions.Client(TestOptions.Create(), handler);
        string large = new('x', 300_000);

        await client.GetResponseAsync(large);
        await client.GetResponseAsync("small");

        var bodies = handler.Requests.Select(r => r.Body).ToArray();
        Assert.Equal(large, UserText(bodies[0]));
        Assert.Equal("small", UserText(bodies[1]));
        Assert.True(bodies[1].Length < 200, $"the small body is {bodies[1].Length} bytes");
    }

    [Fact]
    public async Task ConcurrentRequests_EachSendItsOwnBody()
    {
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        using var client = TestOptions.Client(TestOptions.Create(), handler);
        string[] prompts = [.. Enumerable.Range(0, 64).Select(i => $"prompt {i} " + new string('y', i * 997))];

        await Task.WhenAll(prompts.Select(prompt => Task.Run(() => client.GetResponseAsync(prompt))));

        Assert.Equal(prompts.Order(StringComparer.Ordinal), handler.Requests.Select(r => UserText(r.Body)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheUniversalEndpoint_NestsEachStepsBodyWhole()
    {
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        var options = TestOptions.Create();
        options.FallbackMode = AiGatewayFallbackMode.Gateway;
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile", ApiKey = "gsk-groq-key-123456" });
        using var client = TestOptions.Client(options, handler);
        string large = new('z', 100_000);

        await client.GetResponseAsync(large);

        var steps = JsonDocument.Parse(handler.SoleRequest.Body).RootElement;
        Assert.Equal(["openai", "groq"], steps.EnumerateArray().Select(step => step.GetProperty("provider").GetString()));
        Assert.All(steps.EnumerateArray(), step => Assert.Equal(large, step.GetProperty("query").GetProperty("messages")[0].GetProperty("content").GetString()));
        Assert.Equal(["gpt-4o-mini", "llama-3.3-70b-versatile"], steps.EnumerateArray().Select(step => step.GetProperty("query").GetProperty("model").GetString()));
    }
}
