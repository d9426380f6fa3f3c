using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>
/// The subset of Cloudflare's AI Gateway REST API the emulator serves at <c>{root}/client/v4</c>: one group behind the
/// token check, each resource mapping its own endpoints, every answer in Cloudflare's envelope.
/// </summary>
internal static class ControlPlaneApi
{
    public const string Root = "/client/v4";

    public static void Map(WebApplication app, EmulatorState state, AccessTokens tokens, TimeProvider time)
    {
        // Unknown paths and methods under the API root answer in the envelope too, as Cloudflare's do (code 7000), so
        // a client reports "No route for that URI" instead of an empty 404.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode is 404 or 405 &&
                context.Request.Path.StartsWithSegments(Root, StringComparison.OrdinalIgnoreCase))
            {
                await Envelope.Error(context.Response.StatusCode, Envelope.NoRoute, "No route for that URI").ExecuteAsync(context);
            }
        });

        var group = app.MapGroup(Root + "/accounts/{account}/ai-gateway");
        group.AddEndpointFilter(async (context, next) =>
            tokens.Accepts(context.HttpContext.Request.Headers.Authorization)
                ? await next(context)
                : Envelope.Error(401, Envelope.AuthenticationError, "Authentication error"));

        GatewayEndpoints.Map(group, state);
        LogEndpoints.Map(group, state);
        EvaluationEndpoints.Map(group, state, time);
        PolicyEndpoints.Map(group, state);
        ProviderConfigEndpoints.Map(group, state);
        DynamicRouteEndpoints.Map(group, state);
    }
}
