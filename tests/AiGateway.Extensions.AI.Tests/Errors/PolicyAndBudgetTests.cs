using System.Net;
using System.Text;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI.Tests.Errors;

/// <summary>
/// The gateway's policy refusals (403), spent budgets (429) and exhausted credits (402 / 2021), read from the bodies
/// Cloudflare documents (features/policies.mdx) and, end to end, from the emulator's policies and budgets.
/// </summary>
public sealed class PolicyAndBudgetTests
{
    private const string Question = "What is the capital of France?";
    private const string AllowGroq = """{"name":"Groq for all","actor":"company:all","resource":{"provider":"groq"},"condition":"true","action":{"type":"no-limit"}}""";

    private static async Task<AiGatewayException> FailAsync(HttpStatusCode status, string body)
    {
        using var client = TestOptions.Client(TestOptions.Create(), new RecordingHandler(body, status));
        return await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));
    }

    private static async Task AddPolicyAsync(AiGatewayEmulator emulator, string policy)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "cf-operator-token");
        using var content = new StringContent(policy, Encoding.UTF8, "application/json");
        var response = await http.PostAsync(new Uri(emulator.ControlPlaneEndpoint + "/accounts/acct123/ai-gateway/gateways/default/policies?commit=true"), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<(AiGatewayEmulator Emulator, FakeClock Clock)> StartAsync()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        return (await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = clock }), clock);
    }

    private static AiGatewayFallbackChatClient Fallback(AiGatewayOptions options, FakeClock clock, AiGatewayFallbackOptions? fallback = null) =>
        new(new AiGatewayChatClient(options, null, clock), fallback ?? new AiGatewayFallbackOptions(), clock);

    [Fact]
    public async Task APolicyRefusal_IsPolicyDenied_NotAnAuthenticationFailure()
    {
        var error = await FailAsync(HttpStatusCode.Forbidden, Fixtures.Text("cloudflare-gateway/error-403-policy-denied.json"));

        Assert.Equal(AiGatewayErrorKind.PolicyDenied, error.Kind);
        Assert.Equal(403, error.StatusCode);
        Assert.Equal("Access denied by policy", error.ProviderMessage);
        Assert.Contains("(PolicyDenied): Access denied by policy. A policy of the gateway blocks openai model gpt-4o-mini", error.Message);
        Assert.True(AiGatewayFallbackOptions.IsTransient(error));
    }

    [Fact]
    public async Task AProvidersOwn403_StaysAnAuthenticationFailure()
    {
        var error = await FailAsync(HttpStatusCode.Forbidden,
            """{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}""");

        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
        Assert.False(AiGatewayFallbackOptions.IsTransient(error));
    }

    [Fact]
    public async Task ASpentBudget_IsSpendLimitExceeded_WithItsBucketSpentAndLimit()
    {
        var error = await FailAsync(HttpStatusCode.TooManyRequests, Fixtures.Text("cloudflare-gateway/error-429-spend-limit.json"));

        Assert.Equal(AiGatewayErrorKind.SpendLimitExceeded, error.Kind);
        Assert.Equal("<BUCKET_ID>", error.Bucket);
        Assert.Equal(1000.42m, error.Spent);
        Assert.Equal(1000m, error.Limit);
        Assert.Contains("(SpendLimitExceeded): Spending limit exceeded, bucket '<BUCKET_ID>' spent $1000.42 of its $1000 limit. The budget is used up until its window resets", error.Message);
        Assert.True(AiGatewayFallbackOptions.IsTransient(error));
    }

    [Theory]
    [InlineData("""{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""")]
    [InlineData("""{"success":false,"result":[],"messages":[],"error":[{"message":"Rate limit exceeded"}]}""")]
    public async Task ARateLimit_StaysRateLimited(string body)
    {
        var error = await FailAsync(HttpStatusCode.TooManyRequests, body);

        Assert.Equal(AiGatewayErrorKind.RateLimited, error.Kind);
        Assert.Null(error.Bucket);
    }

    [Theory]
    [InlineData("Guardrails scanner requires more credits", "The guardrails scanner ran out of credits")]
    [InlineData("Insufficient Unified Billing credits", "Unified Billing ran out of credits")]
    [InlineData("Insufficient credits", "for Unified Billing or for the guardrails scanner (the answer does not say which)")]
    public async Task OutOfCredits_SaysWhoseCreditsRanOut_AsFarAsTheBodyTells(string bodyMessage, string says)
    {
        // The shape set-up-guardrail.mdx describes: name AiGatewayError, the code in internalCode and in the nested error.
        var error = await FailAsync(HttpStatusCode.PaymentRequired,
            $$"""{"success":false,"name":"AiGatewayError","internalCode":2021,"error":[{"code":2021,"message":"{{bodyMessage}}"}]}""");

        Assert.Equal(AiGatewayErrorKind.InsufficientCredits, error.Kind);
        Assert.Equal(2021, error.GatewayErrorCode);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public async Task OutOfCredits_InTheNestedObjectShape_KeepsTheGatewayCode()
    {
        var error = await FailAsync(HttpStatusCode.PaymentRequired, """{"success":false,"name":"AiGatewayError","internalCode":2021,"error":{"message":"Guardrails scanner requires more credits"}}""");

        Assert.Equal(AiGatewayErrorKind.InsufficientCredits, error.Kind);
        Assert.Equal(2021, error.GatewayErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PolicyDenied_MovesOnToAnotherModel_SkipsTheSameModelsOtherKey_AndCoolsNothingDown(bool streaming)
    {
        var (emulator, clock) = await StartAsync();
        await using var _ = emulator;
        await AddPolicyAsync(emulator, AllowGroq);
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { ApiKey = "sk-second-openai-key" });
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        var client = Fallback(options, clock);

        var first = await AskAsync(client, streaming);
        var second = await AskAsync(client, streaming);

        foreach (var info in new[] { first, second })
        {
            Assert.Equal("groq", info.Provider);
            Assert.Equal(
                [(0, (int?)403, (AiGatewayErrorKind?)AiGatewayErrorKind.PolicyDenied, false), (1, null, AiGatewayErrorKind.PolicyDenied, true), (2, 200, null, false)],
                info.Attempts.Select(a => (a.RouteIndex, a.StatusCode, a.ErrorKind, a.Skipped)));
        }

        // Refused twice, never cooling down, and the second key was never sent.
        Assert.Equal(2, emulator.State.GetLogs("default").Count(l => l.Provider == "openai"));
    }

    [Fact]
    public async Task EveryRouteRefused_SaysWhyEachWasRefusedOrSkipped()
    {
        var (emulator, clock) = await StartAsync();
        await using var _ = emulator;
        await AddPolicyAsync(emulator, AllowGroq);
        var options = TestOptions.ForEmulator(emulator);
        options.Fallbacks.Add(new AiGatewayRouteOptions { ApiKey = "sk-second-openai-key" });
        var client = Fallback(options, clock);

        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        Assert.Equal(AiGatewayErrorKind.PolicyDenied, error.Kind);
        Assert.Contains("openai/gpt-4o-mini 403 PolicyDenied: Access denied by policy; openai/gpt-4o-mini skipped (the gateway refused the same provider and model: PolicyDenied).", error.Message);
    }

    [Fact]
    public async Task AGatewayShaped403_ThatNamesNoPolicy_StaysAnAuthenticationFailure()
    {
        var error = await FailAsync(HttpStatusCode.Forbidden, """{"success":false,"error":{"message":"Forbidden"}}""");

        Assert.Equal(AiGatewayErrorKind.Authentication, error.Kind);
    }

    [Fact]
    public async Task EveryRouteOutOfBudget_TheAllFailedError_KeepsTheBucketSpentAndLimit()
    {
        var (emulator, clock) = await StartAsync();
        await using var _ = emulator;
        await AddPolicyAsync(emulator, """{"name":"All of it","actor":"company:all","resource":"*","condition":"true","action":{"type":"limit","amount":1,"period":"daily","technique":"named-interval"}}""");
        var options = TestOptions.ForEmulator(emulator);
        options.CustomCost = new AiGatewayCustomCost { TotalCost = 1 };
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        var client = Fallback(options, clock);

        await client.GetResponseAsync(Question);
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        Assert.Equal(AiGatewayErrorKind.SpendLimitExceeded, error.Kind);
        Assert.NotNull(error.Bucket);
        Assert.Equal(1m, error.Limit);
        Assert.NotNull(error.Spent);
    }

    [Fact]
    public async Task ASpentBudget_MovesOn_AndSkipsItsRouteForTheSpendLimitCooldown()
    {
        var (emulator, clock) = await StartAsync();
        await using var _ = emulator;
        await AddPolicyAsync(emulator, AllowGroq);
        await AddPolicyAsync(emulator, """{"name":"OpenAI budget","actor":"team:a","resource":{"provider":"openai"},"condition":"true","action":{"type":"limit","amount":1,"period":"daily","technique":"named-interval"}}""");
        var options = TestOptions.ForEmulator(emulator);
        options.CustomCost = new AiGatewayCustomCost { TotalCost = 1 };
        options.Fallbacks.Add(new AiGatewayRouteOptions { Provider = "groq", Model = "llama-3.3-70b-versatile" });
        var client = Fallback(options, clock, new AiGatewayFallbackOptions { SpendLimitCooldown = TimeSpan.FromMinutes(10) });

        var spends = await client.GetResponseAsync(Question);
        var refused = await client.GetResponseAsync(Question);
        var skipped = await client.GetResponseAsync(Question);
        clock.Advance(TimeSpan.FromMinutes(10));
        var probed = await client.GetResponseAsync(Question);
        clock.Advance(TimeSpan.FromDays(1));
        var reset = await client.GetResponseAsync(Question);

        Assert.Equal("openai", spends.GetGatewayInfo()!.Provider);
        Assert.Equal([(0, (int?)429, (AiGatewayErrorKind?)AiGatewayErrorKind.SpendLimitExceeded, false), (1, 200, null, false)],
            refused.GetGatewayInfo()!.Attempts.Select(a => (a.RouteIndex, a.StatusCode, a.ErrorKind, a.Skipped)));
        Assert.Equal([(0, (int?)null, false, true), (1, 200, false, false)],
            skipped.GetGatewayInfo()!.Attempts.Select(a => (a.RouteIndex, a.StatusCode, a.ErrorKind is not null, a.Skipped)));
        Assert.Equal(429, probed.GetGatewayInfo()!.Attempts[0].StatusCode);
        Assert.Equal("openai", reset.GetGatewayInfo()!.Provider);
    }

    [Fact]
    public async Task ASpentBudget_ThroughTheBareClient_CarriesTheEmulatorsBucketSpentAndLimit()
    {
        var (emulator, clock) = await StartAsync();
        await using var _ = emulator;
        await AddPolicyAsync(emulator, """{"name":"Per user","actor":"user:{metadata.user}","resource":"*","condition":"true","action":{"type":"limit","amount":0.5,"period":"hourly","technique":"named-interval"}}""");
        var options = TestOptions.ForEmulator(emulator);
        options.Metadata = new Dictionary<string, string> { ["user"] = "alice" };
        options.CustomCost = new AiGatewayCustomCost { TotalCost = 0.75m };
        using var client = new AiGatewayChatClient(options, null, clock);

        await client.GetResponseAsync(Question);
        var error = await Assert.ThrowsAsync<AiGatewayException>(() => client.GetResponseAsync(Question));

        Assert.Equal(AiGatewayErrorKind.SpendLimitExceeded, error.Kind);
        Assert.Equal(429, error.StatusCode);
        Assert.Contains("alice", error.Bucket, StringComparison.Ordinal);
        Assert.Equal(0.75m, error.Spent);
        Assert.Equal(0.5m, error.Limit);
        Assert.Contains("spent $0.75 of its $0.5 limit", error.Message);
    }

    private static async Task<AiGatewayResponseInfo> AskAsync(IChatClient client, bool streaming)
    {
        if (!streaming)
        {
            return (await client.GetResponseAsync(Question)).GetGatewayInfo()!;
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question))
        {
            updates.Add(update);
        }

        Assert.Equal("The capital of France is Paris.", updates.ToChatResponse().Text);
        return updates.Select(u => u.GetGatewayInfo()).Last(i => i is not null)!;
    }
}
