using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// One route as <see cref="AiGatewayFallbackChatClient"/>'s failover base sees it: sends through the route's own client,
/// or through the middleware inside the fallback with the route named in the request's options
/// (<paramref name="namesRoute"/>), in a child span of its own. The serving attempt's facts
/// gain the request's earlier attempts and go onto the request's span. A stream holds back leading updates without
/// content, so a failure before any content can still move on to the next route.
/// </summary>
internal sealed class AttemptClient(IChatClient inner, AiGatewayRouteInfo route, FallbackRequest request, bool namesRoute) : DelegatingChatClient(inner)
{
    public AiGatewayRouteInfo Route { get; } = route;

    public FallbackRequest Request { get; } = request;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = ForRoute(options);
        using var span = AttemptSpans.Start(Route.Route);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            if (response.GetGatewayInfo() is { } info && Served(info, span) is var served && !ReferenceEquals(served, info))
            {
                // Earlier attempts of the request join the serving one's.
                (response.AdditionalProperties ??= [])[AiGatewayResponseInfo.AdditionalPropertiesKey] = served;
            }

            return response;
        }
        catch (Exception e)
        {
            AttemptSpans.Failed(span, Route.Route, e);
            throw;
        }
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        new AttemptStream(this, messages, options, cancellationToken);

    private ChatOptions? ForRoute(ChatOptions? options) => namesRoute ? Route.ChatRoute.Select(options) : options;

    /// <summary>The serving attempt's facts with the request's earlier attempts, tagged on the attempt's and the request's spans.</summary>
    private AiGatewayResponseInfo Served(AiGatewayResponseInfo info, Activity? span)
    {
        bool fellBack = Request.Attempts.Count > 0;
        info = info.AfterAttempts(Request.Attempts);
        AttemptSpans.Answered(span, Route.Route, info);
        if (span is not null || namesRoute || fellBack)
        {
            // Otherwise the gateway client ran in the request's span itself and tagged it with these very facts.
            GatewayInstruments.TagAnswer(Request.Span, info);
        }

        return info;
    }

    private static AiGatewayResponseInfo? FirstFacts(List<ChatResponseUpdate> updates)
    {
        for (int i = 0; i < updates.Count; i++)
        {
            if (updates[i].GetGatewayInfo() is { } info)
            {
                return info;
            }
        }

        return null;
    }

    /// <summary>An update whose facts gain the request's earlier attempts: the served facts where they are the answer's, merged where middleware made others.</summary>
    private ChatResponseUpdate WithEarlierAttempts(ChatResponseUpdate update, AiGatewayResponseInfo? answered, AiGatewayResponseInfo? served)
    {
        if (!ReferenceEquals(answered, served) && update.GetGatewayInfo() is { } info)
        {
            update.AdditionalProperties![AiGatewayResponseInfo.AdditionalPropertiesKey] = ReferenceEquals(info, answered) ? served : info.AfterAttempts(Request.Attempts);
        }

        return update;
    }

    /// <summary>Whether an update would show the caller something: text, reasoning, a tool call, any non-text content.</summary>
    private static bool CarriesContent(ChatResponseUpdate update)
    {
        // Indexed: a foreach over the IList would box its enumerator on every update held.
        var contents = update.Contents;
        for (int i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
            {
                case TextContent text when string.IsNullOrEmpty(text.Text):
                case TextReasoningContent reasoning when string.IsNullOrEmpty(reasoning.Text) && reasoning.ProtectedData is null:
                case UsageContent:
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An attempt's stream: the first <c>MoveNextAsync</c> sends the request in the attempt's span and holds back the
    /// leading updates without content (nothing is committed until content shows); the held updates are then handed
    /// on, and every later one passes straight from the route's stream, without an iterator of its own per update.
    /// </summary>
    private sealed class AttemptStream(AttemptClient owner, IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken given)
        : UpdateStream(given)
    {
        private List<ChatResponseUpdate>? _held;
        private int _handedOn;
        private bool _more;
        private AiGatewayResponseInfo? _answered;
        private AiGatewayResponseInfo? _served;

        public override ValueTask<bool> MoveNextAsync() =>
            _held is null ? HoldAsync()
            : _handedOn < _held.Count ? new(HandOn(_held[_handedOn++]))
            : _more ? NextFromInner()
            : new(false);

        protected override UpdateStream Again() => new AttemptStream(owner, messages, options, Given);

        protected override bool Took(bool more)
        {
            _more = more;
            return more && HandOn(Inner!.Current);
        }

        /// <summary>Sends the request and holds back what comes before the first content (or the end), then hands on the first.</summary>
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<bool> HoldAsync()
        {
            var span = AttemptSpans.Start(owner.Route.Route);
            var held = new List<ChatResponseUpdate>();
            try
            {
                Inner = owner.InnerClient.GetStreamingResponseAsync(messages, owner.ForRoute(options), CancellationToken).GetAsyncEnumerator(CancellationToken);
                while ((_more = await Inner.MoveNextAsync().ConfigureAwait(false)) && !CarriesContent(Inner.Current))
                {
                    held.Add(Inner.Current);
                }
            }
            catch (Exception e)
            {
                AttemptSpans.Failed(span, owner.Route.Route, e);
                span?.Dispose();
                throw;
            }

            if (_more)
            {
                held.Add(Inner.Current);
            }

            // The gateway client puts the same facts on the first update and on those that close the answer.
            _answered = FirstFacts(held);
            _served = _answered is null ? null : owner.Served(_answered, span);
            span?.Dispose();
            _held = held;
            return held.Count > 0 && HandOn(held[_handedOn++]);
        }

        private bool HandOn(ChatResponseUpdate update)
        {
            Current = owner.WithEarlierAttempts(update, _answered, _served);
            return true;
        }
    }
}
