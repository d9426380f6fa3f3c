using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers an <see cref="AiGatewayChatClient"/> as the application's <see cref="IChatClient"/> (or a keyed one), with
/// the registration semantics of Microsoft.Extensions.AI's <c>AddChatClient</c> / <c>AddKeyedChatClient</c>: the
/// returned <see cref="ChatClientBuilder"/> adds Microsoft's middleware and this package's, outermost first.
/// </summary>
/// <remarks>
/// Options are bound from configuration, validated when the host starts (each failure names its key), and followed
/// on reload: the next request uses the new route. The HTTP client is the named client
/// <see cref="HttpClientName"/> (<c>AiGateway:{key}</c> for a keyed client) from <c>IHttpClientFactory</c>: add
/// handlers or a proxy through the <c>configureHttpClient</c> parameter, or with
/// <c>services.AddHttpClient(AiGatewayServiceCollectionExtensions.HttpClientName)</c>.
/// </remarks>
public static class AiGatewayServiceCollectionExtensions
{
    /// <summary>The name of the default client's <see cref="HttpClient"/> in <c>IHttpClientFactory</c>, <c>AiGateway</c>.</summary>
    public const string HttpClientName = "AiGateway";

    /// <summary>
    /// Registers an <see cref="IChatClient"/> that goes through Cloudflare AI Gateway, with options bound from
    /// <paramref name="configuration"/> (usually the <c>AiGateway</c> section) and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section holding <see cref="AiGatewayOptions"/>.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the client's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating clients outermost first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddAiGatewayChatClient(this IServiceCollection services, IConfiguration configuration, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey: null, configuration, configure: null, configureHttpClient);
    }

    /// <summary>Registers an <see cref="IChatClient"/> that goes through Cloudflare AI Gateway, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the client's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating clients outermost first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddAiGatewayChatClient(this IServiceCollection services, Action<AiGatewayOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey: null, configuration: null, configure, configureHttpClient);
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> with its own options, bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key to resolve the client with (<c>[FromKeyedServices("fast")]</c>).</param>
    /// <param name="configuration">The configuration section holding this client's <see cref="AiGatewayOptions"/>.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the client's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating clients outermost first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddKeyedAiGatewayChatClient(this IServiceCollection services, object serviceKey, IConfiguration configuration, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey, configuration, configure: null, configureHttpClient);
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> with its own options, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key to resolve the client with.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="configureHttpClient">Adds handlers, a proxy or a primary handler to the client's named <see cref="HttpClient"/>.</param>
    /// <returns>Microsoft's builder, to add delegating clients outermost first.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static ChatClientBuilder AddKeyedAiGatewayChatClient(this IServiceCollection services, object serviceKey, Action<AiGatewayOptions> configure, Action<IHttpClientBuilder>? configureHttpClient = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey, configuration: null, configure, configureHttpClient);
    }

    /// <summary>The <see cref="HttpClient"/> name of the client registered under <paramref name="serviceKey"/>.</summary>
    /// <param name="serviceKey">The service key, or <see langword="null"/> for the default client.</param>
    /// <returns><c>AiGateway</c>, or <c>AiGateway:{serviceKey}</c>.</returns>
    public static string GetHttpClientName(object? serviceKey) => serviceKey is null ? HttpClientName : $"{HttpClientName}:{serviceKey}";

    private static ChatClientBuilder Add(
        IServiceCollection services, object? serviceKey, IConfiguration? configuration, Action<AiGatewayOptions>? configure, Action<IHttpClientBuilder>? configureHttpClient)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registration = GatewayRegistration.Register(
            services, serviceKey is null ? Options.Options.DefaultName : $"AiGateway:{serviceKey}", GetHttpClientName(serviceKey), configuration, configure, configureHttpClient, RouteOperation.Chat);

        IChatClient Create(IServiceProvider provider) => new AiGatewayChatClient(
            provider.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>(),
            registration.OptionsName,
            registration.ConfigurationPath,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(registration.HttpClientName),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<AiGatewayChatClient>>());

        return serviceKey is null
            ? services.AddChatClient(Create)
            : services.AddKeyedChatClient(serviceKey, Create);
    }
}
