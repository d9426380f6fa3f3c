using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Headers;

public sealed class GatewayHeaderTests
{
    private static readonly string s_completion = Fixtures.Text("openai/chat-completion-text.json");

    private static async Task<RecordedRequest> SendAsync(AiGatewayOptions options, ChatOptions? chatOptions = null)
    {
        var handler = new RecordingHandler(s_completion);
        using var client = TestOptions.Client(options, handler);
        await client.GetResponseAsync("Hello", chatOptions);
        return handler.SoleRequest;
    }

    private static string[] GatewayHeaderNames(RecordedRequest request) =>
        [.. request.Headers.Keys.Where(k => k.StartsWith("cf-", StringComparison.OrdinalIgnoreCase)).Select(k => k.ToLowerInvariant()).Order()];

    [Fact]
    public async Task DefaultOptions_SendNoGatewayHeadersAtAll()
    {
        var request = await SendAsync(TestOptions.Create());

        Assert.Empty(GatewayHeaderNames(request));
    }

    [Fact]
    public async Task EveryConfiguredSetting_BecomesItsHeader()
    {
        var options = TestOptions.Create();
        options.Token = TestOptions.Token;
        options.Cache = new() { Ttl = TimeSpan.FromMinutes(5), SkipCache = true };
        options.Metadata = new Dictionary<string, string> { ["app"] = "chat", ["tier"] = "free" };
        options.CollectLog = false;
        options.CollectLogPayload = true;
        options.EventId = "evt-1";
        options.RequestTimeout = TimeSpan.FromSeconds(2.5);
        options.Retry = new() { MaxAttempts = 3, Delay = TimeSpan.FromMilliseconds(500), Backoff = AiGatewayBackoff.Exponential };
        options.ByokAlias = "prod";
        options.Zdr = true;
        options.CustomCost = new() { PerTokenIn = 0.000001m, PerTokenOut = 0.000002m };

        var request = await SendAsync(options);

        Assert.Equal("Bearer " + TestOptions.Token, request.Header("cf-aig-authorization"));
        Assert.Equal("300", request.Header("cf-aig-cache-ttl"));
        Assert.Equal("true", request.Header("cf-aig-skip-cache"));
        Assert.Equal("""{"app":"chat","tier":"free"}""", request.Header("cf-aig-metadata"));
        Assert.Equal("false", request.Header("cf-aig-collect-log"));
        Assert.Equal("true", request.Header("cf-aig-collect-log-payload"));
        Assert.Equal("evt-1", request.Header("cf-aig-event-id"));
        Assert.Equal("2500", request.Header("cf-aig-request-timeout"));
        Assert.Equal("3", request.Header("cf-aig-max-attempts"));
        Assert.Equal("500", request.Header("cf-aig-retry-delay"));
        Assert.Equal("exponential", request.Header("cf-aig-backoff"));
        Assert.Equal("prod", request.Header("cf-aig-byok-alias"));
        Assert.Equal("true", request.Header("cf-aig-zdr"));
        Assert.Equal("""{"per_token_in":0.000001,"per_token_out":0.000002}""", request.Header("cf-aig-custom-cost"));
        Assert.Null(request.Header("cf-cache-ttl"));
        Assert.Null(request.Header("cf-skip-cache"));
    }

    [Fact]
    public async Task CustomCost_SendsOnlyThePricesThatAreSet_CacheTokensIncluded()
    {
        var request = await SendAsync(TestOptions.Create(), new ChatOptions().WithGatewayCustomCost(new AiGatewayCustomCost
        {
            PerTokenIn = 0.000001m,
            PerCacheReadToken = 0.0000001m,
            PerCacheWriteToken = 0.0000012m,
        }));

        Assert.Equal("""{"per_token_in":0.000001,"per_cache_read_token":0.0000001,"per_cache_write_token":0.0000012}""", request.Header("cf-aig-custom-cost"));
    }

    [Fact]
    public async Task NoWholesale_IsSentWhenConfiguredOrAskedPerRequest()
    {
        var options = TestOptions.Create();
        var none = await SendAsync(options);
        var perRequest = await SendAsync(options, new ChatOptions().WithoutGatewayWholesale());
        options.NoWholesale = true;
        var configured = await SendAsync(options);

        Assert.Null(none.Header("cf-aig-no-wholesale"));
        Assert.Equal("true", perRequest.Header("cf-aig-no-wholesale"));
        Assert.Equal("true", configured.Header("cf-aig-no-wholesale"));
    }

    [Fact]
    public async Task PerRequestSettings_OverrideConfiguredOnesForThatRequestOnly()
    {
        var options = TestOptions.Create();
        options.Cache = new() { Ttl = TimeSpan.FromMinutes(5) };
        options.EventId = "configured";
        options.Metadata = new Dictionary<string, string> { ["app"] = "chat", ["user"] = "config-user" };
        var handler = new RecordingHandler(s_completion);
        using var client = TestOptions.Client(options, handler);

        var chatOptions = new ChatOptions()
            .WithGatewayCache(TimeSpan.FromHours(1))
            .WithGatewayCacheKey("tenant-a:q1")
            .WithGatewayMetadata("user", "u-42")
            .WithGatewayMetadata("score", 7)
            .WithGatewayMetadata("beta", true)
            .WithGatewayEventId("request-event")
            .WithGatewayCollectLog(true, collectPayload: false)
            .WithGatewayRequestTimeout(TimeSpan.FromSeconds(30))
            .WithGatewayRetries(2, TimeSpan.FromSeconds(1), AiGatewayBackoff.Linear)
            .WithGatewayByokAlias("alias-2")
            .WithGatewayZdr(false)
            .WithGatewayCustomCost(0.25m);
        await client.GetResponseAsync("first", chatOptions);
        await client.GetResponseAsync("second");

        var requests = handler.Requests.ToArray();
        var overridden = requests[0];
        Assert.Equal("3600", overridden.Header("cf-aig-cache-ttl"));
        Assert.Equal("tenant-a:q1", overridden.Header("cf-aig-cache-key"));
        Assert.Equal("""{"app":"chat","user":"u-42","score":7,"beta":true}""", overridden.Header("cf-aig-metadata"));
        Assert.Equal("request-event", overridden.Header("cf-aig-event-id"));
        Assert.Equal("true", overridden.Header("cf-aig-collect-log"));
        Assert.Equal("false", overridden.Header("cf-aig-collect-log-payload"));
        Assert.Equal("30000", overridden.Header("cf-aig-request-timeout"));
        Assert.Equal("2", overridden.Header("cf-aig-max-attempts"));
        Assert.Equal("1000", overridden.Header("cf-aig-retry-delay"));
        Assert.Equal("linear", overridden.Header("cf-aig-backoff"));
        Assert.Equal("alias-2", overridden.Header("cf-aig-byok-alias"));
        Assert.Equal("false", overridden.Header("cf-aig-zdr"));
        Assert.Equal("""{"total_cost":0.25}""", overridden.Header("cf-aig-custom-cost"));

        var plain = requests[1];
        Assert.Equal("300", plain.Header("cf-aig-cache-ttl"));
        Assert.Equal("configured", plain.Header("cf-aig-event-id"));
        Assert.Equal("""{"app":"chat","user":"config-user"}""", plain.Header("cf-aig-metadata"));
        Assert.Null(plain.Header("cf-aig-cache-key"));
    }

    [Fact]
    public async Task SkipCache_IsSentOnlyWhenTrue_AndARequestCanUndoTheConfiguredOne()
    {
        var options = TestOptions.Create();
        options.Cache = new() { SkipCache = true };

        var undone = await SendAsync(options, new ChatOptions().SkipGatewayCache(false));
        var skipped = await SendAsync(TestOptions.Create(), new ChatOptions().SkipGatewayCache());

        Assert.Null(undone.Header("cf-aig-skip-cache"));
        Assert.Equal("true", skipped.Header("cf-aig-skip-cache"));
    }

    [Fact]
    public async Task GatewaySettings_NeverReachTheBody()
    {
        var chatOptions = new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(2)).WithGatewayMetadata("k", "v");
        chatOptions.AdditionalProperties!["unknown_provider_field"] = 1;

        var request = await SendAsync(TestOptions.Create(), chatOptions);

        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(["model", "messages"], body.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task MetadataMerge_EnforcesTheFiveEntryLimitAfterMerging()
    {
        var options = TestOptions.Create();
        options.Metadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3", ["d"] = "4" };
        var handler = new RecordingHandler(s_completion);
        using var client = TestOptions.Client(options, handler);

        var chatOptions = new ChatOptions().WithGatewayMetadata("e", 5).WithGatewayMetadata("f", 6);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("x", chatOptions));
        Assert.Contains("cf-aig-metadata", error.Message);
        Assert.Contains("at most 5", error.Message);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void PerRequestSetters_RejectWhatTheGatewayDocumentsAsInvalid()
    {
        var options = new ChatOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayCache(TimeSpan.FromSeconds(59)));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayCache(TimeSpan.FromDays(31)));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayRetries(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayRetries(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayRetries(2, TimeSpan.FromSeconds(6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayEventId("a\r\nX-Injected: 1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayMetadata("k", new object()));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayRequestTimeout(TimeSpan.Zero));
        for (int i = 0; i < 5; i++)
        {
            options.WithGatewayMetadata("k" + i, i);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => options.WithGatewayMetadata("k5", 5));
    }

    [Fact]
    public async Task AWrongTypeUnderACfAigKey_FailsWithAMessageNamingTheKey()
    {
        var chatOptions = new ChatOptions { AdditionalProperties = new() { ["cf-aig-cache-ttl"] = "300" } };
        var handler = new RecordingHandler(s_completion);
        using var client = TestOptions.Client(TestOptions.Create(), handler);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("x", chatOptions));

        Assert.Contains("cf-aig-cache-ttl", error.Message);
        Assert.Contains("TimeSpan", error.Message);
    }

    [Fact]
    public async Task ProviderCredential_IsBearerByDefault()
    {
        var request = await SendAsync(TestOptions.Create());

        Assert.Equal("Bearer " + TestOptions.ApiKey, request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
    }

    [Fact]
    public async Task ProviderCredential_IsApiKeyHeaderForAzure()
    {
        var options = TestOptions.Create(provider: "azure-openai", model: "gpt-4o");
        options.Azure = new() { ResourceName = "res", DeploymentName = "dep" };

        var request = await SendAsync(options);

        Assert.Equal(TestOptions.ApiKey, request.Header("api-key"));
        Assert.Null(request.Header("Authorization"));
        Assert.Equal("/v1/acct123/gw/azure-openai/res/dep/chat/completions?api-version=" + AiGatewayAzureOptions.DefaultApiVersion, request.PathAndQuery);
    }

    [Fact]
    public async Task EmptyApiKey_SendsNoProviderCredentialAndNoPlaceholder()
    {
        var options = TestOptions.Create();
        options.ApiKey = null;
        options.Token = TestOptions.Token;

        var request = await SendAsync(options);

        Assert.Null(request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
        Assert.Equal("Bearer " + TestOptions.Token, request.Header("cf-aig-authorization"));
    }

    [Fact]
    public async Task CloudflareApiForm_SendsTheTokenAsAuthorizationAndNamesTheGateway()
    {
        var options = TestOptions.ForCloudflareApi("workers-ai", "@cf/meta/llama-3.1-8b-instruct");
        options.CloudflareApiEndpoint = new Uri("http://gateway.test/client/v4");

        var request = await SendAsync(options);

        Assert.Equal("/client/v4/accounts/acct123/ai/v1/chat/completions", request.PathAndQuery);
        Assert.Equal("Bearer " + TestOptions.Token, request.Header("Authorization"));
        Assert.Equal("gw", request.Header("cf-aig-gateway-id"));
        Assert.Null(request.Header("cf-aig-authorization"));
    }
}
