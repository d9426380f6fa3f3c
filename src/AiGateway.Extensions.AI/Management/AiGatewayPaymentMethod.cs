namespace AiGateway.Extensions.AI.Management;

/// <summary>A payment method as the billing API shows it: its brand and last four digits, nothing more.</summary>
public sealed record AiGatewayPaymentMethod
{
    /// <summary>Gets the brand (<c>visa</c>, ...).</summary>
    public string? Brand { get; set; }

    /// <summary>Gets the last four digits.</summary>
    public string? Last4 { get; set; }
}
