using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static AiGateway.Extensions.AI.CloudflareApiTransport;

namespace AiGateway.Extensions.AI;

/// <summary>Reads a gateway's logs and records feedback, scores and metadata on them (Cloudflare's REST API).</summary>
public sealed class AiGatewayLogsClient
{
    private readonly CloudflareApiTransport _api;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayLogsClient"/> class.</summary>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="options">The account, API token and endpoint.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> waits; the system clock when null.</param>
    public AiGatewayLogsClient(HttpClient httpClient, AiGatewayManagementOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _api = new CloudflareApiTransport(httpClient, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Gets one log.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id (<see cref="AiGatewayResponseInfo.LogId"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The log.</returns>
    public Task<AiGatewayLog> GetLogAsync(string gatewayId, string logId, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, LogPath(gatewayId, logId), null, AdminJsonContext.Default.AiGatewayLog, cancellationToken);

    /// <summary>Gets the request body the log kept.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body as JSON.</returns>
    public Task<JsonElement> GetLogRequestAsync(string gatewayId, string logId, CancellationToken cancellationToken = default) =>
        _api.SendRawAsync(HttpMethod.Get, LogPath(gatewayId, logId) + "/request", null, cancellationToken);

    /// <summary>Gets the response body the log kept.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body as JSON.</returns>
    public Task<JsonElement> GetLogResponseAsync(string gatewayId, string logId, CancellationToken cancellationToken = default) =>
        _api.SendRawAsync(HttpMethod.Get, LogPath(gatewayId, logId) + "/response", null, cancellationToken);

    /// <summary>Lists logs matching <paramref name="query"/>, fetching page after page as it is enumerated.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="query">Filters and ordering.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The logs.</returns>
    public IAsyncEnumerable<AiGatewayLog> ListLogsAsync(string gatewayId, AiGatewayLogQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new AiGatewayLogQuery();
        return Paged.ListAsync(_api, $"gateways/{Segment(gatewayId)}/logs", QueryString(query), Math.Clamp(query.PerPage, 1, 50), AdminJsonContext.Default.ListAiGatewayLog, cancellationToken);
    }

    /// <summary>Deletes the logs matching <paramref name="query"/>.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="query">Which logs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were deleted, when the API says.</returns>
    public async Task<int?> DeleteLogsAsync(string gatewayId, AiGatewayLogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        string filter = QueryString(query);
        var result = await _api.SendRawAsync(HttpMethod.Delete, $"gateways/{Segment(gatewayId)}/logs{(filter.Length > 0 ? "?" + filter : string.Empty)}", null, cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Object && result.TryGetProperty("deleted", out var deleted) && deleted.TryGetInt32(out int n) ? n : null;
    }

    /// <summary>Sets a log's feedback, score and/or metadata (null arguments are left alone).</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id.</param>
    /// <param name="feedback">Thumbs up or down, or <see cref="AiGatewayFeedback.None"/> to clear it.</param>
    /// <param name="score">A score.</param>
    /// <param name="metadata">Metadata to store on the log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task PatchLogAsync(string gatewayId, string logId, AiGatewayFeedback? feedback = null, double? score = null,
        IReadOnlyDictionary<string, object?>? metadata = null, CancellationToken cancellationToken = default)
    {
        var patch = new JsonObject();
        if (feedback is { } f)
        {
            patch["feedback"] = f == AiGatewayFeedback.None ? null : (int)f;
        }

        if (score is { } s)
        {
            patch["score"] = s;
        }

        if (metadata is not null)
        {
            var entries = new JsonObject();
            foreach (var (key, value) in metadata)
            {
                entries[key] = JsonNode.Parse(JsonValueWriter.ToRawJson(value, key));
            }

            patch["metadata"] = entries;
        }

        return _api.SendRawAsync(HttpMethod.Patch, LogPath(gatewayId, logId), patch.ToJsonString(), cancellationToken);
    }

    /// <summary>Sends feedback on an answer, using the gateway and log id it carries.</summary>
    /// <param name="response">An answer from an <see cref="AiGatewayChatClient"/> (or <c>updates.ToChatResponse()</c> of a stream).</param>
    /// <param name="feedback">Thumbs up or down.</param>
    /// <param name="score">An optional score.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ArgumentException">The answer carries no gateway log id (logging off, or not from the gateway client).</exception>
    public Task SendFeedbackAsync(ChatResponse response, AiGatewayFeedback feedback, double? score = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var info = response.GetGatewayInfo();
        if (info?.LogId is not { } logId || info.GatewayId is not { } gatewayId)
        {
            throw new ArgumentException("The answer carries no gateway log id: it did not come through an AiGatewayChatClient, or the gateway did not log it.", nameof(response));
        }

        return PatchLogAsync(gatewayId, logId, feedback, score, cancellationToken: cancellationToken);
    }

    private static string LogPath(string gatewayId, string logId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        ArgumentException.ThrowIfNullOrWhiteSpace(logId);
        return $"gateways/{Segment(gatewayId)}/logs/{Segment(logId)}";
    }

    private static string QueryString(AiGatewayLogQuery query)
    {
        var builder = new StringBuilder();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                builder.Append(builder.Length == 0 ? string.Empty : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        Add("start_date", query.StartDate?.ToString("O", CultureInfo.InvariantCulture));
        Add("end_date", query.EndDate?.ToString("O", CultureInfo.InvariantCulture));
        Add("cached", query.Cached?.ToString().ToLowerInvariant());
        Add("success", query.Success?.ToString().ToLowerInvariant());
        Add("feedback", query.Feedback?.ToString(CultureInfo.InvariantCulture));
        Add("model", query.Model);
        Add("provider", query.Provider);
        Add("order_by", query.OrderBy);
        Add("direction", query.Direction);
        return builder.ToString();
    }
}
