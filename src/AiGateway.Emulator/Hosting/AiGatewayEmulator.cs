using AiGateway.Emulator.ControlPlane;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AiGateway.Emulator;

/// <summary>
/// A local Cloudflare AI Gateway: the data plane at <see cref="GatewayEndpoint"/> (<c>{root}/v1</c>), the control plane
/// at <see cref="ControlPlaneEndpoint"/> (<c>{root}/client/v4</c>), and deterministic built-in providers behind them.
/// In-memory state only. <c>await using var emulator = await AiGatewayEmulator.StartAsync();</c>
/// </summary>
public sealed class AiGatewayEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AiGatewayEmulator(WebApplication app, Uri listening, Uri root, EmulatorState state, FaultRegistry faults)
    {
        _app = app;
        ListeningOn = listening;
        Root = root;
        State = state;
        Faults = faults;
    }

    /// <summary>
    /// Gets the root URL to connect to from this machine, <c>http://127.0.0.1:{port}</c>: for a wildcard host
    /// (<c>0.0.0.0</c>, <c>::</c>) the matching loopback address, since a wildcard is where the emulator listens, not an
    /// address to connect to.
    /// </summary>
    public Uri Root { get; }

    /// <summary>Gets the address the emulator listens on, as bound (<c>http://0.0.0.0:8787/</c> for every interface).</summary>
    public Uri ListeningOn { get; }

    /// <summary>Gets the gateway endpoint, <c>{root}/v1</c>: set <c>AiGateway:Endpoint</c> to it.</summary>
    public Uri GatewayEndpoint => new(Root, "v1");

    /// <summary>Gets the control plane (and REST form) endpoint, <c>{root}/client/v4</c>.</summary>
    public Uri ControlPlaneEndpoint => new(Root, "client/v4");

    /// <summary>Gets the gateways, logs and cache.</summary>
    public EmulatorState State { get; }

    /// <summary>Gets the faults in force; add one to make a provider fail.</summary>
    public FaultRegistry Faults { get; }

    /// <summary>Starts an emulator.</summary>
    /// <param name="options">Start options; defaults listen on 127.0.0.1 with an OS-chosen port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    /// <exception cref="ArgumentException">
    /// The options cannot work: a host beyond loopback without <see cref="AiGatewayEmulatorOptions.Tokens"/>, a gateway id
    /// outside Cloudflare's form, or a limit below 1; the message names the option.
    /// </exception>
    public static async Task<AiGatewayEmulator> StartAsync(AiGatewayEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AiGatewayEmulatorOptions();
        options.Limits.Validate();
        if (!options.HostIsLoopback && options.Tokens.Count == 0)
        {
            throw new ArgumentException(
                $"AiGatewayEmulatorOptions.Tokens: listening on {options.Host} reaches beyond this machine, so the control plane and the faults API need a token; add at least one.",
                nameof(options));
        }

        var tokens = new AccessTokens(options.Tokens);
        var state = new EmulatorState(options.TimeProvider, options.Gateways, options.DefaultGatewayAuthentication, options.Limits);
        var faults = new FaultRegistry(options.Limits.MaxFaults);
        var pipeline = new GatewayPipeline(state, faults, new RateLimiter(options.TimeProvider), tokens, options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // Embedded in someone else's process: never take over its lifetime or its SIGTERM / Ctrl+C.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        var app = builder.Build();

        RequestBodyLimit.Use(app, options.Limits.MaxRequestBodyBytes);
        app.Map("/v1/{account}/{gateway}/{**path}", (HttpContext context, string gateway, string? path) => pipeline.HandleAsync(context, gateway, path));
        app.MapPost("/client/v4/accounts/{account}/ai/v1/chat/completions", (HttpContext context) => pipeline.HandleCloudflareApiAsync(context, "chat/completions"));
        app.MapPost("/client/v4/accounts/{account}/ai/v1/embeddings", (HttpContext context) => pipeline.HandleCloudflareApiAsync(context, "embeddings"));
        app.MapPost("/client/v4/accounts/{account}/ai/v1/responses", (HttpContext context) => pipeline.HandleCloudflareApiAsync(context, "responses"));
        app.MapPost("/client/v4/accounts/{account}/ai/v1/messages", (HttpContext context) => pipeline.HandleCloudflareApiAsync(context, "messages"));
        ControlPlaneApi.Map(app, state, tokens, options.TimeProvider);
        FaultEndpoints.Map(app, faults, tokens);
        app.MapGet("/emulator/health", () => Results.Ok(new { status = "ok" }));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AiGatewayEmulator(app, new Uri(address.TrimEnd('/') + "/"), ListenAddress.Connectable(address), state, faults);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
