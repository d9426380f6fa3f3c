using AiGateway.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AiGateway.Samples.WebApi.Tests;

/// <summary>
/// The web sample in process against an emulator of the test's own: on the test server, or on Kestrel at 127.0.0.1
/// with an OS-chosen port. Its log goes to a fake logger the test can read.
/// </summary>
internal sealed class WebSample : IAsyncDisposable
{
    private WebSample(WebApplication app, HttpClient http, AiGatewayEmulator emulator)
    {
        App = app;
        Http = http;
        Emulator = emulator;
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public AiGatewayEmulator Emulator { get; }

    /// <summary>Gets what the app logged.</summary>
    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    /// <summary>Starts the app.</summary>
    /// <param name="settings">Configuration laid over the sample's appsettings.json.</param>
    /// <param name="emulatorOptions">The emulator's options.</param>
    /// <param name="environment">The host environment (Production unless said).</param>
    /// <param name="loopback">Listen on 127.0.0.1 instead of the test server.</param>
    /// <param name="configure">Adds to the builder after the test's settings.</param>
    /// <returns>The running sample.</returns>
    public static async Task<WebSample> StartAsync(
        Dictionary<string, string?>? settings = null,
        AiGatewayEmulatorOptions? emulatorOptions = null,
        string environment = "Production",
        bool loopback = false,
        Action<WebApplicationBuilder>? configure = null)
    {
        var emulator = await AiGatewayEmulator.StartAsync(emulatorOptions);
        WebApplication app;
        try
        {
            app = await ChatApp.CreateAsync(["--environment", environment], builder => Configure(builder, emulator, settings, loopback, configure));
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }

        await app.StartAsync();
        HttpClient http = loopback
            ? new HttpClient { BaseAddress = ListeningAddress(app) }
            : app.GetTestClient();
        return new WebSample(app, http, emulator);
    }

    /// <summary>Where a started app listens.</summary>
    public static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    /// <summary>Lays the test's settings over the sample's, pointing it at <paramref name="emulator"/>.</summary>
    public static void Configure(WebApplicationBuilder builder, AiGatewayEmulator? emulator, Dictionary<string, string?>? settings, bool loopback = false, Action<WebApplicationBuilder>? configure = null)
    {
        if (loopback)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        if (emulator is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
                ["AiGateway:AccountId"] = "acct",
                ["AiGateway:ApiKey"] = "sk-web-test-key-000000",
            });
        }

        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        configure?.Invoke(builder);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
