using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using static AiGateway.Extensions.AI.Management.CloudflareApiTransport;

namespace AiGateway.Extensions.AI.Management;

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

    /// <summary>Gets the request body the log kept, as the gateway stored it (the API answers the body itself, not an envelope).</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<BinaryData> GetLogRequestAsync(string gatewayId, string logId, CancellationToken cancellationToken = default) =>
        _api.SendForBodyAsync(LogPath(gatewayId, logId) + "/request", cancellationToken);

    /// <summary>Gets the response body the log kept, as the gateway stored it.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="logId">The log id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<BinaryData> GetLogResponseAsync(string gatewayId, string logId, CancellationToken cancellationToken = default) =>
        _api.SendForBodyAsync(LogPath(gatewayId, logId) + "/response", cancellationToken);

    /// <summary>Lists logs matching <paramref name="query"/>, fetching page after page as it is enumerated.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="query">Filters and ordering.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The logs.</returns>
    /// <exception cref="ArgumentException">A filter, the ordering or the feedback value is not one the API takes.</exception>
    /// <exception cref="CloudflareApiException">While enumerating: the API refused a page.</exception>
    public IAsyncEnumerable<AiGatewayLog> ListLogsAsync(string gatewayId, AiGatewayLogQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new AiGatewayLogQuery();
        return Paged.ListAsync(_api, $"gateways/{Segment(gatewayId)}/logs", LogQueryString.ForList(query), Math.Clamp(query.PerPage, 1, 50), AdminJsonContext.Default.ListAiGatewayLog, cancellationToken);
    }

    /// <summary>
    /// Deletes the logs that match every one of <paramref name="filters"/> (Cloudflare's <c>filters[]</c>; the
    /// delete endpoint takes nothing else). At least one filter is required: a delete without one removes every log
    /// of the gateway, which only <see cref="DeleteAllLogsAsync"/> does, by name.
    /// </summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="filters">Which logs; at least one condition.</param>
    /// <param name="limit">The most logs to delete, or null for every match.</param>
    /// <param name="orderBy">Which matches go first when <paramref name="limit"/> applies (for example <c>created_at</c>).</param>
    /// <param name="descending">Whether the order is descending.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task; the API says only whether it succeeded, not how many logs went.</returns>
    /// <exception cref="ArgumentException">No filter, or a filter on a key the API does not know (it would be ignored, and the delete would match everything).</exception>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task DeleteLogsAsync(string gatewayId, IReadOnlyList<AiGatewayLogFilter> filters, int? limit = null, string? orderBy = null, bool? descending = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            throw new ArgumentException(
                "Deleting logs needs at least one filter: without one the API deletes every log of the gateway. Call DeleteAllLogsAsync to do that on purpose.", nameof(filters));
        }

        return DeleteAsync(gatewayId, LogQueryString.ForDelete(filters, limit, orderBy, descending), cancellationToken);
    }

    /// <summary>Deletes every log of the gateway. Irreversible; named so no filter mistake can do it by accident.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task DeleteAllLogsAsync(string gatewayId, CancellationToken cancellationToken = default) =>
        DeleteAsync(gatewayId, string.Empty, cancellationToken);

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
    /// <exception cref="CloudflareApiException">
    /// The API refused the call. A 404 for a log id the gateway itself reported says the log is not in the Legacy Logs
    /// API: accounts created on or after 2026-09-24 keep AI Gateway logs in Workers Observability, for which
    /// Cloudflare documents no feedback API; the message says so.
    /// </exception>
    public async Task SendFeedbackAsync(ChatResponse response, AiGatewayFeedback feedback, double? score = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var info = response.GetGatewayInfo();
        if (info?.LogId is not { } logId || info.GatewayId is not { } gatewayId)
        {
            throw new ArgumentException("The answer carries no gateway log id: it did not come through an AiGatewayChatClient, or the gateway did not log it.", nameof(response));
        }

        try
        {
            await PatchLogAsync(gatewayId, logId, feedback, score, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (CloudflareApiException e) when (e.StatusCode == 404)
        {
            throw new CloudflareApiException(
                $"{e.Message} The gateway reported log {logId} for this answer, but the Legacy Logs API does not have it: accounts created on or after 2026-09-24 keep " +
                "AI Gateway logs in Workers Observability, where Cloudflare documents no API for feedback. Check the account's log system in the dashboard.", e)
            {
                StatusCode = e.StatusCode,
                Errors = e.Errors,
                RetryAfter = e.RetryAfter,
            };
        }
    }

    private static string LogPath(string gatewayId, string logId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        ArgumentException.ThrowIfNullOrWhiteSpace(logId);
        return $"gateways/{Segment(gatewayId)}/logs/{Segment(logId)}";
    }

    private async Task DeleteAsync(string gatewayId, string query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        await _api.SendRawAsync(HttpMethod.Delete, $"gateways/{Segment(gatewayId)}/logs{(query.Length > 0 ? "?" + query : string.Empty)}", null, cancellationToken).ConfigureAwait(false);
    }
}
