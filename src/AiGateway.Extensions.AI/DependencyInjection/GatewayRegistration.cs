using AiGateway.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What registering a gateway client (chat or embeddings) sets up: named <see cref="AiGatewayOptions"/> bound from
/// configuration (typed values checked first, reloads followed) and validated at start, the clock, and the named
/// <see cref="HttpClient"/>.
/// </summary>
internal static class GatewayRegistration
{
    private const string DefaultSectionPath = "AiGateway";

    public static (string OptionsName, string ConfigurationPath, string HttpClientName) Register(
        IServiceCollection services,
        string optionsName,
        string httpClientName,
        IConfiguration? configuration,
        Action<AiGatewayOptions>? configure,
        Action<IHttpClientBuilder>? configureHttpClient,
        RouteOperation operation)
    {
        string configurationPath = (configuration as IConfigurationSection)?.Path is { Length: > 0 } path ? path : DefaultSectionPath;
        var optionsBuilder = services.AddOptions<AiGatewayOptions>(optionsName);
        if (configuration is not null)
        {
            // Checked before binding: a value of the wrong form fails like any invalid option, naming its key.
            optionsBuilder.Configure(options => AiGatewayConfigurationValues.Bind(configuration, options, configurationPath, optionsName));

            // What Bind() registers too: a reload of the section re-reads the options, so the next request follows it.
            services.AddSingleton<IOptionsChangeTokenSource<AiGatewayOptions>>(new ConfigurationChangeTokenSource<AiGatewayOptions>(optionsName, configuration));
        }

        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<AiGatewayOptions>>(new NamedOptionsValidator(optionsName, configurationPath, operation));
        services.TryAddSingleton(TimeProvider.System);

        var httpClientBuilder = services.AddHttpClient(httpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            // The client lives as long as the gateway client; the handler above recycles connections for DNS changes instead.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // IHttpClientFactory's request loggers keep raw header values (the token, the provider key) in their
            // Trace-level state; this package logs each answer and failure itself, without secrets.
            .RemoveAllLoggers();
        configureHttpClient?.Invoke(httpClientBuilder);
        return (optionsName, configurationPath, httpClientName);
    }

    /// <summary>
    /// Validates only the options of its own client, naming keys under that client's configuration path. Once a
    /// configuration was good, a bad reload is not an options failure (that would throw from
    /// <c>IConfigurationRoot.Reload()</c> and from every request): the client keeps serving its last good routes and
    /// logs the problem once (see <c>RouteTableCache</c>).
    /// </summary>
    private sealed class NamedOptionsValidator(string optionsName, string configurationPath, RouteOperation operation) : IValidateOptions<AiGatewayOptions>
    {
        private volatile bool _validatedOnce;

        public ValidateOptionsResult Validate(string? name, AiGatewayOptions options)
        {
            if (!string.Equals(name, optionsName, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = AiGatewayOptionsValidator.Validate(options, configurationPath, operation);
            if (failures.Count == 0)
            {
                _validatedOnce = true;
                return ValidateOptionsResult.Success;
            }

            return _validatedOnce ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
