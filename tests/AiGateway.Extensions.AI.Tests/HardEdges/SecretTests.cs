using System.Diagnostics;
using System.Reflection;
using AiGateway.Extensions.AI.Management;
using AiGateway.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.HardEdges;

/// <summary>
/// No secret anywhere: every error path is fed a body that echoes every configured key and the token in every field,
/// and everything that leaves the package is scanned: the exception (message, properties, <c>ToString()</c>), our log
/// lines and Microsoft's (<c>UseLogging</c>, <c>UseOpenTelemetry</c>), span tags and events, and the client's metadata.
/// </summary>
public sealed class SecretTests
{
    private const string FallbackKey = "gsk-fallback-provider-key-987654";
    private static readonly string[] s_secrets = [TestOptions.ApiKey, FallbackKey, TestOptions.Token];
    private static readonly string s_echo = string.Join(" ", s_secrets);
    private static readonly string s_field = System.Text.Json.JsonEncodedText.Encode(s_echo).ToString();

    public static TheoryData<string, bool> ChatPaths => new()
    {
        { "openai", false },
        { "openai", true },
        { "anthropic", false },
        { "anthropic", true },
    };

    [Theory]
    [MemberData(nameof(ChatPaths))]
    public async Task AChatFailure_ThatEchoesEverySecret_ShowsNone(string provider, bool streaming)
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Answer(context, provider, streaming));
        var spans = new SpanCollection();
        string source = "secrets-" + Guid.NewGuid().ToString("N");
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(source, AiGatewayTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        var services = new ServiceCollection();
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace));
        services.AddAiGatewayChatClient(o => Configure(o, server.Root, provider)).UseLogging().UseOpenTelemetry(sourceName: source);
        await using var services2 = services.BuildServiceProvider();
        var chat = services2.GetRequiredService<IChatClient>();

        var error = streaming
            ? await Assert.ThrowsAsync<AiGatewayException>(async () => await chat.GetStreamingResponseAsync("Hi").ToChatResponseAsync())
            : await Assert.ThrowsAsync<AiGatewayException>(() => chat.GetResponseAsync("Hi"));

        Assert.Contains("[REDACTED]", error.Message, StringComparison.Ordinal);
        AssertNoSecret(Texts(error)
            .Concat(services2.GetFakeLogCollector().GetSnapshot().SelectMany(Texts))
            .Concat(spans.SelectMany(Texts))
            .Append(chat.GetService<ChatClientMetadata>()?.ProviderUri?.AbsoluteUri));
    }

    [Fact]
    public async Task AnEmbeddingsFailure_ThatEchoesEverySecret_ShowsNone()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Json(context, 500, ErrorBody()));
        var logs = new FakeLogCollector();
        var options = TestOptions.Create(server.Root, model: "text-embedding-3-small");
        options.Token = TestOptions.Token;
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "openai", ApiKey = FallbackKey });
        using var generator = new AiGatewayEmbeddingGenerator(options, logger: new FakeLogger<AiGatewayEmbeddingGenerator>(logs));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => generator.GenerateAsync(["x"]));

        AssertNoSecret(Texts(error).Concat(logs.GetSnapshot().SelectMany(Texts)));
    }

    [Fact]
    public async Task AManagementFailure_ThatEchoesTheToken_ShowsNone()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
            Json(context, 403, $$"""{"success":false,"errors":[{"code":10000,"message":"{{s_field}}"}],"messages":[],"result":null}"""));
        using var http = new HttpClient();
        var client = new AiGatewayManagementClient(http, new AiGatewayManagementOptions { BaseUrl = new Uri(server.Root, "client/v4"), AccountId = "a", ApiToken = TestOptions.Token });

        var error = await Assert.ThrowsAsync<CloudflareApiException>(() => client.GetGatewayAsync("gw"));

        Assert.DoesNotContain(TestOptions.Token, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.Token, error.ToString(), StringComparison.Ordinal);
        Assert.All(error.Errors, e => Assert.DoesNotContain(TestOptions.Token, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AKeyAcrossTheMessageCut_IsStillRedacted()
    {
        string body = new string('x', 995) + TestOptions.ApiKey;
        using var client = TestOptions.Client(TestOptions.Create(), new RecordingHandler(body, System.Net.HttpStatusCode.BadRequest));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        Assert.DoesNotContain(TestOptions.ApiKey[..6], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AOneLetterToken_IsRedactedAsAWord_NotInsideWords()
    {
        var options = TestOptions.Create();
        options.Token = "t";
        using var client = TestOptions.Client(options, new RecordingHandler("t: gateways failed with t", System.Net.HttpStatusCode.BadRequest));

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync("Hi"));

        Assert.Equal("[REDACTED]: gateways failed with [REDACTED]", error.ProviderMessage);
    }

    private static void Configure(AiGatewayOptions o, Uri root, string provider)
    {
        o.Endpoint = new Uri(root, "v1");
        o.AccountId = "a";
        o.GatewayId = "gw";
        o.Provider = provider;
        o.Model = provider == "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini";
        o.ApiKey = TestOptions.ApiKey;
        o.Token = TestOptions.Token;
        o.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile", ApiKey = FallbackKey });
    }

    private static string ErrorBody() =>
        $$"""{"type":"error","error":{"message":"{{s_field}}","type":"{{s_field}}","code":"{{s_field}}","param":"{{s_field}}"},"request_id":"{{s_field}}"}""";

    private static Task Answer(HttpContext context, string provider, bool streaming)
    {
        if (!streaming)
        {
            return Json(context, 400, ErrorBody());
        }

        context.Response.ContentType = "text/event-stream";
        string events = provider == "anthropic"
            ? $"event: error\ndata: {ErrorBody()}\n\n"
            : $"data: {ErrorBody()}\n\n";
        return context.Response.WriteAsync(events);
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["cf-aig-log-id"] = "log-1";
        return context.Response.WriteAsync(body);
    }

    private static void AssertNoSecret(IEnumerable<string?> texts)
    {
        var all = texts.Where(t => !string.IsNullOrEmpty(t)).ToList();
        Assert.NotEmpty(all);
        foreach (string secret in s_secrets)
        {
            Assert.DoesNotContain(all, text => text!.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>The exception's message, <c>ToString()</c> and every string property, and the same of its inner exceptions.</summary>
    private static IEnumerable<string?> Texts(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e.ToString();
            foreach (var property in e.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)))
            {
                yield return property.GetValue(e) as string;
            }
        }
    }

    private static IEnumerable<string?> Texts(FakeLogRecord record)
    {
        yield return record.Message;
        yield return record.Exception?.ToString();
        foreach (var (_, value) in record.StructuredState ?? [])
        {
            yield return value;
        }
    }

    private static IEnumerable<string?> Texts(Activity span) =>
        span.Tags.Select(t => t.Value)
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => t.Value?.ToString())))
            .Append(span.StatusDescription)
            .Append(span.DisplayName);
}
