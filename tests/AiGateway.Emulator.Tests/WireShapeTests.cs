using System.Text.Json.Nodes;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>The emulator's answers have the shape of real providers' (Fixtures/), key for key.</summary>
public sealed class WireShapeTests
{
    private static IEnumerable<string> Paths(JsonNode? node, string prefix = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    yield return prefix + key;
                    foreach (string path in Paths(value, prefix + key + "."))
                    {
                        yield return path;
                    }
                }

                break;
            case JsonArray array when array.Count > 0:
                foreach (string path in Paths(array[0], prefix + "0."))
                {
                    yield return path;
                }

                break;
        }
    }

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;

    [Theory]
    [InlineData("chat-completion-text.json", "v1/acct/default/openai/chat/completions", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""",
        "id,object,created,model,choices,choices.0.index,choices.0.message,choices.0.message.role,choices.0.message.content,choices.0.message.refusal,choices.0.finish_reason,usage,usage.prompt_tokens,usage.completion_tokens,usage.total_tokens,usage.prompt_tokens_details.cached_tokens,usage.completion_tokens_details.reasoning_tokens,system_fingerprint")]
    [InlineData("message-text.json", "v1/acct/default/anthropic/v1/messages", """{"model":"claude","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""",
        "id,type,role,model,content,content.0.type,content.0.text,stop_reason,stop_sequence,usage,usage.input_tokens,usage.output_tokens,usage.cache_creation_input_tokens,usage.cache_read_input_tokens,usage.cache_creation.ephemeral_5m_input_tokens,usage.cache_creation.ephemeral_1h_input_tokens,usage.service_tier")]
    [InlineData("native-run-response-documented.json", "v1/acct/default/workers-ai/@cf/meta/llama-3.1-8b-instruct", """{"prompt":"hi"}""",
        "result,result.response,success,errors,messages")]
    public async Task Answers_HaveTheKeysOfTheRealProviders(string fixture, string route, string body, string keys)
    {
        await using var client = await StartAsync();

        var answer = await JsonAsync(await client.PostAsync(route, body, ("Authorization", "Bearer k"), ("x-api-key", "k")));

        var real = Paths(Fixture(fixture)).ToHashSet();
        var emulated = Paths(answer).ToHashSet();
        foreach (string key in keys.Split(','))
        {
            Assert.True(real.Contains(key), $"fixture lacks {key}");
            Assert.True(emulated.Contains(key), $"emulator lacks {key}");
        }
    }

    [Fact]
    public async Task AnthropicErrors_HaveTheKeysOfTheRealOnes()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "anthropic", Status = 429 });

        var answer = await JsonAsync(await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", ("x-api-key", "k")));

        var real = Paths(Fixture("error-429-rate-limit.json")).ToHashSet();
        Assert.Equal(real, Paths(answer).ToHashSet());
        Assert.Equal("rate_limit_error", answer["error"]!["type"]!.GetValue<string>());
    }
}
