namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// The account's AI Gateway billing (<c>/billing</c>; cloudflare-typescript <c>src/resources/ai-gateway/billing/</c>):
/// the Unified Billing credit balance. Get one from <see cref="AiGatewayManagementClient.Billing"/>.
/// </summary>
public sealed class AiGatewayBillingClient
{
    private readonly CloudflareApiTransport _api;

    internal AiGatewayBillingClient(CloudflareApiTransport api) => _api = api;

    /// <summary>Gets the credit balance.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The balance and its automatic top-up.</returns>
    /// <exception cref="CloudflareApiException">The API refused the call.</exception>
    public Task<AiGatewayCreditBalance> GetCreditBalanceAsync(CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, "billing/credit-balance", null, AdminJsonContext.Default.AiGatewayCreditBalance, cancellationToken);
}
