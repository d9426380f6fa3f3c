using System.Net;
using System.Text.Json.Nodes;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

public sealed class ControlPlaneTests
{
    [Fact]
    public async Task Gateways_CreateGetListUpdateDelete_DriveTheDataPlane()
    {
        await using var client = await StartAsync();

        var created = await client.ControlAsync(HttpMethod.Post, "gateways", """{"id":"prod","cache_ttl":0,"collect_logs":true,"authentication":false,"rate_limiting_interval":0,"rate_limiting_limit":0}""");
        var duplicate = await client.ControlAsync(HttpMethod.Post, "gateways", """{"id":"prod"}""");
        var list = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways"));
        var missBefore = await client.PostAsync("v1/acct/prod/openai/chat/completions", OpenAIBody("hi"), ("Authorization", "Bearer k"));
        var updated = await client.ControlAsync(HttpMethod.Put, "gateways/prod", """{"cache_ttl":300,"collect_logs":true}""");
        await client.PostAsync("v1/acct/prod/openai/chat/completions", OpenAIBody("hi"), ("Authorization", "Bearer k"));
        var hit = await client.PostAsync("v1/acct/prod/openai/chat/completions", OpenAIBody("hi"), ("Authorization", "Bearer k"));
        var got = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/prod"));
        var deleted = await client.ControlAsync(HttpMethod.Delete, "gateways/prod");
        var afterDelete = await client.PostAsync("v1/acct/prod/openai/chat/completions", OpenAIBody("hi"), ("Authorization", "Bearer k"));

        var createdBody = await JsonAsync(created);
        Assert.True(createdBody["success"]!.GetValue<bool>());
        Assert.Equal("prod", createdBody["result"]!["id"]!.GetValue<string>());
        Assert.NotNull(createdBody["result"]!["created_at"]);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(["default", "prod"], list["result"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()));
        Assert.Equal(2, list["result_info"]!["total_count"]!.GetValue<int>());
        Assert.Null(Header(missBefore, "cf-aig-cache-status"));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("HIT", Header(hit, "cf-aig-cache-status"));
        Assert.Equal(300, got["result"]!["cache_ttl"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, afterDelete.StatusCode);
    }

    [Fact]
    public async Task ControlPlane_NeedsAToken_AndAnswers404InTheEnvelope()
    {
        await using var client = await StartAsync();

        var anonymous = await client.SendAsync(HttpMethod.Get, "client/v4/accounts/acct/ai-gateway/gateways", null);
        var missing = await client.ControlAsync(HttpMethod.Get, "gateways/nope");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(10000, (await JsonAsync(anonymous))["errors"]![0]!["code"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.False((await JsonAsync(missing))["success"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("GET", "client/v4/accounts/acct/ai-gateway/nothing-here", 404, 7000)]
    [InlineData("GET", "client/v4/accounts/acct/ai-gateway/gateways/default/logs/nope", 404, 7002)]
    [InlineData("GET", "client/v4/accounts/acct/ai-gateway/gateways/nope", 404, 7002)]
    [InlineData("PATCH", "client/v4/accounts/acct/ai-gateway/gateways", 405, 7000)]
    [InlineData("GET", "client/v4/user/tokens/verify", 404, 7000)]
    public async Task EveryControlPlaneAnswer_ComesInCloudflaresEnvelope_UnknownPathsAndIdsIncluded(string method, string path, int status, int code)
    {
        await using var client = await StartAsync();

        var response = await client.SendAsync(new HttpMethod(method), path, null, ("Authorization", "Bearer cf-token"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await JsonAsync(response);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.NotEmpty(body["errors"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(code, body["errors"]![0]!["code"]!.GetValue<int>());
        Assert.Empty(body["messages"]!.AsArray());
    }

    [Fact]
    public async Task Logs_ListPagesFiltersGetsPatchesAndDeletes()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "groq", Status = 500 });
        for (int i = 0; i < 5; i++)
        {
            await client.ChatAsync($"q{i}", ("cf-aig-cache-ttl", "300"));
        }

        await client.ChatAsync("q0", ("cf-aig-cache-ttl", "300"));
        await client.PostAsync("v1/acct/default/groq/chat/completions", OpenAIBody("x", model: "llama"), ("Authorization", "Bearer k"));

        var page1 = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/logs?per_page=3&page=1&order_by=created_at&order_by_direction=asc"));
        var page3 = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/logs?per_page=3&page=3&order_by_direction=asc"));
        var cached = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/logs?cached=true"));
        var failed = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/logs?success=false"));
        var groq = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/logs?provider=groq&model=llama"));

        Assert.Equal(7, page1["result_info"]!["total_count"]!.GetValue<int>());
        Assert.Equal(3, page1["result"]!.AsArray().Count);
        Assert.Single(page3["result"]!.AsArray());
        Assert.Single(cached["result"]!.AsArray());
        Assert.Equal("groq", Assert.Single(failed["result"]!.AsArray())!["provider"]!.GetValue<string>());
        Assert.Single(groq["result"]!.AsArray());

        string logId = page1["result"]![0]!["id"]!.GetValue<string>();
        var patch = await client.ControlAsync(HttpMethod.Patch, $"gateways/default/logs/{logId}", """{"feedback":1,"score":87,"metadata":{"reviewed":true}}""");
        var log = await JsonAsync(await client.ControlAsync(HttpMethod.Get, $"gateways/default/logs/{logId}"));
        var request = await JsonAsync(await client.ControlAsync(HttpMethod.Get, $"gateways/default/logs/{logId}/request"));
        var response = await JsonAsync(await client.ControlAsync(HttpMethod.Get, $"gateways/default/logs/{logId}/response"));
        var badFeedback = await client.ControlAsync(HttpMethod.Patch, $"gateways/default/logs/{logId}", """{"feedback":5}""");
        var positive = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default/logs?feedback=1"));

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(1, log["result"]!["feedback"]!.GetValue<int>());
        Assert.Equal(87, log["result"]!["score"]!.GetValue<double>());
        Assert.True(JsonNode.Parse(log["result"]!["metadata"]!.GetValue<string>())!["reviewed"]!.GetValue<bool>());
        Assert.Equal("text-generation", log["result"]!["model_type"]!.GetValue<string>());
        Assert.Equal("gpt-4o-mini", request["model"]!.GetValue<string>());
        Assert.Equal("chat.completion", response["object"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, badFeedback.StatusCode);
        Assert.Single(positive["result"]!.AsArray());

        var deleted = await client.ControlAsync(HttpMethod.Delete, "gateways/default/logs?filters.key=success&filters.operator=eq&filters.value=false");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(6, client.Emulator.State.GetLogs("default").Count);
        Assert.All(client.Emulator.State.GetLogs("default"), l => Assert.True(l.Success));
    }

    [Fact]
    public async Task DefaultGatewayAuthentication_MakesTheDefaultGatewayAskForAToken_AsNewAccountsDo()
    {
        await using var client = await StartAsync(new AiGatewayEmulatorOptions { DefaultGatewayAuthentication = true, Tokens = { "cf-token" } });

        var anonymous = await client.ChatAsync("hi");
        var authorized = await client.ChatAsync("hi", ("cf-aig-authorization", "Bearer cf-token"));
        var gateway = await JsonAsync(await client.ControlAsync(HttpMethod.Get, "gateways/default"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("2009", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.True(gateway["result"]!["authentication"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DeletingLogs_HonoursOnlyFiltersLimitAndOrder_SoListParametersDeleteEverything()
    {
        // Cloudflare's DELETE takes filters[], limit, order_by and order_by_direction; anything else is ignored.
        await using var client = await StartAsync();
        for (int i = 0; i < 4; i++)
        {
            await client.ChatAsync($"q{i}");
        }

        var limited = await client.ControlAsync(HttpMethod.Delete,
            "gateways/default/logs?filters.key=provider&filters.operator=eq&filters.value=openai&limit=1&order_by=created_at&order_by_direction=asc");
        string oldestLeft = client.Emulator.State.GetLogs("default").Select(l => l.RequestBody!).First();
        var unknownKey = await client.ControlAsync(HttpMethod.Delete, "gateways/default/logs?filters.key=colour&filters.operator=eq&filters.value=red");
        int beforeTheTrap = client.Emulator.State.GetLogs("default").Count;
        var listStyle = await client.ControlAsync(HttpMethod.Delete, "gateways/default/logs?success=false&provider=groq");

        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Contains("q1", oldestLeft, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownKey.StatusCode);
        Assert.Equal(3, beforeTheTrap);
        Assert.Equal(HttpStatusCode.OK, listStyle.StatusCode);
        Assert.Empty(client.Emulator.State.GetLogs("default"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"feedback":"up"}""")]
    [InlineData("""{"score":"high"}""")]
    [InlineData("""{"metadata":[1,2]}""")]
    [InlineData("""{"feedback":1,"score":"high"}""")]
    public async Task BadLogPatches_Are400_AndChangeNothing(string patch)
    {
        await using var client = await StartAsync();
        await client.ChatAsync("hi");
        string logId = client.Emulator.State.GetLogs("default")[0].Id;

        var response = await client.ControlAsync(HttpMethod.Patch, $"gateways/default/logs/{logId}", patch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await JsonAsync(response))["success"]!.GetValue<bool>());
        var log = client.Emulator.State.GetLogs("default")[0];
        Assert.Null(log.Feedback);
        Assert.Null(log.Score);
    }

    [Fact]
    public async Task LogManagement_StopsInsertingOrDeletesTheOldest()
    {
        var options = new AiGatewayEmulatorOptions();
        options.Gateways.Add(new EmulatorGateway { Id = "stop", LogManagement = 2, LogManagementStrategy = "STOP_INSERTING" });
        options.Gateways.Add(new EmulatorGateway { Id = "rotate", LogManagement = 2, LogManagementStrategy = "DELETE_OLDEST" });
        await using var client = await StartAsync(options);

        foreach (string gateway in new[] { "stop", "rotate" })
        {
            for (int i = 0; i < 3; i++)
            {
                await client.PostAsync($"v1/acct/{gateway}/openai/chat/completions", OpenAIBody($"q{i}"), ("Authorization", "Bearer k"), ("cf-aig-event-id", $"e{i}"));
            }
        }

        Assert.Equal(["e0", "e1"], client.Emulator.State.GetLogs("stop").Select(l => l.EventId));
        Assert.Equal(["e1", "e2"], client.Emulator.State.GetLogs("rotate").Select(l => l.EventId));
    }
}
