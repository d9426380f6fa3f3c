using AiGateway.Extensions.AI.Management;
using AiGateway.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="AiGatewayManagementClient"/> (with its stored keys, dynamic routes, policies, custom providers
/// and billing clients), <see cref="AiGatewayLogsClient"/>, and the ensure-on-start service with the gateway definitions it ensures.
/// </summary>
public static class AiGatewayManagementServiceCollectionExtensions
{
    /// <summary>
    /// Registers the management and logs clients with options bound from <paramref name="configuration"/> (usually the
    /// <c>AiGatewayManagement</c> section) and validated at start, over <c>IHttpClientFactory</c>; with
    /// <c>EnsureOnStart</c>, the configured gateways are ensured when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The HTTP client builder, to add handlers.</returns>
    public static IHttpClientBuilder AddAiGatewayManagement(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        string path = (configuration as IConfigurationSection)?.Path is { Length: > 0 } p ? p : "AiGatewayManagement";
        services.AddOptions<AiGatewayManagementOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AiGatewayManagementOptions>>(new ManagementOptionsValidator(path));
        services.TryAddSingleton(TimeProvider.System);

        const string name = "AiGatewayManagement";
        // Without IHttpClientFactory's request loggers: their Trace-level state keeps the API token's header value.
        var http = services.AddHttpClient(name).RemoveAllLoggers();
        services.AddSingleton(sp => new AiGatewayManagementClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(name), sp.GetRequiredService<IOptions<AiGatewayManagementOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<AiGatewayManagementClient>().StoredKeys);
        services.AddSingleton(sp => sp.GetRequiredService<AiGatewayManagementClient>().DynamicRoutes);
        services.AddSingleton(sp => sp.GetRequiredService<AiGatewayManagementClient>().Policies);
        services.AddSingleton(sp => sp.GetRequiredService<AiGatewayManagementClient>().CustomProviders);
        services.AddSingleton(sp => sp.GetRequiredService<AiGatewayManagementClient>().Billing);
        services.AddSingleton(sp => new AiGatewayLogsClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(name), sp.GetRequiredService<IOptions<AiGatewayManagementOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<AiGatewayEnsureHostedService>();
        return http;
    }

    /// <summary>
    /// States a whole gateway (settings, stored keys, dynamic routes, policies) to be ensured when the host starts, with
    /// <see cref="AiGatewayManagementClient.EnsureAsync"/>; call <see cref="AddAiGatewayManagement"/> too. Ensuring is
    /// idempotent: a start that finds the gateway as stated changes nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="definition">The gateway as it should be.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentException">The gateway id is missing.</exception>
    public static IServiceCollection AddAiGatewayDefinition(this IServiceCollection services, string gatewayId, AiGatewayDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        ArgumentNullException.ThrowIfNull(definition);
        services.AddSingleton(new AiGatewayDefinitionRegistration(gatewayId, definition));
        return services;
    }

    private sealed class ManagementOptionsValidator(string path) : IValidateOptions<AiGatewayManagementOptions>
    {
        public ValidateOptionsResult Validate(string? name, AiGatewayManagementOptions options)
        {
            var failures = new List<string>();
            if (string.IsNullOrWhiteSpace(options.AccountId))
            {
                failures.Add($"{path}:AccountId is required: your Cloudflare account id.");
            }

            if (string.IsNullOrWhiteSpace(options.ApiToken))
            {
                failures.Add($"{path}:ApiToken is required: a Cloudflare API token with AI Gateway Read and Edit.");
            }
            else if (GatewayValueRules.CheckHeaderValue(options.ApiToken) is { } problem)
            {
                failures.Add($"{path}:ApiToken {problem}");
            }

            if (options.BaseUrl is null || !options.BaseUrl.IsAbsoluteUri)
            {
                failures.Add($"{path}:BaseUrl must be an absolute URL.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
