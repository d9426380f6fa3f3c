using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using static AiGateway.Extensions.AI.Management.CloudflareApiTransport;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A gateway's dynamic routes, their versions and deployments (<c>/gateways/{id}/routes</c>; cloudflare-typescript
/// <c>src/resources/ai-gateway/dynamic-routing.ts</c>), and <see cref="EnsureAsync"/>, which converges a route on a
/// graph. Get one from <see cref="AiGatewayManagementClient.DynamicRoutes"/>.
/// </summary>
public sealed class AiGatewayDynamicRoutesClient
{
    private const int PerPage = 50;
    private readonly CloudflareApiTransport _api;

    internal AiGatewayDynamicRoutesClient(CloudflareApiTransport api) => _api = api;

    /// <summary>Creates a route; its first version is made and deployed with it.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="name">The route's name (requests use <c>dynamic/{name}</c>).</param>
    /// <param name="elements">The graph.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The route.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayDynamicRoute> CreateAsync(string gatewayId, string name, IReadOnlyList<AiGatewayDynamicRouteElement> elements, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var body = new JsonObject { ["name"] = name, ["elements"] = Graph(elements) };
        return _api.SendAsync(HttpMethod.Post, Routes(gatewayId), body.ToJsonString(), AdminJsonContext.Default.AiGatewayDynamicRoute, cancellationToken);
    }

    /// <summary>Gets a route with its deployed graph.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The route.</returns>
    /// <exception cref="CloudflareApiException">The route does not exist (404), or the API refused the call.</exception>
    public Task<AiGatewayDynamicRoute> GetAsync(string gatewayId, string routeId, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, Route(gatewayId, routeId), null, AdminJsonContext.Default.AiGatewayDynamicRoute, cancellationToken);

    /// <summary>Lists a gateway's routes, page by page (the API answers them in <c>data.routes</c>).</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The routes.</returns>
    /// <exception cref="ArgumentException"><paramref name="gatewayId"/> is empty (when called, not when enumerated).</exception>
    /// <exception cref="CloudflareApiException">While enumerating: the API refused a page.</exception>
    public IAsyncEnumerable<AiGatewayDynamicRoute> ListAsync(string gatewayId, CancellationToken cancellationToken = default) =>
        ListPagesAsync(Routes(gatewayId), cancellationToken);

    private async IAsyncEnumerable<AiGatewayDynamicRoute> ListPagesAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int page = 1; ; page++)
        {
            var data = await _api.SendForMemberAsync(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"{path}?page={page}&per_page={PerPage}"), null, "data", cancellationToken)
                .ConfigureAwait(false);
            var routes = Items(data, "routes", AdminJsonContext.Default.ListAiGatewayDynamicRoute);
            foreach (var route in routes)
            {
                yield return route;
            }

            if (routes.Count < PerPage)
            {
                yield break;
            }
        }
    }

    /// <summary>Renames a route.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="name">The new name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The route (the API answers it in <c>route</c>).</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public async Task<AiGatewayDynamicRoute> RenameAsync(string gatewayId, string routeId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var route = await _api.SendForMemberAsync(HttpMethod.Patch, Route(gatewayId, routeId), new JsonObject { ["name"] = name }.ToJsonString(), "route", cancellationToken)
            .ConfigureAwait(false);
        return route.ValueKind == JsonValueKind.Object ? route.Deserialize(AdminJsonContext.Default.AiGatewayDynamicRoute)! : new AiGatewayDynamicRoute { Id = routeId, Name = name };
    }

    /// <summary>Deletes a route with its versions and deployments.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task DeleteAsync(string gatewayId, string routeId, CancellationToken cancellationToken = default) =>
        _api.SendRawAsync(HttpMethod.Delete, Route(gatewayId, routeId), null, cancellationToken);

    /// <summary>Saves a new version of a route's graph. It does not serve until <see cref="DeployAsync"/> deploys it.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="elements">The graph.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The route as the API answers it (its answer names no version id: <see cref="ListVersionsAsync"/> does).</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayDynamicRoute> CreateVersionAsync(string gatewayId, string routeId, IReadOnlyList<AiGatewayDynamicRouteElement> elements, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, Route(gatewayId, routeId) + "/versions", new JsonObject { ["elements"] = Graph(elements) }.ToJsonString(),
            AdminJsonContext.Default.AiGatewayDynamicRoute, cancellationToken);

    /// <summary>Lists a route's versions, as the API orders them (newest first).</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The versions.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public async Task<IReadOnlyList<AiGatewayDynamicRouteVersion>> ListVersionsAsync(string gatewayId, string routeId, CancellationToken cancellationToken = default) =>
        Items(await _api.SendForMemberAsync(HttpMethod.Get, Route(gatewayId, routeId) + "/versions", null, "data", cancellationToken).ConfigureAwait(false),
            "versions", AdminJsonContext.Default.ListAiGatewayDynamicRouteVersion);

    /// <summary>Gets one version with its graph.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="versionId">The version id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayDynamicRouteVersion> GetVersionAsync(string gatewayId, string routeId, string versionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionId);
        return _api.SendAsync(HttpMethod.Get, Route(gatewayId, routeId) + "/versions/" + Segment(versionId), null, AdminJsonContext.Default.AiGatewayDynamicRouteVersion, cancellationToken);
    }

    /// <summary>Deploys a version: from now on it serves the route's requests.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="versionId">The version to deploy.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The route as the API answers it.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayDynamicRoute> DeployAsync(string gatewayId, string routeId, string versionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(versionId);
        return _api.SendAsync(HttpMethod.Post, Route(gatewayId, routeId) + "/deployments", new JsonObject { ["version_id"] = versionId }.ToJsonString(),
            AdminJsonContext.Default.AiGatewayDynamicRoute, cancellationToken);
    }

    /// <summary>Lists a route's deployments.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="routeId">The route id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deployments.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public async Task<IReadOnlyList<AiGatewayDynamicRouteDeployment>> ListDeploymentsAsync(string gatewayId, string routeId, CancellationToken cancellationToken = default) =>
        Items(await _api.SendForMemberAsync(HttpMethod.Get, Route(gatewayId, routeId) + "/deployments", null, "data", cancellationToken).ConfigureAwait(false),
            "deployments", AdminJsonContext.Default.ListAiGatewayDynamicRouteDeployment);

    /// <summary>
    /// Makes the route named <paramref name="name"/> run <paramref name="elements"/>: creates it when missing; when its
    /// deployed graph differs, saves a new version and deploys it; otherwise changes nothing. Safe to run on every start.
    /// </summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="name">The route's name.</param>
    /// <param name="elements">The graph.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="CloudflareApiException">The API refused a call.</exception>
    public async Task<AiGatewayDynamicRouteEnsureResult> EnsureAsync(string gatewayId, string name, IReadOnlyList<AiGatewayDynamicRouteElement> elements, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(elements);
        AiGatewayDynamicRoute? existing = null;
        await foreach (var route in ListAsync(gatewayId, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(route.Name, name, StringComparison.Ordinal))
            {
                existing = route;
                break;
            }
        }

        return await EnsureListedAsync(gatewayId, name, elements, existing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the route named <paramref name="name"/> run <paramref name="elements"/>, given what a listing of the gateway's
    /// routes found under that name: a whole definition lists them once, not once per route.
    /// </summary>
    internal async Task<AiGatewayDynamicRouteEnsureResult> EnsureListedAsync(
        string gatewayId, string name, IReadOnlyList<AiGatewayDynamicRouteElement> elements, AiGatewayDynamicRoute? existing, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var wanted = Graph(elements);
        if (existing is null)
        {
            return new AiGatewayDynamicRouteEnsureResult(await CreateAsync(gatewayId, name, elements, cancellationToken).ConfigureAwait(false), Created: true, null);
        }

        // A list may carry a summary; the route itself has the deployed graph.
        var current = await GetAsync(gatewayId, existing.Id, cancellationToken).ConfigureAwait(false);
        if (JsonNode.DeepEquals(wanted, Graph(current.Elements)))
        {
            return new AiGatewayDynamicRouteEnsureResult(current, Created: false, null);
        }

        // The answer to a new version does not name it: the versions listed before and after tell which one this call
        // made, so a draft already there or another replica's version is never the one deployed.
        var before = (await ListVersionsAsync(gatewayId, current.Id, cancellationToken).ConfigureAwait(false)).Select(v => v.VersionId).ToHashSet(StringComparer.Ordinal);
        await CreateVersionAsync(gatewayId, current.Id, elements, cancellationToken).ConfigureAwait(false);
        var versions = await ListVersionsAsync(gatewayId, current.Id, cancellationToken).ConfigureAwait(false);
        var made = versions.Where(v => !before.Contains(v.VersionId) && (v.Elements is null || JsonNode.DeepEquals(wanted, Graph(v.Elements)))).OrderByDescending(v => v.CreatedAt).FirstOrDefault()
            ?? throw new CloudflareApiException($"Route '{name}': the API saved a new version but lists none that this call made.");
        await DeployAsync(gatewayId, current.Id, made.VersionId, cancellationToken).ConfigureAwait(false);
        return new AiGatewayDynamicRouteEnsureResult(await GetAsync(gatewayId, current.Id, cancellationToken).ConfigureAwait(false), Created: false, made.VersionId);
    }

    /// <summary>The graph as the API's JSON, for sending and for comparing with what the API holds.</summary>
    private static JsonArray Graph(IReadOnlyList<AiGatewayDynamicRouteElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        return JsonSerializer.SerializeToNode(elements.ToList(), AdminJsonContext.Default.ListAiGatewayDynamicRouteElement)!.AsArray();
    }

    private static List<T> Items<T>(JsonElement data, string member, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(member, out var items) && items.ValueKind == JsonValueKind.Array ? items.Deserialize(type) ?? [] : [];

    private static string Routes(string gatewayId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        return $"gateways/{Segment(gatewayId)}/routes";
    }

    private static string Route(string gatewayId, string routeId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(routeId);
        return Routes(gatewayId) + "/" + Segment(routeId);
    }
}
