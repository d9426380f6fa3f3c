namespace AiGateway.Extensions.AI;

/// <summary>Validates <c>AiGateway:AutoRouter</c>: its lists as the headers take them, and that some route uses Auto Router at all.</summary>
internal static class AutoRouterValidation
{
    public static void Validate(AiGatewayOptions options, Action<string, string> fail)
    {
        if (options.AutoRouter is not { } autoRouter)
        {
            return;
        }

        Check(autoRouter.AllowedModels, "AutoRouter:AllowedModels", model: true, fail);
        Check(autoRouter.AllowedProviders, "AutoRouter:AllowedProviders", model: false, fail);
        bool configured = autoRouter.AllowedModels.Count > 0 || autoRouter.AllowedProviders.Count > 0 || autoRouter.NoSessionAffinity is not null;
        if (configured && !IsAutoRoute(options) && !options.Fallbacks.Any(f => f is not null && IsAutoRoute(RouteTable.Inherit(options, f))))
        {
            fail("AutoRouter", $"applies only to a route with Provider compat and Model {AiGatewayAutoRouterOptions.Model}, and no route has them: set Model (or a fallback's) to {AiGatewayAutoRouterOptions.Model} on provider compat, or remove the AutoRouter settings.");
        }
    }

    private static bool IsAutoRoute(AiGatewayRouteOptions route) =>
        route.Provider is not null && route.Model is not null && AutoRouterSettings.IsAutoRouter(route.Provider, route.Model);

    private static void Check(IList<string> entries, string key, bool model, Action<string, string> fail)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            if (AutoRouterValueRules.CheckEntry(entries[i], model) is { } problem)
            {
                fail($"{key}:{i}", problem);
            }
        }
    }
}
