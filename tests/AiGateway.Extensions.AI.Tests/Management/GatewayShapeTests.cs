using System.Text.Json.Nodes;
using AiGateway.Emulator;
using AiGateway.Extensions.AI.Management;

namespace AiGateway.Extensions.AI.Tests.Admin;

/// <summary>Cloudflare's full gateway and log shapes (cloudflare-typescript) through the management and logs clients.</summary>
public sealed class GatewayShapeTests
{
    private const string CloudflareToken = "cf-api-token-0123456789";

    private static AiGatewayManagementOptions Options(Uri? baseUrl = null) => new()
    {
        BaseUrl = baseUrl ?? AiGatewayOptions.DefaultCloudflareApiEndpoint,
        AccountId = "acct",
        ApiToken = CloudflareToken,
    };

    [Fact]
    public async Task Update_SendsBackEveryFieldTheClientDoesNotMarkResponseOnly_StoreIdAndStripeIncluded()
    {
        string read = Fixtures.Text("cloudflare-api/gateway-get-full.json");
        var handler = new RecordingHandler(read);
        var management = new AiGatewayManagementClient(new HttpClient(handler), Options());

        var updated = await management.UpdateGatewayAsync("prod", new AiGatewaySettings { CacheTtl = 300 });

        var put = handler.Requests.Last();
        Assert.Equal("PUT", put.Method);
        var sent = JsonNode.Parse(put.Body)!.AsObject();
        var expected = JsonNode.Parse(read)!["result"]!.DeepClone().AsObject();
        foreach (string responseOnly in new[] { "id", "created_at", "modified_at", "is_default" })
        {
            Assert.True(expected.Remove(responseOnly), responseOnly);
        }

        expected["cache_ttl"] = 300;
        Assert.True(JsonNode.DeepEquals(expected, sent), sent.ToJsonString());
        Assert.Equal("0123456789abcdef0123456789abcdef", sent["store_id"]!.GetValue<string>());
        Assert.Equal("sk_stripe-secret-456", sent["stripe"]!["authorization"]!.GetValue<string>());
        Assert.Equal("0123456789abcdef0123456789abcdef", updated.StoreId);
        Assert.True(updated.LogClassification);
        Assert.DoesNotContain("sk_stripe-secret-456", updated.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ensure_OfAnUnchangedGateway_SendsNothing_AndAChangedOneKeepsItsStoredKeys()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var management = new AiGatewayManagementClient(new HttpClient(), Options(emulator.ControlPlaneEndpoint));
        await management.CreateGatewayAsync(new AiGatewaySettings { Id = "keys", StoreId = "store-1" });

        var same = await management.EnsureGatewayAsync("keys", new AiGatewaySettings { StoreId = "store-1" });
        var changed = await management.EnsureGatewayAsync("keys", new AiGatewaySettings { CacheTtl = 60 });

        Assert.Empty(same.ChangedSettings);
        Assert.Equal(["cache_ttl"], changed.ChangedSettings);
        Assert.Equal("store-1", changed.Gateway.StoreId);
    }

    [Fact]
    public async Task LogList_TakesEveryParameterAndFilterKeyOfTheClientsLogListParams()
    {
        var handler = new RecordingHandler("""{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":50,"count":0,"total_count":0}}""");
        var logs = new AiGatewayLogsClient(new HttpClient(handler), Options());

        await logs.ListLogsAsync("g", new AiGatewayLogQuery
        {
            Filters = [AiGatewayLogFilter.Equal("user_agent", "my-app/1.0")],
            RequestContentType = "application/json",
            ResponseContentType = "text/event-stream",
            MinTotalTokens = 10,
            MaxTotalTokens = 500,
            MetaInfo = true,
        }).ToListAsync();
        await logs.DeleteLogsAsync("g", [AiGatewayLogFilter.Equal("user_agent", "bot")]);

        Assert.Equal(
            "/client/v4/accounts/acct/ai-gateway/gateways/g/logs?filters.key=user_agent&filters.operator=eq&filters.value=my-app%2F1.0"
            + "&request_content_type=application%2Fjson&response_content_type=text%2Fevent-stream"
            + "&min_total_tokens=10&max_total_tokens=500&meta_info=true&page=1&per_page=50",
            handler.Requests.First().PathAndQuery);
        Assert.EndsWith("logs?filters.key=user_agent&filters.operator=eq&filters.value=bot", handler.Requests.Last().PathAndQuery, StringComparison.Ordinal);
        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "id", "created_at", "request_content_type", "response_content_type", "request_type", "success", "cached", "provider", "model",
                "model_type", "cost", "tokens", "tokens_in", "tokens_out", "duration", "feedback", "event_id", "metadata.key", "metadata.value",
                "authentication", "wholesale", "compatibilityMode", "dlp_action", "user_agent",
            },
            new HashSet<string>(AiGatewayLogFilter.Keys, StringComparer.Ordinal));
    }

    [Fact]
    public async Task LogList_ByUserAgent_AgainstTheEmulator_KeepsOnlyThatAgentsRequests()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var http = new HttpClient();
        foreach (string agent in new[] { "app-a/1", "app-b/2", "app-a/1" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.GatewayEndpoint.AbsoluteUri + "/acct/default/openai/chat/completions"))
            {
                Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer sk-test");
            request.Headers.TryAddWithoutValidation("User-Agent", agent);
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
        }

        var logs = new AiGatewayLogsClient(http, Options(emulator.ControlPlaneEndpoint));
        var appA = await logs.ListLogsAsync("default", new AiGatewayLogQuery { Filters = [AiGatewayLogFilter.Equal("user_agent", "app-a/1")] }).ToListAsync();

        Assert.Equal(2, appA.Count);
        Assert.Equal(3, emulator.State.GetLogs("default").Count);
    }
}
