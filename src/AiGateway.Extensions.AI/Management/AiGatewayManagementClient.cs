using System.Text.Json;
using System.Text.Json.Nodes;
using static AiGateway.Extensions.AI.Management.CloudflareApiTransport;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// Manages gateways, datasets and evaluations through Cloudflare's REST API
/// (<c>/accounts/{account}/ai-gateway/...</c>), converges a gateway on desired settings with
/// <see cref="EnsureGatewayAsync"/>, and a whole gateway (settings, stored keys, routes, policies) with
/// <see cref="EnsureAsync"/>. The other resources have their own clients: <see cref="StoredKeys"/>,
/// <see cref="DynamicRoutes"/>, <see cref="Policies"/>, <see cref="CustomProviders"/> and <see cref="Billing"/>.
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
        StoredKeys = new AiGatewayStoredKeysClient(_api);
        DynamicRoutes = new AiGatewayDynamicRoutesClient(_api);
        Policies = new AiGatewayPoliciesClient(_api);
        CustomProviders = new AiGatewayCustomProvidersClient(_api);
        Billing = new AiGatewayBillingClient(_api);
    }

    /// <summary>Gets the client for gateways' stored provider keys (BYOK).</summary>
    public AiGatewayStoredKeysClient StoredKeys { get; }

    /// <summary>Gets the client for gateways' dynamic routes, their versions and deployments.</summary>
    public AiGatewayDynamicRoutesClient DynamicRoutes { get; }

    /// <summary>Gets the client for gateways' policies.</summary>
    public AiGatewayPoliciesClient Policies { get; }

    /// <summary>Gets the client for the account's custom providers.</summary>
    public AiGatewayCustomProvidersClient CustomProviders { get; }

    /// <summary>Gets the client for the account's billing (credit balance).</summary>
    public AiGatewayBillingClient Billing { get; }

    /// <summary>
    /// Creates a gateway. The fields the API requires are always sent: unset ones get Cloudflare's dashboard defaults
    /// (cache off, logs on, no cache invalidation on update, rate limiting off).
    /// </summary>
    /// <param name="settings">Its settings; <see cref="AiGatewaySettings.Id"/> is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created gateway.</returns>
    /// <exception cref="ArgumentException">The id is missing.</exception>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewaySettings> CreateGatewayAsync(AiGatewaySettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.Id);
        var body = GatewaySettingsJson.Settable(settings);
        body["id"] = settings.Id;
        body.TryAdd("cache_invalidate_on_update", false);
        body.TryAdd("cache_ttl", 0);
        body.TryAdd("collect_logs", true);
        body.TryAdd("rate_limiting_interval", null);
        body.TryAdd("rate_limiting_limit", null);
        return _api.SendAsync(HttpMethod.Post, "gateways", body.ToJsonString(), AdminJsonContext.Default.AiGatewaySettings, cancellationToken);
    }

    /// <summary>Gets a gateway, or null when it does not exist.</summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The gateway or null.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call (other than 404).</exception>
    public async Task<AiGatewaySettings?> GetGatewayAsync(string id, CancellationToken cancellationToken = default) =>
        (await GetGatewayJsonAsync(id, cancellationToken).ConfigureAwait(false))?.Deserialize(AdminJsonContext.Default.AiGatewaySettings);

    /// <summary>Lists every gateway of the account, page by page.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The gateways.</returns>
    /// <exception cref="CloudflareApiException">While enumerating: the API refused a page.</exception>
    public IAsyncEnumerable<AiGatewaySettings> ListGatewaysAsync(CancellationToken cancellationToken = default) =>
        Paged.ListAsync(_api, "gateways", string.Empty, 50, AdminJsonContext.Default.ListAiGatewaySettings, cancellationToken);

    /// <summary>
    /// Changes the settings set in <paramref name="changes"/> and nothing else: the gateway is read, those fields are
    /// laid over what the API answered, and every other field (those this package does not model included) is sent
    /// back exactly as read.
    /// </summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="changes">The settings to change; null properties are left as they are.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated gateway.</returns>
    /// <exception cref="CloudflareApiException">The gateway does not exist (404), or the API refused the call.</exception>
    public async Task<AiGatewaySettings> UpdateGatewayAsync(string id, AiGatewaySettings changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var current = await GetGatewayJsonAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new CloudflareApiException($"Gateway '{id}' does not exist.") { StatusCode = 404 };
        return await PutMergedAsync(id, current, GatewaySettingsJson.Settable(changes), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a gateway (and its logs).</summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task DeleteGatewayAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return _api.SendRawAsync(HttpMethod.Delete, "gateways/" + Segment(id), null, cancellationToken);
    }

    /// <summary>
    /// Makes the gateway match <paramref name="desired"/>: creates it when missing, otherwise changes only the settings
    /// that differ (null desired settings are left alone, and every field not named is sent back as read). Safe to run
    /// on every start.
    /// </summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="desired">The settings to enforce.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="CloudflareApiException">The API refused a call.</exception>
    public async Task<AiGatewayEnsureResult> EnsureGatewayAsync(string id, AiGatewaySettings desired, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(desired);
        var current = await GetGatewayJsonAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            var created = await CreateGatewayAsync(desired with { Id = id }, cancellationToken).ConfigureAwait(false);
            return new AiGatewayEnsureResult(created, Created: true, []);
        }

        var wanted = GatewaySettingsJson.Settable(desired);
        var changed = wanted.Where(p => !JsonNode.DeepEquals(p.Value, current[p.Key])).Select(p => p.Key).ToList();
        if (changed.Count == 0)
        {
            return new AiGatewayEnsureResult(current.Deserialize(AdminJsonContext.Default.AiGatewaySettings)!, Created: false, []);
        }

        var updated = await PutMergedAsync(id, current, wanted, cancellationToken).ConfigureAwait(false);
        return new AiGatewayEnsureResult(updated, Created: false, changed);
    }

    /// <summary>
    /// Makes the gateway <paramref name="id"/> match <paramref name="definition"/>: its settings as
    /// <see cref="EnsureGatewayAsync"/> does, then its stored keys (created when missing, replaced when their default,
    /// secret id or rate limit differ), its routes (<see cref="AiGatewayDynamicRoutesClient.EnsureAsync"/>) and its
    /// policies (<see cref="AiGatewayPoliciesClient.EnsureAsync"/>). What the definition does not name is left alone.
    /// A stored key's secret cannot be read back, so a changed secret is not seen: rotate it by deleting the stored key.
    /// </summary>
    /// <param name="id">The gateway id.</param>
    /// <param name="definition">The gateway as it should be.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>What was done; nothing the second time.</returns>
    /// <exception cref="ArgumentException">The definition names a stored key without a secret or secret id, or two policies with one name.</exception>
    /// <exception cref="CloudflareApiException">The API refused a call.</exception>
    public async Task<AiGatewayDefinitionEnsureResult> EnsureAsync(string id, AiGatewayDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CheckBeforeAnyCall(definition);
        var gateway = await EnsureGatewayAsync(id, definition.Settings ?? new AiGatewaySettings(), cancellationToken).ConfigureAwait(false);
        List<string> changes = gateway.Created ? ["gateway created"] : [.. gateway.ChangedSettings.Select(s => $"setting {s} updated")];
        var stored = await StoredKeys.ListAsync(id, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var key in definition.StoredKeys)
        {
            var current = stored.FirstOrDefault(s => string.Equals(s.ProviderSlug, key.ProviderSlug, StringComparison.OrdinalIgnoreCase) && string.Equals(s.Alias, key.Alias, StringComparison.Ordinal));
            if (current is not null && current.DefaultConfig == key.DefaultConfig && current.RateLimit == key.RateLimit && current.RateLimitPeriod == key.RateLimitPeriod
                && (key.SecretId is null || key.SecretId == current.SecretId))
            {
                continue;
            }

            // The API keeps one key per provider and alias, so the old one goes first; the definition was checked before
            // any call, so only the API itself can refuse the new one now.
            if (current is not null)
            {
                await StoredKeys.DeleteAsync(id, current.Id, cancellationToken).ConfigureAwait(false);
            }

            await StoredKeys.CreateAsync(id, key, cancellationToken).ConfigureAwait(false);
            changes.Add($"stored key {key.ProviderSlug}/{key.Alias} {(current is null ? "created" : "replaced")}");
        }

        // The gateway's routes are listed once for the whole definition (a listing per route was N listings for N routes).
        var listed = new Dictionary<string, AiGatewayDynamicRoute>(StringComparer.Ordinal);
        if (definition.Routes.Count > 0)
        {
            await foreach (var route in DynamicRoutes.ListAsync(id, cancellationToken).ConfigureAwait(false))
            {
                listed.TryAdd(route.Name, route);
            }
        }

        foreach (var (name, elements) in definition.Routes)
        {
            var route = await DynamicRoutes.EnsureListedAsync(id, name, elements, listed.GetValueOrDefault(name), cancellationToken).ConfigureAwait(false);
            if (route.Changed)
            {
                changes.Add(route.Created ? $"route '{name}' created" : $"route '{name}' version {route.DeployedVersionId} deployed");
            }
        }

        if (definition.Policies.Count > 0)
        {
            changes.AddRange(await Policies.EnsureAsync(id, [.. definition.Policies], cancellationToken).ConfigureAwait(false));
        }

        return new AiGatewayDefinitionEnsureResult(gateway, changes);
    }

    private async Task<JsonObject?> GetGatewayJsonAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            var result = await _api.SendRawAsync(HttpMethod.Get, "gateways/" + Segment(id), null, cancellationToken).ConfigureAwait(false);
            return result.ValueKind == JsonValueKind.Object ? JsonObject.Create(result) : null;
        }
        catch (CloudflareApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>PUTs the gateway as read, with <paramref name="changes"/> laid over it and the read-only fields left out.</summary>
    private Task<AiGatewaySettings> PutMergedAsync(string id, JsonObject current, JsonObject changes, CancellationToken cancellationToken)
    {
        var merged = GatewaySettingsJson.WithoutReadOnly(current);
        foreach (var (key, value) in changes)
        {
            merged[key] = value?.DeepClone();
        }

        return _api.SendAsync(HttpMethod.Put, "gateways/" + Segment(id), merged.ToJsonString(), AdminJsonContext.Default.AiGatewaySettings, cancellationToken);
    }

    /// <summary>Creates a dataset (a saved log filter) on a gateway.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="dataset">The dataset: name, enable, filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created dataset.</returns>
    public Task<AiGatewayDataset> CreateDatasetAsync(string gatewayId, AiGatewayDataset dataset, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, $"gateways/{Segment(gatewayId)}/datasets", DatasetBody(dataset),
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

    /// <summary>Replaces a dataset's name, enablement and filters.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="datasetId">The dataset id.</param>
    /// <param name="dataset">The dataset's new name, enable and filters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated dataset.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayDataset> UpdateDatasetAsync(string gatewayId, string datasetId, AiGatewayDataset dataset, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, $"gateways/{Segment(gatewayId)}/datasets/{Segment(datasetId)}", DatasetBody(dataset),
            AdminJsonContext.Default.AiGatewayDataset, cancellationToken);

    /// <summary>Deletes a dataset.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="datasetId">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public Task DeleteDatasetAsync(string gatewayId, string datasetId, CancellationToken cancellationToken = default) =>
        _api.SendRawAsync(HttpMethod.Delete, $"gateways/{Segment(gatewayId)}/datasets/{Segment(datasetId)}", null, cancellationToken);

    /// <summary>Creates an evaluation of datasets.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="name">The evaluation's name.</param>
    /// <param name="datasetIds">The datasets to evaluate.</param>
    /// <param name="evaluationTypeIds">The evaluation types to run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created evaluation.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayEvaluation> CreateEvaluationAsync(string gatewayId, string name, IReadOnlyList<string> datasetIds, IReadOnlyList<string> evaluationTypeIds,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["dataset_ids"] = new JsonArray([.. datasetIds.Select(d => (JsonNode?)d)]),
            ["evaluation_type_ids"] = new JsonArray([.. evaluationTypeIds.Select(t => (JsonNode?)t)]),
        };
        return _api.SendAsync(HttpMethod.Post, $"gateways/{Segment(gatewayId)}/evaluations", body.ToJsonString(), AdminJsonContext.Default.AiGatewayEvaluation, cancellationToken);
    }

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

    /// <summary>Lists the evaluation types the account can use, page by page.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The evaluation types.</returns>
    /// <exception cref="CloudflareApiException">While enumerating: the API refused a page.</exception>
    public IAsyncEnumerable<AiGatewayEvaluationType> ListEvaluationTypesAsync(CancellationToken cancellationToken = default) =>
        Paged.ListAsync(_api, "evaluation-types", string.Empty, 50, AdminJsonContext.Default.ListAiGatewayEvaluationType, cancellationToken);

    private static string DatasetBody(AiGatewayDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return JsonSerializer.Serialize(dataset with { Id = null, GatewayId = null, CreatedAt = null, ModifiedAt = null }, AdminJsonContext.Default.AiGatewayDataset);
    }

    /// <summary>Refuses a definition that could only fail half-applied, by the rules the calls themselves check: each stored key as <see cref="AiGatewayStoredKeysClient.CreateAsync"/> takes it, each policy a name of its own.</summary>
    private static void CheckBeforeAnyCall(AiGatewayDefinition definition)
    {
        foreach (var key in definition.StoredKeys)
        {
            AiGatewayStoredKeysClient.Check(key);
        }

        AiGatewayPoliciesClient.CheckNamesAreUnique(definition.Policies, nameof(definition));
    }
}
