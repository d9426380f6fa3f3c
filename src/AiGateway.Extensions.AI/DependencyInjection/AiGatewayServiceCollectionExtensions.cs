using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="AiGatewayChatClient"/> as the application's <see cref="IChatClient"/>.</summary>
public static class AiGatewayServiceCollectionExtensions
{
    private const string DefaultSectionPath = "AiGateway";

    /// <summary>
    /// Registers an <see cref="IChatClient"/> that goes through Cloudflare AI Gateway, with options bound from
    /// <paramref name="configuration"/> (usually the <c>AiGateway</c> section) and validated at start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section holding <see cref="AiGatewayOptions"/>.</param>
    /// <returns>A builder to add delegating clients and configure the HTTP client.</returns>
    public static AiGatewayChatClientBuilder AddAiGatewayChatClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey: null, configuration, configure: null);
    }

    /// <summary>Registers an <see cref="IChatClient"/> that goes through Cloudflare AI Gateway, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add delegating clients and configure the HTTP client.</returns>
    public static AiGatewayChatClientBuilder AddAiGatewayChatClient(this IServiceCollection services, Action<AiGatewayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey: null, configuration: null, configure);
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> with its own options, bound from <paramref name="configuration"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key to resolve the client with (<c>[FromKeyedServices("fast")]</c>).</param>
    /// <param name="configuration">The configuration section holding this client's <see cref="AiGatewayOptions"/>.</param>
    /// <returns>A builder to add delegating clients and configure the HTTP client.</returns>
    public static AiGatewayChatClientBuilder AddKeyedAiGatewayChatClient(this IServiceCollection services, object serviceKey, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey, configuration, configure: null);
    }

    /// <summary>Registers a keyed <see cref="IChatClient"/> with its own options, configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key to resolve the client with.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add delegating clients and configure the HTTP client.</returns>
    public static AiGatewayChatClientBuilder AddKeyedAiGatewayChatClient(this IServiceCollection services, object serviceKey, Action<AiGatewayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey, configuration: null, configure);
    }

    private static AiGatewayChatClientBuilder Add(IServiceCollection services, object? serviceKey, IConfiguration? configuration, Action<AiGatewayOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);

        string optionsName = serviceKey is null ? Options.Options.DefaultName : $"AiGateway:{serviceKey}";
        string configurationPath = (configuration as IConfigurationSection)?.Path is { Length: > 0 } path ? path : DefaultSectionPath;

        var optionsBuilder = services.AddOptions<AiGatewayOptions>(optionsName);
        if (configuration is not null)
        {
            optionsBuilder.Bind(configuration);
        }

        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<AiGatewayOptions>>(new NamedOptionsValidator(optionsName, configurationPath));

        string httpClientName = serviceKey is null ? "AiGateway" : $"AiGateway:{serviceKey}";
        var httpClientBuilder = services.AddHttpClient(httpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            // The client lives as long as the chat client; the handler above recycles connections for DNS changes instead.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        var builder = new AiGatewayChatClientBuilder(services, serviceKey, optionsName, httpClientBuilder);
        services.TryAddSingleton(TimeProvider.System);

        IChatClient Create(IServiceProvider provider)
        {
            var inner = new AiGatewayChatClient(
                provider.GetRequiredService<IOptionsMonitor<AiGatewayOptions>>(),
                optionsName,
                configurationPath,
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetService<Microsoft.Extensions.Logging.ILogger<AiGatewayChatClient>>());
            return builder.Build(provider, inner);
        }

        if (serviceKey is null)
        {
            services.AddSingleton(Create);
        }
        else
        {
            services.AddKeyedSingleton(serviceKey, (provider, _) => Create(provider));
        }

        return builder;
    }

    /// <summary>Validates only the options of its own client, naming keys under that client's configuration path.</summary>
    private sealed class NamedOptionsValidator(string optionsName, string configurationPath) : IValidateOptions<AiGatewayOptions>
    {
        public ValidateOptionsResult Validate(string? name, AiGatewayOptions options)
        {
            if (!string.Equals(name, optionsName, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = AiGatewayOptionsValidator.Validate(options, configurationPath);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
