using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator.Tests;

/// <summary>Raw HTTP against a running emulator, the way any gateway client talks to it.</summary>
public sealed class EmulatorClient : IAsyncDisposable
{
    private EmulatorClient(AiGatewayEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.Root, Timeout = TimeSpan.FromSeconds(60) };
    }

    public AiGatewayEmulator Emulator { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatorClient> StartAsync(AiGatewayEmulatorOptions? options = null) =>
        new(await AiGatewayEmulator.StartAsync(options));

    public static string OpenAIBody(string prompt, bool stream = false, string model = "gpt-4o-mini", string? extra = null) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":{{JsonValue.Create(prompt).ToJsonString()}}}]{{(stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")}}{{extra}}}""";

    public Task<HttpResponseMessage> PostAsync(string path, string body, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Post, path, body, headers);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>An OpenAI chat request on the default gateway with a provider key.</summary>
    public Task<HttpResponseMessage> ChatAsync(string prompt, params (string Name, string Value)[] headers) =>
        PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody(prompt), [("Authorization", "Bearer sk-test"), .. headers]);

    public Task<HttpResponseMessage> ControlAsync(HttpMethod method, string path, string? body = null) =>
        SendAsync(method, "client/v4/accounts/acct/ai-gateway/" + path, body, ("Authorization", "Bearer cf-token"));

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}

public static class SseReader
{
    /// <summary>Splits an SSE body into (event, data) pairs.</summary>
    public static List<(string? Event, string Data)> Parse(string body)
    {
        var events = new List<(string?, string)>();
        foreach (string block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new StringBuilder();
            foreach (string line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]);
                }
            }

            events.Add((name, data.ToString()));
        }

        return events;
    }
}
