using System.Net;
using System.Text;
using AiGateway.Testing;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>The emulator is safe to leave running: no stored credential, tokens beyond loopback, bounded state, bounded bodies.</summary>
public sealed class SafetyTests
{
    private const string Steps = """
        [
          { "provider": "openai", "endpoint": "chat/completions",
            "headers": { "Authorization": "Bearer sk-openai-secret-1", "X-Custom-Auth": "custom-secret-2", "cf-aig-metadata": "{\"app\":\"chat\"}" },
            "query": { "model": "gpt-4o-mini", "messages": [ { "role": "user", "content": "What is the capital of France?" } ] } },
          { "provider": "anthropic", "endpoint": "v1/messages",
            "headers": { "x-api-key": "sk-ant-secret-3", "anthropic-version": "2023-06-01", "cf-aig-authorization": "Bearer cf-secret-4" },
            "query": { "model": "claude-3-5-haiku-latest", "max_tokens": 100, "messages": [ { "role": "user", "content": "hi" } ] } }
        ]
        """;

    private static Task<EmulatorClient> StartWithAsync(Action<EmulatorLimits> limits)
    {
        var options = new AiGatewayEmulatorOptions();
        limits(options.Limits);
        return StartAsync(options);
    }

    [Fact]
    public async Task AUniversalRequest_IsStoredWithoutAnyStepsCredential()
    {
        await using var client = await StartAsync();

        var answer = await client.PostAsync("v1/acct/default", Steps);
        string logId = Header(answer, "cf-aig-log-id")!;
        string stored = await (await client.ControlAsync(HttpMethod.Get, $"gateways/default/logs/{logId}/request")).Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        foreach (string secret in new[] { "sk-openai-secret-1", "custom-secret-2", "sk-ant-secret-3", "cf-secret-4" })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, client.Emulator.State.GetLogs("default")[0].RequestBody!, StringComparison.Ordinal);
        }

        var steps = System.Text.Json.Nodes.JsonNode.Parse(stored)!.AsArray();
        Assert.Equal("REDACTED", steps[0]!["headers"]!["Authorization"]!.GetValue<string>());
        Assert.Equal("REDACTED", steps[1]!["headers"]!["cf-aig-authorization"]!.GetValue<string>());
        Assert.Equal("""{"app":"chat"}""", steps[0]!["headers"]!["cf-aig-metadata"]!.GetValue<string>());
        Assert.Equal("2023-06-01", steps[1]!["headers"]!["anthropic-version"]!.GetValue<string>());
        Assert.Equal("gpt-4o-mini", steps[0]!["query"]!["model"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.0.2.10")]
    public async Task BeyondLoopback_StartingWithoutATokenIsRefused(string host)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { Host = host }));

        Assert.Contains("AiGatewayEmulatorOptions.Tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains(host, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnEveryInterface_TheTokenGuardsTheControlPlaneAndFaults_AndRootIsAnAddressToConnectTo()
    {
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { Host = "0.0.0.0", Tokens = { "operator-token" } });

        var anonymousFault = await client.PostAsync("emulator/faults", """{"status":503}""");
        var wrongFault = await client.PostAsync("emulator/faults", """{"status":503}""", ("Authorization", "Bearer guess"));
        var anyBearer = await client.ControlAsync(HttpMethod.Get, "gateways");
        var listFaults = await client.SendAsync(HttpMethod.Get, "emulator/faults", null);
        var fault = await client.PostAsync("emulator/faults", """{"provider":"groq","status":503}""", ("Authorization", "Bearer operator-token"));
        var gateways = await client.SendAsync(HttpMethod.Get, "client/v4/accounts/acct/ai-gateway/gateways", null, ("Authorization", "Bearer operator-token"));
        var chat = await client.ChatAsync("What is the capital of France?");

        Assert.Equal("127.0.0.1", client.Emulator.Root.Host);
        Assert.Equal("0.0.0.0", client.Emulator.ListeningOn.Host);
        Assert.Equal(client.Emulator.Root.Port, client.Emulator.ListeningOn.Port);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousFault.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongFault.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anyBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, listFaults.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fault.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gateways.StatusCode);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        Assert.Single(client.Emulator.Faults.Active);
    }

    [Fact]
    public async Task OnLoopbackWithTokens_TheFaultsApiNeedsOneToo()
    {
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { Tokens = { "operator-token" } });

        var anonymous = await client.SendAsync(HttpMethod.Delete, "emulator/faults", null);
        var authorized = await client.SendAsync(HttpMethod.Delete, "emulator/faults", null, ("Authorization", "Bearer operator-token"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, authorized.StatusCode);
    }

    [Fact]
    public async Task Logs_KeepAtMostTheLimitPerGateway_DroppingTheOldest()
    {
        await using var client = await StartWithAsync(limits => limits.MaxLogsPerGateway = 3);

        for (int i = 0; i < 5; i++)
        {
            await client.ChatAsync($"q{i}", ("cf-aig-event-id", $"e{i}"));
        }

        Assert.Equal(["e2", "e3", "e4"], client.Emulator.State.GetLogs("default").Select(l => l.EventId));
    }

    [Fact]
    public async Task LogBodies_KeepAtMostTheLimitInAll_DroppingTheOldestLogs_AndALogTooLargeKeepsNoBody()
    {
        var options = new AiGatewayEmulatorOptions();
        options.Limits.MaxLogPayloadBytes = 4_000;
        options.Gateways.Add(new EmulatorGateway { Id = "other" });
        await using var client = await StartAsync(options);
        string text = new('x', 500);

        await client.PostAsync("v1/acct/other/openai/chat/completions", OpenAIBody(text), ("Authorization", "Bearer k"), ("cf-aig-event-id", "oldest"));
        for (int i = 0; i < 4; i++)
        {
            await client.ChatAsync(text + i, ("cf-aig-event-id", $"e{i}"));
        }

        var kept = client.Emulator.State.GetLogs("default");
        Assert.Empty(client.Emulator.State.GetLogs("other"));
        Assert.Equal("e3", kept[^1].EventId);
        Assert.True(kept.Count < 4);
        Assert.InRange(client.Emulator.State.LogPayloadBytes, 1, 4_000);

        await client.ChatAsync(new string('y', 5_000), ("cf-aig-event-id", "huge"));
        var huge = client.Emulator.State.GetLogs("default")[^1];
        Assert.Equal("huge", huge.EventId);
        Assert.Null(huge.RequestBody);
        var payload = await client.ControlAsync(HttpMethod.Get, $"gateways/default/logs/{huge.Id}/request");
        Assert.Equal(HttpStatusCode.NotFound, payload.StatusCode);
    }

    [Fact]
    public async Task Cache_KeepsAtMostTheLimit_DroppingTheOldest()
    {
        await using var client = await StartWithAsync(limits => limits.MaxCacheEntries = 2);

        foreach (string prompt in new[] { "a", "b", "c" })
        {
            await client.ChatAsync(prompt, ("cf-aig-cache-ttl", "300"));
        }

        var newest = await client.ChatAsync("c", ("cf-aig-cache-ttl", "300"));
        var oldest = await client.ChatAsync("a", ("cf-aig-cache-ttl", "300"));

        Assert.Equal("HIT", Header(newest, "cf-aig-cache-status"));
        Assert.Equal("MISS", Header(oldest, "cf-aig-cache-status"));
        Assert.Equal(2, client.Emulator.State.CachedAnswers);
    }

    [Fact]
    public async Task Cache_KeepsAtMostItsBytes_AndSkipsAnAnswerLargerThanAll()
    {
        await using var client = await StartWithAsync(limits => limits.MaxCacheBytes = 3_000);

        var small = await client.ChatAsync("short question", ("cf-aig-cache-ttl", "300"));
        await client.ChatAsync(new string('z', 4_000), ("cf-aig-cache-ttl", "300"));
        var smallAgain = await client.ChatAsync("short question", ("cf-aig-cache-ttl", "300"));
        var largeAgain = await client.ChatAsync(new string('z', 4_000), ("cf-aig-cache-ttl", "300"));

        Assert.Equal("MISS", Header(small, "cf-aig-cache-status"));
        Assert.Equal("HIT", Header(smallAgain, "cf-aig-cache-status"));
        Assert.Equal("MISS", Header(largeAgain, "cf-aig-cache-status"));
        Assert.InRange(client.Emulator.State.CachedBytes, 1, 3_000);
    }

    [Fact]
    public async Task ExpiredAnswers_AreSweptAsTheClockPasses_EvenWhenNobodyAsksForThemAgain()
    {
        var clock = new FakeClock();
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });

        for (int i = 0; i < 10; i++)
        {
            await client.ChatAsync($"distinct question {i}", ("cf-aig-cache-ttl", "60"));
        }

        int before = client.Emulator.State.CachedAnswers;
        clock.Advance(TimeSpan.FromSeconds(61));
        await client.ChatAsync("something else", ("cf-aig-cache-ttl", "3600"));

        Assert.Equal(10, before);
        Assert.Equal(1, client.Emulator.State.CachedAnswers);
    }

    [Fact]
    public async Task Faults_KeepAtMostTheLimit_DroppingTheOldest()
    {
        await using var client = await StartWithAsync(limits => limits.MaxFaults = 2);

        foreach (int status in new[] { 500, 502, 503 })
        {
            client.Emulator.Faults.Add(new EmulatorFault { Status = status });
        }

        var answer = await client.ChatAsync("hi");

        Assert.Equal([502, 503], client.Emulator.Faults.Active.Select(f => f.Status!.Value));
        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheLimit_IsAnswered413InTheGatewaysShape_AndTheConnectionStaysUsable()
    {
        await using var client = await StartWithAsync(limits => limits.MaxRequestBodyBytes = 10_000);
        string large = OpenAIBody(new string('x', 50_000));

        var declared = await client.PostAsync("v1/acct/default/openai/chat/completions", large, ("Authorization", "Bearer k"));
        var declaredBody = await JsonAsync(declared);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "v1/acct/default/openai/chat/completions")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.TryAddWithoutValidation("Authorization", "Bearer k");
        var streamed = await client.Http.SendAsync(chunked);
        var controlPlane = await client.ControlAsync(HttpMethod.Post, "gateways", large);
        var after = await client.ChatAsync("What is the capital of France?");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.False(declaredBody["success"]!.GetValue<bool>());
        Assert.Contains("MaxRequestBodyBytes", declaredBody["error"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Contains("MaxRequestBodyBytes", await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, controlPlane.StatusCode);
        Assert.False((await JsonAsync(controlPlane))["success"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.DoesNotContain(client.Emulator.State.GetLogs("default"), l => l.StatusCode == 413);
    }

    [Fact]
    public async Task ALimitBelowOne_IsRefusedAtStart_NamingIt()
    {
        var options = new AiGatewayEmulatorOptions();
        options.Limits.MaxCacheEntries = 0;

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AiGatewayEmulator.StartAsync(options));

        Assert.Contains("Limits.MaxCacheEntries", error.Message, StringComparison.Ordinal);
    }
}
