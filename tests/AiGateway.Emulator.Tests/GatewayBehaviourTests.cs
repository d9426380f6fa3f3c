using System.Net;
using System.Text.Json.Nodes;
using AiGateway.Testing;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

public sealed class GatewayBehaviourTests
{
    private static AiGatewayEmulatorOptions WithClock(FakeClock clock, params EmulatorGateway[] gateways)
    {
        var options = new AiGatewayEmulatorOptions { TimeProvider = clock };
        foreach (var gateway in gateways)
        {
            options.Gateways.Add(gateway);
        }

        return options;
    }

    [Fact]
    public async Task UnknownGateway_Answers400WithCode2001()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/missing/openai/chat/completions", OpenAIBody("hi"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal(2001, body["error"]![0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task AuthenticatedGateway_Needs_cf_aig_authorization()
    {
        var options = new AiGatewayEmulatorOptions();
        options.Gateways.Add(new EmulatorGateway { Id = "locked", Authentication = true });
        options.Tokens.Add("good-token");
        await using var client = await StartAsync(options);
        const string path = "v1/acct/locked/openai/chat/completions";

        var missing = await client.PostAsync(path, OpenAIBody("hi"), ("Authorization", "Bearer k"));
        var wrong = await client.PostAsync(path, OpenAIBody("hi"), ("Authorization", "Bearer k"), ("cf-aig-authorization", "Bearer bad"));
        var good = await client.PostAsync(path, OpenAIBody("hi"), ("Authorization", "Bearer k"), ("cf-aig-authorization", "Bearer good-token"));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(2009, (await JsonAsync(missing))[0]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Theory]
    [InlineData("fixed")]
    [InlineData("sliding")]
    public async Task RateLimit_Answers429WithRetryAfterUntilTheWindowPasses(string technique)
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var client = await StartAsync(WithClock(clock,
            new EmulatorGateway { Id = "limited", RateLimitingLimit = 2, RateLimitingInterval = 60, RateLimitingTechnique = technique }));
        Task<HttpResponseMessage> Send() => client.PostAsync("v1/acct/limited/openai/chat/completions", OpenAIBody("hi"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, (await Send()).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await Send()).StatusCode);
        var limited = await Send();
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter!.Delta);
        clock.Advance(TimeSpan.FromSeconds(30));

        var afterWindow = await Send();

        Assert.Equal(HttpStatusCode.OK, afterWindow.StatusCode);
        if (technique == "sliding")
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, (await Send()).StatusCode);
        }
    }

    [Fact]
    public async Task GatewayRetries_RetryAFailingProviderWithBackoffOnTheClock()
    {
        var clock = new FakeClock();
        await using var client = await StartAsync(WithClock(clock));
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503, Times = 2 });

        var call = client.ChatAsync("hi", ("cf-aig-max-attempts", "3"), ("cf-aig-retry-delay", "1000"), ("cf-aig-backoff", "exponential"));
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        await clock.WaitForTimersAsync();
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(2));
        var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(client.Emulator.Faults.Active);
        var log = Assert.Single(client.Emulator.State.GetLogs("default"));
        Assert.True(log.Success);
    }

    [Fact]
    public async Task WithoutGatewayRetries_AFailureIsOneAttempt()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503, Times = 1 });

        var failed = await client.ChatAsync("hi");
        var next = await client.ChatAsync("hi");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task RequestTimeout_CutsASlowProviderOnTheClock()
    {
        var clock = new FakeClock();
        await using var client = await StartAsync(WithClock(clock));
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Hang = true });

        var call = client.ChatAsync("hi", ("cf-aig-request-timeout", "1500"));
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromMilliseconds(1500));
        var response = await call;

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("timed out", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryRequest_IsLoggedWithItsFacts()
    {
        await using var client = await StartAsync();

        var response = await client.ChatAsync("What is the capital of France?",
            ("cf-aig-metadata", """{"user":"u1","n":3,"beta":true,"a":1,"b":2,"ignored":6}"""), ("cf-aig-event-id", "evt-7"),
            ("cf-aig-custom-cost", """{"total_cost":0.5}"""));

        var log = Assert.Single(client.Emulator.State.GetLogs("default"));
        Assert.Equal(Header(response, "cf-aig-log-id"), log.Id);
        Assert.Equal("openai", log.Provider);
        Assert.Equal("gpt-4o-mini", log.Model);
        Assert.Equal("chat/completions", log.Path);
        Assert.Equal(200, log.StatusCode);
        Assert.True(log.Success);
        Assert.False(log.Cached);
        Assert.True(log.TokensIn > 0 && log.TokensOut > 0);
        Assert.Equal("evt-7", log.EventId);
        Assert.Equal(5, log.Metadata!.Count);
        Assert.Equal("u1", log.Metadata["user"]!.GetValue<string>());
        Assert.Equal(0.5, log.Cost);
        Assert.Contains("capital of France", log.RequestBody);
        Assert.Contains("Paris", log.ResponseBody);
    }

    [Fact]
    public async Task Ids_AreLowercaseUuidV7_OneValueForLogRequestAndEventOfASingleStepRequest()
    {
        await using var client = await StartAsync();

        var first = await client.ChatAsync("hi");
        var second = await client.ChatAsync("hi");

        string id = Header(first, "cf-aig-log-id")!;
        Assert.Matches(UuidV7, id);
        Assert.Equal(id, Header(first, "cf-aig-request-id"));
        Assert.Equal(id, Header(first, "cf-aig-event-id"));
        Assert.NotEqual(id, Header(second, "cf-aig-log-id"));
        var log = client.Emulator.State.GetLogs("default")[0];
        Assert.Equal(id, log.Id);
        Assert.Equal(id, log.EventId);
    }

    [Fact]
    public async Task ASentEventId_ComesBackOnTheAnswer_AndNamesTheLog()
    {
        await using var client = await StartAsync();

        var response = await client.ChatAsync("hi", ("cf-aig-event-id", "order-42"));

        Assert.Equal("order-42", Header(response, "cf-aig-event-id"));
        Assert.Matches(UuidV7, Header(response, "cf-aig-log-id")!);
        Assert.Equal("order-42", Assert.Single(client.Emulator.State.GetLogs("default")).EventId);
    }

    internal const string UuidV7 = "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

    [Fact]
    public async Task CollectLogFalse_LeavesNoLog_AndPayloadFalseKeepsNoBodies()
    {
        await using var client = await StartAsync();

        var unlogged = await client.ChatAsync("secret", ("cf-aig-collect-log", "false"));
        await client.ChatAsync("private", ("cf-aig-collect-log-payload", "false"));

        Assert.NotNull(Header(unlogged, "cf-aig-log-id"));
        var log = Assert.Single(client.Emulator.State.GetLogs("default"));
        Assert.Null(log.RequestBody);
        Assert.Null(log.ResponseBody);
    }

    [Fact]
    public async Task ManyClientsAtOnce_GetTheirOwnAnswers()
    {
        await using var client = await StartAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var response = await client.ChatAsync($"question number {i}", ("cf-aig-cache-ttl", "300"), ("cf-aig-event-id", $"e{i}"));
            return (i, Body: await JsonAsync(response), LogId: Header(response, "cf-aig-log-id"));
        }));

        foreach (var (i, body, _) in results)
        {
            Assert.Contains($"question number {i}\"", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        }

        Assert.Equal(60, results.Select(r => r.LogId).Distinct().Count());
        var logs = client.Emulator.State.GetLogs("default");
        Assert.Equal(60, logs.Count);
        Assert.All(logs, l => Assert.Contains($"question number {l.EventId![1..]}\"", l.RequestBody));
    }
}
