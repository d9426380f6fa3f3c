using System.Net;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>
/// <c>cloudflare/auto</c> on compat as features/auto-router.mdx describes it: the routing headers on every answer, the
/// allowed lists, and a session's model kept for a turn; deterministic, so tests can rely on it.
/// </summary>
public sealed class AutoRouterTests
{
    private static readonly string[] s_defaultPool =
        ["anthropic/claude-fable-5", "anthropic/claude-opus-5", "anthropic/claude-sonnet-5", "openai/gpt-5.6-luna", "openai/gpt-5.6-sol", "openai/gpt-5.6-terra", "xai/grok-4.5"];

    private static string Conversation(params (string Role, string Content)[] messages) =>
        $$"""{"model":"cloudflare/auto","messages":[{{string.Join(",", messages.Select(m => m.Role == "tool"
            ? $$"""{"role":"tool","tool_call_id":"call_1","content":"{{m.Content}}"}"""
            : $$"""{"role":"{{m.Role}}","content":"{{m.Content}}"}"""))}}]}""";

    private static Task<HttpResponseMessage> AutoAsync(EmulatorClient client, string body, params (string, string)[] headers) =>
        client.PostAsync("v1/acct/default/compat/chat/completions", body, [("cf-aig-authorization", "Bearer t"), .. headers]);

    private static (string? Model, string? Reason, string? DecisionId) Routing(HttpResponseMessage response) =>
        (Header(response, "cf-aig-routed-model"), Header(response, "cf-aig-routing-reason"), Header(response, "cf-aig-routing-decision-id"));

    [Fact]
    public async Task ARequest_IsServedByADefaultPoolModel_AndSaysWhichAndWhy_TheSameEveryTime()
    {
        await using var client = await StartAsync();

        var first = await AutoAsync(client, OpenAIBody("What is the capital of France?", model: "cloudflare/auto"));
        var again = await AutoAsync(client, OpenAIBody("What is the capital of France?", model: "cloudflare/auto"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var (model, reason, decision) = Routing(first);
        Assert.Contains(model, s_defaultPool);
        Assert.Equal("cost_optimal_within_pool", reason);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$", decision);
        Assert.Equal(model, Routing(again).Model);
        Assert.NotEqual(decision, Routing(again).DecisionId);
        Assert.Contains("Paris", (await JsonAsync(first))["choices"]![0]!["message"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var log = client.Emulator.State.GetLogs("default")[0];
        Assert.Equal(model, log.Provider == "grok" ? "xai/" + log.Model : log.Provider + "/" + log.Model);
    }

    [Theory]
    [InlineData("anthropic/*", null, "anthropic/")]
    [InlineData(null, "workers-ai", "@cf/")]
    [InlineData("openai/*,xai/*", "xai", "xai/")]
    public async Task TheAllowedLists_ChooseAmongWhatTheyAllow_AdditionalModelsIncluded(string? models, string? providers, string prefix)
    {
        await using var client = await StartAsync();
        var seen = new HashSet<string>();
        for (int i = 0; i < 12; i++)
        {
            var response = await AutoAsync(client, OpenAIBody($"question {i}", model: "cloudflare/auto"),
                [.. models is null ? [] : new[] { ("cf-aig-allowed-models", models) }, .. providers is null ? [] : new[] { ("cf-aig-allowed-providers", providers) }]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.Add(Routing(response).Model!);
        }

        Assert.All(seen, m => Assert.StartsWith(prefix, m, StringComparison.Ordinal));
        Assert.True(seen.Count > 1 || prefix == "xai/", string.Join(", ", seen));
        Assert.True(prefix != "anthropic/" || seen.Any(m => !s_defaultPool.Contains(m)), "the allowed list also reaches the additional models");
    }

    [Fact]
    public async Task OneAllowedModel_IsForcedByTheCandidatePool()
    {
        await using var client = await StartAsync();

        var response = await AutoAsync(client, OpenAIBody("hi", model: "cloudflare/auto"), ("cf-aig-allowed-models", "openai/gpt-5.6-sol"));

        Assert.Equal(("openai/gpt-5.6-sol", "forced_by_candidate_pool"), (Routing(response).Model, Routing(response).Reason));
    }

    [Theory]
    [InlineData("cf-aig-allowed-models", "*")]
    [InlineData("cf-aig-allowed-models", "openai/gpt-4o-mini")]
    [InlineData("cf-aig-allowed-providers", "groq")]
    public async Task AnEntryMatchingNoModel_Is400(string header, string value)
    {
        await using var client = await StartAsync();

        var response = await AutoAsync(client, OpenAIBody("hi", model: "cloudflare/auto"), (header, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(Header(response, "cf-aig-routed-model"));
    }

    [Fact]
    public async Task ASession_KeepsItsModelForTheTurn_AndChoosesAfreshOnTheNextTurn()
    {
        await using var client = await StartAsync();
        (string, string) session = ("cf-aig-session-id", "chat-42");
        var turn = Conversation(("user", "What is the weather in Paris?"));

        var first = Routing(await AutoAsync(client, turn, session));
        var toolLoop = new List<(string? Model, string? Reason, string? DecisionId)>();
        var withoutSession = new List<string?>();
        for (int i = 0; i < 8; i++)
        {
            var loop = Conversation(("user", "What is the weather in Paris?"), ("assistant", "Let me look."), ("tool", $"{18 + i} degrees"));
            toolLoop.Add(Routing(await AutoAsync(client, loop, session)));
            withoutSession.Add(Routing(await AutoAsync(client, loop)).Model);
        }

        var nextTurn = Routing(await AutoAsync(client, Conversation(("user", "What is the weather in Paris?"), ("assistant", "18 degrees."), ("user", "And in Rome?")), session));

        Assert.Equal("cost_optimal_within_pool", first.Reason);
        Assert.All(toolLoop, r => Assert.Equal((first.Model, "pinned_by_turn"), (r.Model, r.Reason)));
        Assert.True(withoutSession.Distinct().Count() > 1, "without a session the requests of one turn land on several models");
        Assert.Equal("cost_optimal_within_pool", nextTurn.Reason);
    }

    [Fact]
    public async Task ATurnId_OrNoSessionAffinity_DecidesWhatAPinIsFor()
    {
        await using var client = await StartAsync();
        (string, string) session = ("cf-aig-session-id", "chat-7");
        var body = OpenAIBody("hi", model: "cloudflare/auto");

        await AutoAsync(client, body, session, ("cf-aig-turn-id", "t1"));
        var sameTurn = Routing(await AutoAsync(client, OpenAIBody("hi again", model: "cloudflare/auto"), session, ("cf-aig-turn-id", "t1")));
        var newTurn = Routing(await AutoAsync(client, body, session, ("cf-aig-turn-id", "t2")));
        var unpinned = Routing(await AutoAsync(client, body, session, ("cf-aig-turn-id", "t2"), ("cf-aig-no-session-affinity", "true")));

        Assert.Equal("pinned_by_turn", sameTurn.Reason);
        Assert.Equal("cost_optimal_within_pool", newTurn.Reason);
        Assert.Equal("cost_optimal_within_pool", unpinned.Reason);
    }

    [Fact]
    public async Task AStreamedAnswer_CarriesTheRoutingHeaders()
    {
        await using var client = await StartAsync();

        var response = await AutoAsync(client, OpenAIBody("hi", stream: true, model: "cloudflare/auto"));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(Routing(response).Model);
        Assert.Contains("[DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
