using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Composes delegating chat clients around an <see cref="AiGatewayChatClient"/> registered in dependency injection.
/// Calls are ordered outermost first, as in Microsoft.Extensions.AI's <c>ChatClientBuilder</c>: the first
/// <see cref="Use(Func{IChatClient, IChatClient})"/> wraps everything added after it.
/// </summary>
public sealed class AiGatewayChatClientBuilder
{
    private readonly List<Func<IChatClient, IServiceProvider, IChatClient>> _factories = [];

    internal AiGatewayChatClientBuilder(IServiceCollection services, object? serviceKey, string optionsName, IHttpClientBuilder httpClientBuilder)
    {
        Services = services;
        ServiceKey = serviceKey;
        OptionsName = optionsName;
        HttpClientBuilder = httpClientBuilder;
    }

    /// <summary>Gets the service collection the client is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the service key of a keyed client, or <see langword="null"/>.</summary>
    public object? ServiceKey { get; }

    /// <summary>Gets the name of this client's <see cref="AiGatewayOptions"/> (named options).</summary>
    public string OptionsName { get; }

    /// <summary>Gets the builder of the client's <see cref="HttpClient"/>, to add handlers, a proxy or resilience.</summary>
    public IHttpClientBuilder HttpClientBuilder { get; }

    /// <summary>Adds a delegating client inside those added before it.</summary>
    /// <param name="clientFactory">Wraps the inner client.</param>
    /// <returns>This builder.</returns>
    public AiGatewayChatClientBuilder Use(Func<IChatClient, IChatClient> clientFactory)
    {
        ArgumentNullException.ThrowIfNull(clientFactory);
        return Use((inner, _) => clientFactory(inner));
    }

    /// <summary>Adds a delegating client inside those added before it, with access to the services.</summary>
    /// <param name="clientFactory">Wraps the inner client.</param>
    /// <returns>This builder.</returns>
    public AiGatewayChatClientBuilder Use(Func<IChatClient, IServiceProvider, IChatClient> clientFactory)
    {
        ArgumentNullException.ThrowIfNull(clientFactory);
        _factories.Add(clientFactory);
        return this;
    }

    internal IChatClient Build(IServiceProvider services, IChatClient innerClient)
    {
        IChatClient client = innerClient;
        for (int i = _factories.Count - 1; i >= 0; i--)
        {
            client = _factories[i](client, services) ?? throw new InvalidOperationException(
                $"A client factory passed to {nameof(AiGatewayChatClientBuilder)}.{nameof(Use)} returned null.");
        }

        return client;
    }
}
