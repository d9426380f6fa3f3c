using System.Net;
using System.Text.Json.Nodes;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>Stored provider keys and dynamic routes made on the control plane, and what they do to requests.</summary>
public sealed class StoredKeyAndRouteTests
{
    private const string Secret = "sk-live-0123456789abcdefghij";

    private static string Chat(string model = "gpt-4o-mini") => OpenAIBody("hi", model: model);

    [Fact]
    public async Task StoredKeys_AnswerRequestsWithoutAKey_ByAliasOrTheProvidersDefault_AndNeverShowTheSecret()
    {
        await using var client = await StartAsync();
        var created = await client.ControlAsync(HttpMethod.Post, "gateways/default/provider_configs",
            $$"""{"provider_slug":"openai","alias":"default","default_config":true,"secret":"{{Secret}}"}""");
        await client.ControlAsync(HttpMethod.Post, "gateways/default/provider_configs",
            """{"provider_slug":"anthropic","alias":"team-b","default_config":false,"secret_id":"abc123"}""");
        string createdBody = await created.Content.ReadAsStringAsync();
        var listed = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/provider_configs"));

        var byDefault = await client.PostAsync("v1/acct/default/openai/chat/completions", Chat());
        var byAlias = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude-3-5-haiku-latest","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", ("cf-aig-byok-alias", "team-b"), ("anthropic-version", "2023-06-01"));
        var unknownAlias = await client.PostAsync("v1/acct/default/openai/chat/completions", Chat(), ("cf-aig-byok-alias", "nope"));
        var noDefault = await client.PostAsync("v1/acct/default/anthropic/v1/messages",
            """{"model":"claude-3-5-haiku-latest","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", ("anthropic-version", "2023-06-01"));
        var openaiKey = listed["result"]!.AsArray().Single(k => k!["provider_slug"]!.GetValue<string>() == "openai")!;
        var deleted = await client.ControlAsync(HttpMethod.Delete, "gateways/default/provider_configs/" + openaiKey["id"]!.GetValue<string>());
        var afterDelete = await client.PostAsync("v1/acct/default/openai/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.DoesNotContain(Secret, createdBody, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("sk-l...ghij", openaiKey["secret_preview"]!.GetValue<string>());
        Assert.Equal(2, listed["result_info"]!["total_count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, byDefault.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAlias.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownAlias.StatusCode);
        Assert.Equal(2040, (await JsonAsync(unknownAlias))["error"]![0]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, noDefault.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDelete.StatusCode);
    }

    [Theory]
    [InlineData("""{"alias":"a","default_config":true,"secret":"s"}""", "provider_slug")]
    [InlineData("""{"provider_slug":"openai","alias":"a","default_config":true}""", "secret")]
    [InlineData("""{"provider_slug":"openai","alias":"a","secret":"s"}""", "default_config")]
    public async Task StoredKeys_RefuseABadBody_InTheEnvelope(string body, string named)
    {
        await using var client = await StartAsync();

        var response = await client.ControlAsync(HttpMethod.Post, "gateways/default/provider_configs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonAsync(response);
        Assert.False(error["success"]!.GetValue<bool>());
        Assert.Contains(named, error["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DynamicRoute_RunsItsModelsAndFallbacks_AndReportsWhichServed()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503 });
        await CreateRouteAsync(client, "support", """
            [{"id":"start","type":"start","outputs":{"next":{"elementId":"primary"}}},
             {"id":"primary","type":"model","properties":{"provider":"openai","model":"gpt-4o-mini","retries":1,"timeout":60000},
              "outputs":{"success":{"elementId":"end"},"fallback":{"elementId":"backup"}}},
             {"id":"backup","type":"model","properties":{"provider":"anthropic","model":"claude-3-5-haiku-latest","retries":0,"timeout":60000},
              "outputs":{"success":{"elementId":"end"}}},
             {"id":"end","type":"end"}]
            """);

        var answer = await client.PostAsync("v1/acct/default/compat/chat/completions", Chat("dynamic/support"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("anthropic", Header(answer, "cf-aig-provider"));
        Assert.Equal("claude-3-5-haiku-latest", Header(answer, "cf-aig-model"));
        Assert.Equal("chat.completion", (await JsonAsync(answer))["object"]!.GetValue<string>());
    }

    [Fact]
    public async Task DynamicRoute_ConditionsSplitsAndRateLimits_FollowTheRequest()
    {
        await using var client = await StartAsync();
        await CreateRouteAsync(client, "tiers", """
            [{"id":"start","type":"start","outputs":{"next":{"elementId":"plan"}}},
             {"id":"plan","type":"conditional","properties":{"conditions":{"metadata.plan":{"$eq":"free"}}},
              "outputs":{"true":{"elementId":"budget"},"false":{"elementId":"split"}}},
             {"id":"budget","type":"rate","properties":{"key":"metadata.user","limit":2,"limitType":"count","window":3600},
              "outputs":{"success":{"elementId":"small"},"fallback":{"elementId":"tiny"}}},
             {"id":"split","type":"percentage","outputs":{"50%":{"elementId":"large"},"else":{"elementId":"other"}}},
             {"id":"small","type":"model","properties":{"provider":"openai","model":"gpt-4o-mini","retries":0,"timeout":1000},"outputs":{"success":{"elementId":"end"}}},
             {"id":"tiny","type":"model","properties":{"provider":"groq","model":"llama-3.1-8b-instant","retries":0,"timeout":1000},"outputs":{"success":{"elementId":"end"}}},
             {"id":"large","type":"model","properties":{"provider":"openai","model":"gpt-4o","retries":0,"timeout":1000},"outputs":{"success":{"elementId":"end"}}},
             {"id":"other","type":"model","properties":{"provider":"anthropic","model":"claude-3-5-haiku-latest","retries":0,"timeout":1000},"outputs":{"success":{"elementId":"end"}}},
             {"id":"end","type":"end"}]
            """);

        async Task<string?> ModelFor(string metadata) =>
            Header(await client.PostAsync("v1/acct/default/compat/chat/completions", Chat("dynamic/tiers"), ("cf-aig-metadata", metadata)), "cf-aig-model");

        string?[] free = [await ModelFor("""{"plan":"free","user":"u1"}"""), await ModelFor("""{"plan":"free","user":"u1"}"""), await ModelFor("""{"plan":"free","user":"u1"}"""),
            await ModelFor("""{"plan":"free","user":"u2"}""")];
        List<string?> paid = [];
        for (int i = 0; i < 20; i++)
        {
            paid.Add(await ModelFor("""{"plan":"pro","user":"u3"}"""));
        }

        Assert.Equal(["gpt-4o-mini", "gpt-4o-mini", "llama-3.1-8b-instant", "gpt-4o-mini"], free);
        Assert.InRange(paid.Count(m => m == "gpt-4o"), 8, 12);
        Assert.Equal(20, paid.Count(m => m is "gpt-4o" or "claude-3-5-haiku-latest"));
    }

    [Fact]
    public async Task DynamicRoute_ANewVersionServesOnlyOnceDeployed()
    {
        await using var client = await StartAsync();
        string routeId = await CreateRouteAsync(client, "swap", Graph("openai", "gpt-4o-mini"));

        var versioned = await client.ControlAsync(HttpMethod.Post, $"gateways/default/routes/{routeId}/versions", $$"""{"elements":{{Graph("anthropic", "claude-3-5-haiku-latest")}}}""");
        string? beforeDeploy = Header(await client.PostAsync("v1/acct/default/compat/chat/completions", Chat("dynamic/swap")), "cf-aig-model");
        var versions = await JsonAsync(await client.ControlAsync(HttpMethod.Get, $"gateways/default/routes/{routeId}/versions"));
        string newest = versions["data"]!["versions"]![0]!["version_id"]!.GetValue<string>();
        var deployed = await client.ControlAsync(HttpMethod.Post, $"gateways/default/routes/{routeId}/deployments", $$"""{"version_id":"{{newest}}"}""");
        string? afterDeploy = Header(await client.PostAsync("v1/acct/default/compat/chat/completions", Chat("dynamic/swap")), "cf-aig-model");
        var deployments = await JsonAsync(await client.ControlAsync(HttpMethod.Get, $"gateways/default/routes/{routeId}/deployments"));
        var route = await JsonAsync(await client.ControlAsync(HttpMethod.Get, $"gateways/default/routes/{routeId}"));

        Assert.Equal(HttpStatusCode.OK, versioned.StatusCode);
        Assert.Equal("gpt-4o-mini", beforeDeploy);
        Assert.Equal(2, versions["data"]!["versions"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        Assert.Equal("claude-3-5-haiku-latest", afterDeploy);
        Assert.Equal(2, deployments["data"]!["deployments"]!.AsArray().Count);
        Assert.Equal(newest, route["result"]!["version"]!["version_id"]!.GetValue<string>());
        Assert.Equal("true", route["result"]!["version"]!["active"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[{"id":"end","type":"end"}]""", "start")]
    [InlineData("""[{"id":"s","type":"start","outputs":{"next":{"elementId":"nowhere"}}},{"id":"end","type":"end"}]""", "nowhere")]
    [InlineData("""[{"id":"s","type":"start","outputs":{"next":{"elementId":"m"}}},{"id":"m","type":"model","properties":{"provider":"openai"}},{"id":"end","type":"end"}]""", "model")]
    [InlineData("""[{"id":"s","type":"start","outputs":{"next":{"elementId":"x"}}},{"id":"x","type":"teleport"}]""", "teleport")]
    public async Task DynamicRoute_ABadGraphIsRefused_SayingWhy(string elements, string named)
    {
        await using var client = await StartAsync();

        var response = await client.ControlAsync(HttpMethod.Post, "gateways/default/routes", $$"""{"name":"bad","elements":{{elements}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await JsonAsync(response))["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_UnknownIdsAndAnUnknownRoute_AnswerInTheEnvelope()
    {
        await using var client = await StartAsync();

        var missing = await client.ControlAsync(HttpMethod.Get, "gateways/default/routes/nope");
        var request = await client.PostAsync("v1/acct/default/compat/chat/completions", Chat("dynamic/nope"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(7002, (await JsonAsync(missing))["errors"]![0]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, request.StatusCode);
    }

    private static string Graph(string provider, string model) => $$$$"""
        [{"id":"start","type":"start","outputs":{"next":{"elementId":"m"}}},
         {"id":"m","type":"model","properties":{"provider":"{{{{provider}}}}","model":"{{{{model}}}}","retries":0,"timeout":60000},"outputs":{"success":{"elementId":"end"}}},
         {"id":"end","type":"end"}]
        """;

    private static async Task<string> CreateRouteAsync(EmulatorClient client, string name, string elements)
    {
        var created = await client.ControlAsync(HttpMethod.Post, "gateways/default/routes", $$"""{"name":"{{name}}","elements":{{elements}}}""");
        var json = await JsonAsync(created);
        Assert.True(created.IsSuccessStatusCode, json.ToJsonString());
        return json["result"]!["id"]!.GetValue<string>();
    }
}
