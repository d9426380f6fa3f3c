using System.Net;
using System.Text.Json.Nodes;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

public sealed class FaultTests
{
    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(422)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task AnyStatus_IsReachableWithTheProvidersErrorShape(int status)
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = status });

        var response = await client.ChatAsync("hi");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.NotNull((await JsonAsync(response))["error"]!["message"]);
    }

    [Theory]
    [InlineData(424, 2016)]
    [InlineData(424, 2017)]
    [InlineData(400, 2029)]
    [InlineData(400, 2030)]
    public async Task GatewayCodes_UseTheGatewaysErrorShape(int status, int code)
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Status = status, GatewayCode = code });

        var response = await client.ChatAsync("hi");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await JsonAsync(response))["error"]![0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task FaultsOverHttp_AreAddedListedMatchedByModelAndCleared()
    {
        await using var client = await StartAsync();

        var added = await client.PostAsync("emulator/faults", """{"provider":"openai","model":"gpt-4o","status":429,"retryAfter":"00:00:30","body":"{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}"}""");
        var listed = await JsonAsync(await client.SendAsync(HttpMethod.Get, "emulator/faults", null));
        var otherModel = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi"), ("Authorization", "Bearer k"));
        var limited = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi", model: "gpt-4o"), ("Authorization", "Bearer k"));
        await client.SendAsync(HttpMethod.Delete, "emulator/faults", null);
        var cleared = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi", model: "gpt-4o"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Single(listed.AsArray());
        Assert.Equal(HttpStatusCode.OK, otherModel.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter!.Delta);
        Assert.Equal("rate_limit_exceeded", (await JsonAsync(limited))["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("\"30\"", 30)]
    [InlineData("\"00:00:30\"", 30)]
    [InlineData("0.5", 1)]
    [InlineData("\"90\"", 90)]
    public async Task RetryAfter_ABareNumberIsSecondsAsHttpsRetryAfter_NeverDays(string retryAfter, int seconds)
    {
        await using var client = await StartAsync();

        var added = await client.PostAsync("emulator/faults", $$"""{"provider":"openai","status":429,"retryAfter":{{retryAfter}}}""");
        var limited = await client.ChatAsync("hi");

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(seconds), limited.Headers.RetryAfter!.Delta);
        Assert.True(client.Emulator.Faults.Active[0].RetryAfter <= TimeSpan.FromSeconds(90));
    }

    [Theory]
    [InlineData("retryAfter", "\"soon\"")]
    [InlineData("retryAfter", "\"30s\"")]
    [InlineData("delay", "true")]
    [InlineData("delay", "\"1e999\"")]
    public async Task ADurationInNeitherForm_IsRefusedWithTheFormsItTakes(string field, string value)
    {
        await using var client = await StartAsync();

        var refused = await client.PostAsync("emulator/faults", $$"""{"provider":"openai","status":429,"{{field}}":{{value}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        string problem = (await JsonAsync(refused))["error"]!.GetValue<string>();
        Assert.StartsWith(field + ":", problem, StringComparison.Ordinal);
        Assert.Contains("seconds (30, 0.5) or hh:mm:ss (00:00:30)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADelayInSeconds_WaitsThatLongOnTheClock()
    {
        var clock = new AiGateway.Testing.FakeClock();
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        await client.PostAsync("emulator/faults", """{"provider":"openai","delay":2}""");

        var call = client.ChatAsync("hi");
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(1.9));
        await clock.WaitForTimersAsync();
        bool earlyDone = call.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(0.1));
        var response = await call;

        Assert.False(earlyDone);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await JsonAsync(await client.SendAsync(HttpMethod.Get, "emulator/faults", null)))[0]!["delay"]!.GetValue<double>());
    }

    [Fact]
    public async Task BadFaultJson_Is400()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("emulator/faults", "{\"status\": \"not a number\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Times_UsesAFaultUp()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Status = 500, Times = 2 });

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            statuses.Add((await client.ChatAsync("hi")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task MalformedJson_IsCutShort()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Malformed = true });

        var response = await client.ChatAsync("hi");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(response.Content.ReadAsStringAsync().Result));
    }

    [Fact]
    public async Task MalformedSse_CutsEveryEvent()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Malformed = true });

        var response = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi", stream: true), ("Authorization", "Bearer k"));

        var events = SseReader.Parse(await response.Content.ReadAsStringAsync()).Where(e => e.Data.StartsWith('{')).ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(e.Data)));
    }

    [Fact]
    public async Task DropAfterChunks_ClosesTheConnectionMidStream()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { DropAfterChunks = 2 });

        // The connection is cut while the stream is open: the client fails reading the headers or the body.
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var response = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("What is the capital of France?", stream: true), ("Authorization", "Bearer k"));
            await response.Content.ReadAsStringAsync();
        });
        Assert.True(error is HttpRequestException or IOException, error.GetType().Name);
    }

    [Fact]
    public async Task ErrorEventAfterChunks_SendsAnErrorInsideThe200Stream()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { ErrorEventAfterChunks = 2 });

        var response = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("What is the capital of France?", stream: true), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = SseReader.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, events.Count);
        Assert.NotNull(JsonNode.Parse(events[^1].Data)!["error"]);
    }

    [Fact]
    public async Task Hang_HoldsTheRequestUntilTheClientGivesUp()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Hang = true });
        using var cts = new CancellationTokenSource();

        var call = client.Http.PostAsync("v1/acct/default/openai/chat/completions",
            new StringContent(OpenAIBody("hi"), System.Text.Encoding.UTF8, "application/json"), cts.Token);
        await Task.Yield();
        Assert.False(call.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
