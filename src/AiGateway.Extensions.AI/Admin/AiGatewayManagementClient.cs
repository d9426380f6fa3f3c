using System.Text.Json;
using System.Text.Json.Nodes;
using static AiGateway.Extensions.AI.CloudflareApiTransport;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Manages gateways, datasets and evaluations through Cloudflare's REST API
/// (<c>/accounts/{account}/ai-gateway/...</c>), and converges a gateway on desired settings with
/// <see cref="EnsureGatewayAsync"/>.
/// </summary>
public sealed class AiGatewayManagementClient
{
    private readonly CloudflareApiTransport _api;

    /// <summary>Initializes a new instance of the <see cref="AiGatewayManagementClient"/> class.</summary>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="options">The account, API token and endpoint.</param>
    /// <param name="timeProvider">The clock for <c>Retry-After</c> waits; the system clock when null.</param>
    public AiGatewayManagementClient(HttpClient httpClient, AiGatewayManagementOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _api = new CloudflareApiTransport(httpClient, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Creates a gateway.</summary>
    /// <param name="settings">Its settings; <see cref="AiGatewaySettings.Id"/> is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created gateway.</returns>
    public Task<AiGatewaySettings> CreateGatewayAsync(AiGatewaySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.Id);
        return _api.SendAsync(HttpMethod.Post, "gateways", Json(settings), AdminJsonContext.Default.AiGatewaySettings, cancellationToken);
    }

    /// <summary>Gets a gateway, or null when it does not exist.</summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The gateway or null.</returns>
    public async Task<AiGatewaySettings?> GetGatewayAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            return await _api.SendAsync(HttpMethod.Get, "gateways/" + Segment(id), null, AdminJsonContext.Default.AiGatewaySettings, cancellationToken).ConfigureAwait(false);
        }
        catch (CloudflareApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>Lists every gateway of the account, page by page.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The gateways.</returns>
    public IAsyncEnumerable<AiGatewaySettings> ListGatewaysAsync(CancellationToken cancellationToken = default) =>
        Paged.ListAsync(_api, "gateways", string.Empty, 50, AdminJsonContext.Default.ListAiGatewaySettings, cancellationToken);

    /// <summary>Replaces a gateway's settings.</summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="settings">The new settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated gateway.</returns>
    public Task<AiGatewaySettings> UpdateGatewayAsync(string id, AiGatewaySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(settings);
        return _api.SendAsync(HttpMethod.Put, "gateways/" + Segment(id), Json(settings with { Id = null, CreatedAt = null, ModifiedAt = null, IsDefault = null }),
            AdminJsonContext.Default.AiGatewaySettings, cancellationToken);
    }

    /// <summary>Deletes a gateway (and its logs).</summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task DeleteGatewayAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return _api.SendRawAsync(HttpMethod.Delete, "gateways/" + Segment(id), null, cancellationToken);
    }

    /// <summary>
    /// Makes the gateway match <paramref name="desired"/>: creates it when missing, otherwise updates only the settings
    /// that differ (null desired settings are left alone). Safe to run on every start.
    /// </summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="desired">The settings to enforce.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was done.</returns>
    public async Task<AiGatewayEnsureResult> EnsureGatewayAsync(string id, AiGatewaySettings desired, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(desired);
        var current = await GetGatewayAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var created = await CreateGatewayAsync(desired with { Id = id }, cancellationToken).ConfigureAwait(false);
            return new AiGatewayEnsureResult(created, Created: true, []);
        }

        var currentJson = JsonSerializer.SerializeToNode(current, AdminJsonContext.Default.AiGatewaySettings)!.AsObject();
        var desiredJson = JsonSerializer.SerializeToNode(desired with { Id = null, CreatedAt = null, ModifiedAt = null, IsDefault = null }, AdminJsonContext.Default.AiGatewaySettings)!.AsObject();
        var changed = desiredJson
            .Where(p => !JsonNode.DeepEquals(p.Value, currentJson[p.Key]))
            .Select(p => p.Key)
            .ToList();
        if (changed.Count == 0)
        {
            return new AiGatewayEnsureResult(current, Created: false, []);
        }

        foreach (string key in changed)
        {
            currentJson[key] = desiredJson[key]!.DeepClone();
        }

        var merged = currentJson.Deserialize(AdminJsonContext.Default.AiGatewaySettings)!;
        var updated = await UpdateGatewayAsync(id, merged, cancellationToken).ConfigureAwait(false);
        return new AiGatewayEnsureResult(updated, Created: false, changed);
    }

    /// <summary>Creates a dataset (a saved log filter) on a gateway.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="dataset">The dataset: name, enable, filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created dataset.</returns>
    public Task<AiGatewayDataset> CreateDatasetAsync(string gatewayId, AiGatewayDataset dataset, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, $"gateways/{Segment(gatewayId)}/datasets", JsonSerializer.Serialize(dataset, AdminJsonContext.Default.AiGatewayDataset),
            AdminJsonContext.Default.AiGatewayDataset, cancellationToken);

    /// <summary>Lists a gateway's datasets.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The datasets.</returns>
    public IAsyncEnumerable<AiGatewayDataset> ListDatasetsAsync(string gatewayId, CancellationToken cancellationToken = default) =>
        Paged.ListAsync(_api, $"gateways/{Segment(gatewayId)}/datasets", string.Empty, 50, AdminJsonContext.Default.ListAiGatewayDataset, cancellationToken);

    /// <summary>Gets a dataset.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="datasetId">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dataset.</returns>
    public Task<AiGatewayDataset> GetDatasetAsync(string gatewayId, string datasetId, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, $"gateways/{Segment(gatewayId)}/datasets/{Segment(datasetId)}", null, AdminJsonContext.Default.AiGatewayDataset, cancellationToken);

    /// <summary>Deletes a dataset.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="datasetId">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task DeleteDatasetAsync(string gatewayId, string datasetId, CancellationToken cancellationToken = default) =>
        _api.SendRawAsync(HttpMethod.Delete, $"gateways/{Segment(gatewayId)}/datasets/{Segment(datasetId)}", null, cancellationToken);

    /// <summary>Creates an evaluation of datasets.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="evaluation">The evaluation: name, dataset ids, evaluation type ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created evaluation.</returns>
    public Task<AiGatewayEvaluation> CreateEvaluationAsync(string gatewayId, AiGatewayEvaluation evaluation, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, $"gateways/{Segment(gatewayId)}/evaluations", JsonSerializer.Serialize(evaluation, AdminJsonContext.Default.AiGatewayEvaluation),
            AdminJsonContext.Default.AiGatewayEvaluation, cancellationToken);

    /// <summary>Lists a gateway's evaluations.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The evaluations.</returns>
    public IAsyncEnumerable<AiGatewayEvaluation> ListEvaluationsAsync(string gatewayId, CancellationToken cancellationToken = default) =>
        Paged.ListAsync(_api, $"gateways/{Segment(gatewayId)}/evaluations", string.Empty, 50, AdminJsonContext.Default.ListAiGatewayEvaluation, cancellationToken);

    /// <summary>Gets an evaluation.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="evaluationId">The evaluation id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The evaluation.</returns>
    public Task<AiGatewayEvaluation> GetEvaluationAsync(string gatewayId, string evaluationId, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, $"gateways/{Segment(gatewayId)}/evaluations/{Segment(evaluationId)}", null, AdminJsonContext.Default.AiGatewayEvaluation, cancellationToken);

    /// <summary>Deletes an evaluation.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="evaluationId">The evaluation id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task DeleteEvaluationAsync(string gatewayId, string evaluationId, CancellationToken cancellationToken = default) =>
        _api.SendRawAsync(HttpMethod.Delete, $"gateways/{Segment(gatewayId)}/evaluations/{Segment(evaluationId)}", null, cancellationToken);

    /// <summary>Lists the evaluation types the account can use.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The evaluation types.</returns>
    public async Task<IReadOnlyList<AiGatewayEvaluationType>> ListEvaluationTypesAsync(CancellationToken cancellationToken = default) =>
        (await _api.SendPageAsync("evaluation-types", AdminJsonContext.Default.ListAiGatewayEvaluationType, cancellationToken).ConfigureAwait(false)).Items;

    private static string Json(AiGatewaySettings settings) => JsonSerializer.Serialize(settings, AdminJsonContext.Default.AiGatewaySettings);
}
