using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Options that pin one request to one route: the fallback client sends each attempt with these, and the gateway
/// client uses the pinned route's transport. A copy of the caller's options (the caller's object is never changed);
/// clones stay pinned, so delegating clients in between may clone freely.
/// </summary>
internal sealed class RoutePinnedChatOptions : ChatOptions
{
    public RoutePinnedChatOptions(ChatOptions? source, RouteTransport transport)
        : base(source)
    {
        Transport = transport;
    }

    public RouteTransport Transport { get; }

    public override ChatOptions Clone() => new RoutePinnedChatOptions(this, Transport);
}
