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
        options = namesRoute ? Route.ChatRoute.Select(options) : options;
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

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options = namesRoute ? Route.ChatRoute.Select(options) : options;
        var span = AttemptSpans.Start(Route.Route);
        var held = new List<ChatResponseUpdate>();
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool more;
        try
        {
            // Nothing reaches the caller (so nothing is committed) until an update with content does, or the stream ends.
            while ((more = await updates.MoveNextAsync().ConfigureAwait(false)) && !CarriesContent(updates.Current))
            {
                held.Add(updates.Current);
            }
        }
        catch (Exception e)
        {
            AttemptSpans.Failed(span, Route.Route, e);
            span?.Dispose();
            throw;
        }

        if (more)
        {
            held.Add(updates.Current);
        }

        // The gateway client puts the same facts on the first update and on those that close the answer.
        var answered = FirstFacts(held);
        var served = answered is null ? null : Served(answered, span);
        span?.Dispose();
        foreach (var update in held)
        {
            yield return WithEarlierAttempts(update, answered, served);
        }

        while (more && await updates.MoveNextAsync().ConfigureAwait(false))
        {
            yield return WithEarlierAttempts(updates.Current, answered, served);
        }
    }

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
}
