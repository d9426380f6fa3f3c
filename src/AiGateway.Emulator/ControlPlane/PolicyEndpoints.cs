using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>
/// <c>/gateways/{id}/policies</c> (features/policies.mdx): list, create, get, update, delete, commit the drafts, and
/// simulate. Without <c>commit=true</c> a change is a draft, listed with <c>includeStaging=true</c> and not enforced.
/// </summary>
internal static class PolicyEndpoints
{
    public static void Map(RouteGroupBuilder group, EmulatorState state)
    {
        const string Route = "/gateways/{id}/policies";
        group.MapGet(Route, (string id, HttpRequest request) => Within(state, id, policies =>
            Envelope.Ok(new JsonArray([.. policies.List(Flag(request, "includeStaging"))]))));
        group.MapPost(Route, async (string id, HttpRequest request) =>
        {
            var body = await Envelope.ReadObjectAsync(request);
            return Within(state, id, policies =>
            {
                if (body is null)
                {
                    return Envelope.Invalid("A policy object is required: name, actor, resource, condition and action.");
                }

                bool commit = Flag(request, "commit");
                try
                {
                    return Envelope.Committed(policies.Create(body, commit).Json.DeepClone(), commit);
                }
                catch (FormatException e)
                {
                    return Envelope.Invalid("Invalid policy: " + e.Message);
                }
            });
        });
        group.MapPost(Route + "/commit", (string id) => Within(state, id, policies =>
            Envelope.Ok(new JsonObject { ["committed"] = policies.CommitAll(), ["failed"] = 0, ["policies"] = new JsonArray() })));
        group.MapPost(Route + "/simulate", async (string id, HttpRequest request) =>
        {
            var body = await Envelope.ReadObjectAsync(request);
            return Within(state, id, policies => body?["model"]?.GetValue<string>() is { Length: > 0 } model
                ? Envelope.Ok(Simulate(policies, body, model))
                : Envelope.Invalid("A simulation needs model (provider/model) and may give provider, identity and bucketUsage."));
        });
        group.MapGet(Route + "/{policyId}", (string id, string policyId, HttpRequest request) => Within(state, id, policies =>
            policies.Get(policyId, Flag(request, "includeStaging")) is { } policy ? Envelope.Ok(policy) : Envelope.NotFound("policy", policyId)));
        group.MapPut(Route + "/{policyId}", async (string id, string policyId, HttpRequest request) =>
        {
            var patch = await Envelope.ReadObjectAsync(request);
            return Within(state, id, policies =>
            {
                bool commit = Flag(request, "commit");
                try
                {
                    return patch is null ? Envelope.Invalid("The update must be a JSON object with the fields to change.")
                        : policies.Update(policyId, patch, commit) is { } policy ? Envelope.Committed(policy.Json.DeepClone(), commit)
                        : Envelope.NotFound("policy", policyId);
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException)
                {
                    return Envelope.Invalid("Invalid policy: " + e.Message);
                }
            });
        });
        group.MapDelete(Route + "/{policyId}", (string id, string policyId) => Within(state, id, policies =>
            policies.Delete(policyId) ? Envelope.Ok(null) : Envelope.NotFound("policy", policyId)));
    }

    /// <summary>
    /// The simulate answer: the live policies against the identity and model given, with <c>bucketUsage</c> (spend by
    /// policy name) in place of recorded spend, as the API's test panel does.
    /// </summary>
    private static JsonObject Simulate(PolicySet policies, JsonObject body, string model)
    {
        int slash = model.IndexOf('/', StringComparison.Ordinal);
        string provider = body["provider"]?.GetValue<string>() ?? (slash > 0 ? model[..slash] : string.Empty);
        string bare = slash > 0 && model[..slash] == provider ? model[(slash + 1)..] : model;
        var identity = new PolicyIdentity(body["identity"]?["metadata"] as JsonObject, body["identity"]?["cf"] as JsonObject);
        var usage = body["bucketUsage"] as JsonObject;
        var verdict = policies.Evaluate(provider, bare, identity,
            policy => usage?[policy.Name]?["spent"] is JsonValue spent && spent.TryGetValue(out double value) ? value : 0);

        var enforcement = new JsonObject { ["allowed"] = verdict.Allowed };
        if (!verdict.Allowed)
        {
            enforcement["reason"] = verdict.Blocked ? "blocked" : "limit_exceeded";
            if (!verdict.Blocked)
            {
                enforcement["bucket"] = verdict.Bucket;
                enforcement["spent"] = verdict.Spent;
                enforcement["limit"] = verdict.Limit;
            }

            enforcement["policyName"] = verdict.PolicyName;
        }

        string decision = verdict.Blocked ? "block" : verdict.Charges.Count > 0 || !verdict.Allowed ? "check_limits" : "no-limit";
        return new JsonObject
        {
            ["evaluation"] = new JsonObject { ["decision"] = decision, ["buckets"] = new JsonArray([.. verdict.Charges.Select(c => (JsonNode?)c.Bucket).Distinct()]) },
            ["enforcement"] = enforcement,
            ["policiesEvaluated"] = verdict.Evaluated,
        };
    }

    private static IResult Within(EmulatorState state, string gatewayId, Func<PolicySet, IResult> act) =>
        state.GetGateway(gatewayId) is null ? Envelope.NotFound("gateway", gatewayId) : act(state.Policies(gatewayId));

    private static bool Flag(HttpRequest request, string name) => string.Equals(request.Query[name], "true", StringComparison.OrdinalIgnoreCase);
}
