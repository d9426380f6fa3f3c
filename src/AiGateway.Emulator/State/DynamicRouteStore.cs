using System.Globalization;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>
/// A gateway's dynamic routes with their versions and deployments, in Cloudflare's shapes (cloudflare-typescript
/// <c>src/resources/ai-gateway/dynamic-routing.ts</c>). A route is created with its first version deployed; a new
/// version serves once deployed. Thread-safe.
/// </summary>
internal sealed class DynamicRouteStore(TimeProvider time, string gatewayId)
{
    private readonly Lock _gate = new();
    private readonly List<Route> _routes = [];

    /// <summary>The routes, oldest first, as the API answers them.</summary>
    public IReadOnlyList<JsonObject> List()
    {
        lock (_gate)
        {
            return [.. _routes.Select(r => r.Json(gatewayId))];
        }
    }

    /// <summary>Creates a route with its first version, deployed; throws <see cref="FormatException"/> for a bad name or graph.</summary>
    public JsonObject Create(string? name, JsonNode? elements)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new FormatException("name is required.");
        }

        var graph = RouteGraph.Parse(elements);
        lock (_gate)
        {
            if (_routes.Any(r => r.Name == name))
            {
                throw new FormatException($"A route named '{name}' exists.");
            }

            var now = time.GetUtcNow();
            var route = new Route(NewId(), name, now);
            var version = route.AddVersion(NewId(), graph, now);
            route.Deploy(NewId(), version, now);
            _routes.Add(route);
            return route.Json(gatewayId);
        }
    }

    /// <summary>The route, or null.</summary>
    public JsonObject? Get(string id)
    {
        lock (_gate)
        {
            return Find(id)?.Json(gatewayId);
        }
    }

    /// <summary>The deployed graph of the route requests name <c>dynamic/{name}</c>, or null.</summary>
    public RouteGraph? Deployed(string name)
    {
        lock (_gate)
        {
            return _routes.FirstOrDefault(r => r.Name == name)?.Serving?.Version.Graph;
        }
    }

    /// <summary>Renames a route; null when it does not exist.</summary>
    public JsonObject? Rename(string id, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new FormatException("name is required.");
        }

        lock (_gate)
        {
            if (Find(id) is not { } route)
            {
                return null;
            }

            if (_routes.Any(r => r.Name == name && r != route))
            {
                throw new FormatException($"A route named '{name}' exists.");
            }

            route.Name = name;
            route.ModifiedAt = time.GetUtcNow();
            return route.Json(gatewayId);
        }
    }

    /// <summary>Deletes a route with its versions and deployments; what it was, or null.</summary>
    public JsonObject? Delete(string id)
    {
        lock (_gate)
        {
            if (Find(id) is not { } route)
            {
                return null;
            }

            _routes.Remove(route);
            var json = route.Json(gatewayId);
            json.Remove("deployment");
            json.Remove("version");
            return json;
        }
    }

    /// <summary>Saves a new version (not deployed); the route with the version's graph, or null when the route does not exist.</summary>
    public JsonObject? CreateVersion(string id, JsonNode? elements)
    {
        var graph = RouteGraph.Parse(elements);
        lock (_gate)
        {
            if (Find(id) is not { } route)
            {
                return null;
            }

            var now = time.GetUtcNow();
            route.AddVersion(NewId(), graph, now);
            route.ModifiedAt = now;
            var json = route.Json(gatewayId);
            json["elements"] = graph.Elements.DeepClone();
            json.Remove("deployment");
            json.Remove("version");
            return json;
        }
    }

    /// <summary>The versions, newest first; null when the route does not exist.</summary>
    public IReadOnlyList<JsonObject>? Versions(string id)
    {
        lock (_gate)
        {
            return Find(id) is { } route ? [.. Enumerable.Reverse(route.Versions).Select(v => v.Json(route))] : null;
        }
    }

    /// <summary>One version with its graph; null when the route or the version does not exist.</summary>
    public JsonObject? GetVersion(string id, string versionId)
    {
        lock (_gate)
        {
            if (Find(id) is not { } route || route.Versions.FirstOrDefault(v => v.Id == versionId) is not { } version)
            {
                return null;
            }

            var json = version.Json(route);
            json["id"] = route.Id;
            json["elements"] = version.Graph.Elements.DeepClone();
            json["gateway_id"] = gatewayId;
            json["modified_at"] = Time(route.ModifiedAt);
            json["name"] = route.Name;
            return json;
        }
    }

    /// <summary>Deploys a version; the route, or null when the route does not exist. Throws <see cref="FormatException"/> for an unknown version.</summary>
    public JsonObject? Deploy(string id, string? versionId)
    {
        lock (_gate)
        {
            if (Find(id) is not { } route)
            {
                return null;
            }

            var version = route.Versions.FirstOrDefault(v => v.Id == versionId) ?? throw new FormatException($"The route has no version '{versionId}'.");
            var now = time.GetUtcNow();
            route.Deploy(NewId(), version, now);
            route.ModifiedAt = now;
            var json = route.Json(gatewayId);
            json.Remove("deployment");
            json.Remove("version");
            return json;
        }
    }

    /// <summary>The deployments, newest first; null when the route does not exist.</summary>
    public IReadOnlyList<JsonObject>? Deployments(string id)
    {
        lock (_gate)
        {
            return Find(id) is { } route ? [.. Enumerable.Reverse(route.DeploymentHistory).Select(d => d.Json())] : null;
        }
    }

    private Route? Find(string id) => _routes.FirstOrDefault(r => r.Id == id);

    private string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString();

    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private sealed class Route(string id, string name, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string Name { get; set; } = name;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset ModifiedAt { get; set; } = createdAt;

        public List<Version> Versions { get; } = [];

        public List<Deployment> DeploymentHistory { get; } = [];

        public Deployment? Serving => DeploymentHistory.Count > 0 ? DeploymentHistory[^1] : null;

        public Version AddVersion(string versionId, RouteGraph graph, DateTimeOffset at)
        {
            var version = new Version(versionId, graph, at);
            Versions.Add(version);
            return version;
        }

        public void Deploy(string deploymentId, Version version, DateTimeOffset at) => DeploymentHistory.Add(new Deployment(deploymentId, version, at));

        public JsonObject Json(string gatewayId)
        {
            var json = new JsonObject
            {
                ["id"] = Id,
                ["created_at"] = Time(CreatedAt),
                ["deployment"] = Serving?.Json(),
                ["elements"] = Serving?.Version.Graph.Elements.DeepClone() ?? new JsonArray(),
                ["gateway_id"] = gatewayId,
                ["modified_at"] = Time(ModifiedAt),
                ["name"] = Name,
                ["version"] = Serving?.Version.Json(this),
            };
            return json;
        }
    }

    private sealed record Version(string Id, RouteGraph Graph, DateTimeOffset CreatedAt)
    {
        public JsonObject Json(Route route) => new()
        {
            ["active"] = route.Serving?.Version == this ? "true" : "false",
            ["created_at"] = Time(CreatedAt),
            ["data"] = Graph.Elements.ToJsonString(),
            ["version_id"] = Id,
            ["is_valid"] = true,
        };
    }

    private sealed record Deployment(string Id, Version Version, DateTimeOffset CreatedAt)
    {
        public JsonObject Json() => new() { ["created_at"] = Time(CreatedAt), ["deployment_id"] = Id, ["version_id"] = Version.Id };
    }
}
