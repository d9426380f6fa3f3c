using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator.ControlPlane;

/// <summary>Cloudflare's API envelope: <c>{success, errors, messages, result, result_info}</c>.</summary>
internal static class Envelope
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Success(JsonNode? result, JsonObject? resultInfo = null)
    {
        var envelope = new JsonObject
        {
            ["success"] = true,
            ["errors"] = new JsonArray(),
            ["messages"] = new JsonArray(),
            ["result"] = result,
        };
        if (resultInfo is not null)
        {
            envelope["result_info"] = resultInfo;
        }

        return envelope.ToJsonString(EmulatorJson.Options);
    }

    public static string ErrorBody(int code, string message) => new JsonObject
    {
        ["success"] = false,
        ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
        ["messages"] = new JsonArray(),
        ["result"] = null,
    }.ToJsonString(EmulatorJson.Options);

    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Json);
}
