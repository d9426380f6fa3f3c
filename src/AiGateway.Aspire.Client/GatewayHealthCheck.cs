using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AiGateway.Extensions.AI;

/// <summary>
/// Whether the gateway endpoint answers: a GET of the endpoint itself (<c>https://gateway.ai.cloudflare.com/v1</c>, or
/// the Cloudflare REST API endpoint on that form). Any HTTP answer is healthy, since the endpoint has nothing of its
/// own to serve; no answer (DNS, refused, TLS, timeout) is unhealthy. It sends no credential, calls no provider and
/// costs nothing, so it can run as often as a probe likes.
/// </summary>
internal sealed class GatewayHealthCheck(HttpClient http, IOptionsMonitor<AiGatewayOptions> options, string optionsName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = options.Get(optionsName);
        var endpoint = current.EndpointKind == AiGatewayEndpointKind.CloudflareApi ? current.CloudflareApiEndpoint : current.Endpoint;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"{endpoint.Authority} answered {(int)response.StatusCode}."));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{endpoint.Authority} did not answer: {e.Message}", e);
        }
    }
}
