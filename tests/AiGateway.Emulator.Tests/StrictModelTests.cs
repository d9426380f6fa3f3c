using System.Net;
using System.Text.Json.Nodes;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>Strict mode: each provider serves its list and answers any other model as it does; the default stays permissive.</summary>
public sealed class StrictModelTests
{
    private static AiGatewayEmulatorOptions Strict() => new() { StrictModels = true };

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;

    private static HashSet<string> Keys(JsonNode node, string prefix = "") => node is JsonObject obj
        ? [.. obj.SelectMany(p => p.Value is JsonObject ? [prefix + p.Key, .. Keys(p.Value, prefix + p.Key + ".")] : new[] { prefix + p.Key })]
        : [];

    [Fact]
    public async Task ByDefault_AnyModelIsServed_SoNewNamesWorkOffline()
    {
        await using var client = await StartAsync();

        var typo = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi", model: "gpt-4o-mni"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, typo.StatusCode);
    }

    [Fact]
    public async Task OpenAI_AnswersAnUnknownModel404ModelNotFound_InItsErrorShape()
    {
        await using var client = await StartAsync(Strict());

        var typo = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi", model: "gpt-4o-mni"), ("Authorization", "Bearer k"));
        var known = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi", model: "gpt-4o-mini"), ("Authorization", "Bearer k"));
        var snapshot = await client.PostAsync("v1/acct/default/openai/chat/completions", OpenAIBody("hi", model: "gpt-4o-mini-2024-07-18"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.NotFound, typo.StatusCode);
        var error = await JsonAsync(typo);
        Assert.Equal(Keys(Fixture("error-401-invalid-api-key.json")), Keys(error));
        Assert.Equal("model_not_found", error["error"]!["code"]!.GetValue<string>());
        Assert.Contains("`gpt-4o-mni`", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        Assert.Equal(404, Assert.Single(client.Emulator.State.GetLogs("default"), l => !l.Success).StatusCode);
    }

    [Fact]
    public async Task AFallbackThatInheritedTheWrongModel_IsAnswered404ByGroq_AsTheRealGroqDoes()
    {
        await using var client = await StartAsync(Strict());

        var direct = await client.PostAsync("v1/acct/default/groq/chat/completions", OpenAIBody("hi", model: "gpt-4o-mini"), ("Authorization", "Bearer k"));
        var compat = await client.PostAsync("v1/acct/default/compat/chat/completions", OpenAIBody("hi", model: "groq/gpt-4o-mini"), ("Authorization", "Bearer k"));
        var served = await client.PostAsync("v1/acct/default/groq/chat/completions", OpenAIBody("hi", model: "llama-3.3-70b-versatile"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        var error = await JsonAsync(direct);
        Assert.Equal(Keys(Fixture("error-404-model-not-found.json")), Keys(error));
        Assert.Equal("model_not_found", error["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, compat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Anthropic_AnswersNotFoundError_WithARequestId()
    {
        await using var client = await StartAsync(Strict());

        var typo = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude-sonet-4-5","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", ("x-api-key", "k"));
        var dated = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude-haiku-4-5-20251001","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", ("x-api-key", "k"));

        Assert.Equal(HttpStatusCode.NotFound, typo.StatusCode);
        var error = await JsonAsync(typo);
        Assert.Equal(Keys(Fixture("error-400-invalid-request.json")), Keys(error));
        Assert.Equal("not_found_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Equal("model: claude-sonet-4-5", error["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, dated.StatusCode);
    }

    [Theory]
    [InlineData("mistral/v1/chat/completions", "mistral-larg", 400, "invalid_model")]
    [InlineData("deepseek/chat/completions", "deepseek-r1", 400, "Model Not Exist")]
    [InlineData("workers-ai/v1/chat/completions", "@cf/meta/llama-9-instruct", 400, "5007")]
    public async Task OtherProviders_AnswerInTheirOwnWords(string route, string model, int status, string expected)
    {
        await using var client = await StartAsync(Strict());

        var response = await client.PostAsync("v1/acct/default/" + route, OpenAIBody("hi", model: model), ("Authorization", "Bearer k"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListsAreConfigurable_AndAProviderWithoutOneServesAnyModel()
    {
        var options = Strict();
        options.Models["groq"] = new HashSet<string> { "my-fine-tune" };
        options.Models["custom-acme"] = new HashSet<string> { "acme-1" };
        await using var client = await StartAsync(options);

        var configured = await client.PostAsync("v1/acct/default/groq/chat/completions", OpenAIBody("hi", model: "my-fine-tune"), ("Authorization", "Bearer k"));
        var replaced = await client.PostAsync("v1/acct/default/groq/chat/completions", OpenAIBody("hi", model: "llama-3.3-70b-versatile"), ("Authorization", "Bearer k"));
        var unlisted = await client.PostAsync("v1/acct/default/cerebras/chat/completions", OpenAIBody("hi", model: "anything-at-all"), ("Authorization", "Bearer k"));
        var custom = await client.PostAsync("v1/acct/default/custom-acme/v1/chat/completions", OpenAIBody("hi", model: "acme-2"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unlisted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, custom.StatusCode);
        Assert.Equal("model_not_found", (await JsonAsync(custom))["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Embeddings_AreCheckedToo()
    {
        await using var client = await StartAsync(Strict());

        var typo = await client.PostAsync("v1/acct/default/openai/embeddings", """{"model":"text-embeding-3-small","input":"hi"}""", ("Authorization", "Bearer k"));
        var known = await client.PostAsync("v1/acct/default/openai/embeddings", """{"model":"text-embedding-3-small","input":"hi"}""", ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.NotFound, typo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }
}
