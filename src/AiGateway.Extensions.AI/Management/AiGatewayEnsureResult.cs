using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>What <see cref="AiGatewayManagementClient.EnsureGatewayAsync"/> did.</summary>
/// <param name="Gateway">The gateway as it is now.</param>
/// <param name="Created">Whether it had to be created.</param>
/// <param name="ChangedSettings">The settings that were updated (Cloudflare's names); empty when nothing changed.</param>
public sealed record AiGatewayEnsureResult(AiGatewaySettings Gateway, bool Created, IReadOnlyList<string> ChangedSettings);
