namespace AiGateway.Emulator;

/// <summary>How to start an <see cref="AiGatewayEmulator"/>.</summary>
public sealed class AiGatewayEmulatorOptions
{
    /// <summary>Gets or sets the address to listen on. Defaults to the loopback address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Gets or sets the port; 0 lets the operating system choose a free one.</summary>
    public int Port { get; set; }

    /// <summary>Gets or sets the clock for cache TTLs, rate windows, delays and retry backoff (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets the gateways that exist at start, besides <c>default</c> (caching off, logs on, authentication off).</summary>
    public IList<EmulatorGateway> Gateways { get; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether the gateway <c>default</c> requires <c>cf-aig-authorization</c>, as
    /// Cloudflare creates it since 2026-03-02. Off by default, so offline first runs need no token.
    /// </summary>
    public bool DefaultGatewayAuthentication { get; set; }

    /// <summary>
    /// Gets the Cloudflare API tokens accepted for authenticated gateways, the control plane and the REST form.
    /// When empty, any non-empty bearer token is accepted.
    /// </summary>
    public ISet<string> Tokens { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the pause between streamed chunks (on <see cref="TimeProvider"/>). Defaults to none.</summary>
    public TimeSpan StreamChunkDelay { get; set; }
}
