using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI.Tests.DependencyInjection;

public sealed class RegistrationTests
{
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static async Task<string> StartFailureAsync(IConfiguration configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddAiGatewayChatClient(configuration.GetSection("AiGateway"));
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        return error.Message;
    }

    [Fact]
    public async Task OptionsBindFromJson_AndTheClientSendsWhatTheyDescribe()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
            Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, Fixtures.Text("openai/chat-completion-text.json")));
        var configuration = Json($$"""
            {
              "AiGateway": {
                "Endpoint": "{{server.Root}}v1",
                "AccountId": "acct-json",
                "GatewayId": "prod",
                "Token": "{{TestOptions.Token}}",
                "Provider": "groq",
                "Model": "llama-3.3-70b-versatile",
                "ApiKey": "{{TestOptions.ApiKey}}",
                "Cache": { "Ttl": "00:05:00" },
                "Metadata": { "app": "chat" },
                "RequestTimeout": "00:00:20",
                "Retry": { "MaxAttempts": 2, "Delay": "00:00:01", "Backoff": "Linear" },
                "Fallbacks": [ { "Provider": "openai", "Model": "gpt-4o-mini" } ]
              }
            }
            """);
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(configuration.GetSection("AiGateway"));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();
        await client.GetResponseAsync("Hello");

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/acct-json/prod/groq/chat/completions", request.PathAndQuery);
        Assert.Equal("300", request.Header("cf-aig-cache-ttl"));
        Assert.Equal("""{"app":"chat"}""", request.Header("cf-aig-metadata"));
        Assert.Equal("20000", request.Header("cf-aig-request-timeout"));
        Assert.Equal("linear", request.Header("cf-aig-backoff"));
        Assert.Equal("Bearer " + TestOptions.ApiKey, request.Header("Authorization"));
        var options = provider.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>().CurrentValue;
        Assert.Equal("gpt-4o-mini", Assert.Single(options.Fallbacks).Model);
        Assert.Equal("groq", client.GetService<ChatClientMetadata>()!.ProviderName);
    }

    [Fact]
    public void OptionsBindFromEnvironmentVariables()
    {
        string prefix = "AIGW_TEST_" + Guid.NewGuid().ToString("N")[..8] + "_";
        var variables = new Dictionary<string, string>
        {
            [prefix + "AiGateway__AccountId"] = "acct-env",
            [prefix + "AiGateway__Provider"] = "workers-ai",
            [prefix + "AiGateway__Model"] = "@cf/meta/llama-3.1-8b-instruct",
            [prefix + "AiGateway__Cache__SkipCache"] = "true",
            [prefix + "AiGateway__Fallbacks__0__Provider"] = "openai",
            [prefix + "AiGateway__Fallbacks__0__Model"] = "gpt-4o-mini",
        };
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var services = new ServiceCollection();
            services.AddAiGatewayChatClient(configuration.GetSection("AiGateway"));
            using var provider = services.BuildServiceProvider();

            var options = provider.GetRequiredService<IOptions<AiGatewayOptions>>().Value;

            Assert.Equal("acct-env", options.AccountId);
            Assert.Equal("workers-ai", options.Provider);
            Assert.True(options.Cache!.SkipCache);
            Assert.Equal("openai", options.Fallbacks[0].Provider);
            Assert.Equal("https://gateway.ai.cloudflare.com/v1/acct-env/default/workers-ai/v1/chat/completions",
                AiGatewayEndpoints.GetChatCompletionsUrl(options).AbsoluteUri);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    [Fact]
    public async Task InvalidOptions_FailAtStartNamingEveryBadKey()
    {
        string message = await StartFailureAsync(Json("""
            {
              "AiGateway": {
                "Provider": "opnai",
                "Cache": { "Ttl": "00:00:10" },
                "Metadata": { "a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6" },
                "Retry": { "MaxAttempts": 9, "Delay": "00:00:09" },
                "Fallbacks": [ { "Provider": "compat", "Model": "gpt-4o-mini" } ]
              }
            }
            """));

        Assert.Contains("AiGateway:AccountId is required", message);
        Assert.Contains("AiGateway:Provider 'opnai' is not a provider", message);
        Assert.Contains("AiGateway:Cache:Ttl must be between", message);
        Assert.Contains("AiGateway:Metadata has 6 entries", message);
        Assert.Contains("AiGateway:Retry:MaxAttempts must be between 1 and 5", message);
        Assert.Contains("AiGateway:Retry:Delay must be between", message);
        Assert.Contains("AiGateway:Fallbacks:0:Model 'gpt-4o-mini' must be named {provider}/{model}", message);
    }

    [Fact]
    public async Task AzureWithoutResource_FailsNamingTheAzureKeys()
    {
        string message = await StartFailureAsync(Json("""{ "AiGateway": { "AccountId": "a", "Provider": "azure-openai" } }"""));

        Assert.Contains("AiGateway:Azure:ResourceName is required", message);
        Assert.Contains("AiGateway:Azure:DeploymentName is required", message);
    }

    [Fact]
    public async Task ValidationMessages_NeverEchoSecrets()
    {
        string message = await StartFailureAsync(Json($$"""
            { "AiGateway": { "AccountId": "a", "Provider": "openai", "Model": "m", "ApiKey": "{{TestOptions.ApiKey}}\nX: y", "Token": "{{TestOptions.Token}}\r\n" } }
            """));

        Assert.Contains("AiGateway:ApiKey must be printable ASCII", message);
        Assert.Contains("AiGateway:Token must be printable ASCII", message);
        Assert.DoesNotContain(TestOptions.ApiKey, message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestOptions.Token, message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectConstruction_WithBadOptions_ThrowsArgumentExceptionNamingKeys()
    {
        var error = Assert.Throws<ArgumentException>(() => new AiGatewayChatClient(new AiGatewayOptions { Provider = "openai" }));

        Assert.Contains("AiGateway:AccountId is required", error.Message);
        Assert.Contains("AiGateway:Model is required", error.Message);
    }

    [Fact]
    public async Task KeyedClients_HaveTheirOwnOptionsAndRoutes()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
            Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, Fixtures.Text("openai/chat-completion-text.json")));
        var configuration = Json($$"""
            {
              "Fast": { "Endpoint": "{{server.Root}}v1", "AccountId": "a", "Provider": "groq", "Model": "llama-3.1-8b-instant", "EventId": "fast" },
              "Smart": { "Endpoint": "{{server.Root}}v1", "AccountId": "a", "Provider": "openai", "Model": "gpt-4o", "EventId": "smart" }
            }
            """);
        var services = new ServiceCollection();
        services.AddKeyedAiGatewayChatClient("fast", configuration.GetSection("Fast"));
        services.AddKeyedAiGatewayChatClient("smart", configuration.GetSection("Smart"));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IChatClient>("fast").GetResponseAsync("a");
        await provider.GetRequiredKeyedService<IChatClient>("smart").GetResponseAsync("b");

        var requests = server.Requests.ToArray();
        Assert.Equal("/v1/a/default/groq/chat/completions", requests[0].PathAndQuery);
        Assert.Equal("fast", requests[0].Header("cf-aig-event-id"));
        Assert.Equal("/v1/a/default/openai/chat/completions", requests[1].PathAndQuery);
        Assert.Equal("smart", requests[1].Header("cf-aig-event-id"));
        Assert.Null(provider.GetService<IChatClient>());
    }

    [Fact]
    public async Task KeyedClientValidation_NamesItsOwnSection()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var configuration = Json("""{ "Smart": { "AccountId": "a", "Provider": "openai" } }""");
        builder.Services.AddKeyedAiGatewayChatClient("smart", configuration.GetSection("Smart"));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Smart:Model is required", error.Message);
    }

    [Fact]
    public async Task Builder_AppliesDelegatingClientsOutermostFirst()
    {
        var order = new List<string>();
        var services = new ServiceCollection();
        services.AddAiGatewayChatClient(o => { o.AccountId = "a"; o.Provider = "openai"; o.Model = "m"; })
            .Use(inner => new TracingClient(inner, "outer", order))
            .Use((inner, _) => new TracingClient(inner, "inner", order));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IChatClient>();

        Assert.Equal("outer", Assert.IsType<TracingClient>(client).Name);
        Assert.Equal("inner", Assert.IsType<TracingClient>(((TracingClient)client).Inner).Name);
        Assert.IsType<AiGatewayChatClient>(((TracingClient)((TracingClient)client).Inner).Inner);
        Assert.NotNull(client.GetService<AiGatewayChatClient>());
    }

    [Fact]
    public async Task ConfigureHttpClient_AddsHandlersToTheNamedClient()
    {
        var services = new ServiceCollection();
        var handler = new RecordingHandler(Fixtures.Text("openai/chat-completion-text.json"));
        string? name = null;
        services.AddAiGatewayChatClient(
            o => { o.AccountId = "a"; o.Provider = "openai"; o.Model = "m"; o.ApiKey = TestOptions.ApiKey; },
            http =>
            {
                name = http.Name;
                http.ConfigurePrimaryHttpMessageHandler(() => handler);
            });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IChatClient>().GetResponseAsync("Hi");

        Assert.Equal(AiGatewayServiceCollectionExtensions.HttpClientName, name);
        Assert.Equal("/v1/a/default/openai/chat/completions", handler.SoleRequest.PathAndQuery);
    }

    private sealed class TracingClient(IChatClient inner, string name, List<string> order) : DelegatingChatClient(inner)
    {
        public string Name { get; } = name;

        public IChatClient Inner => InnerClient;

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            order.Add(Name);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
