using System.Net;
using System.Text.Json.Nodes;
using AiGateway.Testing;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>Policies and budgets from the control plane refuse requests as the real gateway does (features/policies.mdx).</summary>
public sealed class PolicyTests
{
    private const string EveryoneNoLimit = """{"name":"Everyone","actor":"company:all","resource":"*","condition":"true","action":{"type":"no-limit"}}""";

    private static JsonNode Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;

    private static HashSet<string> Keys(JsonNode node, string prefix = "") => node is JsonObject obj
        ? [.. obj.SelectMany(p => p.Value is JsonObject ? [prefix + p.Key, .. Keys(p.Value, prefix + p.Key + ".")] : new[] { prefix + p.Key })]
        : [];

    private static Task<HttpResponseMessage> AddPolicy(EmulatorClient client, string policy, bool commit = true) =>
        client.ControlAsync(HttpMethod.Post, "gateways/default/policies" + (commit ? "?commit=true" : ""), policy);

    private static Task<HttpResponseMessage> Chat(EmulatorClient client, string provider, string model, params (string, string)[] headers) =>
        client.PostAsync($"v1/acct/default/{provider}/chat/completions", OpenAIBody("hi", model: model), [("Authorization", "Bearer k"), .. headers]);

    [Fact]
    public async Task ABlockPolicy_Answers403InTheGatewaysShape_AndOtherModelsPass()
    {
        await using var client = await StartAsync();
        await AddPolicy(client, EveryoneNoLimit);
        await AddPolicy(client, """{"name":"No Opus","actor":"company:all","resource":{"model":"anthropic/claude-opus-*"},"condition":"true","action":{"type":"block"}}""");

        var opus = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude-opus-4-5","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", ("x-api-key", "k"));
        var haiku = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude-haiku-4-5","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", ("x-api-key", "k"));
        var openai = await Chat(client, "openai", "gpt-4o-mini");

        Assert.Equal(HttpStatusCode.Forbidden, opus.StatusCode);
        var body = await JsonAsync(opus);
        Assert.Equal(Keys(Fixture("error-403-policy-denied.json")), Keys(body));
        Assert.Equal("Access denied by policy", body["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, haiku.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
    }

    [Fact]
    public async Task OnceAnyPolicyExists_ARequestNoPolicyAllows_IsDenied()
    {
        await using var client = await StartAsync();
        var before = await Chat(client, "groq", "llama-3.3-70b-versatile");
        await AddPolicy(client, """{"name":"OpenAI only","actor":"company:all","resource":{"provider":"openai"},"condition":"true","action":{"type":"no-limit"}}""");

        var groq = await Chat(client, "groq", "llama-3.3-70b-versatile");
        var openai = await Chat(client, "openai", "gpt-4o-mini");
        var compat = await client.PostAsync("v1/acct/default/compat/chat/completions", OpenAIBody("hi", model: "groq/llama-3.3-70b-versatile"), ("Authorization", "Bearer k"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, groq.StatusCode);
        Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, compat.StatusCode);
    }

    [Fact]
    public async Task ASpentBudget_Answers429WithBucketSpentAndLimit_PerActor_UntilTheWindowResets()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock });
        await AddPolicy(client, """{"name":"Per user","actor":"user:{metadata.user}","resource":"*","condition":"true","action":{"type":"limit","amount":1,"period":"daily","technique":"named-interval"}}""");
        (string, string)[] Alice(string cost) => [("cf-aig-metadata", """{"user":"alice"}"""), ("cf-aig-custom-cost", $$"""{"total_cost":{{cost}}}""")];

        var first = await Chat(client, "openai", "gpt-4o-mini", Alice("0.6"));
        var second = await Chat(client, "openai", "gpt-4o-mini", Alice("0.6"));
        var spent = await Chat(client, "openai", "gpt-4o-mini", Alice("0.1"));
        var bob = await Chat(client, "openai", "gpt-4o-mini", ("cf-aig-metadata", """{"user":"bob"}"""));
        var anonymous = await Chat(client, "openai", "gpt-4o-mini");
        clock.Advance(TimeSpan.FromHours(12));
        var nextDay = await Chat(client, "openai", "gpt-4o-mini", Alice("0.1"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, spent.StatusCode);
        var body = await JsonAsync(spent);
        Assert.Equal(Keys(Fixture("error-429-spend-limit.json")), Keys(body));
        Assert.Equal("Spending limit exceeded", body["error"]!["message"]!.GetValue<string>());
        Assert.Equal("user:alice", body["error"]!["bucket"]!.GetValue<string>());
        Assert.Equal(1.2, body["error"]!["spent"]!.GetValue<double>(), 6);
        Assert.Equal(1, body["error"]!["limit"]!.GetValue<double>());
        Assert.Null(spent.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task ADraft_IsNotEnforcedUntilCommitted()
    {
        await using var client = await StartAsync();

        var draft = await JsonAsync(await AddPolicy(client, """{"name":"Block all","actor":"company:all","resource":"*","condition":"true","action":{"type":"block"}}""", commit: false));
        var live = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/policies"));
        var staged = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/policies?includeStaging=true"));
        var beforeCommit = await Chat(client, "openai", "gpt-4o-mini");
        var commit = await JsonAsync(await client.ControlAsync(HttpMethod.Post, "gateways/default/policies/commit"));
        var afterCommit = await Chat(client, "openai", "gpt-4o-mini");
        string id = draft["result"]!["id"]!.GetValue<string>();
        await client.ControlAsync(HttpMethod.Delete, $"gateways/default/policies/{id}");
        var afterDelete = await Chat(client, "openai", "gpt-4o-mini");

        Assert.False(draft["committed"]!.GetValue<bool>());
        Assert.Matches(GatewayBehaviourTests.UuidV7, id);
        Assert.Empty(live["result"]!.AsArray());
        Assert.True(Assert.Single(staged["result"]!.AsArray())!["staging"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, beforeCommit.StatusCode);
        Assert.Equal(1, commit["result"]!["committed"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, afterCommit.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterDelete.StatusCode);
    }

    [Fact]
    public async Task AnUpdate_ChangesOnlyTheFieldsItNames()
    {
        await using var client = await StartAsync();
        var created = await JsonAsync(await AddPolicy(client, """{"name":"Cap","actor":"company:all","resource":"*","condition":"true","action":{"type":"limit","amount":5,"period":"monthly","technique":"named-interval"}}"""));
        string id = created["result"]!["id"]!.GetValue<string>();

        var updated = await client.ControlAsync(HttpMethod.Put, $"gateways/default/policies/{id}?commit=true", """{"action":{"type":"limit","amount":2000,"period":"monthly","technique":"named-interval"}}""");
        var policy = await JsonAsync(await client.ControlAsync(HttpMethod.Get, $"gateways/default/policies/{id}"));

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2000, policy["result"]!["action"]!["amount"]!.GetValue<double>());
        Assert.Equal("Cap", policy["result"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CachedAnswers_SkipPolicies()
    {
        await using var client = await StartAsync();
        await Chat(client, "openai", "gpt-4o-mini", ("cf-aig-cache-ttl", "300"));
        await AddPolicy(client, """{"name":"Block all","actor":"company:all","resource":"*","condition":"true","action":{"type":"block"}}""");

        var cached = await Chat(client, "openai", "gpt-4o-mini", ("cf-aig-cache-ttl", "300"));
        var uncached = await Chat(client, "openai", "gpt-4o");

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal("HIT", Header(cached, "cf-aig-cache-status"));
        Assert.Equal(HttpStatusCode.Forbidden, uncached.StatusCode);
    }

    [Fact]
    public async Task Simulate_EvaluatesTheLivePolicies_WithTheBucketUsageGiven()
    {
        await using var client = await StartAsync();
        await AddPolicy(client, """{"name":"Everyone spend cap","actor":"company:all","resource":"*","condition":"true","action":{"type":"limit","amount":1000,"period":"monthly","technique":"named-interval"}}""");
        await AddPolicy(client, """{"name":"Contractors no Opus","actor":"company:all","resource":{"model":"anthropic/claude-opus-*"},"condition":"\"contractors\" in cf.user.groups","action":{"type":"block"}}""");

        var spent = await JsonAsync(await client.ControlAsync(HttpMethod.Post, "gateways/default/policies/simulate",
            """{"identity":{"cf":{"user":{"email":"alice@example.com","groups":["engineering"]}}},"model":"openai/gpt-5.5","provider":"openai","bucketUsage":{"Everyone spend cap":{"spent":1000}}}"""));
        var contractor = await JsonAsync(await client.ControlAsync(HttpMethod.Post, "gateways/default/policies/simulate",
            """{"identity":{"cf":{"user":{"groups":["contractors"]}}},"model":"anthropic/claude-opus-4-7"}"""));
        var fine = await JsonAsync(await client.ControlAsync(HttpMethod.Post, "gateways/default/policies/simulate",
            """{"identity":{"cf":{"user":{"groups":["engineering"]}}},"model":"anthropic/claude-opus-4-7"}"""));

        var enforcement = spent["result"]!["enforcement"]!;
        Assert.False(enforcement["allowed"]!.GetValue<bool>());
        Assert.Equal("limit_exceeded", enforcement["reason"]!.GetValue<string>());
        Assert.Equal(1000, enforcement["spent"]!.GetValue<double>());
        Assert.Equal(1000, enforcement["limit"]!.GetValue<double>());
        Assert.Equal("Everyone spend cap", enforcement["policyName"]!.GetValue<string>());
        Assert.Equal(2, spent["result"]!["policiesEvaluated"]!.GetValue<int>());
        Assert.Equal("blocked", contractor["result"]!["enforcement"]!["reason"]!.GetValue<string>());
        Assert.True(fine["result"]!["enforcement"]!["allowed"]!.GetValue<bool>());
        Assert.Equal("check_limits", fine["result"]!["evaluation"]!["decision"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"name":"x","actor":"a","resource":"*","condition":"size(cf.user.groups) > 2","action":{"type":"block"}}""", "condition")]
    [InlineData("""{"name":"x","actor":"a","resource":"*","condition":"true","action":{"type":"limit","amount":0,"period":"daily","technique":"named-interval"}}""", "action.amount")]
    [InlineData("""{"name":"x","actor":"a","resource":"*","condition":"true","action":{"type":"limit","amount":5,"period":"yearly","technique":"named-interval"}}""", "action.period")]
    [InlineData("""{"name":"x","actor":"a","resource":{"model":3},"condition":"true","action":{"type":"block"}}""", "resource.model")]
    [InlineData("""{"actor":"a","resource":"*","condition":"true","action":{"type":"block"}}""", "name")]
    [InlineData("""{"name":"x","actor":"a","resource":"*","condition":"true","action":{"type":5}}""", "action")]
    [InlineData("""{"name":"x","actor":7,"resource":"*","condition":"true","action":{"type":"block"}}""", "actor")]
    public async Task APolicyTheEmulatorCannotEnforce_IsRefusedNamingTheField(string policy, string field)
    {
        await using var client = await StartAsync();

        var response = await AddPolicy(client, policy);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await JsonAsync(response))["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/policies?includeStaging=true")))["result"]!.AsArray());
    }

    [Fact]
    public async Task OnTheUniversalEndpoint_ARefusedStep_MovesOnToTheNext()
    {
        await using var client = await StartAsync();
        await AddPolicy(client, """{"name":"Groq only","actor":"company:all","resource":{"provider":"groq"},"condition":"true","action":{"type":"no-limit"}}""");

        var response = await client.PostAsync("v1/acct/default", """
            [ { "provider": "openai", "endpoint": "chat/completions", "headers": { "Authorization": "Bearer k" },
                "query": { "model": "gpt-4o-mini", "messages": [ { "role": "user", "content": "hi" } ] } },
              { "provider": "groq", "endpoint": "chat/completions", "headers": { "Authorization": "Bearer k" },
                "query": { "model": "llama-3.3-70b-versatile", "messages": [ { "role": "user", "content": "hi" } ] } } ]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Header(response, "cf-aig-step"));
    }
}
