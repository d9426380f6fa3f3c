using System.Text.Json;
using System.Text.Json.Nodes;
using static AiGateway.Extensions.AI.Management.CloudflareApiTransport;

namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// A gateway's policies (<c>/gateways/{id}/policies</c>, features/policies.mdx): list, create, update, delete, commit
/// and simulate, and <see cref="EnsureAsync"/>. Every change is committed (enforced) unless <c>commit</c> is false,
/// which stages it as a draft. Get one from <see cref="AiGatewayManagementClient.Policies"/>.
/// </summary>
public sealed class AiGatewayPoliciesClient
{
    private readonly CloudflareApiTransport _api;

    internal AiGatewayPoliciesClient(CloudflareApiTransport api) => _api = api;

    /// <summary>Lists a gateway's policies.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="includeStaging">Whether to include staged drafts (marked <see cref="AiGatewayPolicy.Staging"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policies.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public async Task<IReadOnlyList<AiGatewayPolicy>> ListAsync(string gatewayId, bool includeStaging = false, CancellationToken cancellationToken = default) =>
        await _api.SendAsync(HttpMethod.Get, Path(gatewayId) + Staging(includeStaging), null, AdminJsonContext.Default.ListAiGatewayPolicy, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Gets a policy.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="policyId">The policy id.</param>
    /// <param name="includeStaging">Whether to answer its staged draft, if it has one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="CloudflareApiException">The policy does not exist (404), or the API refused the call.</exception>
    public Task<AiGatewayPolicy> GetAsync(string gatewayId, string policyId, bool includeStaging = false, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, PolicyPath(gatewayId, policyId) + Staging(includeStaging), null, AdminJsonContext.Default.AiGatewayPolicy, cancellationToken);

    /// <summary>Creates a policy. The first policy of a gateway turns enforcement on: requests no policy matches are then refused.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="commit">Whether it takes effect now; false stages it as a draft.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created policy, with its id.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call (a CEL syntax error is a 400).</exception>
    public Task<AiGatewayPolicy> CreateAsync(string gatewayId, AiGatewayPolicy policy, bool commit = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrWhiteSpace(policy.Name, "policy.Name");
        return _api.SendAsync(HttpMethod.Post, Path(gatewayId) + Commit(commit), Body(policy).ToJsonString(), AdminJsonContext.Default.AiGatewayPolicy, cancellationToken);
    }

    /// <summary>Replaces a committed policy's name, actor, resource, condition and action.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="policyId">The policy id.</param>
    /// <param name="policy">The policy's new definition.</param>
    /// <param name="commit">Whether the change takes effect now; false stages it as a draft.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task UpdateAsync(string gatewayId, string policyId, AiGatewayPolicy policy, bool commit = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _api.SendRawAsync(HttpMethod.Put, PolicyPath(gatewayId, policyId) + Commit(commit), Body(policy).ToJsonString(), cancellationToken);
    }

    /// <summary>Deletes a policy and any staged draft of it.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="policyId">The policy id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task DeleteAsync(string gatewayId, string policyId, CancellationToken cancellationToken = default) =>
        _api.SendRawAsync(HttpMethod.Delete, PolicyPath(gatewayId, policyId), null, cancellationToken);

    /// <summary>Commits every staged draft of the gateway.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many drafts were committed.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call, or a draft failed to commit.</exception>
    public async Task<int> CommitAsync(string gatewayId, CancellationToken cancellationToken = default)
    {
        var result = await _api.SendRawAsync(HttpMethod.Post, Path(gatewayId) + "/commit", null, cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Object && result.TryGetProperty("committed", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out int count) ? count : 0;
    }

    /// <summary>Tests the live policies and staged drafts against a sample request; nothing is sent to a provider or spent.</summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="simulation">The sample request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public async Task<AiGatewayPolicySimulationResult> SimulateAsync(string gatewayId, AiGatewayPolicySimulation simulation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentException.ThrowIfNullOrWhiteSpace(simulation.Model, "simulation.Model");
        var body = new JsonObject { ["model"] = simulation.Model };
        if (simulation.Provider is not null)
        {
            body["provider"] = simulation.Provider;
        }

        if (simulation.Identity is not null)
        {
            body["identity"] = simulation.Identity.DeepClone();
        }

        if (simulation.BucketUsage is not null)
        {
            body["bucketUsage"] = new JsonObject(simulation.BucketUsage.Select(u => KeyValuePair.Create(u.Key, (JsonNode?)new JsonObject { ["spent"] = u.Value })));
        }

        var result = await _api.SendRawAsync(HttpMethod.Post, Path(gatewayId) + "/simulate", body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return Simulated(result);
    }

    /// <summary>
    /// Makes each of <paramref name="policies"/> exist as stated, matched by name: missing ones are created, ones whose
    /// actor, resource, condition or action differ are updated, equal ones are left alone; all committed. Policies of
    /// the gateway not named here are left as they are.
    /// </summary>
    /// <param name="gatewayId">The gateway id.</param>
    /// <param name="policies">The policies to enforce.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What changed, one line per policy (<c>policy 'x' created</c>); empty when nothing did.</returns>
    /// <exception cref="ArgumentException">Two policies share a name.</exception>
    /// <exception cref="CloudflareApiException">The API refused a call.</exception>
    public async Task<IReadOnlyList<string>> EnsureAsync(string gatewayId, IReadOnlyList<AiGatewayPolicy> policies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policies);
        CheckNamesAreUnique(policies, nameof(policies));

        var existing = (await ListAsync(gatewayId, cancellationToken: cancellationToken).ConfigureAwait(false))
            .GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        List<string> changes = [];
        foreach (var policy in policies)
        {
            if (!existing.TryGetValue(policy.Name, out var current))
            {
                await CreateAsync(gatewayId, policy, cancellationToken: cancellationToken).ConfigureAwait(false);
                changes.Add($"policy '{policy.Name}' created");
            }
            else if (!JsonNode.DeepEquals(Body(policy), Body(current)))
            {
                await UpdateAsync(gatewayId, current.Id!, policy, cancellationToken: cancellationToken).ConfigureAwait(false);
                changes.Add($"policy '{policy.Name}' updated");
            }
        }

        return changes;
    }

    /// <summary>The definition the API takes: name, actor, resource, condition, action (not the ids and times it answers).</summary>
    private static JsonObject Body(AiGatewayPolicy policy) =>
        JsonSerializer.SerializeToNode(policy with { Id = null, CreatedAt = null, UpdatedAt = null, Staging = null, Uncommitted = null },
            AdminJsonContext.Default.AiGatewayPolicy)!.AsObject();

    private static AiGatewayPolicySimulationResult Simulated(JsonElement result)
    {
        JsonElement Member(JsonElement parent, string name) =>
            parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? value : default;
        string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        decimal? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal number) ? number : null;

        var evaluation = Member(result, "evaluation");
        var enforcement = Member(result, "enforcement");
        var buckets = Member(evaluation, "buckets");
        return new AiGatewayPolicySimulationResult
        {
            Decision = Text(Member(evaluation, "decision")),
            Buckets = buckets.ValueKind == JsonValueKind.Array ? [.. buckets.EnumerateArray().Select(b => b.ValueKind == JsonValueKind.String ? b.GetString()! : b.GetRawText())] : [],
            Allowed = Member(enforcement, "allowed").ValueKind == JsonValueKind.True,
            Reason = Text(Member(enforcement, "reason")),
            Bucket = Text(Member(enforcement, "bucket")),
            Spent = Number(Member(enforcement, "spent")),
            Limit = Number(Member(enforcement, "limit")),
            PolicyName = Text(Member(enforcement, "policyName")),
            PoliciesEvaluated = Member(result, "policiesEvaluated") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out int evaluated) ? evaluated : 0,
        };
    }

    private static string Commit(bool commit) => commit ? "?commit=true" : string.Empty;

    private static string Staging(bool includeStaging) => includeStaging ? "?includeStaging=true" : string.Empty;

    private static string Path(string gatewayId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayId);
        return $"gateways/{Segment(gatewayId)}/policies";
    }

    private static string PolicyPath(string gatewayId, string policyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policyId);
        return Path(gatewayId) + "/" + Segment(policyId);
    }

    /// <summary>Ensuring finds a policy by its name, so two with one name are refused before any call.</summary>
    /// <exception cref="ArgumentException">Two policies share a name.</exception>
    internal static void CheckNamesAreUnique(IEnumerable<AiGatewayPolicy> policies, string paramName)
    {
        if (policies.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Two policies are named '{twice.Key}'; ensuring matches policies by name, so nothing was changed.", paramName);
        }
    }
}
