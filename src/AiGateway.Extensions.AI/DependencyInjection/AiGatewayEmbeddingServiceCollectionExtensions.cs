using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers an <see cref="AiGatewayEmbeddingGenerator"/> as the application's
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (or a keyed one), with the registration semantics of
/// Microsoft.Extensions.AI's <c>AddEmbeddingGenerator</c>: the returned builder adds <c>UseOpenTelemetry()</c>,
/// <c>UseDistributedCache()</c>, <c>UseLogging()</c>, outermost first.
/// </summary>
/// <remarks>
/// Options have the chat client's shape (usually their own section, for example <c>AiGatewayEmbeddings</c>), are
/// validated at start for embeddings (a provider with an embeddings route; fallbacks of the same model only) and
/// followed on reload. The HTTP client is the named client <see cref="HttpClientName"/> (<c>AiGateway.Embeddings:{key}</c>
/// for a keyed generator).
/// </remarks>
public static class AiGatewayEmbeddingServiceCollectionExtensions
{
    /// <summary>The name of the default generator's <see cref="HttpClient"/> in <c>IHttpClientFactory</c>, <c>AiGateway.Embeddings</c>.</summary>
    public const string HttpClientName = "AiGateway.Embeddings";

    /// <summary>Registers an embedding generator through Cloudflare AI Gateway, with options bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section holding its <see cref="AiGatewayOptions"/>.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the generator's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating generators outermost first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddAiGatewayEmbeddingGenerator(
        this IServiceCollection services, IConfiguration configuration, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey: null, configuration, configure: null, configureHttpClient);
    }

    /// <summary>Registers an embedding generator through Cloudflare AI Gateway, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the generator's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating generators outermost first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddAiGatewayEmbeddingGenerator(
        this IServiceCollection services, Action<AiGatewayOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey: null, configuration: null, configure, configureHttpClient);
    }

    /// <summary>Registers a keyed embedding generator with its own options, bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key to resolve the generator with.</param>
    /// <param name="configuration">The configuration section holding its <see cref="AiGatewayOptions"/>.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the generator's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating generators outermost first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedAiGatewayEmbeddingGenerator(
        this IServiceCollection services, object serviceKey, IConfiguration configuration, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey, configuration, configure: null, configureHttpClient);
    }

    /// <summary>Registers a keyed embedding generator with its own options, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key to resolve the generator with.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the generator's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating generators outermost first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddKeyedAiGatewayEmbeddingGenerator(
        this IServiceCollection services, object serviceKey, Action<AiGatewayOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey, configuration: null, configure, configureHttpClient);
    }

    private static EmbeddingGeneratorBuilder<string, Embedding<float>> Add(
        IServiceCollection services, object? serviceKey, IConfiguration? configuration, Action<AiGatewayOptions>? configure, Action<IHttpClientBuilder>? configureHttpClient)
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = serviceKey is null ? HttpClientName : $"{HttpClientName}:{serviceKey}";
        var registration = GatewayRegistration.Register(services, name, name, configuration, configure, configureHttpClient, RouteOperation.Embeddings);

        IEmbeddingGenerator<string, Embedding<float>> Create(IServiceProvider provider) => new AiGatewayEmbeddingGenerator(
            provider.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>(),
            registration.OptionsName,
            registration.ConfigurationPath,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<AiGatewayEmbeddingGenerator>>());

        return serviceKey is null
            ? services.AddEmbeddingGenerator(Create)
            : services.AddKeyedEmbeddingGenerator(serviceKey, Create);
    }
}
