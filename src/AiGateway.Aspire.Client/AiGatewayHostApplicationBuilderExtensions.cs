using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The Aspire client integration: registers a gateway chat client or embedding generator whose gateway comes from
/// <c>ConnectionStrings:{connectionName}</c> (what <c>WithReference(gateway)</c> hands a service), registers the
/// gateway's tracing and metrics with OpenTelemetry, and adds a health check.
/// </summary>
/// <remarks>
/// <para>
/// The connection string is <c>Endpoint=...;AccountId=...;GatewayId=...;Token=...</c> (or a bare endpoint URL); every
/// key is optional. Options are merged as Aspire's integrations merge theirs: the options section first
/// (<c>AiGateway</c> for chat, <c>AiGatewayEmbeddings</c> for embeddings: route, cache, metadata, fallbacks, and any
/// of the four gateway keys), then each key the connection string holds, then <c>configureOptions</c>. The result is
/// validated when the host starts; a connection string of the wrong form fails there too, naming
/// <c>ConnectionStrings:{connectionName}</c> and never showing its value.
/// </para>
/// <para>
/// Tracing registers <see cref="AiGatewayTelemetry.SourceName"/> and Microsoft.Extensions.AI's default source
/// (<c>Experimental.Microsoft.Extensions.AI</c>, which <c>UseOpenTelemetry()</c> opens and the gateway's facts are
/// written onto); metrics register the meters of the same names. The health check, named
/// <c>{HttpClientName}_{connectionName}</c>, asks the gateway endpoint for an answer. Each can be turned off through
/// <see cref="AiGatewayClientSettings"/> (section keys <c>DisableTracing</c>, <c>DisableMetrics</c>,
/// <c>DisableHealthChecks</c>, <c>HealthCheckTimeout</c>). IHttpClientFactory's own request loggers are removed from
/// the gateway's HTTP client: their Trace-level state carries header values, the token among them.
/// </para>
/// </remarks>
public static class AiGatewayHostApplicationBuilderExtensions
{
    /// <summary>The options section the chat client reads, <c>AiGateway</c>.</summary>
    public const string ChatSectionName = "AiGateway";

    /// <summary>The options section the embedding generator reads, <c>AiGatewayEmbeddings</c>.</summary>
    public const string EmbeddingsSectionName = "AiGatewayEmbeddings";

    /// <summary>Microsoft.Extensions.AI's default activity source and meter name, opened by <c>UseOpenTelemetry()</c>.</summary>
    private const string MicrosoftExtensionsAISourceName = "Experimental.Microsoft.Extensions.AI";

    /// <summary>
    /// Registers an <see cref="IChatClient"/> through the gateway named by <c>ConnectionStrings:{connectionName}</c>,
    /// with the rest of its options from the <c>AiGateway</c> section.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionName">The connection string's name: the gateway resource's name in the AppHost.</param>
    /// <param name="configureSettings">Adjusts tracing, metrics and the health check after they are read from the section.</param>
    /// <param name="configureOptions">Adjusts the options after the section and the connection string.</param>
    /// <returns>Microsoft's builder, to add delegating clients outermost first (<c>.UseOpenTelemetry()</c>, <c>.UseAiGatewayFallback()</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionName"/> is empty.</exception>
    public static ChatClientBuilder AddAiGatewayChatClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<AiGatewayClientSettings>? configureSettings = null,
        Action<AiGatewayOptions>? configureOptions = null)
        => Add(
            builder, connectionName, ChatSectionName, Options.Options.DefaultName, AiGatewayServiceCollectionExtensions.HttpClientName,
            static (services, section) => services.AddAiGatewayChatClient(section), configureSettings, configureOptions);

    /// <summary>
    /// Registers an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> through the gateway named by
    /// <c>ConnectionStrings:{connectionName}</c>, with the rest of its options from the <c>AiGatewayEmbeddings</c> section.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="connectionName">The connection string's name: the gateway resource's name in the AppHost.</param>
    /// <param name="configureSettings">Adjusts tracing, metrics and the health check after they are read from the section.</param>
    /// <param name="configureOptions">Adjusts the options after the section and the connection string.</param>
    /// <returns>Microsoft's builder, to add delegating generators outermost first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionName"/> is empty.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddAiGatewayEmbeddingGenerator(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<AiGatewayClientSettings>? configureSettings = null,
        Action<AiGatewayOptions>? configureOptions = null)
        => Add(
            builder, connectionName, EmbeddingsSectionName, AiGatewayEmbeddingServiceCollectionExtensions.HttpClientName, AiGatewayEmbeddingServiceCollectionExtensions.HttpClientName,
            static (services, section) => services.AddAiGatewayEmbeddingGenerator(section), configureSettings, configureOptions);

    /// <summary>Registers the client with the core package's registration, then what the integration adds around it.</summary>
    private static TBuilder Add<TBuilder>(
        IHostApplicationBuilder builder,
        string connectionName,
        string sectionName,
        string optionsName,
        string httpClientName,
        Func<IServiceCollection, IConfigurationSection, TBuilder> register,
        Action<AiGatewayClientSettings>? configureSettings,
        Action<AiGatewayOptions>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);
        var section = builder.Configuration.GetSection(sectionName);
        var clientBuilder = register(builder.Services, section);

        // After the section's binding (registered by the call above): the connection string, then the caller's code.
        var configuration = builder.Configuration;
        builder.Services.Configure<AiGatewayOptions>(optionsName, options =>
        {
            if (configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
            {
                GatewayConnectionString.Apply(connectionString, connectionName, options, optionsName);
            }

            configureOptions?.Invoke(options);
        });
        builder.Services.AddSingleton<IOptionsChangeTokenSource<AiGatewayOptions>>(
            new ConfigurationChangeTokenSource<AiGatewayOptions>(optionsName, configuration.GetSection($"ConnectionStrings:{connectionName}")));

        var settings = new AiGatewayClientSettings();
        section.Bind(settings);
        configureSettings?.Invoke(settings);

        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(AiGatewayTelemetry.SourceName, MicrosoftExtensionsAISourceName));
        }

        if (!settings.DisableMetrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(AiGatewayTelemetry.SourceName, MicrosoftExtensionsAISourceName));
        }

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                $"{httpClientName}_{connectionName}",
                services => new GatewayHealthCheck(
                    services.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName),
                    services.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>(),
                    optionsName),
                failureStatus: null,
                tags: null,
                timeout: settings.HealthCheckTimeout));
        }

        return clientBuilder;
    }
}
