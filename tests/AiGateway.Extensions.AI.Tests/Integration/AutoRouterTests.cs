using System.Diagnostics;
using System.Text.Json;
using AiGateway.Emulator;
using AiGateway.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AiGateway.Extensions.AI.Tests.Integration;

/// <summary>
/// Auto Router (<c>compat</c>, model <c>cloudflare/auto</c>): its request headers from configuration, from the request
/// and from the conversation id; what the gateway answered on answers, updates and the span; a tool loop on one model.
/// </summary>
public sealed class AutoRouterTests
{
    private const string Question = "What is the capital of France?";
    private const string Completion = """{"id":"c1","object":"chat.completion","created":1700000000,"model":"anthropic/claude-sonnet-5","choices":[{"index":0,"message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}]}""";

    private static readonly AIFunction s_weather = AIFunctionFactory.Create((string city) => $"18 degrees and sunny in {city}", "get_weather", "Current weather for a city");

    private static AiGatewayOptions AutoOptions(Uri? root = null)
    {
        var options = TestOptions.Create(root, "compat", AiGatewayAutoRouterOptions.Model);
        options.ApiKey = null;
        options.Token = TestOptions.Token;
        return options;
    }

    private static IReadOnlyDictionary<string, string> SentHeaders(AiGatewayOptions options, ChatOptions? chatOptions = null)
    {
        var handler = new RecordingHandler(Completion);
        using var client = TestOptions.Client(options, handler);
        client.GetResponseAsync(Question, chatOptions).GetAwaiter().GetResult();
        return handler.SoleRequest.Headers;
    }

    private static string? Sent(IReadOnlyDictionary<string, string> headers, string name) => headers.TryGetValue(name, out string? value) ? value : null;

    [Fact]
    public void ConfiguredDefaults_AreSentOnTheAutoRoute()
    {
        var options = AutoOptions();
        options.AutoRouter.AllowedModels.Add("anthropic/*");
        options.AutoRouter.AllowedModels.Add("openai/gpt-5.6-sol");
        options.AutoRouter.AllowedProviders.Add("anthropic");
        options.AutoRouter.AllowedProviders.Add("openai");
        options.AutoRouter.NoSessionAffinity = true;

        var headers = SentHeaders(options);

        Assert.Equal("anthropic/*,openai/gpt-5.6-sol", Sent(headers, "cf-aig-allowed-models"));
        Assert.Equal("anthropic,openai", Sent(headers, "cf-aig-allowed-providers"));
        Assert.Equal("true", Sent(headers, "cf-aig-no-session-affinity"));
        Assert.Null(Sent(headers, "cf-aig-session-id"));
    }

    [Fact]
    public void ARequest_OverridesTheDefaults_AndItsSessionWinsOverTheConversationId()
    {
        var options = AutoOptions();
        options.AutoRouter.AllowedModels.Add("anthropic/*");

        var headers = SentHeaders(options, new ChatOptions { ConversationId = "conv-1" }
            .WithGatewaySession("session-9", "turn-3").WithGatewayAllowedModels("openai/*").WithGatewayAllowedProviders("openai").WithoutGatewaySessionAffinity());

        Assert.Equal("session-9", Sent(headers, "cf-aig-session-id"));
        Assert.Equal("turn-3", Sent(headers, "cf-aig-turn-id"));
        Assert.Equal("openai/*", Sent(headers, "cf-aig-allowed-models"));
        Assert.Equal("openai", Sent(headers, "cf-aig-allowed-providers"));
        Assert.Equal("true", Sent(headers, "cf-aig-no-session-affinity"));
    }

    [Fact]
    public void WithoutASession_TheConversationIdIsTheSession()
    {
        var headers = SentHeaders(AutoOptions(), new ChatOptions { ConversationId = "conv-1" });

        Assert.Equal("conv-1", Sent(headers, "cf-aig-session-id"));
        Assert.Null(Sent(headers, "cf-aig-turn-id"));
    }

    [Fact]
    public async Task AUserMessageReusedInANewRequest_NeverTakesAnotherConversationsSession()
    {
        var shared = new ChatMessage(ChatRole.User, Question);
        var handler = new RecordingHandler(Completion);
        using var client = TestOptions.Client(AutoOptions(), handler);

        await client.GetResponseAsync([shared], new ChatOptions { ConversationId = "tenant-a" });
        await client.GetResponseAsync([shared, new ChatMessage(ChatRole.Assistant, "Paris."), new ChatMessage(ChatRole.Tool, "checked")]);
        await client.GetResponseAsync([shared]);

        var sessions = handler.Requests.Select(r => Sent(r.Headers, "cf-aig-session-id")).ToList();
        Assert.Equal(["tenant-a", "tenant-a", null], sessions);
    }

    [Fact]
    public void OtherRoutes_SendNoAutoRouterHeaders()
    {
        var options = TestOptions.Create();

        var headers = SentHeaders(options, new ChatOptions().WithGatewaySession("s").WithGatewayAllowedModels("openai/*"));

        Assert.DoesNotContain(headers.Keys, k => k is "cf-aig-session-id" or "cf-aig-allowed-models" or "cf-aig-turn-id");
    }

    [Theory]
    [InlineData("gpt-5", "must be provider/model")]
    [InlineData("openai/*,anthropic/*", "without commas")]
    [InlineData("", "is empty")]
    public void ABadAllowedModel_IsRefusedWhenSet(string entry, string says)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ChatOptions().WithGatewayAllowedModels(entry));

        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConversationIdThatCannotBeAHeader_IsAClearError()
    {
        var handler = new RecordingHandler(Completion);
        using var client = TestOptions.Client(AutoOptions(), handler);

        var error = Assert.ThrowsAny<ArgumentException>(() => client.GetResponseAsync(Question, new ChatOptions { ConversationId = "line\nbreak" }).GetAwaiter().GetResult());

        Assert.Contains("ChatOptions.ConversationId, sent as cf-aig-session-id", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("AiGateway:AutoRouter:AllowedModels:0", "gpt-5", "compat", "AiGateway:AutoRouter:AllowedModels:0 'gpt-5' must be provider/model")]
    [InlineData("AiGateway:AutoRouter:AllowedProviders", "openai,anthropic", "compat", "AiGateway:AutoRouter:AllowedProviders must be a list")]
    [InlineData("AiGateway:AutoRouter:NoSessionAffinity", "yes", "compat", "AiGateway:AutoRouter:NoSessionAffinity must be true or false")]
    [InlineData("AiGateway:AutoRouter:AllowedProviders:0", "openai", "openai", "AiGateway:AutoRouter applies only to a route with Provider compat and Model cloudflare/auto")]
    public void BadAutoRouterConfiguration_FailsAtStart_NamingTheKey(string key, string value, string provider, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AiGateway:AccountId"] = "acct",
            ["AiGateway:Provider"] = provider,
            ["AiGateway:Model"] = provider == "compat" ? "cloudflare/auto" : "gpt-4o-mini",
            [key] = value,
        };
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("AiGateway"));
        using var provider_ = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider_.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AutoRouterConfiguration_BindsFromItsSection()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AiGateway:AccountId"] = "acct",
            ["AiGateway:Provider"] = "compat",
            ["AiGateway:Model"] = "cloudflare/auto",
            ["AiGateway:AutoRouter:AllowedModels:0"] = "anthropic/*",
            ["AiGateway:AutoRouter:AllowedProviders:0"] = "anthropic",
            ["AiGateway:AutoRouter:NoSessionAffinity"] = "true",
        };
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("AiGateway"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>().CurrentValue;

        Assert.Equal(["anthropic/*"], options.AutoRouter.AllowedModels);
        Assert.Equal(["anthropic"], options.AutoRouter.AllowedProviders);
        Assert.True(options.AutoRouter.NoSessionAffinity);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheRoutedModel_IsTheAnswersModel_WithTheReasonAndDecision(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var options = TestOptions.ForEmulator(emulator, "compat", AiGatewayAutoRouterOptions.Model);
        options.AutoRouter.AllowedModels.Add("openai/gpt-5.6-sol");
        using var client = new AiGatewayChatClient(options);

        AiGatewayResponseInfo info;
        AdditionalPropertiesDictionary raw;
        if (streaming)
        {
            var updates = await client.GetStreamingResponseAsync(Question).ToListAsync();
            Assert.Equal(updates[0].GetGatewayInfo(), updates.Last(u => u.FinishReason is not null).GetGatewayInfo());
            (info, raw) = (updates[0].GetGatewayInfo()!, updates[0].AdditionalProperties!);
        }
        else
        {
            var response = await client.GetResponseAsync(Question);
            (info, raw) = (response.GetGatewayInfo()!, response.AdditionalProperties!);
        }

        Assert.Equal("openai/gpt-5.6-sol", info.Model);
        Assert.Equal("forced_by_candidate_pool", info.RoutingReason);
        Assert.NotNull(info.RoutingDecisionId);
        Assert.Equal("compat", info.Provider);
        Assert.Equal(AiGatewayAutoRouterOptions.Model, info.Attempts[0].Model);
        Assert.Equal(info.RoutingDecisionId, raw["cf-aig-routing-decision-id"]);
        Assert.Equal("openai/gpt-5.6-sol", raw["cf-aig-routed-model"]);
    }

    [Fact]
    public async Task OtherRoutes_ReportNoRouting()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator));

        var info = (await client.GetResponseAsync(Question)).GetGatewayInfo()!;

        Assert.Equal("gpt-4o-mini", info.Model);
        Assert.Null(info.RoutingReason);
        Assert.Null(info.RoutingDecisionId);
    }

    [Fact]
    public async Task TheSpan_CarriesTheRoutedModelReasonAndDecision()
    {
        string source = "auto." + Guid.NewGuid().ToString("N");
        var spans = new SpanCollection();
        using var tracer = Sdk.CreateTracerProviderBuilder().AddSource(source, AiGatewayTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "compat", AiGatewayAutoRouterOptions.Model)).AsBuilder().UseOpenTelemetry(sourceName: source).Build();

        var info = (await client.GetResponseAsync(Question)).GetGatewayInfo()!;

        var span = Assert.Single(spans, s => s.Source.Name == source);
        object? Tag(string name) => span.TagObjects.FirstOrDefault(t => t.Key == name).Value;
        Assert.Equal(info.Model, Tag(AiGatewayTelemetry.Attributes.Model));
        Assert.Equal("cost_optimal_within_pool", Tag(AiGatewayTelemetry.Attributes.RoutingReason));
        Assert.Equal(info.RoutingDecisionId, Tag(AiGatewayTelemetry.Attributes.RoutingDecisionId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AToolLoop_WithAConversationId_StaysOnOneModel(bool streaming)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        using var client = new AiGatewayChatClient(TestOptions.ForEmulator(emulator, "compat", AiGatewayAutoRouterOptions.Model))
            .AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [s_weather], ConversationId = "chat-" + Guid.NewGuid().ToString("N") };

        var response = streaming
            ? await client.GetStreamingResponseAsync("What is the weather in Paris?", options).ToChatResponseAsync()
            : await client.GetResponseAsync("What is the weather in Paris?", options);

        Assert.Contains("18 degrees and sunny", response.Text, StringComparison.Ordinal);
        var logs = emulator.State.GetLogs("default");
        Assert.Equal(2, logs.Count);
        Assert.Single(logs.Select(l => (l.Provider, l.Model)).Distinct());
        Assert.Equal("pinned_by_turn", response.GetGatewayInfo()!.RoutingReason);
        Assert.Contains("get_weather", JsonDocument.Parse(logs[0].RequestBody!).RootElement.GetProperty("tools").GetRawText(), StringComparison.Ordinal);
    }
}
