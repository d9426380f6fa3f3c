using System.Globalization;
using System.Net;
using AiGateway.Testing;
using static AiGateway.Emulator.Tests.EmulatorClient;

namespace AiGateway.Emulator.Tests;

/// <summary>
/// One test per rule of Cloudflare's caching page (cloudflare/cloudflare-docs
/// <c>src/content/docs/ai-gateway/features/caching.mdx</c>, with its cache-key section as published 2026-06-15), the
/// cache lines of <c>reference/limits.mdx</c> and <c>reference/troubleshooting.mdx</c>, and the REST form's changelog
/// (2026-05-21). Where the pages are silent the test pins what the emulator keeps doing, and says so.
/// </summary>
public sealed class CachingRulesTests
{
    private const string OpenAIChat = "v1/acct/default/openai/chat/completions";
    private const string CachedGatewayChat = "v1/acct/cached/openai/chat/completions";
    private static readonly (string, string) s_key = ("Authorization", "Bearer sk-a");

    private readonly FakeClock _clock = new();

    // "By default, AI Gateway constructs the cache key by concatenating [provider, endpoint, model, provider
    // authentication header, full request body] and hashing the result with SHA-256 ... exact match of the entire request."
    [Theory]
    [InlineData("provider")]
    [InlineData("endpoint")]
    [InlineData("model")]
    [InlineData("provider key")]
    [InlineData("one byte of the body")]
    public async Task DefaultKey_EachOfItsPartsSeparatesEntries(string part)
    {
        await using var client = await StartAsync();
        string body = OpenAIBody("What is the capital of France?");
        var (path, variantBody, key) = part switch
        {
            "provider" => ("v1/acct/default/groq/chat/completions", body, s_key),
            "endpoint" => ("v1/acct/default/openai/v1/chat/completions", body, s_key),
            "model" => (OpenAIChat, OpenAIBody("What is the capital of France?", model: "gpt-4o"), s_key),
            "provider key" => (OpenAIChat, body, ("Authorization", "Bearer sk-b")),
            _ => (OpenAIChat, body.Replace("\"messages\":", "\"messages\": ", StringComparison.Ordinal), s_key),
        };

        var first = await client.PostAsync(OpenAIChat, body, s_key, Ttl(300));
        var variant = await client.PostAsync(path, variantBody, key, Ttl(300));
        var same = await client.PostAsync(OpenAIChat, body, s_key, Ttl(300));

        Assert.Equal(HttpStatusCode.OK, variant.StatusCode);
        Assert.Equal(["MISS", "MISS", "HIT"], Statuses(first, variant, same));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await same.Content.ReadAsStringAsync());
    }

    // Nothing outside the five parts is in the key: metadata, a user agent, another TTL or an unrelated header still hit.
    [Fact]
    public async Task DefaultKey_IgnoresHeadersOutsideIt()
    {
        await using var client = await StartAsync();
        string body = OpenAIBody("What is the capital of Spain?");

        var first = await client.PostAsync(OpenAIChat, body, s_key, Ttl(300));
        var other = await client.PostAsync(OpenAIChat, body, s_key, Ttl(600),
            ("cf-aig-metadata", """{"user":"alice"}"""), ("User-Agent", "another/1.0"), ("x-request-note", "anything"));

        Assert.Equal("HIT", Status(other));
        Assert.Equal("The capital of Spain is Madrid.", (await JsonAsync(other))["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("MISS", Status(first));
    }

    // "Provider authentication header": the header the provider reads its key from. Azure reads api-key, so a
    // different Authorization header beside the same api-key is the same request, and another api-key is not.
    [Fact]
    public async Task DefaultKey_TakesTheHeaderTheProviderReadsItsKeyFrom()
    {
        await using var client = await StartAsync();
        const string azure = "v1/acct/default/azure-openai/res/my-deployment/chat/completions?api-version=2024-10-21";
        const string body = """{"messages":[{"role":"user","content":"What is the capital of Japan?"}]}""";

        await client.PostAsync(azure, body, ("api-key", "azure-a"), ("Authorization", "Bearer one"), Ttl(300));
        var otherAuthorization = await client.PostAsync(azure, body, ("api-key", "azure-a"), ("Authorization", "Bearer two"), Ttl(300));
        var otherApiKey = await client.PostAsync(azure, body, ("api-key", "azure-b"), ("Authorization", "Bearer one"), Ttl(300));

        Assert.Equal("HIT", Status(otherAuthorization));
        Assert.Equal("MISS", Status(otherApiKey));
    }

    // "Enable Cache Responses ... include a value for the cache_ttl ... uniformly applied to all requests that support
    // caching ... override this setting on a per-request basis."
    [Fact]
    public async Task GatewayTtl_CachesEveryRequest_AndARequestTtlOverridesIt()
    {
        await using var client = await StartAsync(gatewayTtl: 120);

        var first = await client.PostAsync(CachedGatewayChat, OpenAIBody("hi"), s_key);
        await client.PostAsync(CachedGatewayChat, OpenAIBody("longer"), s_key, Ttl(600));
        _clock.Advance(TimeSpan.FromSeconds(119));
        var beforeExpiry = await client.PostAsync(CachedGatewayChat, OpenAIBody("hi"), s_key);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await client.PostAsync(CachedGatewayChat, OpenAIBody("hi"), s_key);
        var overridden = await client.PostAsync(CachedGatewayChat, OpenAIBody("longer"), s_key, Ttl(600));

        Assert.Equal(["MISS", "HIT", "MISS", "HIT"], Statuses(first, beforeExpiry, expired, overridden));
    }

    // The page is silent on a gateway that does not cache and a request that asks nothing: the emulator caches nothing
    // and sends no cf-aig-cache-status (kept).
    [Fact]
    public async Task NoTtlAnywhere_CachesNothing_AndSendsNoStatus()
    {
        await using var client = await StartAsync();

        await client.PostAsync(OpenAIChat, OpenAIBody("hi"), s_key);
        var again = await client.PostAsync(OpenAIChat, OpenAIBody("hi"), s_key);

        Assert.Null(Status(again));
        Assert.Equal([false, false], client.Emulator.State.GetLogs("default").Select(l => l.Cached));
    }

    // "If you set a TTL of one hour ... Within that hour, an identical request will be served from the cache ... After an
    // hour ... the request will go to the original API for a fresh response, and that response will repopulate the cache
    // for the next hour." cf-aig-cache-status is HIT or MISS, and the log says which.
    [Fact]
    public async Task Ttl_ServesFromTheCacheForItsSeconds_ThenRefreshesAndRepopulates()
    {
        await using var client = await StartAsync();
        var statuses = new List<string?>();
        async Task Ask(TimeSpan after)
        {
            _clock.Advance(after);
            statuses.Add(Status(await client.ChatAsync("What is the capital of France?", Ttl(3600))));
        }

        await Ask(TimeSpan.Zero);
        await Ask(TimeSpan.FromSeconds(3599));
        await Ask(TimeSpan.FromSeconds(1));
        await Ask(TimeSpan.FromSeconds(3599));
        await Ask(TimeSpan.FromSeconds(1));

        Assert.Equal(["MISS", "HIT", "MISS", "HIT", "MISS"], statuses);
        Assert.Equal([false, true, false, true, false], client.Emulator.State.GetLogs("default").Select(l => l.Cached));
    }

    // "The minimum TTL is 60 seconds and the maximum TTL is one month" (30 days): a TTL outside is held to the bound,
    // the gateway's cache_ttl too (limits.mdx gives the month for the cache as a whole).
    [Theory]
    [InlineData(10, false, 60)]
    [InlineData(59, false, 60)]
    [InlineData(5_000_000, false, 2_592_000)]
    [InlineData(30, true, 60)]
    [InlineData(5_000_000, true, 2_592_000)]
    public async Task Ttl_IsHeldBetweenSixtySecondsAndAMonth(int asked, bool onTheGateway, int kept)
    {
        await using var client = await StartAsync(gatewayTtl: asked);
        string path = onTheGateway ? CachedGatewayChat : OpenAIChat;
        (string, string)[] headers = onTheGateway ? [s_key] : [s_key, Ttl(asked)];

        await client.PostAsync(path, OpenAIBody("bounded"), headers);
        _clock.Advance(TimeSpan.FromSeconds(kept - 1));
        var lastSecond = await client.PostAsync(path, OpenAIBody("bounded"), headers);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await client.PostAsync(path, OpenAIBody("bounded"), headers);

        Assert.Equal(["HIT", "MISS"], Statuses(lastSecond, expired));
    }

    // "cf-aig-skip-cache ... bypassing the cache and fetching the request directly from the original provider, without
    // utilizing any cached copy." Silent on storing: the fresh answer replaces the cached one, and a skipped request
    // sends no cf-aig-cache-status (both kept).
    [Fact]
    public async Task SkipCache_GoesToTheProvider_WithoutTheCachedCopy()
    {
        await using var client = await StartAsync();

        await client.ChatAsync("skip me", Ttl(300));
        var skipped = await client.ChatAsync("skip me", Ttl(300), ("cf-aig-skip-cache", "true"));
        var after = await client.ChatAsync("skip me", Ttl(300));

        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.Null(Status(skipped));
        Assert.Equal("HIT", Status(after));
        Assert.Equal([false, false, true], client.Emulator.State.GetLogs("default").Select(l => l.Cached));
    }

    // "cf-cache-ttl is now cf-aig-cache-ttl, cf-skip-cache is now cf-aig-skip-cache ... the old headers will still
    // function." When both names come, the new one counts.
    [Fact]
    public async Task OldHeaderNames_StillFunction_AndTheNewNamesWin()
    {
        await using var client = await StartAsync();

        await client.ChatAsync("old names", ("cf-cache-ttl", "300"));
        var oldTtl = await client.ChatAsync("old names", ("cf-cache-ttl", "300"));
        var oldSkip = await client.ChatAsync("old names", ("cf-cache-ttl", "300"), ("cf-skip-cache", "true"));
        await client.ChatAsync("both names", Ttl(60), ("cf-cache-ttl", "3600"));
        _clock.Advance(TimeSpan.FromSeconds(60));
        var newWins = await client.ChatAsync("both names", Ttl(60), ("cf-cache-ttl", "3600"));

        Assert.Equal("HIT", Status(oldTtl));
        Assert.NotEqual("HIT", Status(oldSkip));
        Assert.Equal("MISS", Status(newWins));
    }

    // "Custom cache keys let you override the default cache key ... Subsequent requests with the same header will return
    // the cached response": whatever the body, the model or the provider.
    [Fact]
    public async Task CustomKey_ReplacesTheDefaultKey()
    {
        await using var client = await StartAsync();
        (string, string) shared = ("cf-aig-cache-key", "responseA");

        var first = await client.ChatAsync("first question", Ttl(300), shared);
        var otherBody = await client.ChatAsync("second question", Ttl(300), shared);
        var otherProvider = await client.PostAsync("v1/acct/default/groq/chat/completions", OpenAIBody("third", model: "llama-3.1-8b-instant"), ("Authorization", "Bearer gsk"), Ttl(300), shared);
        var otherKey = await client.ChatAsync("first question", Ttl(300), ("cf-aig-cache-key", "responseB"));

        Assert.Equal(["MISS", "HIT", "HIT", "MISS"], Statuses(first, otherBody, otherProvider, otherKey));
        Assert.Contains("first question", await otherProvider.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // "If the cf-aig-cache-ttl header is used, responses will be cached according to the specified Cache Time To Live.
    // Otherwise ... according to the cache settings in the dashboard. If caching is not enabled for the gateway,
    // responses will be cached for 5 minutes by default."
    [Theory]
    [InlineData("default", null, 300)]
    [InlineData("cached", null, 120)]
    [InlineData("cached", 600, 600)]
    public async Task CustomKey_IsCachedForTheRequestTtl_ElseTheGatewaysTtl_ElseFiveMinutes(string gateway, int? ttl, int kept)
    {
        await using var client = await StartAsync(gatewayTtl: 120);
        string path = $"v1/acct/{gateway}/openai/chat/completions";
        (string, string)[] headers = ttl is { } seconds ? [s_key, ("cf-aig-cache-key", "k"), Ttl(seconds)] : [s_key, ("cf-aig-cache-key", "k")];

        var first = await client.PostAsync(path, OpenAIBody("keyed"), headers);
        _clock.Advance(TimeSpan.FromSeconds(kept - 1));
        var lastSecond = await client.PostAsync(path, OpenAIBody("keyed"), headers);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await client.PostAsync(path, OpenAIBody("keyed"), headers);

        Assert.Equal(["MISS", "HIT", "MISS"], Statuses(first, lastSecond, expired));
    }

    // troubleshooting.mdx: "Streaming responses are not cached by default" (the pages name no way to turn it on): a
    // stream is neither stored nor served from the cache, not even under a custom key that holds an answer.
    [Fact]
    public async Task Streams_AreNeitherCachedNorServedFromTheCache()
    {
        await using var client = await StartAsync(gatewayTtl: 300);

        await client.PostAsync(CachedGatewayChat, OpenAIBody("hi", stream: true), s_key);
        var stream = await client.PostAsync(CachedGatewayChat, OpenAIBody("hi", stream: true), s_key);
        var spacedStream = await client.PostAsync(CachedGatewayChat,
            """{ "model" : "gpt-4o-mini", "stream" : true, "messages" : [ { "role" : "user", "content" : "hi" } ] }""", s_key);
        await client.PostAsync(CachedGatewayChat, OpenAIBody("hi"), s_key, ("cf-aig-cache-key", "held"));
        var keyedStream = await client.PostAsync(CachedGatewayChat, OpenAIBody("hi", stream: true), s_key, ("cf-aig-cache-key", "held"));

        Assert.All(new[] { stream, spacedStream, keyedStream }, r => Assert.Null(Status(r)));
        Assert.All(new[] { stream, spacedStream, keyedStream }, r => Assert.Equal("text/event-stream", r.Content.Headers.ContentType!.MediaType));
        Assert.Equal(0, client.Emulator.State.GetLogs("cached").Count(l => l.Cached));
    }

    // The page is silent on status codes: the emulator caches answers only, never a provider's error (kept).
    [Fact]
    public async Task ProviderErrors_AreNotCached()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 500, Times = 1 });

        var failed = await client.ChatAsync("flaky", Ttl(300));
        var answered = await client.ChatAsync("flaky", Ttl(300));
        var hit = await client.ChatAsync("flaky", Ttl(300));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(["MISS", "MISS", "HIT"], Statuses(failed, answered, hit));
    }

    // limits.mdx: "Cacheable request size: 25 MB per request" (25 MiB). An emulator that takes larger bodies answers
    // them, uncached.
    [Fact]
    public async Task RequestsLargerThan25MB_AreAnsweredButNotCached()
    {
        var options = new AiGatewayEmulatorOptions { TimeProvider = _clock };
        options.Limits.MaxRequestBodyBytes = 26 * 1024 * 1024;
        await using var client = await EmulatorClient.StartAsync(options);
        string prompt = "What is the capital of France? " + new string('x', 25 * 1024 * 1024);
        (string, string)[] headers = [s_key, Ttl(300), ("cf-aig-collect-log", "false")];

        await client.PostAsync(OpenAIChat, OpenAIBody(prompt), headers);
        var large = await client.PostAsync(OpenAIChat, OpenAIBody(prompt), headers);
        await client.PostAsync(OpenAIChat, OpenAIBody(prompt[..(24 * 1024 * 1024)]), headers);
        var withinLimit = await client.PostAsync(OpenAIChat, OpenAIBody(prompt[..(24 * 1024 * 1024)]), headers);

        Assert.Equal(HttpStatusCode.OK, large.StatusCode);
        Assert.Null(Status(large));
        Assert.Equal("HIT", Status(withinLimit));
    }

    // "Cache in AI Gateway is volatile. If two identical requests are sent simultaneously, the first request may not
    // cache in time for the second request to use it": two identical requests in flight together both go to the provider.
    [Fact]
    public async Task IdenticalRequestsInFlightTogether_BothGoToTheProvider()
    {
        await using var client = await StartAsync();
        client.Emulator.Faults.Add(new EmulatorFault { Provider = "openai", Delay = TimeSpan.FromSeconds(1), Times = 2 });

        var one = client.ChatAsync("together", Ttl(300));
        var two = client.ChatAsync("together", Ttl(300));
        await _clock.WaitForTimersAsync(2);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var both = await Task.WhenAll(one, two);
        var afterwards = await client.ChatAsync("together", Ttl(300));

        Assert.Equal(["MISS", "MISS", "HIT"], Statuses([.. both, afterwards]));
    }

    // Changelog 2026-05-21: on the REST form "all AI Gateway features — logging, caching, rate limiting ... are applied".
    // The page does not say how text kinds beyond chat are treated: embeddings are cached like chat (kept).
    [Theory]
    [InlineData("client/v4/accounts/acct/ai/v1/chat/completions", """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("client/v4/accounts/acct/ai/v1/responses", """{"model":"openai/gpt-4o-mini","input":"hi"}""")]
    [InlineData("v1/acct/default/openai/embeddings", """{"model":"text-embedding-3-small","input":"hi"}""")]
    public async Task RestFormAndEmbeddings_AreCachedLikeChat(string path, string body)
    {
        await using var client = await StartAsync();
        (string, string)[] headers = [("Authorization", "Bearer cf"), ("cf-aig-gateway-id", "default"), Ttl(300)];

        var first = await client.PostAsync(path, body, headers);
        var second = await client.PostAsync(path, body, headers);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["MISS", "HIT"], Statuses(first, second));
    }

    // Universal endpoint (GATEWAY-FACTS, usage/universal.mdx): a step's own cf-aig-* headers beat the request's, so a
    // step caches by its own headers, keyed by its provider, endpoint and query.
    [Fact]
    public async Task UniversalStep_CachesByItsOwnHeaders()
    {
        await using var client = await StartAsync();
        const string steps = """
            [ { "provider": "openai", "endpoint": "chat/completions", "headers": { "Authorization": "Bearer k1", "cf-aig-cache-ttl": "300" },
                "query": { "model": "gpt-4o-mini", "messages": [ { "role": "user", "content": "What is the capital of France?" } ] } } ]
            """;

        var first = await client.PostAsync("v1/acct/default", steps);
        var second = await client.PostAsync("v1/acct/default", steps);
        var skipped = await client.PostAsync("v1/acct/default", steps.Replace("\"cf-aig-cache-ttl\": \"300\"", "\"cf-aig-cache-ttl\": \"300\", \"cf-aig-skip-cache\": \"true\"", StringComparison.Ordinal), Ttl(300));

        Assert.Equal(["MISS", "HIT"], Statuses(first, second));
        Assert.Null(Status(skipped));
    }

    private static (string, string) Ttl(int seconds) => ("cf-aig-cache-ttl", seconds.ToString(CultureInfo.InvariantCulture));

    private static string? Status(HttpResponseMessage response) => Header(response, "cf-aig-cache-status");

    private static string?[] Statuses(params HttpResponseMessage[] responses) => [.. responses.Select(Status)];

    /// <summary>An emulator on the test's clock, with a gateway <c>cached</c> whose <c>cache_ttl</c> is <paramref name="gatewayTtl"/> seconds.</summary>
    private Task<EmulatorClient> StartAsync(int gatewayTtl = 300)
    {
        var options = new AiGatewayEmulatorOptions { TimeProvider = _clock };
        options.Gateways.Add(new EmulatorGateway { Id = "cached", CacheTtl = gatewayTtl });
        return EmulatorClient.StartAsync(options);
    }
}
