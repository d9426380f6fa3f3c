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

        var earlier = Request.Attempts;
        if (held.Find(u => u.GetGatewayInfo() is not null)?.GetGatewayInfo() is { } info)
        {
            Served(info, span);
        }

        span?.Dispose();
        foreach (var update in held)
        {
            yield return WithAttempts(update, earlier);
        }

        while (more && await updates.MoveNextAsync().ConfigureAwait(false))
        {
            yield return WithAttempts(updates.Current, earlier);
        }
    }

    /// <summary>The serving attempt's facts with the request's earlier attempts, tagged on the attempt's and the request's spans.</summary>
    private AiGatewayResponseInfo Served(AiGatewayResponseInfo info, Activity? span)
    {
        var earlier = Request.Attempts;
        if (earlier.Count > 0)
        {
            info = info with { Attempts = [.. earlier, .. info.Attempts] };
        }

        AttemptSpans.Answered(span, Route.Route, info);
        if (span is not null || namesRoute || earlier.Count > 0)
        {
            // Otherwise the gateway client ran in the request's span itself and tagged it with these very facts.
            GatewayInstruments.TagAnswer(Request.Span, info);
        }

        return info;
    }

    private static ChatResponseUpdate WithAttempts(ChatResponseUpdate update, List<AiGatewayAttempt> earlier)
    {
        if (earlier.Count > 0 && update.GetGatewayInfo() is { } info)
        {
            update.AdditionalProperties![AiGatewayResponseInfo.AdditionalPropertiesKey] = info with { Attempts = [.. earlier, .. info.Attempts] };
        }

        return update;
    }

    /// <summary>Whether an update would show the caller something: text, reasoning, a tool call, any non-text content.</summary>
    private static bool CarriesContent(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            switch (content)
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
