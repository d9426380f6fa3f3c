using AiGateway.Emulator;
using AiGateway.Extensions.AI;
using Microsoft.Extensions.AI;

namespace AiGateway.Samples.WebApi;

/// <summary>Builds the web app; the tests build the same app on a test server.</summary>
public static partial class ChatApp
{
    [LoggerMessage(LogLevel.Information, "No AiGateway:AccountId configured: using the embedded AI Gateway emulator at {Endpoint}")]
    private static partial void UsingEmulator(ILogger logger, Uri endpoint);

    /// <summary>Creates the app. With no <c>AiGateway:AccountId</c> configured it starts the embedded emulator.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configure">Lets tests replace configuration or the server before the app is built.</param>
    /// <returns>The app, not yet started.</returns>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        AiGatewayEmulator? emulator = null;
        if (string.IsNullOrWhiteSpace(builder.Configuration["AiGateway:AccountId"]))
        {
            emulator = await AiGatewayEmulator.StartAsync();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AiGateway:Endpoint"] = emulator.GatewayEndpoint.AbsoluteUri,
                ["AiGateway:AccountId"] = "local",
                ["AiGateway:ApiKey"] = string.IsNullOrEmpty(builder.Configuration["AiGateway:ApiKey"]) ? "emulator-placeholder-key" : builder.Configuration["AiGateway:ApiKey"],
            });
        }

        // Microsoft.Extensions.AI's pipeline, outermost first: tool calls, the GenAI span and metrics, then our fallback.
        builder.AddAiGatewayChatClient("gateway")
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .UseAiGatewayFallback();
        builder.Services.Configure<ChatApiOptions>(builder.Configuration.GetSection("Chat"));

        string[] origins = builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() is { Length: > 0 } configured ? configured : ["*"];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(origins);
            }

            policy.AllowAnyHeader().WithMethods("POST", "OPTIONS");
        }));

        var app = builder.Build();
        if (emulator is not null)
        {
            UsingEmulator(app.Logger, emulator.GatewayEndpoint);
            app.Lifetime.ApplicationStopped.Register(() => emulator.DisposeAsync().AsTask().GetAwaiter().GetResult());
        }

        app.UseCors();
        app.MapChat();
        return app;
    }
}
