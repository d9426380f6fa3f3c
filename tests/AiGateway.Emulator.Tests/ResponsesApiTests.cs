using System.Net;
using System.Text.Json.Nodes;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>
/// OpenAI's Responses API on <c>{gateway}/openai/responses</c> and the REST form's <c>/ai/v1/responses</c>, and Anthropic
/// Messages on the REST form's <c>/ai/v1/messages</c>: the APIs' own shapes, with the gateway's cache, logs and faults.
/// </summary>
public sealed class ResponsesApiTests
{
    private const string Question = """{"model":"gpt-4o-mini","input":"What is the capital of France?"}""";
    private static readonly (string, string) s_key = ("Authorization", "Bearer sk-test");

    [Fact]
    public async Task Answer_IsAResponseObject_WithAMessageItemAndUsage()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/openai/responses", Question, s_key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("response", body["object"]!.GetValue<string>());
        Assert.Equal("completed", body["status"]!.GetValue<string>());
        Assert.StartsWith("resp_", body["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var message = body["output"]!.AsArray().Single()!;
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal("output_text", message["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("The capital of France is Paris.", message["content"]![0]!["text"]!.GetValue<string>());
        Assert.True(body["usage"]!["output_tokens"]!.GetValue<int>() > 0);
        Assert.Equal("responses", Assert.Single(client.Emulator.State.GetLogs("default")).Path);
    }

    [Fact]
    public async Task Stream_IsTheApisEventSequence_NumberedAndNamed_EndingInCompletedWithUsage()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/openai/responses", """{"model":"gpt-4o-mini","input":"What is the capital of France?","stream":true}""", s_key);
        var events = Events(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"], events.Take(4).Select(e => e.Name));
        Assert.Equal(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"], events.TakeLast(4).Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        Assert.Equal("The capital of France is Paris.", string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data["delta"]!.GetValue<string>())));
        Assert.True(events[^1].Data["response"]!["usage"]!["total_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Tools_AreCalledAsFunctionCallItems_AndAnsweredFromTheirOutput()
    {
        await using var client = await StartAsync();
        const string Tools = "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";

        var call = (await JsonAsync(await client.PostAsync("v1/acct/default/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"What is the weather in Paris?\"," + Tools + "}", s_key)))["output"]![0]!;
        string callId = call["call_id"]!.GetValue<string>();
        var answer = await JsonAsync(await client.PostAsync("v1/acct/default/openai/responses",
            "{\"model\":\"gpt-4o-mini\",\"input\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}," + call.ToJsonString() +
            ",{\"type\":\"function_call_output\",\"call_id\":\"" + callId + "\",\"output\":\"Sunny\"}]," + Tools + "}", s_key));

        Assert.Equal("function_call", call["type"]!.GetValue<string>());
        Assert.Equal("get_weather", call["name"]!.GetValue<string>());
        Assert.Equal("Paris", JsonNode.Parse(call["arguments"]!.GetValue<string>())!["city"]!.GetValue<string>());
        Assert.Equal("The tool answered: Sunny", answer["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reasoning_ComesAsAReasoningItemWithASummaryAndEncryptedContent()
    {
        await using var client = await StartAsync();

        var body = await JsonAsync(await client.PostAsync("v1/acct/default/openai/responses",
            """{"model":"o4-mini","input":"What is the capital of France?","reasoning":{"effort":"low","summary":"auto"}}""", s_key));

        var reasoning = body["output"]![0]!;
        Assert.Equal("reasoning", reasoning["type"]!.GetValue<string>());
        Assert.Equal("summary_text", reasoning["summary"]![0]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(reasoning["encrypted_content"]!.GetValue<string>()));
        Assert.Equal("message", body["output"]![1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RepeatedAnswers_HitTheCache()
    {
        await using var client = await StartAsync();

        await client.PostAsync("v1/acct/default/openai/responses", Question, s_key, ("cf-aig-cache-ttl", "300"));
        var second = await client.PostAsync("v1/acct/default/openai/responses", Question, s_key, ("cf-aig-cache-ttl", "300"));

        Assert.Equal("HIT", Header(second, "cf-aig-cache-status"));
        Assert.Equal("response", (await JsonAsync(second))["object"]!.GetValue<string>());
    }

    [Fact]
    public async Task Faults_AnswerInOpenAIsErrorShape_AndMidStreamAsAnErrorEventThenResponseFailed()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 429, Times = 1 });
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", ErrorEventAfterChunks = 3, Times = 1 });

        var limited = await client.PostAsync("v1/acct/default/openai/responses", Question, s_key);
        var stream = Events(await (await client.PostAsync("v1/acct/default/openai/responses", """{"model":"gpt-4o-mini","input":"Hi","stream":true}""", s_key)).Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await JsonAsync(limited))["error"]!["code"]!.GetValue<string>());
        Assert.Equal(["error", "response.failed"], stream.TakeLast(2).Select(e => e.Name));
        Assert.Equal("failed", stream[^1].Data["response"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task MissingKey_IsOpenAIs401()
    {
        await using var client = await StartAsync();

        var response = await client.PostAsync("v1/acct/default/openai/responses", Question);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await JsonAsync(response))["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task RestForm_ServesResponsesAndMessages_EachInItsOwnFormat()
    {
        await using var client = await StartAsync();
        (string, string)[] rest = [("Authorization", "Bearer cf"), ("cf-aig-gateway-id", "default")];

        var responses = await client.PostAsync("client/v4/accounts/acct/ai/v1/responses", """{"model":"openai/gpt-4o-mini","input":"What is the capital of France?"}""", rest);
        var messages = await client.PostAsync("client/v4/accounts/acct/ai/v1/messages",
            """{"model":"anthropic/claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"What is the capital of France?"}]}""", [.. rest, ("anthropic-version", "2026-10-21")]);
        var refused = await client.PostAsync("client/v4/accounts/acct/ai/v1/messages",
            """{"model":"anthropic/claude-sonnet-4-5","max_tokens":100,"temperature":0.5,"messages":[{"role":"user","content":"Hi"}]}""", [.. rest, ("anthropic-version", "2026-10-21")]);

        Assert.Equal("response", (await JsonAsync(responses))["object"]!.GetValue<string>());
        Assert.Equal("message", (await JsonAsync(messages))["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_request_error", (await JsonAsync(refused))["error"]!["type"]!.GetValue<string>());
        Assert.Equal(["openai", "anthropic", "anthropic"], client.Emulator.State.GetLogs("default").OrderBy(l => l.CreatedAt).Select(l => l.Provider));
    }

    private static List<(string Name, JsonNode Data)> Events(string sse) =>
        [.. sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            var lines = e.Split('\n');
            return (lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..],
                JsonNode.Parse(lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])!);
        })];
}
