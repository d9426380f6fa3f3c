using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>
/// <c>/gateways/{id}/provider_configs</c>, the gateway's stored provider keys (cloudflare-typescript
/// <c>provider-configs.ts</c>): create and list as Cloudflare's client calls them, and delete by id. The secret is
/// taken, never kept, never answered.
/// </summary>
internal static class ProviderConfigEndpoints
{
    public static void Map(RouteGroupBuilder group, EmulatorState state)
    {
        const string Route = "/gateways/{id}/provider_configs";
        group.MapGet(Route, (string id, HttpRequest request) =>
            state.GetGateway(id) is null ? Envelope.NotFound("gateway", id) : Envelope.Paged(state.StoredKeys(id).List(), request));
        group.MapPost(Route, async (string id, HttpRequest request) =>
        {
            var body = await Envelope.ReadObjectAsync(request);
            if (state.GetGateway(id) is null)
            {
                return Envelope.NotFound("gateway", id);
            }

            if (body is null)
            {
                return Envelope.Invalid("A stored key is required: provider_slug, alias, default_config, and secret or secret_id.");
            }

            try
            {
                return Envelope.Ok(state.StoredKeys(id).Create(body));
            }
            catch (FormatException e)
            {
                return Envelope.Invalid("Invalid stored key: " + e.Message);
            }
        });
        group.MapDelete(Route + "/{keyId}", (string id, string keyId) =>
            state.GetGateway(id) is null ? Envelope.NotFound("gateway", id)
            : state.StoredKeys(id).Delete(keyId) is { } removed ? Envelope.Ok(removed)
            : Envelope.NotFound("stored key", keyId));
    }
}
