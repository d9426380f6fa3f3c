using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using Aspire.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AiGateway.Aspire.Tests;

/// <summary>
/// The client integration as a service uses it: <c>builder.AddAiGatewayChatClient("gateway")</c> with
/// <c>ConnectionStrings:gateway</c>, against the emulator on loopback.
/// </summary>
public sealed class ClientIntegrationTests : IAsyncLifetime
{
    private const string Token = "cf-aig-token-never-to-be-seen-9c41";
    private const string Question = "What is the capital of France?";
    private AiGatewayEmulator _emulator = null!;

    public async ValueTask InitializeAsync() => _emulator = await AiGatewayEmulator.StartAsync();

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    private string ConnectionString => $"Endpoint={_emulator.GatewayEndpoint};AccountId=local;GatewayId=default;Token={Token}";

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        return builder;
    }

    /// <summary>A chat route in <c>AiGateway</c>, an embeddings route in <c>AiGatewayEmbeddings</c>, the gateway in the connection string.</summary>
    private Dictionary<string, string?> Settings(string model, string? connectionString = null) => new()
    {
        ["ConnectionStrings:gateway"] = connectionString ?? ConnectionString,
        ["AiGateway:Provider"] = "openai",
        ["AiGateway:Model"] = model,
        ["AiGateway:ApiKey"] = "provider-key",
        ["AiGateway:Cache:Ttl"] = "00:05:00",
        ["AiGatewayEmbeddings:Provider"] = "openai",
        ["AiGatewayEmbeddings:Model"] = "text-embedding-3-small",
        ["AiGatewayEmbeddings:ApiKey"] = "provider-key",
    };

    private static string UniqueModel() => "gpt-aspire-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public void TheConnectionString_OverridesTheSection_AndCodeOverridesBoth()
    {
        var settings = Settings("gpt-4o-mini", "Endpoint=http://127.0.0.1:9/v1;AccountId=from-connection;Token=" + Token);
        settings["AiGateway:Endpoint"] = "http://section.invalid/v1";
        settings["AiGateway:AccountId"] = "from-section";
        settings["AiGateway:GatewayId"] = "from-section";
        var builder = Builder(settings);
        builder.AddAiGatewayChatClient("gateway", configureOptions: o => o.GatewayId = "from-code");
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>().Get(Options.DefaultName);
        Assert.Equal(new Uri("http://127.0.0.1:9/v1"), options.Endpoint);
        Assert.Equal("from-connection", options.AccountId);
        Assert.Equal("from-code", options.GatewayId);
        Assert.Equal(Token, options.Token);
        Assert.Equal("gpt-4o-mini", options.Model);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Cache?.Ttl);
    }

    [Fact]
    public async Task TheRealGatewaysConnectionString_FromTheHostingPackage_ReadsBackKeyForKey()
    {
        var app = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { DisableDashboard = true });
        app.Configuration["Parameters:account"] = "0123456789abcdef";
        app.Configuration["Parameters:gateway-id"] = "production";
        app.Configuration["Parameters:token"] = Token;
        var gateway = app.AddAiGateway("gateway", app.AddParameter("account"), app.AddParameter("gateway-id"), app.AddParameter("token", secret: true));
        string? connectionString = await gateway.Resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        var builder = Builder(Settings("gpt-4o-mini", connectionString));
        builder.AddAiGatewayChatClient("gateway");
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>().Get(Options.DefaultName);
        Assert.Equal(AiGatewayOptions.DefaultEndpoint, options.Endpoint);
        Assert.Equal(("0123456789abcdef", "production", Token), (options.AccountId, options.GatewayId, options.Token));
    }

    [Fact]
    public async Task ChatAndEmbeddings_GoThroughTheGatewayOfTheConnectionString_AndNoLogShowsTheToken()
    {
        var builder = Builder(Settings(UniqueModel()));
        builder.AddAiGatewayChatClient("gateway").UseLogging();
        builder.AddAiGatewayEmbeddingGenerator("gateway");
        using var host = builder.Build();
        await host.StartAsync();

        var chat = host.Services.GetRequiredService<IChatClient>();
        var first = await chat.GetResponseAsync(Question);
        var second = await chat.GetResponseAsync(Question);
        var embeddings = await host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["Paris"]);

        Assert.Equal("The capital of France is Paris.", first.Text);
        Assert.Equal((AiGatewayCacheStatus.Miss, AiGatewayCacheStatus.Hit), (first.GetGatewayInfo()!.CacheStatus, second.GetGatewayInfo()!.CacheStatus));
        Assert.NotEmpty(Assert.Single(embeddings).Vector.ToArray());
        Assert.NotNull(_emulator.State.GetLog("default", first.GetGatewayInfo()!.LogId!));

        // Everything at Trace, structured state included: IHttpClientFactory's header logs carry raw values in their state.
        var logs = host.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, record => record.Category?.StartsWith("Microsoft.Extensions.AI", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(logs, record => record.Message.Contains(Token, StringComparison.Ordinal)
            || record.StructuredState?.Any(pair => pair.Value?.Contains(Token, StringComparison.Ordinal) == true) == true);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Endpoint=http://127.0.0.1:9/v1;Tokn=" + Token, "ConnectionStrings:gateway has an unknown key 'tokn'")]
    [InlineData("Token=" + Token + ";Endpoint", "ConnectionStrings:gateway must have the form Endpoint=...;AccountId=...;GatewayId=...;Token=...")]
    [InlineData("Endpoint=gateway/v1;Token=" + Token, "ConnectionStrings:gateway: Endpoint must be an absolute http(s) URL")]
    public async Task AConnectionStringOfTheWrongForm_FailsAtStart_NamingIt_WithoutItsToken(string connectionString, string expected)
    {
        var builder = Builder(Settings("gpt-4o-mini", connectionString));
        builder.AddAiGatewayChatClient("gateway");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Message.Contains(Token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheGatewaysSpansAndMetrics_ReachOpenTelemetry_UnlessDisabled(bool disabled)
    {
        string model = UniqueModel();
        List<Activity> spans = [];
        List<Metric> metrics = [];
        var builder = Builder(Settings(model));
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddInMemoryExporter(metrics));
        builder.AddAiGatewayChatClient("gateway", settings => settings.DisableTracing = settings.DisableMetrics = disabled).UseOpenTelemetry();
        using var host = builder.Build();
        await host.StartAsync();

        await host.Services.GetRequiredService<IChatClient>().GetResponseAsync(Question);
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var chatSpans = spans.Where(s => s.Source.Name == "Experimental.Microsoft.Extensions.AI" && Equals(s.GetTagItem("gen_ai.request.model"), model)).ToList();
        if (disabled)
        {
            Assert.Empty(chatSpans);
            Assert.DoesNotContain(metrics, m => m.MeterName == AiGatewayTelemetry.SourceName);
        }
        else
        {
            Assert.Equal("miss", Assert.Single(chatSpans).GetTagItem(AiGatewayTelemetry.Attributes.CacheStatus));
            Assert.Contains(metrics, m => m.MeterName == AiGatewayTelemetry.SourceName && m.Name == AiGatewayTelemetry.Metrics.CacheLookups);
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task TheHealthCheck_IsHealthyWhileTheGatewayAnswers_AndUnhealthyWhenNothingListens()
    {
        var builder = Builder(Settings("gpt-4o-mini"));
        builder.AddAiGatewayChatClient("gateway");
        builder.AddAiGatewayEmbeddingGenerator("gateway");
        using var healthy = builder.Build();
        var report = await healthy.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["AiGateway_gateway"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["AiGateway.Embeddings_gateway"].Status);

        // A port that was just free and is closed again: the connection is refused at once.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var down = Builder(Settings("gpt-4o-mini", $"Endpoint=http://127.0.0.1:{port}/v1;AccountId=local;Token={Token}"));
        down.AddAiGatewayChatClient("gateway", settings => settings.HealthCheckTimeout = TimeSpan.FromSeconds(30));
        using var unhealthy = down.Build();
        var entry = (await unhealthy.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["AiGateway_gateway"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains($"127.0.0.1:{port} did not answer", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHealthCheck_CanBeLeftOut_FromTheSection()
    {
        var settings = Settings("gpt-4o-mini");
        settings["AiGateway:DisableHealthChecks"] = "true";
        var builder = Builder(settings);
        builder.AddAiGatewayChatClient("gateway");
        using var host = builder.Build();

        Assert.Empty(host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations);
    }
}
