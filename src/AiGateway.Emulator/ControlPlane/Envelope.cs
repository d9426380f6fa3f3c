using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>
/// Cloudflare's API envelope, <c>{success, errors, messages, result, result_info}</c>: every control-plane answer
/// goes through here, errors and unknown paths included, so Cloudflare's clients can read each one.
/// </summary>
internal static class Envelope
{
    /// <summary>Cloudflare's code for a path or method it has no route for.</summary>
    public const int NoRoute = 7000;

    /// <summary>The code the emulator gives a request it cannot accept (a missing field, a bad value).</summary>
    public const int InvalidRequest = 7001;

    /// <summary>The code for an id that names nothing.</summary>
    public const int NotFoundCode = 7002;

    /// <summary>Cloudflare's code for a missing or unknown API token.</summary>
    public const int AuthenticationError = 10000;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>200 with the result.</summary>
    public static IResult Ok(JsonNode? result, JsonObject? resultInfo = null) => Write(200, Success(result, "result_info", resultInfo));

    /// <summary>200 with the result and whether the change took effect or waits as a draft (the policies API's answers).</summary>
    public static IResult Committed(JsonNode? result, bool committed) => Write(200, Success(result, "committed", committed));

    /// <summary>200 with one page of a list (<c>page</c>, <c>per_page</c> up to 50, default 20) and its <c>result_info</c>.</summary>
    public static IResult Paged(IEnumerable<JsonNode?> items, HttpRequest request)
    {
        var all = items.ToList();
        int page = int.TryParse(request.Query["page"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) && p > 0 ? p : 1;
        int perPage = int.TryParse(request.Query["per_page"], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pp) && pp > 0 ? Math.Min(pp, 50) : 20;
        var slice = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        var info = new JsonObject { ["page"] = page, ["per_page"] = perPage, ["count"] = slice.Count, ["total_count"] = all.Count };
        return Ok(new JsonArray([.. slice]), info);
    }

    /// <summary>
    /// 200 with the answer in a member other than <c>result</c>, as the API answers dynamic routes' lists
    /// (<c>data</c>) and renames (<c>route</c>): Cloudflare's client reads those bodies whole.
    /// </summary>
    public static IResult OkIn(string member, JsonNode? value)
    {
        var envelope = Success(null, member, value);
        envelope.Remove("result");
        return Write(200, envelope);
    }

    /// <summary>A failure: <c>success: false</c> and one error.</summary>
    public static IResult Error(int status, int code, string message) => Write(status, ErrorNode(code, message));

    /// <summary>400 for a request the emulator cannot accept.</summary>
    public static IResult Invalid(string message) => Error(400, InvalidRequest, message);

    /// <summary>404 for an id that names nothing.</summary>
    public static IResult NotFound(string what, string id) => Error(404, NotFoundCode, $"No {what} named '{id}'.");

    /// <summary>The error envelope as a string, for answers written outside an endpoint.</summary>
    public static string ErrorBody(int code, string message) => ErrorNode(code, message).ToJsonString(EmulatorJson.Options);

    /// <summary>Serializes a value with the control plane's names, as a node to put in an envelope.</summary>
    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Json);

    /// <summary>Reads a JSON body as <typeparamref name="T"/>; default when it is not valid JSON for it.</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Json, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Reads a JSON object body; null when it is not one.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonObject Success(JsonNode? result, string sibling, JsonNode? siblingValue)
    {
        var envelope = new JsonObject
        {
            ["success"] = true,
            ["errors"] = new JsonArray(),
            ["messages"] = new JsonArray(),
            ["result"] = result,
        };
        if (siblingValue is not null)
        {
            envelope[sibling] = siblingValue;
        }

        return envelope;
    }

    private static JsonObject ErrorNode(int code, string message) => new()
    {
        ["success"] = false,
        ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
        ["messages"] = new JsonArray(),
        ["result"] = null,
    };

    private static IResult Write(int status, JsonObject envelope) =>
        Results.Text(envelope.ToJsonString(EmulatorJson.Options), "application/json", System.Text.Encoding.UTF8, status);
}
