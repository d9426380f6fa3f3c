using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Reads back an <see cref="AiGatewayResponseInfo"/> that a cache serialized (Microsoft.Extensions.AI's caching clients
/// write with web defaults: camelCase, string enums); names match case-insensitively, enums as names or numbers.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AiGatewayResponseInfo))]
internal sealed partial class ResponseInfoJsonContext : JsonSerializerContext;
