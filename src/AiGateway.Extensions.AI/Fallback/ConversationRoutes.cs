using Microsoft.Extensions.AI;

namespace AiGateway.Extensions.AI;

/// <summary>
/// A request that continues a conversation (<see cref="ChatOptions.ConversationId"/>: a Responses API response id or
/// conversation, an Auto Router session) names something one provider keeps behind one API. Only routes of the
/// primary's provider and API (and kind of route: Auto Router or not) can continue it: the fallback never carries the id
/// to another, where it would mean nothing (or worse, something else).
/// </summary>
internal static class ConversationRoutes
{
    /// <summary>The routes a request may take: all of them, or for a conversation only those that can continue it.</summary>
    public static IReadOnlyList<AiGatewayRouteInfo> For(IReadOnlyList<AiGatewayRouteInfo> routes, ChatOptions? options)
    {
        if (string.IsNullOrEmpty(options?.ConversationId))
        {
            return routes;
        }

        return WhereConversationContinues(routes, routes[0].Route);
    }

    // Its own method: the lambda's capture would otherwise be allocated on entry to For, on every request.
    private static AiGatewayRouteInfo[] WhereConversationContinues(IReadOnlyList<AiGatewayRouteInfo> routes, AiGatewayRoute primary) =>
        [.. routes.Where(route => route.Route.Format == primary.Format && route.Route.Provider == primary.Provider &&
            (route.Route.Settings.AutoRouter is null) == (primary.Settings.AutoRouter is null))];
}
