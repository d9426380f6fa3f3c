namespace AiGateway.Emulator;

/// <summary>How to start an <see cref="AiGatewayEmulator"/>.</summary>
public sealed class AiGatewayEmulatorOptions
{
    /// <summary>
    /// Gets or sets the address to listen on. Defaults to the loopback address. Any other (<c>0.0.0.0</c>, a LAN address)
    /// needs at least one of <see cref="Tokens"/>, which then guard the control plane and the faults API.
    /// </summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Gets a value indicating whether <see cref="Host"/> takes connections from this machine only.</summary>
    public bool HostIsLoopback => ListenAddress.IsLoopback(Host);

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
    /// Gets the Cloudflare API tokens accepted for authenticated gateways, the control plane and the REST form; with any
    /// set, the faults API needs one too (<c>Authorization: Bearer</c>). When empty (allowed on loopback only), any
    /// non-empty bearer token is accepted and the faults API is open.
    /// </summary>
    public ISet<string> Tokens { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the pause between streamed chunks (on <see cref="TimeProvider"/>). Defaults to none.</summary>
    public TimeSpan StreamChunkDelay { get; set; }

    /// <summary>Gets how much the emulator keeps (logs, cache, faults) and the largest request body it takes.</summary>
    public EmulatorLimits Limits { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether providers serve only the models in <see cref="Models"/> and answer any
    /// other as that provider does (OpenAI and Groq 404 <c>model_not_found</c>, Anthropic 404 <c>not_found_error</c>,
    /// Mistral 400 <c>invalid_model</c>, DeepSeek 400 <c>Model Not Exist</c>, Workers AI 400 code 5007), so offline tests
    /// catch a mistyped or inherited model name. Off by default: any name works offline, new models included.
    /// </summary>
    public bool StrictModels { get; set; }

    /// <summary>
    /// Gets the models each provider serves under <see cref="StrictModels"/>, by provider slug; it starts with lists for
    /// <c>openai</c>, <c>anthropic</c>, <c>groq</c>, <c>mistral</c>, <c>deepseek</c> and <c>workers-ai</c>. Add to a set,
    /// replace it, or add one for another provider; a provider without a set serves any model. A dated snapshot of a
    /// listed model (<c>gpt-4o-mini-2024-07-18</c>, <c>claude-haiku-4-5-20251001</c>) counts as listed.
    /// </summary>
    public IDictionary<string, ISet<string>> Models { get; } = ModelCatalog.Defaults();

    /// <summary>
    /// Gets or sets a value indicating whether the Messages endpoint refuses what the request's <c>anthropic-version</c>
    /// does not have, as Anthropic does: under <c>2026-10-21</c> (the version the Anthropic C# SDK 13.x sends)
    /// <c>temperature</c>, <c>top_p</c> and <c>top_k</c> are answered 400 <c>invalid_request_error</c>. On by default.
    /// </summary>
    public bool CheckAnthropicVersion { get; set; } = true;
}
