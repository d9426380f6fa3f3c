using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>The web sample in process (TestHost) against the emulator.</summary>
public sealed class ChatApiTests
{
    private const string Question = """{"message": "What is the capital of France?"}""";

    private static async Task<(WebApplication App, HttpClient Http, AiGatewayEmulator Emulator)> StartAsync(
        AiGatewayEmulatorOptions? emulatorOptions = null, Dictionary<string, string?>? settings = null)
    {
        var emulator = await AiGatewayEmulator.StartAsync(emulatorOptions);
        var app = await ChatApp.CreateAsync([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
                ["AiGateway:AccountId"] = "acct",
                ["AiGateway:ApiKey"] = "sk-web-test-key-000000",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
        });
        await app.StartAsync();
        return (app, app.GetTestClient(), emulator);
    }

    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Chat_AnswersWithUsageSourceCacheAndLogId_AndUsesTheSystemPrompt()
    {
        var (app, http, emulator) = await StartAsync();
        await using var _ = app;
        await using var __ = emulator;

        var first = await http.PostAsync("/chat", Json(Question));
        var second = await ReadJsonAsync(await http.PostAsync("/chat", Json(Question)));
        var skipped = await ReadJsonAsync(await http.PostAsync("/chat", Json("""{"message": "What is the capital of France?", "skipCache": true}""")));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await ReadJsonAsync(first);
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.Equal("The capital of France is Paris.", body["response"]!.GetValue<string>());
        Assert.True(body["usage"]!["totalTokens"]!.GetValue<int>() > 0);
        Assert.Equal("openai", body["source"]!.GetValue<string>());
        Assert.Equal("MISS", body["cache"]!.GetValue<string>());
        Assert.Equal(emulator.State.GetLogs("default")[0].Id, body["logId"]!.GetValue<string>());
        Assert.Equal("HIT", second["cache"]!.GetValue<string>());
        Assert.NotEqual("HIT", skipped["cache"]!.GetValue<string>());
        var request = JsonNode.Parse(emulator.State.GetLogs("default")[0].RequestBody!)!;
        Assert.Equal("system", request["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("You are a helpful assistant. Answer briefly.", request["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_IsReadIncrementally_AndEndsWithADoneEvent()
    {
        var clock = new FakeClock();
        var (app, http, emulator) = await StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock, StreamChunkDelay = TimeSpan.FromSeconds(1) });
        await using var _ = app;
        await using var __ = emulator;

        // The emulator sends the role chunk at once, then waits one second on the fake clock before each next chunk.
        // The sample answers (headers included) once the first text arrives: one tick releases exactly the first word.
        var sending = http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/chat/stream") { Content = Json(Question) }, HttpCompletionOption.ResponseHeadersRead);
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
    }

    [Fact]
    public async Task Fallback_IsReportedInSource()
    {
        var (app, http, emulator) = await StartAsync();
        await using var _ = app;
        await using var __ = emulator;
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });

        var body = await ReadJsonAsync(await http.PostAsync("/chat", Json(Question)));
        var stream = await (await http.PostAsync("/chat/stream", Json(Question))).Content.ReadAsStringAsync();

        Assert.Equal("groq", body["source"]!.GetValue<string>());
        Assert.Contains("\"source\":\"groq\"", stream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingProviders_Answer502WithTheLogIdAndNoStackTrace()
    {
        var (app, http, emulator) = await StartAsync();
        await using var _ = app;
        await using var __ = emulator;
        emulator.Faults.Add(new EmulatorFault { Status = 503 });

        var response = await http.PostAsync("/chat", Json(Question));
        var streamed = await http.PostAsync("/chat/stream", Json(Question));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Contains("Every AI Gateway route failed", body["error"]!.GetValue<string>());
        Assert.NotNull(body["logId"]);
        Assert.DoesNotContain("   at ", body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-web-test-key", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, streamed.StatusCode);
    }

    [Theory]
    [InlineData("{}", "'message' is required")]
    [InlineData("""{"message": "   "}""", "'message' is required")]
    [InlineData("{oops", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("""{"message": 42}""", "'message' has the wrong type: 'message' must be a string")]
    [InlineData("""{"message": "hi", "skipCache": "yes"}""", "'skipCache' has the wrong type")]
    public async Task BadInput_Is400WithAClearError(string body, string expected)
    {
        var (app, http, emulator) = await StartAsync();
        await using var _ = app;
        await using var __ = emulator;

        foreach (string path in new[] { "/chat", "/chat/stream" })
        {
            var response = await http.PostAsync(path, Json(body));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await ReadJsonAsync(response);
            Assert.False(error["success"]!.GetValue<bool>());
            Assert.Contains(expected, error["error"]!.GetValue<string>());
            Assert.DoesNotContain("AiGateway.Samples", error["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Empty(emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task OversizedBody_Is400()
    {
        var (app, http, emulator) = await StartAsync(settings: new() { ["Chat:MaxRequestBytes"] = "100" });
        await using var _ = app;
        await using var __ = emulator;

        var response = await http.PostAsync("/chat", Json($$"""{"message": "{{new string('x', 500)}}"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than 100 bytes", (await ReadJsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Preflight_AnswersWithCorsHeaders_FromConfiguration()
    {
        var (app, http, emulator) = await StartAsync(settings: new() { ["Cors:AllowedOrigins:0"] = "https://app.example.com" });
        await using var _ = app;
        await using var __ = emulator;

        var preflight = await http.SendAsync(Preflight("/chat", "https://app.example.com"));
        var refused = await http.SendAsync(Preflight("/chat/stream", "https://evil.example.com"));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://app.example.com", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task DefaultCors_AllowsAnyOrigin()
    {
        var (app, http, emulator) = await StartAsync();
        await using var _ = app;
        await using var __ = emulator;
        var response = await http.SendAsync(Preflight("/chat", "https://anywhere.example"));

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("GET", "/chat")]
    [InlineData("PUT", "/chat")]
    [InlineData("DELETE", "/chat/stream")]
    [InlineData("GET", "/chat/stream")]
    public async Task OtherMethods_Are405(string method, string path)
    {
        var (app, http, emulator) = await StartAsync();
        await using var _ = app;
        await using var __ = emulator;

        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        var (app, http, emulator) = await StartAsync();
        await using var _ = app;
        await using var __ = emulator;

        var response = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await ReadJsonAsync(response))["status"]!.GetValue<string>());
    }
}
