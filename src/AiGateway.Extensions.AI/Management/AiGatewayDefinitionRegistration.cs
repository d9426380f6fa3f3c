namespace AiGateway.Extensions.AI.Management;

/// <summary>A gateway definition registered with <c>AddAiGatewayDefinition</c>, for the ensure-on-start service.</summary>
internal sealed record AiGatewayDefinitionRegistration(string Id, AiGatewayDefinition Definition);
