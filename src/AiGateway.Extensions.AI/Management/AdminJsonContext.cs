using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>Source-generated JSON for the management API (snake_case, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(LogFilterJsonConverter)])]
[JsonSerializable(typeof(AiGatewaySettings))]
[JsonSerializable(typeof(List<AiGatewaySettings>))]
[JsonSerializable(typeof(AiGatewayLog))]
[JsonSerializable(typeof(List<AiGatewayLog>))]
[JsonSerializable(typeof(AiGatewayDataset))]
[JsonSerializable(typeof(List<AiGatewayDataset>))]
[JsonSerializable(typeof(AiGatewayEvaluation))]
[JsonSerializable(typeof(List<AiGatewayEvaluation>))]
[JsonSerializable(typeof(List<AiGatewayEvaluationType>))]
[JsonSerializable(typeof(List<CloudflareApiError>))]
[JsonSerializable(typeof(AiGatewayStoredKey))]
[JsonSerializable(typeof(List<AiGatewayStoredKey>))]
[JsonSerializable(typeof(AiGatewayStoredKeyDefinition))]
[JsonSerializable(typeof(AiGatewayDynamicRoute))]
[JsonSerializable(typeof(List<AiGatewayDynamicRoute>))]
[JsonSerializable(typeof(List<AiGatewayDynamicRouteElement>))]
[JsonSerializable(typeof(AiGatewayDynamicRouteVersion))]
[JsonSerializable(typeof(List<AiGatewayDynamicRouteVersion>))]
[JsonSerializable(typeof(List<AiGatewayDynamicRouteDeployment>))]
[JsonSerializable(typeof(AiGatewayPolicy))]
[JsonSerializable(typeof(List<AiGatewayPolicy>))]
[JsonSerializable(typeof(AiGatewayCustomProvider))]
[JsonSerializable(typeof(List<AiGatewayCustomProvider>))]
[JsonSerializable(typeof(AiGatewayCreditBalance))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
