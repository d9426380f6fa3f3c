using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>An <see cref="IChatClient"/> for one route of a snapshot: the gateway client's request path, on this route only.</summary>
internal sealed class RouteChatClient(AiGatewayChatClient owner, ChatRoute route) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new(route.Route.OpenTelemetryProviderName, route.Route.Url, route.Route.Model);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return owner.GetResponseAsync(route, messages, options, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return owner.GetStreamingResponseAsync(route, messages, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The route belongs to the gateway client.
    }

    public override string ToString() => route.Route.ToString();
}
