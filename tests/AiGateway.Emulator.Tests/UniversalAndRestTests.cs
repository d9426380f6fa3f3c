using System.Net;
using AiGateway.Testing;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

public sealed class UniversalAndRestTests
{
    private const string Steps = """
        [
          { "provider": "openai", "endpoint": "chat/completions", "headers": { "Authorization": "Bearer k1" },
            "query": { "model": "gpt-4o-mini", "messages": [ { "role": "user", "content": "What is the capital of France?" } ] } },
          { "provider": "anthropic", "endpoint": "v1/messages", "headers": { "x-api-key": "k2" },
            "query": { "model": "claude-3-5-haiku-latest", "max_tokens": 100, "messages": [ { "role": "user", "content": "What is the capital of France?" } ] } }
        ]
        """;

    [Fact]
    public async Task UniversalEndpoint_ServesFromTheFirstStepThatWorks()
    {
        await using var client = await StartAsync();

        var first = await client.PostAsync("v1/acct/default", Steps);
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 500 });
        var fallback = await client.PostAsync("v1/acct/default", Steps);

        Assert.Equal("0", Header(first, "cf-aig-step"));
        Assert.Equal("chat.completion", (await JsonAsync(first))["object"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, fallback.StatusCode);
        Assert.Equal("1", Header(fallback, "cf-aig-step"));
        Assert.Equal("message", (await JsonAsync(fallback))["type"]!.GetValue<string>());
        Assert.Equal(1, client.Emulator.State.GetLogs("default")[^1].Step);
    }

    [Fact]
    public async Task UniversalEndpoint_WithSeveralSteps_HasOneRequestIdAndItsOwnLogId()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default", Steps);

        string requestId = Header(response, "cf-aig-request-id")!;
        string logId = Header(response, "cf-aig-log-id")!;
        Assert.Matches(GatewayBehaviourTests.UuidV7, requestId);
        Assert.Matches(GatewayBehaviourTests.UuidV7, logId);
        Assert.NotEqual(requestId, logId);
        Assert.Equal(requestId, Header(response, "cf-aig-event-id"));
        Assert.Equal(logId, Assert.Single(client.Emulator.State.GetLogs("default")).Id);
    }

    [Fact]
    public async Task UniversalEndpoint_MovesOnWhenAStepTimesOut()
    {
        var clock = new FakeClock();
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Hang = true });
        string steps = Steps.Replace("\"headers\": { \"Authorization\": \"Bearer k1\" },", "\"headers\": { \"Authorization\": \"Bearer k1\" }, \"config\": { \"requestTimeout\": 2000 },", StringComparison.Ordinal);

        var call = client.PostAsync("v1/acct/default", steps);
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(2));
        var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Header(response, "cf-aig-step"));
    }

    [Fact]
    public async Task UniversalEndpoint_WhenEveryStepFails_AnswersTheLastError()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Status = 503 });

        var response = await client.PostAsync("v1/acct/default", Steps);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("1", Header(response, "cf-aig-step"));
    }

    [Fact]
    public async Task UniversalEndpoint_RejectsANonArrayBody()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default", "\"nope\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RestForm_UsesTheGatewayHeaderAndTheCloudflareToken()
    {
        await using var client = await StartAsync();
        string body = OpenAIBody("What is the capital of France?", model: "workers-ai/@cf/meta/llama-3.1-8b-instruct");

        var ok = await client.PostAsync("client/v4/accounts/acct/ai/v1/chat/completions", body, ("Authorization", "Bearer cf"), ("cf-aig-gateway-id", "default"));
        var noToken = await client.PostAsync("client/v4/accounts/acct/ai/v1/chat/completions", body, ("cf-aig-gateway-id", "default"));
        var noGateway = await client.PostAsync("client/v4/accounts/acct/ai/v1/chat/completions", body, ("Authorization", "Bearer cf"), ("cf-aig-gateway-id", "nope"));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("Paris", await ok.Content.ReadAsStringAsync());
        Assert.Equal("workers-ai", client.Emulator.State.GetLogs("default")[0].Provider);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noGateway.StatusCode);
    }

    [Fact]
    public async Task RestForm_NamesModelsByAuthor_AndRefusesABareName()
    {
        await using var client = await StartAsync();
        const string Path = "client/v4/accounts/acct/ai/v1/chat/completions";

        var google = await client.PostAsync(Path, OpenAIBody("hi", model: "google/gemini-2.5-flash"), ("Authorization", "Bearer cf"));
        var xai = await client.PostAsync(Path, OpenAIBody("hi", model: "xai/grok-4"), ("Authorization", "Bearer cf"));
        var bare = await client.PostAsync(Path, OpenAIBody("hi", model: "gpt-4o-mini"), ("Authorization", "Bearer cf"));

        Assert.Equal(HttpStatusCode.OK, google.StatusCode);
        Assert.Equal(HttpStatusCode.OK, xai.StatusCode);
        Assert.Equal(["google-ai-studio", "grok"], client.Emulator.State.GetLogs("default").Take(2).Select(l => l.Provider));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Contains("author/model", await bare.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
