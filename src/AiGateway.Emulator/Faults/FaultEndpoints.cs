using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AiGateway.Emulator;

/// <summary>
/// <c>{root}/emulator/faults</c>: add (POST, the <see cref="EmulatorFault"/> fields as camelCase JSON), list (GET),
/// clear (DELETE) and remove one (DELETE <c>/{id}</c>). A fault the emulator cannot apply is refused with 400 naming why;
/// with tokens configured every call needs <c>Authorization: Bearer &lt;token&gt;</c>.
/// </summary>
internal static class FaultEndpoints
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private static readonly HashSet<string> s_fields = new(
        s_json.GetTypeInfo(typeof(EmulatorFault)).Properties.Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

    public static void Map(WebApplication app, FaultRegistry faults, AccessTokens tokens)
    {
        var group = app.MapGroup("/emulator/faults");
        group.AddEndpointFilter(async (context, next) =>
            tokens.AcceptsOperator(context.HttpContext.Request.Headers.Authorization)
                ? await next(context)
                : Results.Json(new { error = "The faults API needs Authorization: Bearer <token> (one of the emulator's tokens)." }, s_json, statusCode: 401));

        group.MapPost("", async (HttpRequest request) => Read(await ParseAsync(request)) switch
        {
            (_, { } problem) => Results.BadRequest(new { error = problem }),
            var (fault, _) => Results.Json(faults.Add(fault!), s_json),
        });
        group.MapGet("", () => Results.Json(faults.Active, s_json));
        group.MapDelete("", () =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        group.MapDelete("/{id}", (string id) => faults.Remove(id) ? Results.NoContent() : Results.NotFound(new { error = $"No fault with id '{id}'." }));
    }

    private static async Task<JsonNode?> ParseAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The fault a body describes, or why it cannot be applied (not JSON, an unknown field, a bad value, no effect).</summary>
    private static (EmulatorFault? Fault, string? Problem) Read(JsonNode? body)
    {
        if (body is not JsonObject fields)
        {
            return (null, "A fault must be a JSON object with fields such as provider, status, delay or hang.");
        }

        if (fields.Select(f => f.Key).FirstOrDefault(k => !s_fields.Contains(k)) is { } unknown)
        {
            return (null, $"'{unknown}' is not a fault field ({string.Join(", ", s_fields.Where(f => f != "id"))}).");
        }

        EmulatorFault? fault;
        try
        {
            fault = fields.Deserialize<EmulatorFault>(s_json);
        }
        catch (JsonException e)
        {
            string field = e.Path is { Length: > 2 } path ? path[2..] + ": " : string.Empty;
            string why = e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? "has the wrong type."
                : e.Message.Split(" Path:", 2)[0];
            return (null, field + why);
        }

        return fault!.Check() is { } problem ? (null, problem) : (fault, null);
    }
}
