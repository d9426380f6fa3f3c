using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>
/// <c>/evaluation-types</c>, <c>/gateways/{id}/datasets</c> and <c>/gateways/{id}/evaluations</c>: evaluations run at
/// once over a gateway's logs, with results in the API's shapes.
/// </summary>
internal static class EvaluationEndpoints
{
    private static readonly string[] s_evaluationTypes = ["cost", "speed", "performance"];

    public static void Map(RouteGroupBuilder group, EmulatorState state, TimeProvider time)
    {
        group.MapGet("/evaluation-types", (HttpRequest request) =>
            Envelope.Paged(s_evaluationTypes.Select(t => (JsonNode?)new JsonObject
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
        string item = name[..^1];
        group.MapPost(route, async (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return Envelope.NotFound("gateway", id);
            }

            var body = await Envelope.ReadObjectAsync(request);
            if (body is null)
            {
                return Envelope.Invalid($"Invalid {item}: a JSON object is required.");
            }

            if (validate(body) is { } problem)
            {
                return Envelope.Invalid($"Invalid {item}: {problem}.");
            }

            string itemId = Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
            body["id"] = itemId;
            body["gateway_id"] = id;
            body["created_at"] = time.GetUtcNow();
            body["modified_at"] = time.GetUtcNow();
            complete?.Invoke(state, id, body);
            state.Collection(id, name)[itemId] = body;
            return Envelope.Ok(body.DeepClone());
        });
        if (updatable)
        {
            group.MapPut(route + "/{itemId}", async (string id, string itemId, HttpRequest request) =>
            {
                if (!state.Collection(id, name).TryGetValue(itemId, out var existing))
                {
                    return Envelope.NotFound(item, itemId);
                }

                if (await Envelope.ReadObjectAsync(request) is not { } body || validate(body) is not null)
                {
                    return Envelope.Invalid($"Invalid {item}: name, enable and filters are required.");
                }

                body["id"] = itemId;
                body["gateway_id"] = id;
                body["created_at"] = existing["created_at"]!.DeepClone();
                body["modified_at"] = time.GetUtcNow();
                state.Collection(id, name)[itemId] = body;
                return Envelope.Ok(body.DeepClone());
            });
        }

        group.MapGet(route, (string id, HttpRequest request) =>
            state.GetGateway(id) is null
                ? Envelope.NotFound("gateway", id)
                : Envelope.Paged(state.Collection(id, name).Values.OrderBy(v => v["id"]!.GetValue<string>(), StringComparer.Ordinal).Select(v => (JsonNode?)v.DeepClone()), request));
        group.MapGet(route + "/{itemId}", (string id, string itemId) =>
            state.Collection(id, name).TryGetValue(itemId, out var found) ? Envelope.Ok(found.DeepClone()) : Envelope.NotFound(item, itemId));
        group.MapDelete(route + "/{itemId}", (string id, string itemId) =>
            state.Collection(id, name).TryRemove(itemId, out var removed) ? Envelope.Ok(removed) : Envelope.NotFound(item, itemId));
    }
}
