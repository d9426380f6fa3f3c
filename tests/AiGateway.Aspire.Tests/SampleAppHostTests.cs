using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace AiGateway.Aspire.Tests;

/// <summary>
/// The sample AppHost as Aspire tests itself (Aspire.Hosting.Testing): the orchestrator starts the emulator and the web
/// sample, and the test talks to the web sample through the orchestrator's endpoint.
/// </summary>
public sealed class SampleAppHostTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task TheWebSample_AnswersThroughTheEmulatorResource_ChatAndStream_CacheMissThenHit()
    {
        using var cancellation = new CancellationTokenSource(s_timeout);
        var token = cancellation.Token;
        var clock = Stopwatch.StartNew();

        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AiGateway_Samples_AppHost>(
            [], (options, _) => options.DisableDashboard = true, token);

        // Beside the sample's emulator, a real gateway that is not replaced: nothing to start, so it runs at once.
        appHost.AddAiGateway(
            "cloudflare",
            appHost.AddParameter("cf-account", "0123456789abcdef"),
            appHost.AddParameter("cf-gateway", "production"),
            appHost.AddParameter("cf-token", "cf-secret", secret: true));

        await using var app = await appHost.BuildAsync(token);
        await app.StartAsync(token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("webapi", token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cloudflare", token);
        Assert.Equal(
            "Endpoint=https://gateway.ai.cloudflare.com/v1;AccountId=0123456789abcdef;GatewayId=production;Token=cf-secret",
            await app.GetConnectionStringAsync("cloudflare", token));
        TestContext.Current.SendDiagnosticMessage($"AppHost healthy after {clock.Elapsed.TotalSeconds:F1} s");

        using var webapi = app.CreateHttpClient("webapi");
        var first = await ChatAsync(webapi, token);
        var second = await ChatAsync(webapi, token);
        Assert.True(first.Success);
        Assert.Equal("The capital of France is Paris.", first.Response);
        Assert.Equal(first.Response, second.Response);
        Assert.Equal(("openai", "MISS"), (first.Source, first.Cache));
        Assert.Equal(("openai", "HIT"), (second.Source, second.Cache));

        // The gateway never caches a stream (Cloudflare's rule, kept by the emulator): the same question streams twice,
        // and with no cache status from the gateway the web sample reports none.
        var streamed = await StreamAsync(webapi, token);
        var streamedAgain = await StreamAsync(webapi, token);
        Assert.Equal(first.Response, streamed.Text);
        Assert.Equal(first.Response, streamedAgain.Text);
        Assert.Equal(("openai", (string?)null), (streamed.Done.Source, streamed.Done.Cache));
        Assert.Equal(("openai", (string?)null), (streamedAgain.Done.Source, streamedAgain.Done.Cache));
        Assert.NotEqual(streamed.Done.LogId, streamedAgain.Done.LogId);

        // The answers came through the orchestrated emulator (the resource named "gateway"), whose log holds them.
        using var gateway = app.CreateHttpClient("gateway");
        using var logs = new HttpRequestMessage(HttpMethod.Get, "/client/v4/accounts/local/ai-gateway/gateways/default/logs?per_page=50");
        logs.Headers.Authorization = new("Bearer", "any");
        using var answer = await gateway.SendAsync(logs, token);
        string body = await answer.Content.ReadAsStringAsync(token);
        Assert.Contains(first.LogId!, body, StringComparison.Ordinal);
        Assert.Contains(second.LogId!, body, StringComparison.Ordinal);
        Assert.Contains(streamed.Done.LogId!, body, StringComparison.Ordinal);
        TestContext.Current.SendDiagnosticMessage($"whole test {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<ChatAnswer> ChatAsync(HttpClient webapi, CancellationToken token)
    {
        using var response = await webapi.PostAsJsonAsync("/chat", new { message = "What is the capital of France?" }, token);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChatAnswer>(s_json, token))!;
    }

    private static async Task<(string Text, ChatAnswer Done)> StreamAsync(HttpClient webapi, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/stream") { Content = JsonContent.Create(new { message = "What is the capital of France?" }) };
        using var response = await webapi.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(token));
        var text = new StringBuilder();
        ChatAnswer? done = null;
        string? eventName = null;
        while (await reader.ReadLineAsync(token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                Assert.NotEqual("error", eventName);
                if (eventName == "done")
                {
                    done = data.RootElement.Deserialize<ChatAnswer>(s_json);
                }
                else
                {
                    text.Append(data.RootElement.GetProperty("delta").GetString());
                }

                eventName = null;
            }
        }

        Assert.NotNull(done);
        return (text.ToString(), done);
    }

    private sealed record ChatAnswer(bool Success, string? Response, string? Source, string? Cache, string? LogId);
}
