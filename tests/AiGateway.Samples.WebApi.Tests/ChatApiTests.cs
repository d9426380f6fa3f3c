using System.Net;
using System.Text.Json.Nodes;
using AiGateway.Emulator;
using AiGateway.Testing;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>The web sample's answers and its refusals of bad input, in process (TestHost) against the emulator.</summary>
public sealed class ChatApiTests
{
    [Fact]
    public async Task Chat_AnswersWithUsageSourceCacheAndLogId_AndUsesTheSystemPrompt()
    {
        await using var sample = await WebSample.StartAsync();
        var http = sample.Http;

        var first = await http.SendAsync(Http.Post("/chat"));
        var second = await (await http.SendAsync(Http.Post("/chat"))).ReadJsonAsync();
        var skipped = await (await http.SendAsync(Http.Post("/chat", """{"message": "What is the capital of France?", "skipCache": true}"""))).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.ReadJsonAsync();
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal("The capital of France is Paris.", body["response"]!.GetValue<string>());
        Assert.True(body["usage"]!["totalTokens"]!.GetValue<int>() > 0);
        Assert.Equal("openai", body["source"]!.GetValue<string>());
        Assert.Equal("MISS", body["cache"]!.GetValue<string>());
        Assert.Equal(sample.Emulator.State.GetLogs("default")[0].Id, body["logId"]!.GetValue<string>());
        Assert.Equal("HIT", second["cache"]!.GetValue<string>());
        Assert.NotEqual("HIT", skipped["cache"]?.GetValue<string>());
        var request = JsonNode.Parse(sample.Emulator.State.GetLogs("default")[0].RequestBody!)!;
        Assert.Equal("system", request["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("You are a helpful assistant. Answer briefly.", request["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_IsReadIncrementally_AndEndsWithADoneEvent()
    {
        var clock = new FakeClock();
        await using var sample = await WebSample.StartAsync(emulatorOptions: new AiGatewayEmulatorOptions { TimeProvider = clock, StreamChunkDelay = TimeSpan.FromSeconds(1) });
        var http = sample.Http;

        // The emulator sends the role chunk at once, then waits one second on the fake clock before each next chunk.
        // The sample answers (headers included) once the first text arrives: one tick releases exactly the first word.
        var sending = http.SendAsync(Http.Post("/chat/stream"), HttpCompletionOption.ResponseHeadersRead);
        await clock.WaitForTimersAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        var response = await sending.WaitAsync(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var firstDelta = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var rest = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                events.Enqueue(line);
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    firstDelta.TrySetResult();
                }
            }
        });
        await firstDelta.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The first delta reached us while the server still holds the rest (its next chunk waits on the clock).
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("data: {\"delta\":\"The\"}", events.First(l => l.StartsWith("data: ", StringComparison.Ordinal)));
        Assert.False(rest.IsCompleted);
        Assert.DoesNotContain("event: done", events);
        while (!rest.IsCompleted)
        {
            await Task.WhenAny(rest, clock.WaitForTimersAsync());
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await rest;
        var dataLines = events.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).ToList();
        Assert.Equal("The capital of France is Paris.", string.Concat(dataLines.SkipLast(1).Select(l => JsonNode.Parse(l[6..])!["delta"]!.GetValue<string>())));
        Assert.Contains("event: done", events);
        var done = JsonNode.Parse(dataLines[^1][6..])!;
        Assert.Equal("openai", done["source"]!.GetValue<string>());
        Assert.True(done["usage"]!["outputTokens"]!.GetValue<int>() > 0);
        Assert.NotNull(done["logId"]);

        // A stream has no cache status: the field is left out, where the console sample prints cache=-.
        Assert.Null(done["cache"]);
    }

    [Fact]
    public async Task Fallback_IsReportedInSource()
    {
        await using var sample = await WebSample.StartAsync();
        sample.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });

        var body = await (await sample.Http.SendAsync(Http.Post("/chat"))).ReadJsonAsync();
        var stream = await (await sample.Http.SendAsync(Http.Post("/chat/stream"))).Content.ReadAsStringAsync();

        Assert.Equal("groq", body["source"]!.GetValue<string>());
        Assert.Contains("\"source\":\"groq\"", stream, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "'message' is required")]
    [InlineData("""{"message": "   "}""", "'message' is required")]
    [InlineData("{oops", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""[{"message": "hi"}]""", "not a JSON object")]
    [InlineData("\"What is the capital of France?\"", "not a JSON object")]
    [InlineData("42", "not a JSON object")]
    [InlineData("null", "not a JSON object")]
    [InlineData("""{"message": 42}""", "'message' has the wrong type: 'message' must be a string")]
    [InlineData("""{"message": "hi", "skipCache": "yes"}""", "'skipCache' has the wrong type")]
    public async Task BadInput_Is400WithAClearError(string body, string expected)
    {
        await using var sample = await WebSample.StartAsync();

        foreach (string path in new[] { "/chat", "/chat/stream" })
        {
            var response = await sample.Http.SendAsync(Http.Post(path, body));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await response.ReadJsonAsync();
            Assert.False(error["success"]!.GetValue<bool>());
            Assert.Contains(expected, error["error"]!.GetValue<string>());
            Assert.DoesNotContain("AiGateway.Samples", error["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Empty(sample.Emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task OversizedBody_Is400()
    {
        await using var sample = await WebSample.StartAsync(new() { ["Chat:MaxRequestBytes"] = "100" });

        var response = await sample.Http.SendAsync(Http.Post("/chat", $$"""{"message": "{{new string('x', 500)}}"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than 100 bytes", (await response.ReadJsonAsync())["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/chat")]
    [InlineData("PUT", "/chat")]
    [InlineData("DELETE", "/chat/stream")]
    [InlineData("GET", "/chat/stream")]
    public async Task OtherMethods_Are405(string method, string path)
    {
        await using var sample = await WebSample.StartAsync();

        var response = await sample.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        await using var sample = await WebSample.StartAsync();

        var response = await sample.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.ReadJsonAsync())["status"]!.GetValue<string>());
    }
}
