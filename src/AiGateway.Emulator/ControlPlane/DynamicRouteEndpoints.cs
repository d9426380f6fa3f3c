using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>
/// <c>/gateways/{id}/routes</c>, dynamic routes with <c>/versions</c> and <c>/deployments</c> (cloudflare-typescript
/// <c>dynamic-routing.ts</c>). Lists answer in <c>data</c> and a rename in <c>route</c>, as the client reads them; the
/// rest in <c>result</c>.
/// </summary>
internal static class DynamicRouteEndpoints
{
    public static void Map(RouteGroupBuilder group, EmulatorState state)
    {
        const string Routes = "/gateways/{id}/routes";
        const string Route = Routes + "/{routeId}";
        group.MapGet(Routes, (string id, HttpRequest request) => Within(state, id, routes =>
        {
            var all = routes.List();
            int page = Query(request, "page", 1);
            int perPage = Math.Min(Query(request, "per_page", 20), 50);
            return Envelope.OkIn("data", new JsonObject
            {
                ["order_by"] = "created_at",
                ["order_by_direction"] = "asc",
                ["page"] = page,
                ["per_page"] = perPage,
                ["routes"] = new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage)]),
            });
        }));
        group.MapPost(Routes, async (string id, HttpRequest request) =>
        {
            var body = await Envelope.ReadObjectAsync(request);
            return Within(state, id, routes => Checked(() => Envelope.Ok(routes.Create(EmulatorJson.Text(body, "name"), body?["elements"]))));
        });
        group.MapGet(Route, (string id, string routeId) => Within(state, id, routes =>
            routes.Get(routeId) is { } route ? Envelope.Ok(route) : Envelope.NotFound("route", routeId)));
        group.MapPatch(Route, async (string id, string routeId, HttpRequest request) =>
        {
            var body = await Envelope.ReadObjectAsync(request);
            return Within(state, id, routes => Checked(() =>
                routes.Rename(routeId, EmulatorJson.Text(body, "name")) is { } route ? Envelope.OkIn("route", route) : Envelope.NotFound("route", routeId)));
        });
        group.MapDelete(Route, (string id, string routeId) => Within(state, id, routes =>
            routes.Delete(routeId) is { } route ? Envelope.Ok(route) : Envelope.NotFound("route", routeId)));

        group.MapPost(Route + "/versions", async (string id, string routeId, HttpRequest request) =>
        {
            var body = await Envelope.ReadObjectAsync(request);
            return Within(state, id, routes => Checked(() =>
                routes.CreateVersion(routeId, body?["elements"]) is { } route ? Envelope.Ok(route) : Envelope.NotFound("route", routeId)));
        });
        group.MapGet(Route + "/versions", (string id, string routeId) => Within(state, id, routes =>
            routes.Versions(routeId) is { } versions ? Envelope.OkIn("data", Listing("versions", versions)) : Envelope.NotFound("route", routeId)));
        group.MapGet(Route + "/versions/{versionId}", (string id, string routeId, string versionId) => Within(state, id, routes =>
            routes.GetVersion(routeId, versionId) is { } version ? Envelope.Ok(version) : Envelope.NotFound("route version", versionId)));

        group.MapPost(Route + "/deployments", async (string id, string routeId, HttpRequest request) =>
        {
            var body = await Envelope.ReadObjectAsync(request);
            return Within(state, id, routes => Checked(() =>
                routes.Deploy(routeId, EmulatorJson.Text(body, "version_id")) is { } route ? Envelope.Ok(route) : Envelope.NotFound("route", routeId)));
        });
        group.MapGet(Route + "/deployments", (string id, string routeId) => Within(state, id, routes =>
            routes.Deployments(routeId) is { } deployments ? Envelope.OkIn("data", Listing("deployments", deployments)) : Envelope.NotFound("route", routeId)));
    }

    private static JsonObject Listing(string member, IReadOnlyList<JsonObject> items) => new()
    {
        [member] = new JsonArray([.. items]),
        ["order_by"] = "created_at",
        ["order_by_direction"] = "desc",
        ["page"] = 1,
        ["per_page"] = items.Count,
    };

    private static IResult Checked(Func<IResult> act)
    {
        try
        {
            return act();
        }
        catch (FormatException e)
        {
            return Envelope.Invalid("Invalid route: " + e.Message);
        }
    }

    private static IResult Within(EmulatorState state, string gatewayId, Func<DynamicRouteStore, IResult> act) =>
        state.GetGateway(gatewayId) is null ? Envelope.NotFound("gateway", gatewayId) : act(state.Routes(gatewayId));

    private static int Query(HttpRequest request, string name, int fallback) =>
        int.TryParse(request.Query[name], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0 ? n : fallback;
}
