using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiGateway.Extensions.AI.Management;

/// <summary>One error in Cloudflare's API envelope.</summary>
/// <param name="Code">The API's error code.</param>
/// <param name="Message">The API's message.</param>
public sealed record CloudflareApiError(int Code, string Message);
