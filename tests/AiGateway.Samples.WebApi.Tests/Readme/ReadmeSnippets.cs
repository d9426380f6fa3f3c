#pragma warning disable AIGATEWAY001 // The route set is experimental; the README shows it.
#pragma warning disable MEAI001 // OrderedFailoverChatClient is experimental in Microsoft.Extensions.AI.
using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using AiGateway.Extensions.AI.Management;
using AiGateway.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Net.Http.Json;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AiGateway.Samples.WebApi.Tests.Readme;

/// <summary>
/// Every C# block of the READMEs, as written there, run against an emulator: the code between the README's lines
/// only sets the scene (a builder whose configuration points at the emulator, the variables a block assumes).
/// <see cref="ReadmeSnippetCoverageTests"/> checks that each block appears here (or in the AppHost) word for word.
/// </summary>
public sealed class ReadmeSnippets
{
    [Fact]
    public async Task QuickStart()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Builder(emulator);
        builder.Services.AddAiGatewayChatClient(builder.Configuration.GetSection("AiGateway"))  // Microsoft's ChatClientBuilder
            .UseFunctionInvocation()   // Microsoft.Extensions.AI: tool calls
            .UseOpenTelemetry()        // Microsoft.Extensions.AI: the GenAI span and metrics; we add the gateway's facts to it
            .UseAiGatewayFallback();   // ours: the configured fallback routes, each attempt a child span
        await using var app = builder.Build();

        IChatClient chat = app.Services.GetRequiredService<IChatClient>();
        ChatResponse r = await chat.GetResponseAsync("Capital of France?",
            new ChatOptions().WithGatewayCache(TimeSpan.FromMinutes(5)).WithGatewayMetadata("user", "u-42"));
        AiGatewayResponseInfo info = r.GetGatewayInfo()!;   // CacheStatus, LogId, RequestId, Step, Provider, Model, Attempts
        await foreach (var update in chat.GetStreamingResponseAsync("Write a haiku"))
            Console.Write(update.Text);

        Assert.Equal(AiGatewayCacheStatus.Miss, info.CacheStatus);
        Assert.Equal("openai", info.Provider);
    }

    [Fact]
    public async Task PackageReadme()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Builder(emulator);
        builder.Services.AddAiGatewayChatClient(builder.Configuration.GetSection("AiGateway"))   // Microsoft's ChatClientBuilder
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .UseAiGatewayFallback();
        await using var app = builder.Build();
        string userId = "u-42";

        IChatClient chat = app.Services.GetRequiredService<IChatClient>();
        ChatResponse response = await chat.GetResponseAsync("What is the capital of France?",
            new ChatOptions().WithGatewayMetadata("user", userId));
        Console.WriteLine(response.Text);

        AiGatewayResponseInfo info = response.GetGatewayInfo()!;   // CacheStatus, LogId, Provider, Model, Attempts, ...

        await foreach (var update in chat.GetStreamingResponseAsync("Write a haiku"))
            Console.Write(update.Text);

        Assert.Equal("The capital of France is Paris.", response.Text);
        Assert.Contains(emulator.State.GetLogs("default"), l => l.Metadata?["user"]?.GetValue<string>() == "u-42");
    }

    [Fact]
    public async Task Fallback_AndRouteClientsInMicrosoftsFailover()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        emulator.Faults.Add(new EmulatorFault { Provider = "openai", Status = 503, Times = 2 });
        var builder = Builder(emulator);
        builder.Services.AddAiGatewayChatClient(builder.Configuration.GetSection("AiGateway"))
            .UseOpenTelemetry()        // outermost first: attempts become child spans of the GenAI span
            .UseAiGatewayFallback();
        await using var app = builder.Build();
        var chat = app.Services.GetRequiredService<IChatClient>();
        Assert.Equal("groq", (await chat.GetResponseAsync("hi")).GetGatewayInfo()!.Provider);

        var routes = chat.GetService<AiGatewayRouteSet>()!.Routes;          // primary first, then Fallbacks
        IChatClient failover = new OrderedFailoverChatClient([.. routes.Select(r => r.Client)]);   // Microsoft's, over our routes

        Assert.Equal("groq", (await failover.GetResponseAsync("hi")).GetGatewayInfo()!.Provider);
    }

    [Fact]
    public async Task Embeddings_UnderUseDistributedCache()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Builder(emulator);
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddAiGatewayEmbeddingGenerator(builder.Configuration.GetSection("AiGatewayEmbeddings"))  // Microsoft's EmbeddingGeneratorBuilder
            .UseDistributedCache()
            .UseOpenTelemetry();
        await using var app = builder.Build();
        string[] chunks = ["Paris is the capital of France.", "Berlin is the capital of Germany.", "Rome is the capital of Italy."];

        for (int run = 0; run < 2; run++)
        {
            var generator = app.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            GeneratedEmbeddings<Embedding<float>> vectors = await generator.GenerateAsync(chunks,
                new EmbeddingGenerationOptions().WithGatewayCache(TimeSpan.FromDays(7)));
            AiGatewayResponseInfo? first = vectors[0].GetGatewayInfo();   // each vector's request: cache HIT/MISS, log id
            AiGatewayResponseInfo? batch = vectors.GetGatewayInfo();      // null when UseDistributedCache assembled the batch

            // The second run is answered by the local cache: the items keep the facts of the request that fetched them.
            Assert.Equal(AiGatewayCacheStatus.Miss, first!.CacheStatus);
            Assert.All(vectors, v => Assert.Equal(first.LogId, v.GetGatewayInfo()!.LogId));
            Assert.Null(batch);
        }

        Assert.Single(emulator.State.GetLogs("default"));
    }

    [Fact]
    public async Task LogsFeedbackAndManagement()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Builder(emulator, gatewayId: "production");
        builder.Services.AddAiGatewayChatClient(builder.Configuration.GetSection("AiGateway"));
        builder.Services.AddAiGatewayManagement(builder.Configuration.GetSection("AiGatewayManagement"));
        // "AiGatewayManagement": { "AccountId": "...", "ApiToken": "<Cloudflare API token: AI Gateway Read + Edit>",
        //                          "EnsureOnStart": true, "Gateways": { "production": { "CacheTtl": 300, "CollectLogs": true } } }
        await using var app = builder.Build();
        await app.Services.GetRequiredService<AiGatewayManagementClient>().EnsureGatewayAsync("production", new AiGatewaySettings());
        var response = await app.Services.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        var logs = app.Services.GetRequiredService<AiGatewayLogsClient>();
        await logs.SendFeedbackAsync(response, AiGatewayFeedback.Positive, score: 95);   // uses the answer's gateway and log id
        await foreach (var log in logs.ListLogsAsync("production", new AiGatewayLogQuery { Success = false, Provider = "openai" }))
            Console.WriteLine($"{log.Id} {log.Model} {log.StatusCode} {log.Duration} ms");
        await logs.DeleteLogsAsync("production", [AiGatewayLogFilter.CreatedBefore(DateTimeOffset.UtcNow.AddDays(-30))]);

        var management = app.Services.GetRequiredService<AiGatewayManagementClient>();
        var result = await management.EnsureGatewayAsync("production", new AiGatewaySettings { CacheTtl = 300, Authentication = true });
        // result.Created, result.ChangedSettings (only what differed is updated; null settings are left alone)

        Assert.False(result.Created);
        Assert.NotEmpty(result.ChangedSettings);
        Assert.Equal(300, result.Gateway.CacheTtl);
        Assert.Equal(1, emulator.State.GetLogs("production").Single().Feedback);
    }

    [Fact]
    public async Task GatewayAsCode()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Builder(emulator, gatewayId: "production");
        builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        builder.Configuration["OpenAIKey"] = "sk-readme-openai-key-0123456789";
        builder.Services.AddAiGatewayManagement(builder.Configuration.GetSection("AiGatewayManagement"));

        var prod = new AiGatewayDefinition { Settings = new AiGatewaySettings { CacheTtl = 300, Authentication = true } };
        prod.StoredKeys.Add(new AiGatewayStoredKeyDefinition { ProviderSlug = "openai", Secret = builder.Configuration["OpenAIKey"] });
        prod.Routes["support"] = [AiGatewayDynamicRouteElement.Start("primary"),
            AiGatewayDynamicRouteElement.Model("primary", "openai", "gpt-4o-mini", fallback: "backup", retries: 1),
            AiGatewayDynamicRouteElement.Model("backup", "anthropic", "claude-3-5-haiku-latest"), AiGatewayDynamicRouteElement.End()];
        prod.Policies.Add(new AiGatewayPolicy { Name = "Company cap", Action = AiGatewayPolicyAction.Limit(1000, "monthly") });
        builder.Services.AddAiGatewayDefinition("production", prod);   // ensured at start; a second start changes nothing
        // or: await management.EnsureAsync("production", prod)  ->  Changes: ["gateway created", "stored key openai/default created", ...]

        await using var app = builder.Build();
        await app.StartAsync();
        await app.StopAsync();
        var management = app.Services.GetRequiredService<AiGatewayManagementClient>();
        var again = await management.EnsureAsync("production", prod);

        Assert.False(again.Changed);
        Assert.True(emulator.State.GetGateway("production")!.Authentication);
        Assert.Equal("support", Assert.Single(await management.DynamicRoutes.ListAsync("production").ToListAsync()).Name);
        Assert.Equal("Company cap", Assert.Single(await management.Policies.ListAsync("production")).Name);
    }

    [Fact]
    public async Task Telemetry()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Builder(emulator);
        builder.Services.AddAiGatewayChatClient(builder.Configuration.GetSection("AiGateway"))
            .UseFunctionInvocation()        // tool calls: execute_tool spans in the same trace
            .UseOpenTelemetry()             // Microsoft's GenAI span and metrics ("Experimental.Microsoft.Extensions.AI")
            .UseAiGatewayFallback();        // each attempt a child span
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource("Experimental.Microsoft.Extensions.AI", AiGatewayTelemetry.SourceName))
            .WithMetrics(m => m.AddMeter("Experimental.Microsoft.Extensions.AI", AiGatewayTelemetry.SourceName));
        var spans = new List<System.Diagnostics.Activity>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans));
        await using var app = builder.Build();
        await app.StartAsync();

        await app.Services.GetRequiredService<IChatClient>().GetResponseAsync("hi");
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        Assert.Contains(spans, s => s.Source.Name == AiGatewayTelemetry.SourceName);
        Assert.Contains(spans, s => s.Source.Name == "Experimental.Microsoft.Extensions.AI");
        await app.StopAsync();
    }

    [Fact]
    public async Task EmulatorInTests()
    {
        var fakeTime = new FakeClock();
        var options = new AiGatewayOptions { AccountId = "test", Provider = "openai", Model = "gpt-4o-mini", ApiKey = "test-key" };

        await using var emulator = await AiGatewayEmulator.StartAsync(new AiGatewayEmulatorOptions { TimeProvider = fakeTime });
        options.Endpoint = emulator.GatewayEndpoint;   // {root}/v1; the control plane is {root}/client/v4

        using var client = new AiGatewayChatClient(options);
        Assert.Equal("The capital of France is Paris.", (await client.GetResponseAsync("What is the capital of France?")).Text);
    }

    [Fact]
    public async Task AspireClient()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(emulator));
        builder.Configuration["ConnectionStrings:gateway"] = $"Endpoint={emulator.GatewayEndpoint};AccountId=local";
        builder.AddAiGatewayChatClient("gateway")          // ConnectionStrings:gateway + the AiGateway section
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .UseAiGatewayFallback();

        builder.AddAiGatewayEmbeddingGenerator("gateway"); // ConnectionStrings:gateway + the AiGatewayEmbeddings section
        using var host = builder.Build();

        Assert.Equal("openai", (await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("hi")).GetGatewayInfo()!.Provider);
        Assert.Single(await host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["hi"]));
    }

    [Theory]
    [InlineData("AddAiGatewayChatClient")]
    [InlineData("AddAiGatewayEmbeddingGenerator")]
    public async Task AspireClient_OneLine(string registration)
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(emulator));
        builder.Configuration["ConnectionStrings:gateway"] = $"Endpoint={emulator.GatewayEndpoint};AccountId=local";
        if (registration == "AddAiGatewayChatClient")
        {
            // the one line each service needs (package AiGateway.Aspire.Client): ConnectionStrings:gateway + the AiGateway section
            builder.AddAiGatewayChatClient("gateway");              // or AddAiGatewayEmbeddingGenerator("gateway")
        }
        else
        {
            builder.AddAiGatewayEmbeddingGenerator("gateway");
        }

        using var host = builder.Build();

        Assert.True(host.Services.GetService<IChatClient>() is not null || host.Services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is not null);
    }

    [Fact]
    public async Task AuthenticationInFrontOfTheWebSample()
    {
        await using var sample = await WebSample.StartAsync(configure: builder =>
        {
            // dotnet add samples/AiGateway.Samples.WebApi package Microsoft.AspNetCore.Authentication.JwtBearer
            builder.Services.AddAuthentication().AddJwtBearer();   // authority and audience from Authentication:Schemes:Bearer
            builder.Services.AddAuthorization(auth => auth.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        });

        using var anonymous = await sample.Http.PostAsJsonAsync("chat", new { message = "hi" });

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AutoRouter()
    {
        await using var emulator = await AiGatewayEmulator.StartAsync();
        var builder = Builder(emulator);
        builder.Configuration["AiGateway:Provider"] = "compat";
        builder.Configuration["AiGateway:Model"] = "cloudflare/auto";
        builder.Services.AddAiGatewayChatClient(builder.Configuration.GetSection("AiGateway")).UseFunctionInvocation();
        await using var app = builder.Build();
        IChatClient chat = app.Services.GetRequiredService<IChatClient>();
        string chatId = "chat-42";
        AIFunction weather = AIFunctionFactory.Create((string city) => $"18 degrees in {city}", "get_weather");
        List<ChatMessage> history = [new(ChatRole.User, "What is the weather in Paris?")];

        var options = new ChatOptions { ConversationId = chatId, Tools = [weather] }     // the session: one model per turn
            .WithGatewayAllowedModels("anthropic/*", "openai/gpt-5.6-sol");               // or AiGateway:AutoRouter:AllowedModels
        ChatResponse r = await chat.GetResponseAsync(history, options);                  // through UseFunctionInvocation()
        Console.WriteLine($"{r.GetGatewayInfo()!.Model} ({r.GetGatewayInfo()!.RoutingReason})");

        Assert.Contains("18 degrees in Paris", r.Text, StringComparison.Ordinal);
        Assert.Equal("pinned_by_turn", r.GetGatewayInfo()!.RoutingReason);
        Assert.True(r.GetGatewayInfo()!.Model.StartsWith("anthropic/", StringComparison.Ordinal) || r.GetGatewayInfo()!.Model == "openai/gpt-5.6-sol");
    }

    private static WebApplicationBuilder Builder(AiGatewayEmulator emulator, string gatewayId = "default")
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(Settings(emulator, gatewayId));
        return builder;
    }

    private static Dictionary<string, string?> Settings(AiGatewayEmulator emulator, string gatewayId = "default") => new()
    {
        ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
        ["AiGateway:AccountId"] = "local",
        ["AiGateway:GatewayId"] = gatewayId,
        ["AiGateway:Provider"] = "openai",
        ["AiGateway:Model"] = "gpt-4o-mini",
        ["AiGateway:ApiKey"] = "test-key",
        ["AiGateway:Fallbacks:0:Provider"] = "groq",
        ["AiGateway:Fallbacks:0:Model"] = "llama-3.3-70b-versatile",
        ["AiGatewayEmbeddings:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
        ["AiGatewayEmbeddings:AccountId"] = "local",
        ["AiGatewayEmbeddings:Provider"] = "openai",
        ["AiGatewayEmbeddings:Model"] = "text-embedding-3-small",
        ["AiGatewayEmbeddings:ApiKey"] = "test-key",
        ["AiGatewayManagement:BaseUrl"] = emulator.ControlPlaneEndpoint.AbsoluteUri,
        ["AiGatewayManagement:AccountId"] = "local",
        ["AiGatewayManagement:ApiToken"] = "test-token",
    };
}
