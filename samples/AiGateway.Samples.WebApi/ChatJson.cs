using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Samples.WebApi;

/// <summary>The API's JSON: web casing, nulls left out, and the one error shape every failure answers with.</summary>
internal static class ChatJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary><c>{"success": false, "error": "...", "logId": "...", "requestId": "..."}</c>; ids only when known.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="error">A stable message for the caller; details go to the server log.</param>
    /// <param name="logId">The gateway's log id, if the gateway logged the request.</param>
    /// <param name="requestId">This server's request id, to find the details in its log.</param>
    /// <returns>The result.</returns>
    public static IResult Error(int status, string error, string? logId = null, string? requestId = null) =>
        Results.Json(new ErrorBody(error, logId, requestId), Options, statusCode: status);

    /// <summary>The error body, also sent as a stream's <c>error</c> event.</summary>
    /// <param name="Error">The stable message.</param>
    /// <param name="LogId">The gateway's log id.</param>
    /// <param name="RequestId">This server's request id.</param>
    internal sealed record ErrorBody(string Error, string? LogId, string? RequestId)
    {
        [JsonPropertyOrder(-1)]
        public bool Success { get; init; }
    }
}
