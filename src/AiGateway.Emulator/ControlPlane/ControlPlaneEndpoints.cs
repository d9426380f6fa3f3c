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
            Paged(s_evaluationTypes.Select(t => (JsonNode?)new JsonObject
            {
                ["id"] = t,
                ["name"] = char.ToUpperInvariant(t[0]) + t[1..],
                ["description"] = $"Evaluates {t}.",
                ["type"] = t,
                ["enable"] = true,
                ["mandatory"] = t == "cost",
                ["created_at"] = "2026-01-01T00:00:00Z",
                ["modified_at"] = "2026-01-01T00:00:00Z",
            }), request));
        MapCollection(group, state, time, "datasets", body =>
            body["name"]?.GetValue<string>() is { Length: > 0 } ? null : "name is required", complete: null, updatable: true);
        MapCollection(group, state, time, "evaluations", body =>
            body["name"]?.GetValue<string>() is not { Length: > 0 } ? "name is required"
            : body["dataset_ids"] is not JsonArray { Count: > 0 } ? "dataset_ids must name at least one dataset"
            : null, CompleteEvaluation, updatable: false);

        group.MapGet("/gateways/{id}/logs", (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return NotFound("gateway", id);
            }

            List<EmulatorLogEntry> logs;
            try
            {
                logs = Order(Filter(state.GetLogs(id), request), request.Query).ToList();
            }
            catch (FormatException e)
            {
                return Json(400, Envelope.ErrorBody(7001, e.Message));
            }

            return Paged(logs.Select(l => Envelope.ToNode(l)), request);
        });
        group.MapDelete("/gateways/{id}/logs", (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return NotFound("gateway", id);
            }

            // As the real API: only filters[], limit, order_by and order_by_direction count. Any other parameter (start_date,
            // provider, ...) is ignored, so a DELETE that carries only those deletes every log.
            HashSet<string> ids;
            try
            {
                var conditions = LogFilters.Read(request);
                var doomed = Order(state.GetLogs(id).Where(l => conditions.All(c => LogFilters.Matches(l, c))), request.Query);
                if (int.TryParse(request.Query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int limit) && limit > 0)
                {
                    doomed = doomed.Take(limit);
                }

                ids = doomed.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            }
            catch (FormatException e)
            {
                return Json(400, Envelope.ErrorBody(7001, e.Message));
            }

            state.DeleteLogs(id, l => ids.Contains(l.Id));
            return Json(200, Envelope.Success(null));
        });
        group.MapGet("/gateways/{id}/logs/{logId}", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Json(200, Envelope.Success(Envelope.ToNode(log))) : NotFound("log", logId));
        // The stored body itself, not an envelope (as the API answers).
        group.MapGet("/gateways/{id}/logs/{logId}/request", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Body(log.RequestBody) : NotFound("log", logId));
        group.MapGet("/gateways/{id}/logs/{logId}/response", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Body(log.ResponseBody) : NotFound("log", logId));
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


    /// <summary>
    /// An evaluation as the API answers it: the datasets themselves, one result per evaluation type, processed at once
    /// over the gateway's logs.
    /// </summary>
    private static void CompleteEvaluation(EmulatorState state, string gatewayId, JsonObject evaluation)
    {
        var datasets = state.Collection(gatewayId, "datasets");
        evaluation["datasets"] = new JsonArray([.. (evaluation["dataset_ids"]?.AsArray() ?? [])
            .Select(d => datasets.TryGetValue(d?.GetValue<string>() ?? string.Empty, out var dataset) ? dataset.DeepClone() : null)
            .Where(d => d is not null)]);
        int logs = state.GetLogs(gatewayId).Count;
        evaluation["results"] = new JsonArray([.. (evaluation["evaluation_type_ids"]?.AsArray() ?? []).Select(t => (JsonNode?)new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N"),
            ["evaluation_id"] = evaluation["id"]!.GetValue<string>(),
            ["evaluation_type_id"] = t?.GetValue<string>(),
            ["result"] = $"{t} evaluated over {logs} logs",
            ["status"] = 1,
            ["status_description"] = "completed",
            ["total_logs"] = logs,
            ["created_at"] = evaluation["created_at"]!.DeepClone(),
            ["modified_at"] = evaluation["modified_at"]!.DeepClone(),
        })]);
        evaluation["processed"] = true;
        evaluation["total_logs"] = logs;
        evaluation.Remove("dataset_ids");
        evaluation.Remove("evaluation_type_ids");
    }

    /// <summary>Create, list, get, update (datasets) and delete for a gateway's datasets or evaluations.</summary>
    private static void MapCollection(
        RouteGroupBuilder group, EmulatorState state, TimeProvider time, string name, Func<JsonObject, string?> validate,
        Action<EmulatorState, string, JsonObject>? complete, bool updatable)
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
            complete?.Invoke(state, id, body);
            state.Collection(id, name)[itemId] = body;
            return Json(200, Envelope.Success(body.DeepClone()));
        });
        if (updatable)
        {
            group.MapPut(route + "/{itemId}", async (string id, string itemId, HttpRequest request) =>
            {
                if (!state.Collection(id, name).TryGetValue(itemId, out var existing))
                {
                    return NotFound(name[..^1], itemId);
                }

                if (await JsonNode.ParseAsync(request.Body) is not JsonObject body || validate(body) is { } problem)
                {
                    return Json(400, Envelope.ErrorBody(7001, $"Invalid {name[..^1]}: name, enable and filters are required."));
                }

                body["id"] = itemId;
                body["gateway_id"] = id;
                body["created_at"] = existing["created_at"]!.DeepClone();
                body["modified_at"] = time.GetUtcNow();
                state.Collection(id, name)[itemId] = body;
                return Json(200, Envelope.Success(body.DeepClone()));
            });
        }

        group.MapGet(route, (string id, HttpRequest request) =>
            state.GetGateway(id) is null
                ? NotFound("gateway", id)
                : Paged(state.Collection(id, name).Values.OrderBy(v => v["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(v => (JsonNode?)v.DeepClone()), request));
        group.MapGet(route + "/{itemId}", (string id, string itemId) =>
            state.Collection(id, name).TryGetValue(itemId, out var item) ? Json(200, Envelope.Success(item.DeepClone())) : NotFound(name[..^1], itemId));
        group.MapDelete(route + "/{itemId}", (string id, string itemId) =>
            state.Collection(id, name).TryRemove(itemId, out var item) ? Json(200, Envelope.Success(item)) : NotFound(name[..^1], itemId));
    }

    /// <summary>The list endpoint's conditions: <c>filters[]</c>, then its older named parameters.</summary>
    private static List<EmulatorLogEntry> Filter(IEnumerable<EmulatorLogEntry> logs, HttpRequest request)
    {
        var query = request.Query;
        var conditions = LogFilters.Read(request);
        logs = logs.Where(l => conditions.All(c => LogFilters.Matches(l, c)));
        bool? Bool(string name) => bool.TryParse(query[name], out bool b) ? b : null;
        double? Number(string name) => double.TryParse(query[name], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : null;
        if (Bool("cached") is { } cached)
        {
            logs = logs.Where(l => l.Cached == cached);
        }

        if (Bool("success") is { } success)
        {
            logs = logs.Where(l => l.Success == success);
        }

        foreach (var (name, field) in (ReadOnlySpan<(string, Func<EmulatorLogEntry, string?>)>)[("provider", l => l.Provider), ("model", l => l.Model), ("model_type", l => l.ModelType)])
        {
            if (query[name].ToString() is { Length: > 0 } wanted)
            {
                logs = logs.Where(l => string.Equals(field(l), wanted, StringComparison.OrdinalIgnoreCase));
            }
        }

        if (query["search"].ToString() is { Length: > 0 } search)
        {
            logs = logs.Where(l => l.Model.Contains(search, StringComparison.OrdinalIgnoreCase) || l.Provider.Contains(search, StringComparison.OrdinalIgnoreCase) ||
                (l.RequestBody?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false));
        }

        // The list filter takes 1 (positive feedback) or 0 (negative); the log holds 1 or -1.
        if (query["feedback"].ToString() is { Length: > 0 } feedback)
        {
            int wanted = feedback switch
            {
                "1" => 1,
                "0" => -1,
                _ => throw new FormatException("feedback must be 0 or 1."),
            };
            logs = logs.Where(l => l.Feedback == wanted);
        }

        foreach (var (name, field) in (ReadOnlySpan<(string, Func<EmulatorLogEntry, double>)>)
            [("cost", l => l.Cost), ("duration", l => l.Duration), ("tokens_in", l => l.TokensIn), ("tokens_out", l => l.TokensOut), ("total_tokens", l => l.TokensIn + l.TokensOut)])
        {
            if (Number("min_" + name) is { } min)
            {
                logs = logs.Where(l => field(l) >= min);
            }

            if (Number("max_" + name) is { } max)
            {
                logs = logs.Where(l => field(l) <= max);
            }
        }

        if (DateTimeOffset.TryParse(query["start_date"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            logs = logs.Where(l => l.CreatedAt >= start);
        }

        if (DateTimeOffset.TryParse(query["end_date"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
        {
            logs = logs.Where(l => l.CreatedAt <= end);
        }

        return logs.ToList();
    }

    /// <summary><c>order_by</c> (created_at, provider, model, model_type, success, cached, and on DELETE cost, tokens, duration, feedback) and <c>order_by_direction</c>.</summary>
    private static IEnumerable<EmulatorLogEntry> Order(IEnumerable<EmulatorLogEntry> logs, IQueryCollection query)
    {
        bool ascending = string.Equals(query["order_by_direction"], "asc", StringComparison.OrdinalIgnoreCase);
        Func<EmulatorLogEntry, IComparable?> key = query["order_by"].ToString() switch
        {
            "" or "created_at" => l => l.CreatedAt,
            "provider" => l => l.Provider,
            "model" => l => l.Model,
            "model_type" => l => l.ModelType,
            "success" => l => l.Success,
            "cached" => l => l.Cached,
            "cost" => l => l.Cost,
            "tokens_in" => l => l.TokensIn,
            "tokens_out" => l => l.TokensOut,
            "duration" => l => l.Duration,
            "feedback" => l => l.Feedback,
            var other => throw new FormatException($"Logs cannot be ordered by '{other}'."),
        };
        return ascending ? logs.OrderBy(key) : logs.OrderByDescending(key);
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

    private static IResult Body(string? body) =>
        body is null
            ? Json(404, Envelope.ErrorBody(7002, "The log kept no payload (cf-aig-collect-log-payload: false)."))
            : Results.Text(body, body.StartsWith("data:", StringComparison.Ordinal) ? "text/event-stream" : "application/json", System.Text.Encoding.UTF8, 200);

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
