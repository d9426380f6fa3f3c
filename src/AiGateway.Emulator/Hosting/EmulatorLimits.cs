namespace AiGateway.Emulator;

/// <summary>
/// How much the emulator keeps, so it is safe to leave running: past a limit the oldest logs, cached answers and faults
/// go first, and a larger request body is answered with the gateway's 413. Set through
/// <see cref="AiGatewayEmulatorOptions.Limits"/>; checked at start.
/// </summary>
public sealed class EmulatorLimits
{
    /// <summary>
    /// Gets or sets the largest request body accepted, in bytes; a larger one is answered 413 in the gateway's error
    /// shape. Defaults to 25 MiB (26,214,400 bytes), the size of the largest request Cloudflare's cache takes.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = CacheRules.MaxCacheableRequestBytes;

    /// <summary>
    /// Gets or sets the most logs kept per gateway (a gateway's own <c>log_management</c> applies when lower).
    /// Defaults to 10,000.
    /// </summary>
    public int MaxLogsPerGateway { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets the most request and response bytes kept in logs, all gateways together; a log whose bodies alone
    /// exceed it is kept without them. Defaults to 32 MiB.
    /// </summary>
    public long MaxLogPayloadBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Gets or sets the most cached answers kept, all gateways together. Defaults to 10,000.</summary>
    public int MaxCacheEntries { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets the most bytes of cached answers kept, all gateways together; a larger answer is not cached.
    /// Defaults to 32 MiB.
    /// </summary>
    public long MaxCacheBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Gets or sets the most faults in force. Defaults to 1,000.</summary>
    public int MaxFaults { get; set; } = 1_000;

    /// <summary>Throws when a limit is out of range, naming it.</summary>
    internal void Validate()
    {
        static void AtLeastOne(long value, string name)
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(AiGatewayEmulatorOptions.Limits), value, $"AiGatewayEmulatorOptions.Limits.{name} must be at least 1.");
            }
        }

        AtLeastOne(MaxRequestBodyBytes, nameof(MaxRequestBodyBytes));
        AtLeastOne(MaxLogsPerGateway, nameof(MaxLogsPerGateway));
        AtLeastOne(MaxLogPayloadBytes, nameof(MaxLogPayloadBytes));
        AtLeastOne(MaxCacheEntries, nameof(MaxCacheEntries));
        AtLeastOne(MaxCacheBytes, nameof(MaxCacheBytes));
        AtLeastOne(MaxFaults, nameof(MaxFaults));
    }
}
