using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AiGateway.Emulator.ControlPlane;

/// <summary><c>/gateways</c>: create, list, get, update and delete, driving the data plane's behaviour.</summary>
internal static class GatewayEndpoints
{
    public static void Map(RouteGroupBuilder group, EmulatorState state)
    {
        group.MapGet("/gateways", (HttpRequest request) => Envelope.Paged(state.Gateways.Select(g => Envelope.ToNode(g)), request));
        group.MapPost("/gateways", async (HttpRequest request) =>
        {
            var gateway = await Envelope.ReadAsync<EmulatorGateway>(request);
            if (gateway is null)
            {
                return Envelope.Invalid("A gateway object is required.");
            }

            if (EmulatorGateway.CheckId(gateway.Id) is { } problem)
            {
                return Envelope.Invalid(problem);
            }

            return state.TryCreateGateway(gateway)
                ? Envelope.Ok(Envelope.ToNode(state.GetGateway(gateway.Id)))
                : Envelope.Invalid($"A gateway named '{gateway.Id}' already exists.");
        });
        group.MapGet("/gateways/{id}", (string id) =>
            state.GetGateway(id) is { } gateway ? Envelope.Ok(Envelope.ToNode(gateway)) : Envelope.NotFound("gateway", id));
        group.MapPut("/gateways/{id}", async (string id, HttpRequest request) =>
        {
            var gateway = await Envelope.ReadAsync<EmulatorGateway>(request);
            if (gateway is null)
            {
                return Envelope.Invalid("A gateway object is required.");
            }

            return state.UpdateGateway(gateway with { Id = id }) is { } updated
                ? Envelope.Ok(Envelope.ToNode(updated))
                : Envelope.NotFound("gateway", id);
        });
        group.MapDelete("/gateways/{id}", (string id) =>
            state.DeleteGateway(id) is { } removed ? Envelope.Ok(Envelope.ToNode(removed)) : Envelope.NotFound("gateway", id));
    }
}
