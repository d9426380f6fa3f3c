namespace AiGateway.Extensions.AI.Management;

/// <summary>
/// The account's Unified Billing credit balance (<c>GET /billing/credit-balance</c>; <c>BillingCreditBalanceResponse</c>
/// in cloudflare-typescript <c>src/resources/ai-gateway/billing/billing.ts</c>).
/// </summary>
public sealed record AiGatewayCreditBalance
{
    /// <summary>Gets the credits left, in US dollars.</summary>
    public decimal Balance { get; set; }

    /// <summary>Gets whether the account has a default payment method.</summary>
    public bool HasDefaultPaymentMethod { get; set; }

    /// <summary>Gets the default payment method (brand and last four digits only), if there is one.</summary>
    public AiGatewayPaymentMethod? PaymentMethod { get; set; }

    /// <summary>Gets the automatic top-up: the amount added when the balance falls below the threshold.</summary>
    public AiGatewayCreditTopUp? TopupConfig { get; set; }

    /// <summary>Gets whether the first top-up succeeded.</summary>
    public bool? FirstTopupSuccess { get; set; }
}
