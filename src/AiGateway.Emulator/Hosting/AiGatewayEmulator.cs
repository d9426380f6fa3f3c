using System.Text.Json;
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

    private AiGatewayEmulator(WebApplication app, Uri root, EmulatorState state, FaultRegistry faults)
    {
        _app = app;
        Root = root;
        State = state;
        Faults = faults;
    }

    /// <summary>Gets the root URL, <c>http://127.0.0.1:{port}</c>.</summary>
    public Uri Root { get; }

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
    public static async Task<AiGatewayEmulator> StartAsync(AiGatewayEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AiGatewayEmulatorOptions();
        var state = new EmulatorState(options.TimeProvider, options.Gateways, options.DefaultGatewayAuthentication);
        var faults = new FaultRegistry();
        var pipeline = new GatewayPipeline(state, faults, new RateLimiter(options.TimeProvider), options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        // Embedded in someone else's process: never take over its lifetime or its SIGTERM / Ctrl+C.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        var app = builder.Build();

        bool IsValidToken(string header) =>
            header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token &&
            (options.Tokens.Count == 0 || options.Tokens.Contains(token));

        app.Map("/v1/{account}/{gateway}/{**path}", (HttpContext context, string gateway, string? path) => pipeline.HandleAsync(context, gateway, path));
        app.MapPost("/client/v4/accounts/{account}/ai/v1/chat/completions", (HttpContext context) => pipeline.HandleCloudflareApiAsync(context, "chat/completions"));
        app.MapPost("/client/v4/accounts/{account}/ai/v1/embeddings", (HttpContext context) => pipeline.HandleCloudflareApiAsync(context, "embeddings"));
        ControlPlaneEndpoints.Map(app, state, IsValidToken, options.TimeProvider);
        MapFaults(app, faults);
        app.MapGet("/emulator/health", () => Results.Ok(new { status = "ok" }));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AiGatewayEmulator(app, new Uri(address.TrimEnd('/') + "/"), state, faults);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void MapFaults(WebApplication app, FaultRegistry faults)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        app.MapPost("/emulator/faults", async (HttpRequest request) =>
        {
            EmulatorFault? fault;
            try
            {
                fault = await JsonSerializer.DeserializeAsync<EmulatorFault>(request.Body, options).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Results.BadRequest(new { error = "The fault is not valid JSON: " + e.Message });
            }

            return fault is null ? Results.BadRequest(new { error = "A fault object is required." })
                : fault.Check() is { } problem ? Results.BadRequest(new { error = problem })
                : Results.Json(faults.Add(fault), options);
        });
        app.MapGet("/emulator/faults", () => Results.Json(faults.Active, options));
        app.MapDelete("/emulator/faults", () =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        app.MapDelete("/emulator/faults/{id}", (string id) => faults.Remove(id) ? Results.NoContent() : Results.NotFound());
    }
}
