using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiGateway.Emulator;

/// <summary>JSON as providers write and read it.</summary>
internal static class EmulatorJson
{
    /// <summary>Output options: apostrophes and non-ASCII text are not escaped.</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A request body as a JSON object and its model (from the path when the route names it there).</summary>
    /// <exception cref="FormatException">The body is not a JSON object, or names no model; the message says so as a provider would.</exception>
    public static (JsonObject Root, string Model) ParseRequest(string? modelFromPath, ReadOnlySpan<byte> body)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject ?? throw new FormatException("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw new FormatException("The request body is not valid JSON: " + e.Message);
        }

        return (root, modelFromPath ?? root["model"]?.GetValue<string>() ?? throw new FormatException("'model' is required."));
    }

    /// <summary>A member's non-blank string value, or null (missing, not a string, or blank).</summary>
    public static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    /// <summary>A member's number, or null.</summary>
    public static double? Number(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue(out double number) ? number : null;
}
