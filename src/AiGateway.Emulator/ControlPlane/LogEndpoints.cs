using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiGateway.Emulator.ControlPlane;

/// <summary><c>/gateways/{id}/logs</c>: list, delete by filter, get, the stored bodies, and feedback by PATCH.</summary>
internal static class LogEndpoints
{
    public static void Map(RouteGroupBuilder group, EmulatorState state)
    {
        group.MapGet("/gateways/{id}/logs", (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return Envelope.NotFound("gateway", id);
            }

            try
            {
                var logs = LogQuery.Order(LogQuery.Filter(state.GetLogs(id), request), request.Query).ToList();
                return Envelope.Paged(logs.Select(l => Envelope.ToNode(l)), request);
            }
            catch (FormatException e)
            {
                return Envelope.Invalid(e.Message);
            }
        });
        group.MapDelete("/gateways/{id}/logs", (string id, HttpRequest request) =>
        {
            if (state.GetGateway(id) is null)
            {
                return Envelope.NotFound("gateway", id);
            }

            // As the real API: only filters[], limit, order_by and order_by_direction count. Any other parameter (start_date,
            // provider, ...) is ignored, so a DELETE that carries only those deletes every log.
            HashSet<string> ids;
            try
            {
                var conditions = LogFilters.Read(request);
                var doomed = LogQuery.Order(state.GetLogs(id).Where(l => conditions.All(c => LogFilters.Matches(l, c))), request.Query);
                if (int.TryParse(request.Query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int limit) && limit > 0)
                {
                    doomed = doomed.Take(limit);
                }

                ids = doomed.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
            }
            catch (FormatException e)
            {
                return Envelope.Invalid(e.Message);
            }

            state.DeleteLogs(id, l => ids.Contains(l.Id));
            return Envelope.Ok(null);
        });
        group.MapGet("/gateways/{id}/logs/{logId}", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Envelope.Ok(Envelope.ToNode(log)) : Envelope.NotFound("log", logId));

        // The stored body itself, not an envelope (as the API answers).
        group.MapGet("/gateways/{id}/logs/{logId}/request", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Body(log.RequestBytes) : Envelope.NotFound("log", logId));
        group.MapGet("/gateways/{id}/logs/{logId}/response", (string id, string logId) =>
            state.GetLog(id, logId) is { } log ? Body(log.ResponseBytes) : Envelope.NotFound("log", logId));
        group.MapPatch("/gateways/{id}/logs/{logId}", async (string id, string logId, HttpRequest request) =>
        {
            if (state.GetLog(id, logId) is not { } log)
            {
                return Envelope.NotFound("log", logId);
            }

            const string Shape = "The patch must be a JSON object with feedback (-1, 1 or null), score (a number or null) and metadata (an object or null).";
            try
            {
                return await Envelope.ReadObjectAsync(request) is not { } patch ? Envelope.Invalid(Shape)
                    : Apply(log, patch) is { } problem ? Envelope.Invalid(problem)
                    : Envelope.Ok(new JsonObject());
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                return Envelope.Invalid(Shape);
            }
        });
    }

    /// <summary>Applies a log PATCH; returns the problem when a field is out of range (and then changes nothing).</summary>
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

    private static IResult Body(byte[]? bytes) =>
        bytes is null
            ? Envelope.Error(404, Envelope.NotFoundCode, "The log kept no payload (cf-aig-collect-log-payload: false).")
            : Results.Bytes(bytes, bytes.AsSpan().StartsWith("data:"u8) ? "text/event-stream" : "application/json");
}
