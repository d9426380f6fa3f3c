using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>The subset of Cloudflare's AI Gateway REST API the emulator serves at <c>{root}/client/v4</c>.</summary>
internal static class ControlPlaneEndpoints
{
    private const string Base = "/client/v4/accounts/{account}/ai-gateway";

    private static readonly string[] s_evaluationTypes = ["cost", "speed", "performance"];

    public static void Map(IEndpointRouteBuilder app, EmulatorState state, Func<string, bool> isValidToken, TimeProvider time)
    {
        var group = app.MapGroup(Base);
        group.AddEndpointFilter(async (context, next) =>
            isValidToken(context.HttpContext.Request.Headers.Authorization.ToString())
                ? await next(context)
                : Json(401, Envelope.ErrorBody(10000, "Authentication error")));

        group.MapGet("/gateways", (HttpRequest request) =>
        {
            var all = state.Gateways.ToList();
            return Paged(all.Select(g => Envelope.ToNode(g)), request);
        });
        group.MapPost("/gateways", async (HttpRequest request) =>
        {
            var gateway = await ReadAsync<EmulatorGateway>(request);
            string? problem = gateway is null ? "A gateway object is required." : EmulatorGateway.CheckId(gateway.Id);
            if (problem is not null || gateway is null)
            {
                return Json(400, Envelope.ErrorBody(7001, problem ?? "A gateway object is required."));
            }

            return state.TryCreateGateway(gateway)
                ? Json(200, Envelope.Success(Envelope.ToNode(state.GetGateway(gateway.Id))))
                : Json(400, Envelope.ErrorBody(7001, $"A gateway named '{gateway.Id}' already exists."));
        });
        group.MapGet("/gateways/{id}", (string id) =>
            state.GetGateway(id) is { } gateway ? Json(200, Envelope.Success(Envelope.ToNode(gateway))) : NotFound("gateway", id));
        group.MapPut("/gateways/{id}", async (string id, HttpRequest request) =>
        {
            var gateway = await ReadAsync<EmulatorGateway>(request);
            if (gateway is null)
            {
                return Json(400, Envelope.ErrorBody(7001, "A gateway object is required."));
            }

            var existing = state.GetGateway(id);
            return existing is null
                ? NotFound("gateway", id)
                : Json(200, Envelope.Success(Envelope.ToNode(state.UpdateGateway(gateway with { Id = id, StoredKeys = existing.StoredKeys }))));
        });
        group.MapDelete("/gateways/{id}", (string id) =>
            state.DeleteGateway(id) is { } removed ? Json(200, Envelope.Success(Envelope.ToNode(removed))) : NotFound("gateway", id));

        group.MapGet("/evaluation-types", (HttpRequest request) =>
            Paged(s_evaluationTypes.Select(t => (JsonNode?)new JsonObject { ["id"] = t, ["name"] = char.ToUpperInvariant(t[0]) + t[1..], ["description"] = $"Evaluates {t}." }), request));
        MapCollection(group, state, time, "datasets", body =>
            body["name"]?.GetValue<string>() is { Length: > 0 } ? null : "name is required");
        MapCollection(group, state, time, "evaluations", body =>
            body["name"]?.GetValue<string>() is not { Length: > 0 } ? "name is required"
            : body["dataset_ids"] is not JsonArray { Count: > 0 } ? "dataset_ids must name at least one dataset"
            : null);

        group.MapGet("/gateways/{id}/logs", (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return NotFound("gateway", id);
            }

            var logs = Filter(state.GetLogs(id), request.Query);
            bool ascending = string.Equals(request.Query["direction"], "asc", StringComparison.OrdinalIgnoreCase);
            logs = (request.Query["order_by"].ToString() switch
            {
                "duration" => ascending ? logs.OrderBy(l => l.Duration) : logs.OrderByDescending(l => l.Duration),
                "total_cost" or "cost" => ascending ? logs.OrderBy(l => l.Cost) : logs.OrderByDescending(l => l.Cost),
                "tokens_in" => ascending ? logs.OrderBy(l => l.TokensIn) : logs.OrderByDescending(l => l.TokensIn),
                "tokens_out" => ascending ? logs.OrderBy(l => l.TokensOut) : logs.OrderByDescending(l => l.TokensOut),
                _ => ascending ? logs.OrderBy(l => l.CreatedAt) : logs.OrderByDescending(l => l.CreatedAt),
            }).ToList();
            return Paged(logs.Select(l => Envelope.ToNode(l)), request);
        });
        group.MapDelete("/gateways/{id}/logs", (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return NotFound("gateway", id);
            }

            var doomed = Filter(state.GetLogs(id), request.Query).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            int deleted = state.DeleteLogs(id, l => doomed.Contains(l.Id));
            return Json(200, Envelope.Success(new JsonObject { ["deleted"] = deleted }));
        });
        group.MapGet("/gateways/{id}/logs/{logId}", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Json(200, Envelope.Success(Envelope.ToNode(log))) : NotFound("log", logId));
        group.MapGet("/gateways/{id}/logs/{logId}/request", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Json(200, Envelope.Success(Parse(log.RequestBody))) : NotFound("log", logId));
        group.MapGet("/gateways/{id}/logs/{logId}/response", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Json(200, Envelope.Success(Parse(log.ResponseBody))) : NotFound("log", logId));
        group.MapMethods("/gateways/{id}/logs/{logId}", ["PATCH"], async (string id, string logId, HttpRequest request) =>
        {
            if (state.GetLog(id, logId) is not { } log)
            {
                return NotFound("log", logId);
            }

            try
            {
                return await JsonNode.ParseAsync(request.Body) is JsonObject patch && Apply(log, patch) is { } problem
                    ? Json(400, Envelope.ErrorBody(7001, problem))
                    : Json(200, Envelope.Success(new JsonObject()));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                return Json(400, Envelope.ErrorBody(7001, "The patch must be a JSON object with feedback (-1, 1 or null), score (a number or null) and metadata (an object or null)."));
            }
        });
    }

    /// <summary>Applies a log PATCH; returns the problem when a field is out of range.</summary>
    private static string? Apply(EmulatorLogEntry log, JsonObject patch)
    {
        int? feedback = patch.ContainsKey("feedback") ? patch["feedback"]?.GetValue<int>() : log.Feedback;
        if (feedback is not (null or -1 or 1))
        {
            return "feedback must be -1, 1 or null.";
        }

        double? score = patch.ContainsKey("score") ? patch["score"]?.GetValue<double>() : log.Score;
        var metadata = patch.ContainsKey("metadata") ? patch["metadata"] switch
        {
            null => null,
            JsonObject entries => (JsonObject)entries.DeepClone(),
            _ => throw new InvalidOperationException(),
        } : log.Metadata;
        (log.Feedback, log.Score, log.Metadata) = (feedback, score, metadata);
        return null;
    }


    /// <summary>Create, list, get, update and delete for a gateway's datasets or evaluations.</summary>
    private static void MapCollection(RouteGroupBuilder group, EmulatorState state, TimeProvider time, string name, Func<JsonObject, string?> validate)
    {
        string route = "/gateways/{id}/" + name;
        group.MapPost(route, async (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return NotFound("gateway", id);
            }

            JsonObject? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body is null)
            {
                return Json(400, Envelope.ErrorBody(7001, $"Invalid {name[..^1]}: a JSON object is required."));
            }

            if (validate(body) is { } problem)
            {
                return Json(400, Envelope.ErrorBody(7001, $"Invalid {name[..^1]}: {problem}."));
            }

            string itemId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
            body["id"] = itemId;
            body["gateway_id"] = id;
            body["created_at"] = time.GetUtcNow();
            body["modified_at"] = time.GetUtcNow();
            state.Collection(id, name)[itemId] = body;
            return Json(200, Envelope.Success(body.DeepClone()));
        });
        group.MapGet(route, (string id, HttpRequest request) =>
            state.GetGateway(id) is null
                ? NotFound("gateway", id)
                : Paged(state.Collection(id, name).Values.OrderBy(v => v["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(v => (JsonNode?)v.DeepClone()), request));
        group.MapGet(route + "/{itemId}", (string id, string itemId) =>
            state.Collection(id, name).TryGetValue(itemId, out var item) ? Json(200, Envelope.Success(item.DeepClone())) : NotFound(name[..^1], itemId));
        group.MapDelete(route + "/{itemId}", (string id, string itemId) =>
            state.Collection(id, name).TryRemove(itemId, out var item) ? Json(200, Envelope.Success(item)) : NotFound(name[..^1], itemId));
    }

    private static IEnumerable<EmulatorLogEntry> Filter(IEnumerable<EmulatorLogEntry> logs, IQueryCollection query)
    {
        bool? Bool(string name) => bool.TryParse(query[name], out bool b) ? b : null;
        if (Bool("cached") is { } cached)
        {
            logs = logs.Where(l => l.Cached == cached);
        }

        if (Bool("success") is { } success)
        {
            logs = logs.Where(l => l.Success == success);
        }

        if (query["provider"].ToString() is { Length: > 0 } provider)
        {
            logs = logs.Where(l => string.Equals(l.Provider, provider, StringComparison.OrdinalIgnoreCase));
        }

        if (query["model"].ToString() is { Length: > 0 } model)
        {
            logs = logs.Where(l => string.Equals(l.Model, model, StringComparison.OrdinalIgnoreCase));
        }

        if (int.TryParse(query["feedback"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int feedback))
        {
            logs = logs.Where(l => l.Feedback == feedback);
        }

        if (DateTimeOffset.TryParse(query["start_date"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            logs = logs.Where(l => l.CreatedAt >= start);
        }

        if (DateTimeOffset.TryParse(query["end_date"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
        {
            logs = logs.Where(l => l.CreatedAt <= end);
        }

        return logs;
    }

    private static IResult Paged(IEnumerable<JsonNode?> items, HttpRequest request)
    {
        var all = items.ToList();
        int page = int.TryParse(request.Query["page"], out int p) && p > 0 ? p : 1;
        int perPage = int.TryParse(request.Query["per_page"], out int pp) && pp > 0 ? Math.Min(pp, 50) : 20;
        var slice = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        var info = new JsonObject { ["page"] = page, ["per_page"] = perPage, ["count"] = slice.Count, ["total_count"] = all.Count };
        return Json(200, Envelope.Success(new JsonArray([.. slice]), info));
    }

    private static JsonNode? Parse(string? body)
    {
        if (body is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return JsonValue.Create(body);
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Envelope.Json);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static IResult NotFound(string what, string id) => Json(404, Envelope.ErrorBody(7002, $"No {what} named '{id}'."));

    private static IResult Json(int status, string body) => Results.Text(body, "application/json", System.Text.Encoding.UTF8, status);
}
