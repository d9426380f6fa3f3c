using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI;

/// <summary>Source-generated JSON metadata for the few framework types this package serialises.</summary>
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(string))]
internal sealed partial class JsonValueContext : JsonSerializerContext;
